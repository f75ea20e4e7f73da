"""Link checks with recorded answers: HEAD then GET, dead links propose a note, the rest is retried."""

import datetime

import httpx
import pytest
from django.utils import timezone

from cytokines.quality import verification
from cytokines.quality.http import PoliteClient, PublicOnlyTransport
from cytokines.quality.links import NO_LONGER_AVAILABLE, check_link
from cytokines.quality.models import ReferenceCheck
from tests.factories import ReferenceFactory

from .recorded import Recorder

Link = ReferenceCheck.LinkStatus
PAGE = "https://www.example.org/cancer/interleukin-2.html"


def run(recorder, **kwargs):
    client = recorder.client()
    return verification.run(resolvers=recorder.resolvers(client), client=client, **kwargs)


@pytest.fixture
def web_page(db):
    return ReferenceFactory(doi="", pmid="", url=PAGE, container="American Cancer Society")


def test_a_working_link_is_checked_with_head_only(web_page):
    recorder = Recorder().url(PAGE, httpx.Response(200))
    run(recorder)
    check = ReferenceCheck.objects.get(reference=web_page)
    assert (check.link_status, check.link_http_status, check.proposed_note) == (Link.OK, 200, "")
    assert [r.method for r in recorder.requests] == ["HEAD"]


def test_a_server_refusing_head_is_asked_with_get(web_page):
    recorder = Recorder().url(PAGE, httpx.Response(200)).on(lambda r: r.method == "HEAD", httpx.Response(405))
    run(recorder)
    assert ReferenceCheck.objects.get(reference=web_page).link_status == Link.OK
    assert [r.method for r in recorder.requests] == ["HEAD", "GET"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_dead_link_proposes_the_availability_note_but_changes_nothing_for_readers(web_page, status):
    run(Recorder().url(PAGE, httpx.Response(status)))
    check = ReferenceCheck.objects.get(reference=web_page)
    assert (check.link_status, check.link_http_status) == (Link.DEAD, status)
    assert check.proposed_note == NO_LONGER_AVAILABLE
    web_page.refresh_from_db()
    assert web_page.availability_note == ""  # only an Editor's confirmation sets it


def test_a_dead_link_that_already_has_a_note_proposes_nothing(db):
    reference = ReferenceFactory(doi="", pmid="", url=PAGE, availability_note="Content is no longer available")
    run(Recorder().url(PAGE, httpx.Response(404)))
    assert ReferenceCheck.objects.get(reference=reference).proposed_note == ""


@pytest.mark.parametrize(
    "answer", [httpx.Response(503), httpx.Response(403), httpx.ReadTimeout("timed out"), httpx.ConnectError("refused")]
)
def test_errors_and_refusals_do_not_make_a_link_dead(web_page, answer):
    run(Recorder().url(PAGE, answer))
    check = ReferenceCheck.objects.get(reference=web_page)
    assert check.link_status == Link.NOT_CHECKED and check.proposed_note == "" and check.link_checked_at is None
    assert check.link_error


def test_a_timeout_after_a_good_check_keeps_the_good_result(web_page):
    run(Recorder().url(PAGE, httpx.Response(200)))
    run(Recorder().url(PAGE, httpx.ReadTimeout("timed out")), now=timezone.now() + datetime.timedelta(days=8))
    check = ReferenceCheck.objects.get(reference=web_page)
    assert check.link_status == Link.OK and "time limit" in check.link_error


def test_a_site_that_says_slow_down_is_left_alone_for_the_run(db):
    references = [ReferenceFactory(doi="", pmid="", url=f"https://slow.example.org/page-{n}") for n in range(3)]
    recorder = Recorder().on(lambda r: r.url.host == "slow.example.org", httpx.Response(429))
    run(recorder)
    assert len(recorder.requests) == 1
    assert {ReferenceCheck.objects.get(reference=r).link_status for r in references} == {Link.NOT_CHECKED}


def test_the_page_coming_back_withdraws_the_proposal(web_page):
    run(Recorder().url(PAGE, httpx.Response(404)))
    run(Recorder().url(PAGE, httpx.Response(200)), now=timezone.now() + datetime.timedelta(days=8))
    check = ReferenceCheck.objects.get(reference=web_page)
    assert check.link_status == Link.OK and check.proposed_note == ""


def test_requests_say_who_we_are(web_page, settings):
    settings.REFERENCE_CHECKS = {**settings.REFERENCE_CHECKS, "CONTACT_EMAIL": "editors@example.org"}
    recorder = Recorder().url(PAGE, httpx.Response(200))
    run(recorder)
    assert "mailto:editors@example.org" in recorder.requests[0].headers["User-Agent"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://[::1]/",
            "http://localhost/admin/", "ftp://files.example.org/a.pdf"],
)  # fmt: skip
def test_links_to_the_servers_own_network_are_never_fetched(url):
    def resolve(host, port):
        private = {"localhost": "127.0.0.1"}
        return [(None, None, None, "", (private.get(host, host), 0))]

    fetched = []

    class Recording(PublicOnlyTransport):
        def handle_request(self, request):
            fetched.append(request)
            return super().handle_request(request)

    client = PoliteClient(Recording(resolve=resolve), min_interval=0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx.HTTPTransport, "handle_request", lambda self, request: pytest.fail("network used"))
        result = check_link(client, url)
    assert result.status == Link.NOT_CHECKED
    assert "not a public address" in result.error or "only http and https" in result.error
