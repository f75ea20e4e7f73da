from django.conf import settings
from django.core.management.base import BaseCommand

from cytokines.supporters.donations import donations_send_owed_mail
from cytokines.supporters.newsletter import subscribers_send_owed_confirmations


class Command(BaseCommand):
    help = (
        "Send e-mails that could not be sent when they were due (mail server down): donation pledge "
        "confirmations, receipts and newsletter confirmation links. Safe to run every few minutes from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=settings.PORTAL_BASE_URL, help="Start of links in the e-mails.")

    def handle(self, *args, base_url, **options):
        donations = donations_send_owed_mail()
        confirmations = subscribers_send_owed_confirmations(base_url=base_url.rstrip("/"))
        self.stdout.write(f"Sent {donations} donation e-mail(s) and {confirmations} confirmation link(s).")
