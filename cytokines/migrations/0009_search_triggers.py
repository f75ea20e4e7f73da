"""PostgreSQL only: keep search_document current with a trigger and index it with GIN.

A trigger covers every way rows are written (the ORM, bulk inserts, imports, raw SQL), so search can
never drift from the text. SQLite keeps the column empty and search falls back to substring matching.
"""

from django.db import migrations

WEIGHTED_FIELDS = {
    "cytokines_article": {"title": "A", "summary": "B", "body": "C"},
    "cytokines_agent": {"name": "A", "nonproprietary_name": "A", "brand_names": "A", "summary": "B", "mechanism": "C"},
}


def _document(fields):
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, COALESCE(NEW.{column}, '')), '{weight}')"
        for column, weight in fields.items()
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in WEIGHTED_FIELDS.items():
        schema_editor.execute(f"""
            CREATE OR REPLACE FUNCTION {table}_search_document() RETURNS trigger AS $$
            BEGIN
                NEW.search_document := {_document(fields)};
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
        """)
        schema_editor.execute(f"""
            CREATE TRIGGER {table}_search_document BEFORE INSERT OR UPDATE OF {", ".join(fields)}
            ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_search_document();
        """)
        schema_editor.execute(f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_document)")
        schema_editor.execute(f"UPDATE {table} SET {next(iter(fields))} = {next(iter(fields))}")  # fill existing rows


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in WEIGHTED_FIELDS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_document ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_search_document()")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0008_search_document")]

    operations = [migrations.RunPython(create, drop)]
