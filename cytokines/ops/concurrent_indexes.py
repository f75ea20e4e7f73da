"""Index migrations that never lock a table: ``CREATE INDEX CONCURRENTLY`` on PostgreSQL, nothing elsewhere
(SQLite, the embedded default, holds a few hundred pages).

A migration that uses it sets ``atomic = False`` (a concurrent build cannot run inside a transaction) and
lists ``build({name: "table (columns) [WHERE ...]"})`` as its operation. Migrations import this module, so
it must keep doing the same thing: change nothing here, add a new function instead. 0042–0046 keep their
own copy of the same two functions (they were written before it).
"""

from django.db import migrations


def build(indexes):
    """A reversible migration operation creating ``indexes`` concurrently; its reverse drops them concurrently."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name, definition in indexes.items():
                schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
