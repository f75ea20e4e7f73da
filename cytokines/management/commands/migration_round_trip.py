from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.migration_checks import data_migrations, round_trips, row_counts, unapplied


class Command(PortalCommand):
    help = (
        "Roll each data migration back and forward again and check every table kept its rows. It changes the "
        "schema of the database it runs on: only ever on a throw-away copy (`make migrations-round-trip` makes "
        "one with the demo content; CI runs it), and only with --scratch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scratch", action="store_true", help="Confirm this database is a throw-away copy.")
        parser.add_argument("--only", nargs="+", metavar="MIGRATION", help="Only these data migrations (names).")

    def handle(self, *args, scratch=False, only=None, **options):
        if not scratch:
            raise CommandError("This rolls the database back and forward: run it on a throw-away copy, with --scratch.")
        if unapplied():
            raise CommandError("Migrate first: the round trip starts from the newest migration.")
        todo = [(name, parent) for name, parent in data_migrations() if not only or name in only]
        if only and len(todo) != len(set(only)):
            known = ", ".join(name for name, _ in data_migrations())
            raise CommandError(f"--only names no data migration; the data migrations are: {known}")
        problems = []
        for name, parent, changed, dropped in round_trips(todo):
            verdict = "every row kept" if not changed else f"ROW COUNTS CHANGED {changed}"
            if dropped:
                verdict += f" (tables dropped on the way back, with their rows: {', '.join(dropped)})"
            if name == "newest":
                self.stdout.write(f"  the whole walk, back to {parent} and forward to the newest migration: {verdict}")
            else:
                self.stdout.write(f"  {name}: back to {parent} and forward: {verdict}")
            if changed:
                problems.append(name)
        counts = row_counts()
        if problems:
            raise CommandError(f"Migration round trip FAILED: {', '.join(problems)} lost or doubled rows.")
        self.stdout.write(f"Migration round trip passed: {len(todo)} data migrations rolled back and forward; "
                          f"{len(counts)} tables kept their {sum(counts.values()):,} rows.")  # fmt: skip
