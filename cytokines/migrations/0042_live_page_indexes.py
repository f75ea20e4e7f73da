"""PostgreSQL only: indexes for the public lists that read live pages newest or A-Z first.

Each list joins a page to its live revision (``article.live_revision_id``); without these, PostgreSQL sorted
every live article to show a few (the feed 221 ms, the home page 179 ms at 100,000 articles). Partial indexes
on the live pages only, built CONCURRENTLY so readers and editors are never locked out while they build.
SQLite (the embedded default, a few hundred pages) does not need them.
"""

from django.db import migrations

INDEXES = {
    "article_live_reviewed": "cytokines_article (last_reviewed DESC, id DESC) WHERE live_revision_id IS NOT NULL",
    "article_live_published": "cytokines_article (published_at DESC, id DESC) WHERE live_revision_id IS NOT NULL",
    "articlerevision_language_title": "cytokines_articlerevision (language, title)",
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

    dependencies = [("cytokines", "0041_reminder_translation_kind")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
