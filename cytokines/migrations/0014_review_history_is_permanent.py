"""PostgreSQL: review events become a permanent record at the database level.

``ReviewEvent.save()``/``delete()`` already refuse, but ``QuerySet.update()``, ``.delete()``, bulk writes
and raw SQL went around them. A trigger refuses UPDATE and DELETE whatever path they come by. The one
exception: deleting a staff account may clear ``actor_id`` of its events (``actor_name`` keeps the name).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION cytokines_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'cytokines_reviewevent' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;  -- the actor's account was deleted; the record keeps their name
    END IF;
    RAISE EXCEPTION '%% is a permanent record: %% refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
"""


def protect(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute("""
        CREATE TRIGGER cytokines_reviewevent_permanent BEFORE UPDATE OR DELETE ON cytokines_reviewevent
        FOR EACH ROW EXECUTE FUNCTION cytokines_refuse_change();
    """)


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS cytokines_reviewevent_permanent ON cytokines_reviewevent")
    schema_editor.execute("DROP FUNCTION IF EXISTS cytokines_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0013_supporters_payments_and_newsletter_issues")]

    operations = [migrations.RunPython(protect, unprotect)]
