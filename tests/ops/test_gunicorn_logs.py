"""gunicorn logs as the application does (issue 26): JSON lines, the access log without personal data."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cytokines.ops.log_format import access_path

from .test_deployment import production_env

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_error_and_access_logs_are_json_lines_without_personal_data():
    port = free_port()
    env = production_env(WEB_CONCURRENCY="1", TRUSTED_PROXIES="127.0.0.1")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-c", "portal/gunicorn.conf.py", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        token = "Zx9_kq2LmN8pQr4StUv6WxYz0a"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/review-calendar/{token}.ics?email=donor@example.org",
            headers={"User-Agent": "Donor-Browser/1.0", "Referer": "https://elsewhere.example/?q=cancer",
                     "X-Forwarded-For": "203.0.113.9"},
        )  # fmt: skip
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError:
            pass  # refused (unknown host in production settings): still one access line
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    lines = [line for line in output.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, gunicorn's own included, is JSON
    assert any(r["logger"] == "gunicorn.error" and "Listening at" in r["message"] for r in records)
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    assert {(r["method"], r["path"]) for r in access} >= {
        ("GET", "/healthz/live"), ("GET", "/review-calendar/<token>.ics")}  # fmt: skip
    assert all(isinstance(r["status"], int) and "duration_ms" in r for r in access)
    gunicorn_lines = json.dumps([r for r in records if r["logger"].startswith("gunicorn.")])
    for private in (token, "donor", "example.org", "203.0.113.9", "Donor-Browser", "elsewhere", "cancer"):
        assert private not in gunicorn_lines, private


def test_token_like_path_segments_are_hidden_and_ordinary_paths_kept():
    assert access_path("/articles/interleukin-2-for-kidney-cancer/") == "/articles/interleukin-2-for-kidney-cancer/"
    assert access_path("/newsletter/confirm/AbCdEfGhIjKlMnOpQrStUv:1tXyZ9:abc/") == "/newsletter/confirm/<token>/"
    assert access_path("/review-calendar/0123456789abcdefghijk.ics") == "/review-calendar/<token>.ics"
