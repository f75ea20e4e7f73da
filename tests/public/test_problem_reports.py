""""Report a problem": on every public page, stored for Editors with what the reader saw, spam-protected."""

import pytest
from django.urls import reverse

from cytokines.content.articles import Article
from cytokines.public import problems
from cytokines.public.models import ProblemReport
from tests.factories import AgentFactory, ArticleFactory

pytestmark = pytest.mark.django_db
REPORT_URL = reverse("cytokines:report-problem")


@pytest.fixture
def article():
    return ArticleFactory(title="Interleukin-2 explained")


def report(client, page, **extra):
    data = {"page": page, "description": "Reference 3 links to a page that is gone.", "reporter_email": "", **extra}
    return client.post(REPORT_URL, data)


def test_every_kind_of_public_page_links_to_the_form_for_itself(client, article):
    agent = AgentFactory()
    for url in ["/", article.get_absolute_url(), agent.get_absolute_url(), reverse("cytokines:article-list"),
                reverse("cytokines:agent-list"), reverse("cytokines:donate"), reverse("cytokines:newsletter")]:
        page = client.get(url).content.decode()
        assert f'href="{REPORT_URL}?page={url.replace("/", "%2F")}"' in page, url


def test_the_form_names_the_page_and_a_report_is_stored_for_editors(client, article):
    form = client.get(REPORT_URL, {"page": article.get_absolute_url()})
    assert "Interleukin-2 explained" in form.content.decode()
    response = report(client, article.get_absolute_url(), reporter_email="Reader@Example.org")
    assert response.status_code == 302 and response["Location"].startswith(reverse("cytokines:report-problem-thanks"))
    stored = ProblemReport.objects.get()
    assert (stored.page_path, stored.page_title) == (article.get_absolute_url(), "Interleukin-2 explained")
    assert stored.reporter_email == "reader@example.org" and stored.status == ProblemReport.Status.OPEN
    thanks = client.get(response["Location"]).content.decode()
    assert f'href="{article.get_absolute_url()}"' in thanks


def test_the_report_keeps_the_live_revision_readers_were_shown(client, article, monkeypatch):
    # Pages gain live revisions (REVISIONS.md); a report records the one shown, whatever its kind.
    shown = ArticleFactory(title="Shown revision stand-in")
    monkeypatch.setattr(Article, "live_revision", shown, raising=False)
    report(client, article.get_absolute_url())
    assert ProblemReport.objects.get().revision == shown


def test_an_e_mail_is_optional_and_stored_in_one_field(client, article):
    report(client, article.get_absolute_url())
    assert ProblemReport.objects.get().reporter_email == ""
    assert ProblemReport.PERSONAL_FIELDS == ("reporter_email",)


def test_the_honeypot_stores_nothing(client, article):
    response = report(client, article.get_absolute_url(), website="http://spam.example")
    assert response.status_code == 302 and not ProblemReport.objects.exists()


def test_many_reports_from_one_address_are_slowed_down(client, article, settings):
    settings.FORM_RATE_LIMIT = "3/m"
    statuses = [report(client, article.get_absolute_url()).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert ProblemReport.objects.count() == 3


def test_a_draft_page_cannot_be_reported_as_if_readers_saw_it(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, last_reviewed=None, next_review_due=None)
    assert report(client, draft.get_absolute_url()).status_code == 400
    assert not ProblemReport.objects.exists()


def test_editors_see_open_reports_on_the_dashboard_until_resolved(client, staff, article):
    report(client, article.get_absolute_url())
    dashboard = reverse("admin:cytokines_review_dashboard")
    client.force_login(staff["writer"])
    assert client.get(dashboard).context["problem_reports"] is None  # reports may hold e-mail addresses
    client.force_login(staff["editor"])
    response = client.get(dashboard)
    assert response.context["problem_reports"]["count"] == 1
    assert "Reference 3 links to a page that is gone." in response.content.decode()
    reports = ProblemReport.objects.all()
    client.post(reverse("admin:cytokines_problemreport_changelist"),
                {"action": "mark_resolved", "_selected_action": [r.pk for r in reports]})  # fmt: skip
    resolved = ProblemReport.objects.get()
    assert resolved.status == ProblemReport.Status.RESOLVED and resolved.resolved_by == staff["editor"]
    after = client.get(dashboard)
    assert after.context["problem_reports"]["count"] == 0
    assert "Problems readers reported (0 open)</summary>" in after.content.decode()  # one collapsed line
    assert problems.open_reports().count() == 0
