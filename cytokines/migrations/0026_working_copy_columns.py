"""The working copy's published fingerprint and search document go: both live on each revision now.

A migration of its own: PostgreSQL cannot alter the article table in the transaction that just pointed
its rows at their first revisions (deferred foreign-key checks are still pending there).
"""

from django.db import migrations


def drop_article_search(apps, schema_editor):
    """Search reads the live revisions now; the working copy's own search document goes (see 0009)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS cytokines_article_search_document ON cytokines_article")
    schema_editor.execute("DROP FUNCTION IF EXISTS cytokines_article_search_document()")


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0025_live_revisions")]

    operations = [
        migrations.RemoveField(model_name="article", name="published_fingerprint"),
        migrations.RunPython(drop_article_search, migrations.RunPython.noop),
        migrations.RemoveField(model_name="article", name="search_document"),
    ]
