"""PostgreSQL only: a GIN index of the article working copies' text for the admin's search.

The index expression must be the one ``cytokines.admin.search.document`` builds for ArticleAdmin's
``full_text_fields``; a test reads the query plan to keep the two together.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("title", "summary", "body", config="simple"), name="article_admin_search")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cytokines", "Article"), INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("cytokines", "Article"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0037_glossary_terms")]

    operations = [migrations.RunPython(create, drop)]
