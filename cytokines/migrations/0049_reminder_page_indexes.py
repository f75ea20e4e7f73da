"""PostgreSQL only: reminders by fact sheet and by glossary term (0048 added the columns without indexes).

The reminder run looks up what was already sent per page, and deleting a page deletes its reminders: both
read these. Built CONCURRENTLY (``ops.concurrent_indexes``), so the upgrade never locks the table.
"""

from django.db import migrations

from cytokines.ops.concurrent_indexes import build


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("cytokines", "0048_reminders_for_every_reviewed_page")]

    operations = [build({
        "reminder_agent": "cytokines_reminderlog (agent_id) WHERE agent_id IS NOT NULL",
        "reminder_glossaryterm": "cytokines_reminderlog (glossaryterm_id) WHERE glossaryterm_id IS NOT NULL",
    })]  # fmt: skip
