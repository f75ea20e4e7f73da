from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.privacy.retention import apply_retention


class Command(PortalCommand):
    help = (
        "Remove personal data past its retention period (PORTAL_RETENTION: unconfirmed sign-ups, readers who "
        "left, feedback comments, problem-report addresses, mail logs, old donors' names). Run daily from cron; "
        "--dry-run only counts. All rules run in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what is due; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        try:
            results = apply_retention(dry_run=dry_run)
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem)) from None
        for result in results:
            self.stdout.write(f"{result.count:>7,}  {result.rule} (before {result.cutoff:%Y-%m-%d %H:%M} UTC)")
        total = sum(r.count for r in results)
        self.stdout.write(f"Dry run: {total:,} records are due; nothing was changed." if dry_run
                          else f"Done: {total:,} records removed or emptied.")  # fmt: skip
