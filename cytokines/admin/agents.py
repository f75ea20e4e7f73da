"""Admin for agent fact sheets and their approvals per regulator."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from cytokines.admin.base import ReviewDueFilter, ReviewedContentAdmin, WorkflowInline
from cytokines.admin.forms import AgentAdminForm
from cytokines.content.agents import Agent, RegulatoryApproval
from cytokines.content.safety import SafetyStatement, SideEffect
from cytokines.review import workflow
from cytokines.transfer.resources import AgentResource


class RegulatoryApprovalInline(WorkflowInline, admin.StackedInline):
    model = RegulatoryApproval
    extra = 0
    autocomplete_fields = ["cancer_types"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [("regulator", "status"), "indication", ("year_approved", "year_ended"), "cancer_types",
              ("source_url", "checked_on")]  # fmt: skip


class SideEffectInline(WorkflowInline, admin.TabularInline):
    model = SideEffect
    extra = 0
    fields = ["name", "frequency", "serious", "what_to_do", "reference", "position"]
    autocomplete_fields = ["reference"]


class SafetyStatementInline(WorkflowInline, admin.StackedInline):
    model = SafetyStatement
    extra = 0
    fields = ["topic", "text", "not_applicable", ("label_section", "reference", "checked_on")]
    autocomplete_fields = ["reference"]


@admin.register(Agent)
class AgentAdmin(ReviewedContentAdmin):
    resource_classes = [AgentResource]
    form = AgentAdminForm
    list_display = ["name", "nonproprietary_name", "agent_class", "status", "last_reviewed", "next_review_due",
                    "review_ok"]  # fmt: skip
    list_filter = [ReviewDueFilter, "agent_class", "status", "approvals__regulator",
                   "approvals__status"]  # fmt: skip
    search_fields = ["name", "nonproprietary_name", "brand_names", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewers", "owner"]
    inlines = [SafetyStatementInline, SideEffectInline, RegulatoryApprovalInline]
    editors_set_review_dates = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "agent_class", "nonproprietary_name", "brand_names", "summary"]}),
        ("Facts for readers", {"fields": ["mechanism", "routes", "places", "hospital_note", "references",
                                          "trial_search_term"]}),
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
