"""Test settings: the real settings plus fast, isolated services.

The database is DATABASE_URL's when set (tests use "test_" + its name); otherwise PostgreSQL when a login
as postgres on 127.0.0.1:5432 works (always in CI), SQLite when not; the pytest header says which.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-used-outside-tests")
os.environ.setdefault("LOG_FORMAT", "plain")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def _postgres_answers(host="127.0.0.1", port=5432, user="postgres"):
    """True when a login as ``user`` works (an open port alone is not enough: the tests need to sign in)."""
    try:
        import psycopg2

        psycopg2.connect(host=host, port=port, user=user, dbname="postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


if "DATABASE_URL" not in os.environ:
    if _postgres_answers():
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/test"
    elif os.environ.get("CI", "").lower() == "true":
        raise ImproperlyConfigured("CI must test on PostgreSQL, but no login as postgres works on 127.0.0.1:5432.")

from portal.settings import *  # noqa: E402,F403
from portal.settings import DATABASES, TEMPLATES  # noqa: E402

DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A second alias on the same test database, as a replica would be: routing tests switch
    # READ_FROM_REPLICA on and see which alias each request used (tests/ops/test_replica.py).
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
READ_FROM_REPLICA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
RATELIMIT_USE_CACHE = "default"  # one cache, emptied before every test (tests/conftest.py)
SECURE_SSL_REDIRECT = False
PORTAL_BASE_URL = "http://testserver"  # the test client's site
TEMPLATES[0]["OPTIONS"]["debug"] = True  # lets tests see template errors
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]  # one process: local memory is shared
# Browser tests talk plain HTTP to the live server.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
PORTAL_BASE_URL = "http://testserver"  # links in e-mails open with the test client
