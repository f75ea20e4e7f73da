"""Published articles keep their live content: each gets revision 1, made from its current text, and
points to it as live. Dates, status and review history are untouched.

On PostgreSQL, revisions (and their topic links) become permanent: the trigger function that migration
0014 created for review events (``cytokines_refuse_change``) now refuses UPDATE and DELETE of them too,
whatever path they come by (ORM, bulk, raw SQL). Its body is replaced by one that works on any table.
Revisions get the search document public search reads (0026 drops the working copy's).

The first revisions are built by the same snapshot code the workflow publishes with (Markdown and
citation formatting are application code), from this migration's historical models.
"""

from django.db import migrations

PROTECTED = ["cytokines_articlerevision", "cytokines_articlerevision_agents", "cytokines_articlerevision_cancer_types"]


def first_revisions(apps, schema_editor):
    from cytokines.review.publishing import first_revisions as make

    make(apps.get_model("cytokines", "Article"))


# 0014's function read NEW.actor_id directly, which fails on tables without that column; reading it
# through to_jsonb works on every table, so one function guards review events and revisions alike.
FUNCTION = """
CREATE OR REPLACE FUNCTION cytokines_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'cytokines_reviewevent'
       AND to_jsonb(NEW) -> 'actor_id' = 'null'::jsonb
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
    for table in PROTECTED:  # the function 0014_review_history_is_permanent created, made table-agnostic
        schema_editor.execute(f"""
            CREATE TRIGGER {table}_permanent BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION cytokines_refuse_change();
        """)
    schema_editor.execute("""
        CREATE OR REPLACE FUNCTION cytokines_articlerevision_search_document() RETURNS trigger AS $$
        BEGIN
            NEW.search_document :=
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.title, '')), 'A') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.summary, '')), 'B') ||
                setweight(to_tsvector('english'::regconfig, COALESCE(NEW.content->>'body', '')), 'C');
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
    """)
    schema_editor.execute("""
        CREATE TRIGGER cytokines_articlerevision_search_document BEFORE INSERT ON cytokines_articlerevision
        FOR EACH ROW EXECUTE FUNCTION cytokines_articlerevision_search_document();
    """)
    schema_editor.execute(
        "CREATE INDEX cytokines_articlerevision_search_gin ON cytokines_articlerevision USING gin (search_document)"
    )


def unprotect(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    schema_editor.execute(import_module("cytokines.migrations.0014_review_history_is_permanent").FUNCTION)
    for table in PROTECTED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_permanent ON {table}")
    schema_editor.execute("DROP TRIGGER IF EXISTS cytokines_articlerevision_search_document ON cytokines_articlerevision")
    schema_editor.execute("DROP FUNCTION IF EXISTS cytokines_articlerevision_search_document()")
    schema_editor.execute("DROP INDEX IF EXISTS cytokines_articlerevision_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0024_article_revisions")]

    operations = [
        # Triggers first: the search trigger fills the document of the first revisions as they are made.
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(first_revisions, migrations.RunPython.noop),
    ]
