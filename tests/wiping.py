"""Empty tables as a fresh database would be: review history and published revisions refuse row deletes."""

from django.db import connection


def wipe(models):
    """Remove every row of ``models`` and their many-to-many links (rows pointing at others listed first)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses while FK checks wait
            cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)} CASCADE")
        return
    for model in models:
        links = [f.remote_field.through for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
        for table in [*links, model]:
            table._default_manager.all()._raw_delete(table._default_manager.db)
