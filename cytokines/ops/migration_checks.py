"""Migrations tested both ways: each data migration rolled back and forward again must keep every row.

Used by ``manage.py migration_round_trip`` (CI runs it on a throw-away demo database: ``make
migrations-round-trip``). Row counts per table, not checksums: a rollback legitimately re-creates rows a
migration made (groups, permissions, site settings) with the same content; what must never happen is a
row lost or doubled in a table the rollback keeps, as when rolling back the review groups dropped every
staff member's roles (issue 26). Tables created after the rollback target go with their schema.
"""

from django.core.management import call_command
from django.db import connections
from django.db.migrations import RunPython, RunSQL
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from cytokines.ops import backup_tables

APP = "cytokines"


# Rollbacks that cannot keep every row, because the older schema cannot hold them: per migration, the
# tables whose rows it may lose going back, and why. Anything else losing rows fails the round trip.
LOSSY_ROLLBACKS = {
    "0030_structured_safety": {
        "cytokines_regulatoryapproval": "the older schema holds one approval per regulator; going back keeps "
        "each regulator's first use (the backup taken before a rollback holds the others)",
        "cytokines_regulatoryapproval_cancer_types": "the cancer types of the uses that go",
        "cytokines_historicalregulatoryapproval": "history of the same rows",
    },
    "0032_agent_revisions": {
        "cytokines_reviewevent": "the older schema's review events all belong to an article; the agents' review "
        "events go (the backup taken before a rollback holds them)",
    },
    "0037_glossary_terms": {
        "cytokines_reviewevent": "the older schema has no glossary terms; their review events go (the backup taken "
        "before a rollback holds them)",
    },
    "0048_reminders_for_every_reviewed_page": {
        "cytokines_reminderlog": "the older schema's reminders are all about an article; those about fact sheets "
        "and glossary terms go (the backup taken before a rollback holds them)",
    },
    "0050_trust_pages_per_language": {
        "cytokines_trustpage": "the older schema holds one live page per kind, in English; the Spanish versions go "
        "(the backup taken before a rollback holds them)",
    },
}


def data_migrations(app=APP):
    """[(name, the migration before it or "zero")] for every migration of ``app`` that changes rows, newest first."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    found = []
    for key in graph.forwards_plan(graph.leaf_nodes(app)[0]):
        if key[0] != app:
            continue
        if any(isinstance(op, (RunPython, RunSQL)) for op in graph.nodes[key].operations):
            parents = [p.key[1] for p in graph.node_map[key].parents if p.key[0] == app]
            found.append((key[1], parents[0] if parents else "zero"))
    return list(reversed(found))


def unapplied(alias="default"):
    executor = MigrationExecutor(connections[alias])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def row_counts(alias="default"):
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = [t for t in backup_tables.pg_tables(cursor) if t != "django_migrations"]
            stats = backup_tables.pg_table_stats(cursor, tables)
    else:
        stats = backup_tables.sqlite_alias_stats(alias)
    return {table: figures["rows"] for table, figures in stats.items() if table != "django_migrations"}


def _applied(app, alias="default"):
    return {name for label, name in MigrationRecorder(connections[alias]).applied_migrations() if label == app}


def differences(before, after):
    return {t: (before.get(t), after.get(t)) for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)}


def round_trips(todo, app=APP):
    """Roll each data migration of ``todo`` ((name, the migration before it), newest first) back and forward
    again on its own, walking down the history once, then migrate forward to the newest migration.

    Per migration, yields (name, parent, changed, dropped): row counts that changed in tables that exist
    before it (a rollback must keep those), and the tables the rollback dropped because it created them
    (their rows go with the schema by design: that is what the backup before an upgrade is for). Last, it
    yields ("newest", lowest, changed, dropped) for the whole walk: back to the lowest migration visited and
    forward to the newest, every table that exists throughout must hold the rows it started with.

    One walk down and up, not one per data migration: rolling each back from the newest migration and
    replaying everything after it took four minutes of CI for 28 data migrations.
    """
    start, lowest, undone_anywhere = row_counts(), None, set()
    newest = _applied(app)
    for name, parent in todo:
        call_command("migrate", app, name, verbosity=0, interactive=False)  # down from where the walk is
        before, applied = row_counts(), _applied(app)
        call_command("migrate", app, parent, verbosity=0, interactive=False)
        existing = set(row_counts())
        undone = applied - _applied(app)
        undone_anywhere |= newest - _applied(app)
        kept = existing - {t for u in undone for t in LOSSY_ROLLBACKS.get(u, {})}
        call_command("migrate", app, name, verbosity=0, interactive=False)
        after = row_counts()
        changed = _kept_differences(before, after, kept)
        yield name, parent, changed, sorted(t for t in before if t not in existing and before[t])
        lowest = (parent, existing)
    if lowest is None:
        return
    parent, existing = lowest
    call_command("migrate", verbosity=0, interactive=False)
    kept = existing - {t for u in undone_anywhere for t in LOSSY_ROLLBACKS.get(u, {})}
    end = row_counts()
    changed = _kept_differences(start, end, kept)
    yield "newest", parent, changed, sorted(t for t in start if t not in existing and start[t])


def _kept_differences(before, after, kept):
    return differences({t: n for t, n in before.items() if t in kept}, {t: n for t, n in after.items() if t in kept})
