""""Report a problem" with any public page: a short form, stored for Editors with what the reader saw.

Spam protection like the other public forms: CSRF, a honeypot, a per-client rate limit, length limits.
The page is named by its address (``?page=/articles/…/``), checked against this site's public URLs; for a
reviewed page the report keeps the live revision readers were shown.
"""

from django import forms
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from cytokines.content.agents import Agent
from cytokines.content.articles import Article
from cytokines.content.library import CancerType
from cytokines.ops.forms import TOO_MANY, HoneypotMixin, form_rate
from cytokines.public.models import ProblemReport

PAGE_MAX = ProblemReport._meta.get_field("page_path").max_length


class ProblemReportForm(HoneypotMixin):
    page = forms.CharField(max_length=PAGE_MAX, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("What is wrong?"),
        max_length=ProblemReport.DESCRIPTION_MAX,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": ProblemReport.DESCRIPTION_MAX}),
        help_text=_("For example: a broken link, a mistake, or something that is hard to understand. "
        "Please do not include details about your health."),
    )
    reporter_email = forms.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        max_length=254,
        help_text=_("Only if you would like an answer. We use it for nothing else."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_reporter_email(self):
        # One spelling, so a reader asking for their data (or its erasure) is found by their address.
        return self.cleaned_data["reporter_email"].strip().lower()

    def clean_page(self):
        page = self.cleaned_data["page"]
        if describe_page(page) is None:
            raise forms.ValidationError(_("We could not tell which page you mean. Please go back to it and try again."))
        return page


# Public pages that show one reviewed page or a library page, by URL name: how to find what the reader saw.
DETAIL_PAGES = {
    "article-detail": lambda slug: (
        Article.objects.published().select_related("live_revision").filter(live_revision__slug=slug).first()
    ),
    "agent-detail": lambda slug: (
        Agent.objects.published().select_related("live_revision").filter(live_revision__slug=slug).first()
    ),
    "cancer-type-detail": lambda slug: CancerType.objects.filter(slug=slug).first(),
}


def describe_page(path):
    """(title, live revision or None) of the public page at ``path``; None when it is not one of ours."""
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return None
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    if match.namespace != "cytokines":
        return None
    finder = DETAIL_PAGES.get(match.url_name)
    if finder is None:
        return (match.url_name.replace("-", " ").capitalize(), None)
    page = finder(match.kwargs.get("slug", ""))
    if page is None:
        return None
    # Reviewed pages show readers their live revision (REVISIONS.md); the report keeps the one shown.
    revision = getattr(page, "live_revision", None)
    return (str(getattr(revision, "title", None) or page)[:200], revision)


@ratelimit(key="ip", rate=form_rate, method="POST", block=False)
def report_problem(request):
    page = request.POST.get("page") or request.GET.get("page", "")
    form = ProblemReportForm(request.POST or None, initial={"page": page[:PAGE_MAX]})
    described = describe_page(page[:PAGE_MAX])
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid() and form.is_robot():
            return redirect("cytokines:report-problem-thanks")  # tell a bot nothing, store nothing
        elif form.is_valid():
            title, revision = described
            ProblemReport.objects.create(
                page_path=form.cleaned_data["page"], page_title=title, description=form.cleaned_data["description"],
                reporter_email=form.cleaned_data["reporter_email"],
                revision_model=revision._meta.model_name if revision else "",
                revision_id=revision.pk if revision else None,
            )  # fmt: skip
            thanks = reverse("cytokines:report-problem-thanks")
            return redirect(f"{thanks}?{urlencode({'page': form.cleaned_data['page']})}")
        else:
            status = 400
    context = {"form": form, "page_title": described[0] if described else "", "page_path": page if described else ""}
    return render(request, "cytokines/report_problem.html", context, status=status)


def report_problem_thanks(request):
    page = request.GET.get("page", "")
    return render(request, "cytokines/report_problem_thanks.html", {"page_path": page if describe_page(page) else ""})


@transaction.atomic
def resolve_reports(reports, *, user, note=""):
    """Mark open ``reports`` resolved by ``user`` (the admin's action and its resolution note call this)."""
    count = 0
    for report in reports:
        report.status = ProblemReport.Status.RESOLVED
        report.resolved_at, report.resolved_by = timezone.now(), user
        report.resolution_note = (note or report.resolution_note)[:500]
        report.full_clean()
        report.save()
        count += 1
    return count


def open_reports():
    """What the dashboard lists until an Editor resolves it."""
    return ProblemReport.objects.filter(status=ProblemReport.Status.OPEN).order_by("-created_at")
