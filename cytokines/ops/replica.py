"""Read replicas: public pages read a streaming replica, everything else reads and writes the primary.

Set ``DATABASE_REPLICA_URL`` and the settings add a ``replica`` database alias and switch this on.
Which requests read the replica is decided once per request, by ``ReplicaReadsMiddleware``:

- only views marked ``@replica_reads`` (every ``cached_public_page``, search): an allow-list, so the
  admin, the workflow, forms, webhooks, the calendar feed, previews and anything new read the primary;
- only GET and HEAD;
- never for a signed-in user. Staff read their own writes: after saving in the admin an editor opens the
  public page and must see what they saved, whatever the replica's lag (docs/decisions.md);
- never inside a transaction (a read there may be followed by a write that depends on it);
- never when the replica has not yet replayed the last publish. ``live_version.bump`` records the
  primary's WAL position here before it retires the cached pages, so a request that sees the new
  content version (a cache miss) also sees the position it needs. A replica behind it is skipped for
  that request, so a lagging replica can never put the old page into the cache under the new version.

Writes always go to the primary; migrations never run on the replica. Without a replica all of this is
a no-op and every query uses ``default``.
"""

import contextvars
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
POSITION_KEY = "replica-wanted-wal-position"
# Sessions and accounts are written by sign-in: reading them from a lagging replica would sign people out.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "admin", "contenttypes"})

_reads = contextvars.ContextVar("replica_reads", default=None)


def replica_reads(view):
    """Mark a public, read-only view: its anonymous GETs may read the replica."""
    view.replica_reads = True
    return view


def replica_enabled():
    return bool(getattr(settings, "READ_FROM_REPLICA", False)) and REPLICA in settings.DATABASES


def _lsn(text):
    """A PostgreSQL WAL position ("16/B374D848") as a number that orders like it."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


class _Confirmed:
    position = -1  # the highest WAL position this process has seen the replica replay (it only grows)


class _RequestReads:
    """One request's choice, made lazily at its first routed read (most cache hits never read at all)."""

    def __init__(self):
        self.alias = None

    def choose(self):
        if self.alias is None:
            self.alias = REPLICA if replica_is_current() else DEFAULT_DB_ALIAS
        return self.alias


def replica_position():
    """The WAL position the replica has replayed, or None when it is not replaying (not in recovery)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
        return cursor.fetchone()[0]


def replica_is_current():
    """True when the replica has replayed at least the position the last publish recorded."""
    try:
        wanted = cache.get(POSITION_KEY)
    except Exception as problem:  # without the cache we cannot know how far a publish got: ask the primary
        log.warning("Cache unavailable (%s); reading the primary", type(problem).__name__)
        return False
    if wanted is None or _lsn(wanted) <= _Confirmed.position:
        return True
    try:
        replayed = replica_position()
    except Exception as problem:  # a replica that is down must not take the public site with it
        log.warning("Replica unavailable (%s: %s); reading the primary", type(problem).__name__, problem)
        connections[REPLICA].close()
        return False
    if replayed is None:  # not in recovery: a promoted replica, or the same server (tests) is always current
        return True
    _Confirmed.position = max(_Confirmed.position, _lsn(replayed))
    return _lsn(replayed) >= _lsn(wanted)


def note_primary_position():
    """After a commit that changes what readers see: remember the primary's WAL position. Never raises."""
    if not replica_enabled() or connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
        return
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
        cache.set(POSITION_KEY, position, timeout=None)
    except Exception:  # the caller runs after the commit: readers fall back to the primary at worst
        log.exception("Could not record the primary's WAL position for the replica check")


def reading_alias():
    """The alias a read should use now."""
    choice = _reads.get()
    if choice is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return choice.choose()


class PrimaryReplicaRouter:
    """Database router: reads follow the request's choice (``reading_alias``); writes the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        return reading_alias()

    def db_for_write(self, model, **hints):
        # Explicit: without it Django would write an object back to the alias it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two servers: rows read from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Decide, per request, whether its reads may use the replica (after authentication: it asks who)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            _reads.set(None)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            replica_enabled()
            and getattr(view_func, "replica_reads", False)
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
        ):
            _reads.set(_RequestReads())
        return None

