from django.core.management.base import CommandError

from cytokines.content import live_version
from cytokines.management.commands._base import PortalCommand


class Command(PortalCommand):
    help = (
        "Retire every cached public page at once (on every app server sharing the cache), so readers see "
        "what the database holds now. Run it after changing the database by hand (SQL, a restore, loaddata "
        "runs it itself). Safe to run any time; pages are rendered again on their next visit."
    )

    def handle(self, *args, **options):
        if not live_version.bump():
            raise CommandError(
                "Could not clear the page cache: the cache (Redis) cannot be reached. Run this again once it is back."
            )
        self.stdout.write("Cleared the page cache: every public page is rendered afresh on its next visit.")
