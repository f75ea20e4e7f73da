"""Health probes (issue 26): plain HTTP, an internal Host, no page cache; 503 never 500; Redis is not vital."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from cytokines.ops import health
from cytokines.public import cache as public_cache

from ..factories import ArticleFactory

pytestmark = pytest.mark.django_db
CLOSED_PORT = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: connections are refused at once
    "OPTIONS": {"SOCKET_TIMEOUT": 1, "SOCKET_CONNECT_TIMEOUT": 1},
}


@pytest.fixture
def production(settings):
    """What production enforces: the HTTPS redirect and a host list without the probe's internal name."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    health._Migrations.all_applied = False
    return Client(HTTP_HOST="10.0.3.7:8000")  # a load balancer's probe: an address, plain HTTP


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": CLOSED_PORT, "ratelimit": {**CLOSED_PORT, "OPTIONS": {
        **CLOSED_PORT["OPTIONS"], "IGNORE_EXCEPTIONS": True}}}  # fmt: skip
    public_cache.reset_health()
    yield
    public_cache.reset_health()


def test_probes_answer_200_over_plain_http_with_an_internal_host(production):
    live = production.get("/healthz/live")
    assert (live.status_code, live.content) == (200, b"ok")
    ready = production.get("/healthz/ready")
    assert ready.status_code == 200, ready.content
    assert ready.json()["status"] == "ready"
    assert "no-cache" in ready["Cache-Control"] and "no-cache" in live["Cache-Control"]


def test_the_rest_of_the_site_still_redirects_and_checks_the_host(production):
    assert production.get("/").status_code == 400  # unknown Host
    assert Client(HTTP_HOST="portal.example.org").get("/").status_code == 301  # to https://


def test_ready_reports_database_migrations_cache_and_mail_queue(client):
    from mailer.models import Message

    Message.objects.create(message_data="")
    report = client.get("/healthz/ready").json()
    assert report["database"] == "ok" and report["migrations"] == "ok" and report["cache"] == "ok"
    assert report["mail_queue"]["queued"] == 1 and report["mail_queue"]["oldest_seconds"] >= 0


def test_ready_answers_503_with_the_database_down_and_live_still_200(production, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = production.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["database"].startswith("unavailable (OperationalError")
    assert production.get("/healthz/live").status_code == 200


def test_ready_answers_503_while_migrations_are_unapplied(production, monkeypatch):
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [
        (type("M", (), {"app_label": "cytokines", "name": "0099_future"})(), False)])  # fmt: skip
    response = production.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 unapplied (first: cytokines.0099_future)"


def test_with_redis_down_both_probes_answer_200_and_pages_render(production, redis_down):
    article = ArticleFactory()
    assert production.get("/healthz/live").status_code == 200
    ready = production.get("/healthz/ready")
    assert ready.status_code == 200, ready.content
    assert ready.json()["cache"] == "unavailable"
    reader = Client(HTTP_HOST="portal.example.org", HTTP_X_FORWARDED_PROTO="https")  # through the TLS proxy
    assert reader.get("/").status_code == 200
    assert reader.get(article.get_absolute_url()).status_code == 200


def test_probes_never_reach_the_page_cache(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get("/healthz/live").status_code == 200


def test_ready_costs_four_queries_once_this_process_has_seen_every_migration_applied(
    client, django_assert_max_num_queries
):
    health._Migrations.all_applied = False
    with django_assert_max_num_queries(6):  # SELECT 1, the migration table, three for the mail queue
        client.get("/healthz/ready")
    with django_assert_max_num_queries(4):  # the migration plan is not read again
        assert client.get("/healthz/ready").status_code == 200
