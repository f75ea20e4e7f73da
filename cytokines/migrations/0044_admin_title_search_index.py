"""PostgreSQL only: a GIN index of the article working copies' titles for the admin's search.

The admin ranks a bounded set of candidates (cytokines.admin.search): the first pages whose text matches
and the first whose title does, so a page titled with a common word is always among them. The expression
must be the one ``cytokines.admin.search.document`` builds for ArticleAdmin's ``rank_fields``; a test reads
the query plan to keep the two together. Built CONCURRENTLY, like 0042.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = GinIndex(SearchVector("title", config="simple"), name="article_admin_title_search")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        article = apps.get_model("cytokines", "Article")
        sql = str(INDEX.create_sql(article, schema_editor, concurrently=True))
        schema_editor.execute(sql.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX.name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("cytokines", "0043_cancer_type_list_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
