"""A key for what a read of the database would see now: results computed from it can be kept under it.

PostgreSQL's current snapshot (``pg_current_snapshot()``: the oldest transaction still running, the next
transaction number, and those in between still running) says exactly which committed writes a query
started now sees. Two reads under the same snapshot see the same data; any write that commits in between
changes it (the next transaction number moves on, or a running transaction leaves the list). So a
result computed after taking the snapshot, and kept under it, is never served once the data it read has
changed, whichever code path wrote: the admin, the workflow, an import, a cron job, a raw SQL fix.

The snapshot is cluster-wide: a write anywhere (a sign-in, a queued e-mail) also changes it. That costs a
recomputation, never a stale answer. The key is taken before the reads it keys: a write committing
between the two makes the result newer than its key, and that key is never seen again.

Not inside a transaction that may have written (``in_atomic_block``): its own uncommitted writes do not
change the snapshot. Requests run in autocommit; tests run in transactions, so there nothing is kept.
Off PostgreSQL (the SQLite default for trying the site) there is no snapshot: ``None``.
"""

import hashlib

from django.db import connections


def visible_writes(alias="default"):
    """A short digest of the current snapshot, or None when nothing may be keyed by it."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        snapshot = cursor.fetchone()[0]
    return hashlib.sha256(snapshot.encode()).hexdigest()[:24]
