"""The review schedule's staff pages and bulk actions, mounted on the article admin."""

import datetime
import io

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from cytokines.admin.base import action_form_response, message_text
from cytokines.admin.forms import ReassignForm, SpreadReviewDatesForm
from cytokines.ops import db_state
from cytokines.ops.site_url import absolute_url
from cytokines.public import fragments, problems
from cytokines.quality import dashboard as checks
from cytokines.review import calendar, schedule, workflow
from cytokines.review.calendar_tokens import calendar_token_issue

# A kept rendering of the lists is only ever served under the snapshot it was rendered at; after any write it
# is never asked for again, and expires.
SCHEDULE_KEPT_SECONDS = 10 * 60


class ReviewScheduleMixin:
    """Dashboard, CSV, calendar link and the bulk actions that call the workflow."""

    actions = ["reassign", "spread_review_dates"]

    def schedule_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("review-dashboard/", wrap(self.dashboard_view), name="cytokines_review_dashboard"),
            path("review-schedule.csv", wrap(self.schedule_csv_view), name="cytokines_review_schedule_csv"),
            path("calendar-feed/", wrap(self.calendar_link_view), name="cytokines_calendar_link"),
        ]

    def _filters(self, request):
        users = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        owner = users.filter(pk=request.GET.get("owner")).first() if request.GET.get("owner", "").isdigit() else None
        reviewer = (
            users.filter(pk=request.GET.get("reviewer")).first() if request.GET.get("reviewer", "").isdigit() else None
        )
        return users, owner, reviewer

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        users, owner, reviewer = self._filters(request)
        days = int(request.GET["days"]) if request.GET.get("days") in {"30", "60", "90"} else 30
        context = {
            **self.admin_site.each_context(request),
            "title": "Review schedule",
            "is_nav_sidebar_enabled": False,  # the page is wide tables; the sidebar costs a permission walk
            "sections": self._schedule_sections(request, owner, reviewer, days),
            "problem_reports": self._problem_reports(request),
            "users": users,
            "owner": owner,
            "reviewer": reviewer,
            "days": days,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cytokines/review_dashboard.html", context)

    def _schedule_sections(self, request, owner, reviewer, days):
        """The lists and checks, rendered; kept while the database shows the same data (``ops.db_state``): the
        same for every member of staff who may see the dashboard, so one visit renders them for all."""
        key = fragments.key("review-schedule", db_state.visible_writes(), timezone.localdate(),
                            owner.pk if owner else "-", reviewer.pk if reviewer else "-", days)  # fmt: skip
        sections = fragments.load([key]).get(key) if key else None
        if sections is None:
            sections = render_to_string("admin/cytokines/_review_schedule.html", {
                "data": schedule.dashboard(owner=owner, reviewer=reviewer, days=days),
                "checks": checks.sections()}, request)  # fmt: skip
            if key:
                fragments.store(key, sections, timeout=SCHEDULE_KEPT_SECONDS)
        return mark_safe(sections)  # noqa: S308 - rendered, and escaped, by the template above

    def _problem_reports(self, request):
        """Readers' open reports, for those who may read them (Editors: reports may hold an e-mail address)."""
        if not request.user.has_perm("cytokines.view_problemreport"):
            return None
        reports = problems.open_reports()
        return {"rows": list(reports[:25]), "count": reports.count()}

    def schedule_csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        _, owner, reviewer = self._filters(request)
        buffer = io.StringIO()
        schedule.write_schedule_csv(buffer, schedule.schedule_rows(owner=owner, reviewer=reviewer))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="review-schedule-{timezone.localdate()}.csv"'
        return response

    def calendar_link_view(self, request):
        """The user's private calendar-feed addresses (their own reviews; every page's for Editors).

        Making a new address asks first (the old one stops working in every calendar that uses it): a POST
        without ``confirm=yes`` only shows that question and changes nothing.
        """
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            calendar_token_issue(request.user, replace=True)
            self.message_user(request, "A new calendar address was made; the old one no longer works. "
                                       "Subscribe again in your calendar app with the address below.")  # fmt: skip
            return HttpResponseRedirect(reverse("admin:cytokines_calendar_link"))
        token = calendar_token_issue(request.user)
        feeds = [
            ("Your reviews", "reviews of the pages you own or sign off", "cytokines:review-calendar", calendar.MINE),
            ("All pages", "every article's, fact sheet's and glossary term's review (for Editors)",
             "cytokines:review-calendar-all", calendar.ALL),
        ]  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": "Your review calendar",
            "confirming": request.method == "POST" or "replace" in request.GET,
            "feeds": [
                {"title": title, "what": what, "url": url, "webcal": "webcal:" + url.split(":", 1)[1]}
                for title, what, name, scope in feeds
                if calendar.may_follow(request.user, scope)
                for url in [absolute_url(reverse(name, args=[token.token]))]
            ],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cytokines/calendar_link.html", context)

    # --- bulk actions: they collect input, then call the workflow ---
    @admin.action(description="Reassign owner or medical reviewer")
    def reassign(self, request, queryset):
        form = ReassignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                count = workflow.articles_reassign(articles=queryset, user=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as problem:
                self.message_user(request, message_text(problem), messages.ERROR)
            else:
                self.message_user(request, f"Reassigned {count} article(s).")
                return None
        return self._action_form(request, queryset, form, "reassign", "Reassign articles")

    @admin.action(description="Spread next review dates over a window")
    def spread_review_dates(self, request, queryset):
        initial = {"start": timezone.localdate() + datetime.timedelta(days=30),
                   "end": timezone.localdate() + datetime.timedelta(days=120)}  # fmt: skip
        form = SpreadReviewDatesForm(request.POST if "apply" in request.POST else None, initial=initial)
        if form.is_bound and form.is_valid():
            try:
                count = workflow.review_dates_spread(items=queryset, user=request.user, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as problem:
                self.message_user(request, message_text(problem), messages.ERROR)
            else:
                self.message_user(request, f"Spread the next review dates of {count} article(s).")
                return None
        return self._action_form(request, queryset, form, "spread_review_dates", "Spread review dates")

    def _action_form(self, request, queryset, form, action, title):
        return action_form_response(self, request, queryset, form, action, title)
