"""Deployment checks (``manage.py check --deploy``) for settings Django cannot check itself."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register
from django.http.request import validate_host


@register(deploy=True)
def base_url_check(app_configs, **kwargs):
    parts = urlsplit(settings.PORTAL_BASE_URL)
    problems = []
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Warning("PORTAL_BASE_URL must be the site's address, e.g. https://portal.example.org.",
                        id="portal.W001")]  # fmt: skip
    if not validate_host(parts.hostname, settings.ALLOWED_HOSTS):
        problems.append(Warning(f"PORTAL_BASE_URL's host {parts.hostname} is not in ALLOWED_HOSTS.",
                                hint="Links in pages and e-mails would point to a site this one refuses to serve.",
                                id="portal.W002"))  # fmt: skip
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and parts.scheme != "https":
        problems.append(Warning("PORTAL_BASE_URL starts with http:// while the site redirects to HTTPS.",
                                id="portal.W003"))  # fmt: skip
    return problems


LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


@register(deploy=True)
def plain_http_check(app_configs, **kwargs):
    """PLAIN_HTTP (a trial on this machine) must never serve a public address."""
    if not getattr(settings, "PLAIN_HTTP", False):
        return []
    hosts = {urlsplit(settings.PORTAL_BASE_URL).hostname or "", *settings.ALLOWED_HOSTS}
    public = sorted(host for host in hosts if host not in LOCAL_HOSTS)
    if not public:
        return []
    return [Warning(f"PLAIN_HTTP is on while the site answers as {', '.join(public)}.",
                    hint="PLAIN_HTTP is for a trial on this machine only: unset it and serve through the TLS proxy "
                         "(README, Operating in production).", id="portal.W004")]  # fmt: skip
