import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    # Test settings and browser tests set these in this process; production starts without them.
    unwanted = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT", "LOG_LEVEL"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "portal.example.org",
            "PORTAL_BASE_URL": "https://portal.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/9",
            "DATABASE_URL": env.get("DATABASE_URL", "sqlite:///:memory:"),
            **extra,
        }
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_complains_when_the_configured_address_is_not_this_site():
    for base, problem in [("https://elsewhere.example", "portal.W002"), ("http://portal.example.org", "portal.W003")]:
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(PORTAL_BASE_URL=base))
        assert result.returncode != 0 and problem in result.stderr, result.stderr


def test_deploy_check_complains_when_https_protections_are_switched_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECURE_HSTS_SECONDS="0"))
    assert result.returncode != 0 and "security.W004" in result.stderr


def test_production_logs_are_one_json_object_per_line():
    script = "import logging; logging.getLogger('cytokines').warning('review overdue', extra={'article': 7})"
    result = manage("shell", "-c", script, env=production_env())
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"], line["article"]) == (
        "WARNING",
        "cytokines",
        "review overdue",
        7,
    )


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_health_checks(client):
    assert client.get("/healthz/live").content == b"ok"
    assert client.get("/healthz/ready").json()["database"] == "ok"
