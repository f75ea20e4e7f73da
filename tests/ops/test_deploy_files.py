"""deploy/ agrees with the code (issue 26): every periodic command is scheduled both ways, every setting is
documented, nginx, gunicorn and TRUSTED_PROXIES name the same addresses, and the files parse."""

import os
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PERIODIC = {"send_pending_mail", "send_review_reminders", "verify_references", "backup_data", "apply_retention",
            "restore_drill", "measure_reading"}


def env_example():
    values = {}
    for line in (DEPLOY / "cytokine-portal.env.example").read_text().splitlines():
        match = re.match(r"#?\s?([A-Z][A-Z0-9_]+)=(.*)", line)
        if match:
            values[match[1]] = match[2].split("#")[0].strip()
    return values


def variables_read_by_the_code():
    names = set()
    for path in (ROOT / "portal" / "settings.py", ROOT / "portal" / "gunicorn.conf.py"):
        text = path.read_text()
        names |= set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]+)"', text))
    return (names | {"DATABASE_URL"}) - {"RATELIMIT_IP_META_KEY"}  # refused with a message, not a setting


def timer_commands():
    commands = {}
    for service in (DEPLOY / "systemd").glob("cytokine-portal-*.service"):
        timer = service.with_suffix(".timer")
        assert timer.exists(), f"{service.name} has no timer"
        assert re.search(r"^OnCalendar=\S", timer.read_text(), re.M), timer.name
        command = re.search(r"^ExecStart=\S+/python manage.py (\S+)", service.read_text(), re.M)[1]
        commands[command] = service.name
    return commands


def test_every_periodic_command_has_a_systemd_timer_and_a_cron_line():
    assert set(timer_commands()) == PERIODIC
    cron = (DEPLOY / "cron" / "cytokine-portal").read_text()
    scheduled = set(re.findall(r"^[\d*/,-]+(?:\s+[\d*/,-]+){4}\s+\S+\s+\S+/portal-task (\S+)", cron, re.M))
    assert scheduled == PERIODIC
    assert PERIODIC <= set(get_commands())


def test_every_setting_the_code_reads_is_in_the_env_example_and_the_readme():
    wanted = variables_read_by_the_code()
    assert len(wanted) > 60
    assert wanted - set(env_example()) == set()
    readme = (ROOT / "README.md").read_text()
    assert {name for name in wanted if f"`{name}`" not in readme} == set()


def test_nginx_gunicorn_and_trusted_proxies_name_the_same_addresses():
    env = env_example()
    site = (DEPLOY / "nginx" / "cytokine-portal.conf").read_text()
    upstream = re.search(r"upstream cytokine_portal \{\s*server (\S+);", site)[1]
    assert upstream == env["BIND"]
    proxy_host = upstream.rsplit(":", 1)[0]
    assert env["TRUSTED_PROXIES"].split(",") == [proxy_host]  # nginx connects from there, and nothing else is trusted
    saved = dict(os.environ)
    gunicorn_conf = str(ROOT / "portal" / "gunicorn.conf.py")
    try:
        os.environ["TRUSTED_PROXIES"] = env["TRUSTED_PROXIES"]
        assert runpy.run_path(gunicorn_conf)["forwarded_allow_ips"] == env["TRUSTED_PROXIES"]
        os.environ.pop("TRUSTED_PROXIES")
        assert runpy.run_path(gunicorn_conf)["forwarded_allow_ips"] == ""
    finally:
        os.environ.clear()
        os.environ.update(saved)


def size(value):
    number, unit = re.fullmatch(r"(\d+)([km]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit]


def test_nginx_limits_fit_the_portal():
    limits = (DEPLOY / "nginx" / "snippets" / "cytokine-portal-limits.conf").read_text()
    locations = (DEPLOY / "nginx" / "snippets" / "cytokine-portal-locations.conf").read_text()
    body = size(re.search(r"client_max_body_size (\S+);", limits)[1])
    assert settings.IMPORT_MAX_UPLOAD_BYTES < body <= settings.IMPORT_MAX_UPLOAD_BYTES * 1.2
    for slow in ("client_header_timeout", "client_body_timeout"):
        assert int(re.search(rf"{slow} (\d+)s;", limits)[1]) <= 15
    gunicorn_timeout = runpy.run_path(str(ROOT / "portal" / "gunicorn.conf.py"))["timeout"]
    assert int(re.search(r"proxy_read_timeout (\d+)s;", locations)[1]) > gunicorn_timeout
    for header in ("Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header};" in locations
    assert "proxy_request_buffering on;" in locations and "proxy_buffering on;" in locations


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_the_nginx_site_parses(tmp_path):
    shutil.copytree(DEPLOY / "nginx" / "snippets", tmp_path / "snippets")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                    "cert.pem", "-days", "1", "-subj", "/CN=portal.example.org"], cwd=tmp_path, check=True,
                   capture_output=True)  # fmt: skip
    site = (DEPLOY / "nginx" / "cytokine-portal.conf").read_text()
    site = re.sub(r"/etc/letsencrypt/live/portal.example.org/fullchain.pem", str(tmp_path / "cert.pem"), site)
    site = re.sub(r"/etc/letsencrypt/live/portal.example.org/privkey.pem", str(tmp_path / "key.pem"), site)
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        "http { access_log off; "
        + "".join(f"{kind}_temp_path {tmp_path}/{kind}; " for kind in ("client_body", "proxy", "fastcgi", "uwsgi"))
        + f"scgi_temp_path {tmp_path}/scgi; "
        + "include site.conf; }\n"
    )
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_systemd_units_parse(tmp_path):
    units = sorted((DEPLOY / "systemd").glob("*.*"))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *map(str, units)], capture_output=True, text=True)
    words = ("Unknown", "Invalid", "bad", "Failed to parse")
    problems = [line for line in result.stderr.splitlines() if any(word in line for word in words)]
    assert problems == [], result.stderr
