from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.mail import mail_queue_stats, mail_send_queued
from cytokines.supporters.newsletter_issues import issues_continue_sending


class Command(PortalCommand):
    help = (
        "Send the mail queue: confirmation links, pledge notes, receipts, review digests and newsletters. "
        "Finishes queueing any newsletter issue whose sending was interrupted, retries failed messages with "
        "back-off, and never sends a message twice even when two runs overlap. Run every minute from cron."
    )

    def handle(self, *args, **options):
        resumed = issues_continue_sending()
        sent, deferred = mail_send_queued()
        stats = mail_queue_stats()
        self.stdout.write(
            f"Sent {sent} e-mail(s); {deferred} failed and will be retried; {stats['queued']} still queued, "
            f"{stats['retrying']} waiting to retry, {stats['given_up']} given up"
            + (f"; resumed {resumed} newsletter issue(s)." if resumed else ".")
        )
        if deferred and not sent:
            # Cron mails non-zero exits to the operator: the mail server is refusing everything.
            raise CommandError(f"Could not send any of {deferred} e-mail(s): is the mail server down?")
