"""The saved-pages index splits more finely as the library grows (``content.saved_index``): each revision now
records its slug's hash modulo 4,096 instead of 256, and every bucket count served (256 to 4,096) is read
from that one number. At 100,000 articles a bucket of 256 held 390 pages (14.6 ms, 3.9 times its cost at
10,000); split in 2,048 it holds about 50.
"""

from collections import defaultdict

from django.db import migrations

MODELS = ["ArticleRevision", "AgentRevision", "GlossaryTermRevision"]


def _refill(apps, schema_editor, count):
    """Every revision's bucket recomputed modulo ``count``. Revisions are permanent records: on PostgreSQL
    their trigger is lifted for this one column, and put back (as 0039 did)."""
    from cytokines.content.saved_index import slug_bucket

    postgres = schema_editor.connection.vendor == "postgresql"
    for name in MODELS:
        model = apps.get_model("cytokines", name)
        table = model._meta.db_table
        by_bucket = defaultdict(list)
        for pk, slug in model.objects.values_list("pk", "slug").iterator(chunk_size=5_000):
            by_bucket[slug_bucket(slug, count)].append(pk)
        if not by_bucket:
            continue
        if postgres:
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_permanent")
        for bucket, pks in by_bucket.items():  # one UPDATE per bucket
            model.objects.filter(pk__in=pks).update(index_bucket=bucket)
        if postgres:
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_permanent")


def finer(apps, schema_editor):
    from cytokines.content.saved_index import STORED_BUCKETS

    _refill(apps, schema_editor, STORED_BUCKETS)


def coarser(apps, schema_editor):
    _refill(apps, schema_editor, 256)


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0044_admin_title_search_index")]

    operations = [migrations.RunPython(finer, coarser, elidable=False)]
