"""PostgreSQL only: reminders by fact sheet and by glossary term (0048 added the columns without indexes).

The reminder run looks up what was already sent per page, and deleting a page deletes its reminders: both
read these. Built CONCURRENTLY, like 0042, so the upgrade never locks the table.
"""

from django.db import migrations

INDEXES = {
    "reminder_agent": "cytokines_reminderlog (agent_id) WHERE agent_id IS NOT NULL",
    "reminder_glossaryterm": "cytokines_reminderlog (glossaryterm_id) WHERE glossaryterm_id IS NOT NULL",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("cytokines", "0048_reminders_for_every_reviewed_page")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
