from django.conf import settings

from cytokines.management.commands._base import PortalCommand
from cytokines.review.reminders import reminders_plan, reminders_send


class Command(PortalCommand):
    help = (
        "E-mail each owner and medical reviewer one digest of reviews overdue or due soon, and escalate to "
        "the Editors group what stays overdue past the grace period. Safe to run daily from cron: a reminder "
        "is sent once per due date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Remind about reviews due within this many days.")
        parser.add_argument("--grace-days", type=int, default=14, help="Escalate reviews overdue longer than this.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")
        parser.add_argument(
            "--base-url", default=getattr(settings, "PORTAL_BASE_URL", "http://127.0.0.1:8000"),
            help="Start of the admin links in the e-mails.",
        )  # fmt: skip

    def handle(self, *args, days, grace_days, dry_run, base_url, **options):
        digests = reminders_plan(days=days, grace_days=grace_days)
        if dry_run:
            for digest in digests:
                self.stdout.write(f"To: {digest.recipient.email}\nSubject: {digest.subject()}\n")
                self.stdout.write(digest.body(base_url.rstrip("/")) + "\n" + "-" * 60)
            self.stdout.write(f"Dry run: {len(digests)} digest(s) would be sent.")
            return
        queued = reminders_send(digests, base_url=base_url.rstrip("/"))
        self.stdout.write(f"Queued {queued} digest(s); send_pending_mail delivers them.")
