"""Health probes for load balancers and orchestrators, answered before any other middleware.

- ``/healthz/live``: the process answers. It touches nothing else, so a database or Redis outage never
  makes an orchestrator restart healthy workers.
- ``/healthz/ready``: this process can serve pages. 200 when the database answers and every migration
  is applied; 503 (never 500) when either is not. It also reports the cache (Redis) and the mail queue,
  which do not decide readiness: without Redis pages render from the database, and a stuck mail worker
  is no reason to stop serving readers.

``HealthProbeMiddleware`` sits first in ``MIDDLEWARE``: probes come over plain HTTP from inside the
network with an internal ``Host`` (an address, a pod name), so they are answered before the HTTPS
redirect, the host check and the page cache see the request. They are GET/HEAD only and say nothing
personal.
"""

import logging
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

LIVE_PATH = "/healthz/live"
READY_PATH = "/healthz/ready"
CACHE_PROBE_KEY = "healthz-probe"


class _Migrations:
    all_applied = False  # once true in this process it stays true: new migrations arrive with new code


def check_database(alias=DEFAULT_DB_ALIAS):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def unapplied_migrations(alias=DEFAULT_DB_ALIAS):
    """Names of migrations in the code that the database has not applied ([] when up to date)."""
    if _Migrations.all_applied:
        return []
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _Migrations.all_applied = not pending
    return pending


def check_cache():
    """'ok', or 'unavailable' (the page cache then falls back to the database)."""
    try:
        token = str(time.monotonic())
        cache.set(CACHE_PROBE_KEY, token, timeout=30)
        return "ok" if cache.get(CACHE_PROBE_KEY) == token else "unavailable"
    except Exception as problem:  # any cache failure only degrades the site
        log.warning("Readiness probe: cache unavailable (%s)", type(problem).__name__)
        return "unavailable"


def mail_queue_figures():
    from mailer.models import Message

    waiting = Message.objects.non_deferred()
    oldest = waiting.order_by("when_added").values_list("when_added", flat=True).first()
    return {
        "queued": waiting.count(),
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "retrying": Message.objects.deferred().count(),
    }


def live(request):
    response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


def ready(request):
    report = {"status": "ready", "database": "ok", "migrations": "ok", "cache": "ok", "mail_queue": None}
    try:
        report["database"] = check_database()
        pending = unapplied_migrations()
        if pending:
            report["migrations"] = f"{len(pending)} unapplied (first: {pending[0]})"
            report["status"] = "unready"
        report["mail_queue"] = mail_queue_figures()
    except Exception as problem:  # the database is down or refuses: not ready, and say why in one word
        log.warning("Readiness probe: database unavailable (%s)", type(problem).__name__)
        report.update(status="unready", database=f"unavailable ({type(problem).__name__})", migrations="unknown")
    report["cache"] = check_cache()
    response = JsonResponse(report, status=200 if report["status"] == "ready" else 503)
    add_never_cache_headers(response)
    return response


PROBES = {LIVE_PATH: live, READY_PATH: ready}


class HealthProbeMiddleware:
    """Answers the probes before the HTTPS redirect, the host check and the page cache (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
