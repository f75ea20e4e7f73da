from django.core.management.commands import loaddata

from cytokines.content import live_version


class Command(loaddata.Command):
    """Django's loaddata, then the page cache is cleared: loaded rows must not hide behind cached pages."""

    def handle(self, *fixture_labels, **options):
        super().handle(*fixture_labels, **options)
        if self.loaded_object_count and not live_version.bump():
            self.stderr.write("Loaded, but the page cache could not be cleared: run `manage.py clear_page_cache`.")
