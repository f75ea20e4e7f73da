"""Admin for editors and reviewers. Thin: rules live in the models and in ``workflow``."""

import datetime
import io
import json
import secrets
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from . import citations, public_cache, review_schedule, workflow
from .content_io import MAX_IMPORT_BYTES
from .forms import AgentAdminForm, ArticleAdminForm, ReassignForm, SpreadReviewDatesForm, TransitionForm
from .models import (
    Agent,
    Article,
    ArticleReference,
    CalendarToken,
    CancerType,
    Contributor,
    Donation,
    FaqItem,
    PageFeedback,
    Reference,
    RegulatoryApproval,
    ReminderLog,
    ReviewEvent,
    Subscriber,
)
from .resources import (
    AgentResource,
    ArticleResource,
    CancerTypeResource,
    ContributorResource,
    DonationResource,
    ReferenceResource,
    SubscriberResource,
)
from .spreadsheets import SPREADSHEET_FORMATS
from .views import article_context

REVIEW_DATE_FIELDS = ["last_reviewed", "next_review_due", "review_interval_months", "last_revised"]


class SizeLimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES / 1e6:.0f} MB. Split it."
            )
        return upload


class PublicContentAdmin(ImportExportMixin, admin.ModelAdmin):
    """Any change an editor saves here may show on public pages: drop the page cache once it commits.

    Import and export (CSV, XLSX, JSON) go through the resources in ``resources.py``; an import shows a
    dry-run preview with per-row errors first and is saved all or nothing.
    """

    formats = SPREADSHEET_FORMATS
    import_form_class = SizeLimitedImportForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(public_cache.invalidate)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(public_cache.invalidate)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(public_cache.invalidate)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(public_cache.invalidate)


@admin.register(CancerType)
class CancerTypeAdmin(PublicContentAdmin):
    resource_classes = [CancerTypeResource]
    list_display = ["name", "slug"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Reference)
class ReferenceAdmin(PublicContentAdmin):
    resource_classes = [ReferenceResource]
    change_list_template = "admin/cytokines/reference/change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "container", "year", "doi", "pmid", "availability_note"]
    list_filter = ["year"]
    search_fields = ["authors", "title", "container", "doi", "pmid"]
    fieldsets = [
        (None, {"fields": ["authors", "title", "container", "year", ("volume", "issue", "pages")]}),
        ("Identifiers and links", {"fields": [("doi", "pmid"), "url", "accessed_on", "availability_note"]}),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_citations_view)
        return [path("import-citations/", view, name="cytokines_reference_import_citations"), *super().get_urls()]

    def import_citations_view(self, request):
        """Upload RIS, BibTeX, MEDLINE or CSL-JSON; preview what is new and what is already stored; confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Import references from a citation manager",
            "opts": self.model._meta,
            "formats": citations.PARSERS,
        }
        if request.method == "POST":
            try:
                entries = self._citation_entries(request)
                rows = citations.preview(entries)
                if "confirm" in request.POST:
                    count = citations.save_new(rows)
                    transaction.on_commit(public_cache.invalidate)
                    self.message_user(request, f"Added {count} reference(s); {len(rows) - count} were already stored.")
                    return HttpResponseRedirect(reverse("admin:cytokines_reference_changelist"))
                context.update(rows=rows, entries_json=json.dumps(entries), can_save=not any(r.errors for r in rows))
            except (citations.CitationFileError, ValidationError) as problem:
                context["problems"] = problem.messages if isinstance(problem, ValidationError) else [str(problem)]
        return TemplateResponse(request, "admin/cytokines/import_citations.html", context)

    def _citation_entries(self, request):
        if "entries" in request.POST:  # the confirm step re-sends what the preview showed; checked again
            return json.loads(request.POST["entries"])
        upload = request.FILES.get("citation_file")
        if upload is None:
            raise citations.CitationFileError("Choose a file to upload.")
        if upload.size > MAX_IMPORT_BYTES:
            raise citations.CitationFileError(f"The file is larger than {MAX_IMPORT_BYTES / 1e6:.0f} MB.")
        kind = request.POST.get("format") or citations.EXTENSIONS.get(Path(upload.name).suffix.lower())
        if kind not in citations.PARSERS:
            raise citations.CitationFileError("Choose the file's format: RIS, BibTeX, MEDLINE or CSL-JSON.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise citations.CitationFileError("The file is not UTF-8 text.") from None
        return citations.PARSERS[kind](text)


@admin.register(Contributor)
class ContributorAdmin(PublicContentAdmin):
    resource_classes = [ContributorResource]
    list_display = ["name", "credentials", "role", "user", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "credentials", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("30", "Due in 30 days"), ("60", "Due in 60 days"), ("90", "Due in 90 days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() in {"30", "60", "90"}:
            return queryset.due_within(int(self.value()))
        return queryset


class ReviewedContentAdmin(PublicContentAdmin, SimpleHistoryAdmin):
    """What articles and agents share: lost-edit protection and editor-only review dates."""

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "published_at", "review_needed"]
        if not workflow.can_edit_review_dates(request.user):
            readonly += REVIEW_DATE_FIELDS
        return readonly

    @admin.display(description="review", boolean=True)
    def review_ok(self, obj):
        return not (obj.is_review_overdue or obj.review_needed)


class RegulatoryApprovalInline(admin.TabularInline):
    model = RegulatoryApproval
    extra = 0
    autocomplete_fields = ["cancer_types"]


@admin.register(Agent)
class AgentAdmin(ReviewedContentAdmin):
    resource_classes = [AgentResource]
    form = AgentAdminForm
    list_display = ["name", "nonproprietary_name", "agent_class", "status", "last_reviewed", "next_review_due",
                    "review_ok"]  # fmt: skip
    list_filter = [ReviewDueFilter, "agent_class", "status", "hospital_only", "approvals__regulator",
                   "approvals__status"]  # fmt: skip
    search_fields = ["name", "nonproprietary_name", "brand_names", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewers", "owner"]
    inlines = [RegulatoryApprovalInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "agent_class", "nonproprietary_name", "brand_names", "summary"]}),
        ("Facts for readers", {"fields": ["mechanism", "routes", "hospital_only", "hospital_note",
                                          "common_side_effects", "serious_side_effects", "references"]}),
        ("Review", {"fields": ["status", "owner", "reviewers", "last_reviewed", "next_review_due",
                               "review_interval_months", "last_revised", "review_needed", "published_at",
                               "loaded_version"]}),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Agents have no article-style workflow: Editors set their status directly.
        if workflow.can_edit_review_dates(request.user):
            readonly = [f for f in readonly if f != "status"]
        return readonly

    change_form_template = "admin/cytokines/agent/change_form.html"

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.confirm_review_view)
        return [path("<int:pk>/confirm-review/", view, name="cytokines_agent_confirm_review"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        agent = self.get_object(request, object_id)
        may_confirm = agent is not None and workflow.agent_review_refusal(request.user, agent) is None
        extra_context = {**(extra_context or {}), "may_confirm_review": may_confirm}
        return super().change_view(request, object_id, form_url, extra_context)

    def confirm_review_view(self, request, pk):
        agent = get_object_or_404(Agent, pk=pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:cytokines_agent_change", args=[pk]))
        try:
            workflow.agent_confirm_review(agent=agent, user=request.user, comment=request.POST.get("comment", "")[:500])
        except PermissionDenied as refused:
            return HttpResponse(str(refused), status=403, content_type="text/plain")
        self.message_user(request, "Review confirmed: the next review is due in a year.")
        return HttpResponseRedirect(reverse("admin:cytokines_agent_change", args=[pk]))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        approvals_changed = any(formset.has_changed() for formset in formsets)
        if change and workflow.agent_facts_changed(
            changed_fields=form.changed_data, approvals_changed=approvals_changed
        ):
            flagged = workflow.agent_flag_linked_articles(agent=form.instance, user=request.user)
            if flagged:
                self.message_user(
                    request,
                    f"The facts changed, so {len(flagged)} published article(s) about {form.instance} "
                    "were flagged “review needed”.",
                    messages.WARNING,
                )


class ArticleReferenceInline(admin.TabularInline):
    model = ArticleReference
    extra = 0
    autocomplete_fields = ["reference"]
    ordering = ["position"]


class FaqItemInline(admin.StackedInline):
    model = FaqItem
    extra = 0
    ordering = ["position"]


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor_name", "role", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    verbose_name_plural = "Review history (permanent record)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ReviewedContentAdmin):
    resource_classes = [ArticleResource]
    form = ArticleAdminForm
    change_form_template = "admin/cytokines/article/change_form.html"
    change_list_template = "admin/cytokines/article/change_list.html"
    list_display = ["title", "kind", "status", "owner", "medical_reviewer", "last_reviewed", "next_review_due",
                    "review_ok"]  # fmt: skip
    list_filter = [ReviewDueFilter, "status", "review_needed", "kind", "language", "is_featured", "owner",
                   "medical_reviewer", "cancer_types"]  # fmt: skip
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cancer_types", "agents", "authors", "reviewers", "owner", "medical_reviewer"]
    inlines = [ArticleReferenceInline, FaqItemInline, ReviewEventInline]
    list_select_related = ["owner", "medical_reviewer"]
    actions = ["reassign", "spread_review_dates"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "summary", "body", "is_featured"]}),
        ("Topics", {"fields": ["cancer_types", "agents"]}),
        ("People", {"fields": ["authors", "reviewers", "owner", "medical_reviewer"]}),
        ("Review", {"fields": ["status", "last_revised", "last_reviewed", "next_review_due",
                               "review_interval_months", "review_needed", "published_at", "minor_edit",
                               "loaded_version"]}),
    ]  # fmt: skip

    # --- permissions: the workflow decides who may edit what, the admin only asks ---
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if workflow.can_edit_review_dates(request.user):
            return fieldsets
        # Only Editors may call an edit minor; others do not see the box at all.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "minor_edit"]}) for name, opts in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        if change:
            previous = Article.objects.get(pk=obj.pk)
            workflow.article_record_edit(
                article=obj, previous=previous, user=request.user, minor=form.cleaned_data.get("minor_edit", False)
            )
            obj.version += 1
        elif obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    # --- extra pages ---
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("review-dashboard/", wrap(self.dashboard_view), name="cytokines_review_dashboard"),
            path("review-schedule.csv", wrap(self.schedule_csv_view), name="cytokines_review_schedule_csv"),
            path("calendar-feed/", wrap(self.calendar_link_view), name="cytokines_calendar_link"),
            path("<int:pk>/transition/", wrap(self.transition_view), name="cytokines_article_transition"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="cytokines_article_preview"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context["transitions"] = workflow.available_transitions(request.user, article)
            extra_context["transition_url"] = reverse("admin:cytokines_article_transition", args=[article.pk])
            extra_context["preview_url"] = reverse("admin:cytokines_article_preview", args=[article.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:cytokines_article_change", args=[pk]))
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "That review step is not known.", messages.ERROR)
        else:
            try:
                article = workflow.article_transition(
                    article=article, user=request.user, name=form.cleaned_data["transition"],
                    comment=form.cleaned_data["comment"],
                )  # fmt: skip
            except PermissionDenied as refused:
                self.message_user(request, str(refused) or "You may not do that.", messages.ERROR)
                return HttpResponse(status=403, content=str(refused).encode())
            except ValidationError as invalid:
                self.message_user(request, " ".join(invalid.messages), messages.ERROR)
            else:
                self.message_user(request, f"Done: the article is now {article.get_status_display().lower()}.")
        return HttpResponseRedirect(reverse("admin:cytokines_article_change", args=[pk]))

    def preview_view(self, request, pk):
        queryset = Article.objects.prefetch_related("article_references__reference", "authors", "reviewers",
                                                    "agents", "faq_items")  # fmt: skip
        article = get_object_or_404(queryset, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        context = article_context(article)
        context["preview"] = True
        return TemplateResponse(request, "cytokines/article_detail.html", context)

    def _filters(self, request):
        from django.contrib.auth import get_user_model

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
            "data": review_schedule.dashboard(owner=owner, reviewer=reviewer, days=days),
            "users": users,
            "owner": owner,
            "reviewer": reviewer,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/cytokines/review_dashboard.html", context)

    def schedule_csv_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        _, owner, reviewer = self._filters(request)
        buffer = io.StringIO()
        review_schedule.write_schedule_csv(buffer, review_schedule.schedule_rows(owner=owner, reviewer=reviewer))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="review-schedule-{timezone.localdate()}.csv"'
        return response

    def calendar_link_view(self, request):
        """Show the user's private calendar-feed URL; POST makes a new one (the old one stops working)."""
        token = CalendarToken.objects.filter(user=request.user).first()
        if request.method == "POST" or token is None:
            token, _ = CalendarToken.objects.update_or_create(
                user=request.user, defaults={"token": secrets.token_urlsafe(32)}
            )
            if request.method == "POST":
                self.message_user(request, "A new calendar link was made; the old one no longer works.")
                return HttpResponseRedirect(reverse("admin:cytokines_calendar_link"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Your review calendar",
            "feed_url": request.build_absolute_uri(reverse("cytokines:review-calendar", args=[token.token])),
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
                self.message_user(request, _message(problem), messages.ERROR)
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
                self.message_user(request, _message(problem), messages.ERROR)
            else:
                self.message_user(request, f"Spread the next review dates of {count} article(s).")
                return None
        return self._action_form(request, queryset, form, "spread_review_dates", "Spread review dates")

    def _action_form(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/cytokines/action_form.html", context)


def _message(problem):
    return " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "actor_name", "role", "action", "from_status", "to_status"]
    list_filter = ["action", "role", "to_status"]
    search_fields = ["article__title", "actor_name", "comment"]
    list_select_related = ["article"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "recipient", "article", "kind", "due_date"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "article"]


@admin.register(PageFeedback)
class PageFeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "helpful", "comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["article__title", "comment"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SupporterRecordAdmin(ExportMixin, ReadOnlyAdmin):
    """Supporter records are written only by the public forms and the payment webhook, never by hand here."""

    formats = SPREADSHEET_FORMATS


@admin.register(Donation)
class DonationAdmin(SupporterRecordAdmin):
    resource_classes = [DonationResource]
    list_display = ["reference", "created_at", "amount", "frequency", "status", "donor_name", "email",
                    "consent_to_contact"]  # fmt: skip
    list_filter = ["status", "frequency", "dedication", "consent_to_contact", "created_at"]
    search_fields = ["reference", "donor_name", "email", "provider_reference"]
    date_hierarchy = "created_at"


@admin.register(Subscriber)
class SubscriberAdmin(SupporterRecordAdmin):
    resource_classes = [SubscriberResource]
    list_display = ["email", "name", "zip_code", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["email", "name", "zip_code"]
