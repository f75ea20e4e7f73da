from django.conf import settings
from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.quality import checker
from cytokines.quality.verification import DEFAULT_STALE_DAYS


class Command(PortalCommand):
    help = (
        "Check references against their DOI (Crossref/doi.org) and PubMed records and check their links. "
        "Run daily from cron; each reference is checked at most once per --stale-days unless edited since."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stale-days", type=int, default=DEFAULT_STALE_DAYS,
                            help=f"re-check references checked more than N days ago (default {DEFAULT_STALE_DAYS})")
        parser.add_argument("--limit", type=int, default=None, help="check at most N references this run")
        parser.add_argument("--recorded", metavar="DIR", default=settings.REFERENCE_CHECKS["RECORDED_DIR"],
                            help="answer from recorded responses in DIR, not the network (demo, tests)")  # fmt: skip

    def handle(self, *args, stale_days, limit, recorded, **options):
        if stale_days < 0 or (limit is not None and limit < 1):
            raise CommandError("--stale-days must be 0 or more and --limit 1 or more.")
        try:
            summary = checker.verify(stale_days=stale_days, limit=limit, recorded_dir=recorded or None)
        except checker.NotConfigured as problem:
            raise CommandError(str(problem)) from None
        for line in summary.lines():
            self.stdout.write(line)
