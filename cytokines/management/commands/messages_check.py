from pathlib import Path

from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.message_catalogue import problems


class Command(PortalCommand):
    help = (
        "Check a translation catalogue (.po): every entry translated, none fuzzy. `make messages-check` runs "
        "makemessages first, so a string marked in the code but missing from the catalogue fails too."
    )

    def add_arguments(self, parser):
        parser.add_argument("catalogue", help="path of the .po file, e.g. locale/es/LC_MESSAGES/django.po")

    def handle(self, *args, catalogue, **options):
        path = Path(catalogue)
        if not path.is_file():
            raise CommandError(f"No catalogue at {catalogue}: run `make messages` to create it.")
        untranslated, fuzzy = problems(path.read_text(encoding="utf-8"))
        if untranslated or fuzzy:
            listed = [f"  untranslated: {m!r}" for m in untranslated[:50]] + [f"  fuzzy: {m!r}" for m in fuzzy[:50]]
            raise CommandError(
                f"{catalogue}: {len(untranslated)} untranslated and {len(fuzzy)} fuzzy entries; write their "
                "msgstr (and remove the fuzzy flag once checked):\n" + "\n".join(listed)
            )
        self.stdout.write(f"{catalogue}: every entry translated, none fuzzy.")
