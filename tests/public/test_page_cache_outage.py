"""The page cache degrades and never breaks (issue 13): Redis down, lost version keys, made-up cookies."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from cytokines.content import live_version
from cytokines.models import Article
from cytokines.public import cache as public_cache
from cytokines.review import workflow

from ..factories import ArticleFactory, awaiting_publication, make_live
from ..flaky_cache import SETTINGS, FlakyCache

pytestmark = pytest.mark.django_db
CLOSED_PORT = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: connections are refused at once
        "OPTIONS": {"SOCKET_TIMEOUT": 1, "SOCKET_CONNECT_TIMEOUT": 1},
    }
}


@pytest.fixture
def flaky(settings):
    settings.CACHES = SETTINGS
    FlakyCache.down = False
    public_cache.reset_health()
    yield FlakyCache
    FlakyCache.down = False
    public_cache.reset_health()


@pytest.fixture
def article():
    return awaiting_publication(title="Interleukin-2 basics")  # medically approved, waiting for an editor


def test_pages_render_from_the_database_when_redis_refuses_connections(client, settings):
    article = ArticleFactory()
    settings.CACHES = CLOSED_PORT
    public_cache.reset_health()
    try:
        urls = ("/", article.get_absolute_url(), "/articles/", "/agents/", "/feed/", "/sitemap.xml", "/search/?q=x")
        for url in urls:
            assert client.get(url).status_code == 200, url
    finally:
        public_cache.reset_health()


def test_publishing_while_redis_is_down_is_no_error_and_the_invalidation_is_retried(
    client, flaky, article, make_user, django_capture_on_commit_callbacks, caplog
):
    client.get("/articles/")  # cached without the draft
    flaky.down = True
    with caplog.at_level(logging.ERROR, logger="cytokines"), django_capture_on_commit_callbacks(execute=True):
        workflow.article_transition(article=article, user=make_user("ed", workflow.EDITOR), name="publish")
    assert any("cached public pages" in r.getMessage() for r in caplog.records)  # logged, not shown to the editor
    assert "Interleukin-2 basics" in client.get("/articles/").content.decode()  # rendered from the database
    flaky.down = False  # Redis is back, with the old page still in it
    assert "Interleukin-2 basics" in client.get("/articles/").content.decode()


def test_a_lost_version_key_never_brings_back_old_pages(client):
    article = ArticleFactory(title="Old title")
    client.get(article.get_absolute_url())  # stored at the version of a fresh cache
    Article.objects.filter(pk=article.pk).update(title="New title")
    make_live(Article.objects.get(pk=article.pk))  # a new revision goes live
    for _ in range(3):
        live_version.bump()
    cache.delete(live_version.VERSION_KEY)  # evicted, or Redis restarted without it
    assert "New title" in client.get(article.get_absolute_url()).content.decode()


def test_a_made_up_session_cookie_does_not_skip_the_cache(django_assert_max_num_queries):
    article = ArticleFactory()
    visitor = Client()
    visitor.get(article.get_absolute_url())
    visitor.cookies["sessionid"] = "made-up-by-a-bot"
    with django_assert_max_num_queries(1):  # the session lookup; no page render
        for _ in range(5):
            assert visitor.get(article.get_absolute_url()).status_code == 200


def test_utm_parameters_render_once(client, django_assert_num_queries):
    ArticleFactory.create_batch(3)
    client.get("/articles/?utm_source=1")
    with django_assert_num_queries(0):
        for n in range(2, 50):
            client.get(f"/articles/?utm_source={n}")


def test_forms_keep_working_without_rate_limits_while_redis_is_down(client, settings):
    import uuid

    from django.urls import reverse

    from cytokines.models import Donation

    settings.CACHES = {**settings.CACHES, "ratelimit": {**CLOSED_PORT["default"],
                       "OPTIONS": {**CLOSED_PORT["default"]["OPTIONS"], "IGNORE_EXCEPTIONS": True}}}  # fmt: skip
    settings.RATELIMIT_USE_CACHE = "ratelimit"  # as in production: its own alias on the same Redis
    data = {"preset_amount": "50", "frequency": "one_time", "donor_name": "Ann", "email": "ann@example.org",
            "idempotency_key": str(uuid.uuid4())}  # fmt: skip
    assert client.post(reverse("cytokines:donate"), data).status_code == 302
    assert Donation.objects.count() == 1


def test_the_cache_is_used_again_a_second_after_redis_returns(client, flaky, monkeypatch, django_assert_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())  # stored
    now = [1000.0]
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: now[0])
    flaky.down = True
    assert client.get(article.get_absolute_url()).status_code == 200  # from the database
    flaky.down = False
    now[0] += public_cache.RETRY_SECONDS + 0.1
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).status_code == 200  # from the cache again
