"""Published agents keep their live content: each gets revision 1, made from its current facts and approvals,
and points to it as live. Dates, status and history are untouched.

On PostgreSQL agent revisions (and their cancer-type links) are permanent records like article revisions
(the trigger function 0025 made table-agnostic refuses UPDATE and DELETE), and they get the search
document public search reads, with the weights the working copy's had (0009).
"""

from django.db import migrations

PROTECTED = ["cytokines_agentrevision", "cytokines_agentrevision_approved_cancer_types"]


def first_revisions(apps, schema_editor):
    from cytokines.review.publishing import first_revisions as make

    make(apps.get_model("cytokines", "Agent"))


def protect(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PROTECTED:
        schema_editor.execute(f"""
            CREATE TRIGGER {table}_permanent BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION cytokines_refuse_change();
        """)
    schema_editor.execute("""
        CREATE OR REPLACE FUNCTION cytokines_agentrevision_search_document() RETURNS trigger AS $$
        BEGIN
            NEW.search_document :=
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.name, '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.nonproprietary_name, '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.brand_names, '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.summary, '')), 'B') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.content->>'mechanism', '')), 'C');
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
    """)
    schema_editor.execute("""
        CREATE TRIGGER cytokines_agentrevision_search_document BEFORE INSERT ON cytokines_agentrevision
        FOR EACH ROW EXECUTE FUNCTION cytokines_agentrevision_search_document();
    """)
    schema_editor.execute(
        "CREATE INDEX cytokines_agentrevision_search_gin ON cytokines_agentrevision USING gin (search_document)"
    )


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PROTECTED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_permanent ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS cytokines_agentrevision_search_document ON cytokines_agentrevision")
    schema_editor.execute("DROP FUNCTION IF EXISTS cytokines_agentrevision_search_document()")
    schema_editor.execute("DROP INDEX IF EXISTS cytokines_agentrevision_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0032_agent_revisions")]

    operations = [
        # Triggers first: the search trigger fills the document of the first revisions as they are made.
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(first_revisions, migrations.RunPython.noop),
    ]
