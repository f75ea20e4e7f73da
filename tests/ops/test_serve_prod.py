"""`make serve-prod` is configured by the environment and stops at the first failed step (issue 26).

These run deploy/serve-prod.sh (what `make serve-prod` runs) against scratch PostgreSQL databases beside
the test database, on a free port, the way an administrator would on a fresh clone.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.conf import settings

from .test_deployment import production_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="serve-prod runs on PostgreSQL"
)


def admin_connection():
    config = settings.DATABASES["default"]
    connection = psycopg2.connect(dbname="postgres", host=config["HOST"] or None, port=config["PORT"] or None,
                                  user=config["USER"] or None, password=config["PASSWORD"] or None)  # fmt: skip
    connection.autocommit = True
    return connection


def database_exists(name):
    connection = admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


@pytest.fixture
def scratch_url():
    """A database name nobody uses; dropped afterwards. The URL is the test database's with that name."""
    name = f"serveprod_{uuid.uuid4().hex[:10]}"
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
    yield base.rsplit("/", 1)[0] + "/" + name, name
    connection = admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url():
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/8"
    parts = dj_database_url.urlparse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        pytest.skip("serve-prod needs Redis (REDIS_URL, default 127.0.0.1:6379)")
    return url


def serve_prod_env(url, port, **extra):
    env = production_env(DATABASE_URL=url, REDIS_URL=redis_url(), BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
                         PY=sys.executable, **extra)  # fmt: skip
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "PORTAL_BASE_URL", "PLAIN_HTTP"):  # what a fresh clone has: none
        env.pop(name, None)
    return env


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def test_serve_prod_deploys_onto_the_given_database_and_port_only(scratch_url):
    url, name = scratch_url
    port = free_port()
    default_existed = database_exists("cytokine_portal")
    server = subprocess.Popen(
        ["deploy/serve-prod.sh"], cwd=ROOT, env=serve_prod_env(url, port),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if get(port, "/healthz/ready")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert server.poll() is None, server.stdout.read()
        status, body = get(port, "/")
        assert status == 200 and b"<html" in body.lower()
        assert get(port, "/healthz/ready")[0] == 200
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert f"serving on 127.0.0.1:{port}" in output
    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'cytokines'")
        assert cursor.fetchone()[0] > 20
    connection.close()
    assert database_exists("cytokine_portal") == default_existed  # no database of its own choosing


def test_a_failing_migration_stops_serve_prod_before_gunicorn_starts(scratch_url):
    url, name = scratch_url
    connection = admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    blocked = psycopg2.connect(url)
    with blocked, blocked.cursor() as cursor:
        # A table in the way of the very first migration: migrate fails.
        cursor.execute("CREATE TABLE django_content_type (id integer)")
    blocked.close()
    port = free_port()
    result = subprocess.run(["deploy/serve-prod.sh"], cwd=ROOT, env=serve_prod_env(url, port),
                            capture_output=True, text=True, timeout=240)  # fmt: skip
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert "Listening at" not in result.stdout + result.stderr  # gunicorn never started
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_plain_http_mode_passes_its_own_deploy_check_and_refuses_a_public_address():
    from .test_deployment import manage

    local = production_env(PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1,localhost", PORTAL_BASE_URL="http://127.0.0.1:8720")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=local)
    assert result.returncode == 0, result.stderr
    public = production_env(PLAIN_HTTP="1", PORTAL_BASE_URL="http://portal.example.org")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=public)
    assert result.returncode != 0 and "portal.W004" in result.stderr
