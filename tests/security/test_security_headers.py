"""Headers for an HTTP Observatory score of 120 or more under the documented deployment (issue 22 #18).

Observatory's bonuses: a CSP with default-src 'none' and nothing unsafe (+10), framing refused through
CSP (+5), a private Referrer-Policy (+5), Cross-Origin-Resource-Policy same-origin (+10). HSTS, the
HTTPS redirect and secure cookies are the TLS proxy's and Django's (tests/test_deployment.py).
"""

import pytest
from django.urls import reverse

from ..factories import AgentFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.fixture
def pages():
    article, agent = ArticleFactory(), AgentFactory()
    return ["/", article.get_absolute_url(), agent.get_absolute_url(), reverse("cytokines:donate"),
            reverse("cytokines:search") + "?q=x", "/no-such-page/", reverse("admin:login")]  # fmt: skip


def test_every_page_refuses_what_it_does_not_use(client, pages):
    for url in pages:
        response = client.get(url)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()",
                        "interest-cohort=()"):  # fmt: skip
            assert feature in policy, (url, feature)


def test_the_content_security_policy_starts_from_nothing(client, pages):
    for url in pages:
        csp = directives(client.get(url))
        assert csp["default-src"] == ["'none'"], url
        assert all("unsafe" not in source for sources in csp.values() for source in sources), url
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"], url
        assert csp["form-action"] == ["'self'"] and csp["base-uri"] == ["'none'"], url


def test_cached_pages_carry_the_same_headers(client):
    article = ArticleFactory()
    first, second = client.get(article.get_absolute_url()), client.get(article.get_absolute_url())
    for header in ("Permissions-Policy", "Cross-Origin-Resource-Policy", "Content-Security-Policy"):
        assert first[header] == second[header], header
