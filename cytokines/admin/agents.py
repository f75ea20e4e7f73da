"""Admin for agent fact sheets and their approvals per regulator (review steps: ``admin.review``)."""

from django.contrib import admin
from django.db import models

from cytokines.admin.base import ReviewDueFilter, ReviewedContentAdmin, WorkflowInline
from cytokines.admin.forms import AgentAdminForm
from cytokines.admin.preview_links import PreviewLinkAdminMixin
from cytokines.admin.review import ReviewEventInline, ReviewWorkflowAdminMixin
from cytokines.admin.translations import TranslationAdminMixin
from cytokines.content.agents import Agent, RegulatoryApproval
from cytokines.content.library import CancerType
from cytokines.content.safety import SafetyStatement, SideEffect
from cytokines.public.pages import agent_context
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
class AgentAdmin(PreviewLinkAdminMixin, TranslationAdminMixin, ReviewWorkflowAdminMixin, ReviewedContentAdmin):
    preview_template = "cytokines/agent_detail.html"
    resource_classes = [AgentResource]
    form = AgentAdminForm
    list_display = ["name", "nonproprietary_name", "agent_class", "status", "last_reviewed", "next_review_due",
                    "review_ok"]  # fmt: skip
    list_filter = [ReviewDueFilter, "language", "agent_class", "status", "approvals__regulator",
                   "approvals__status"]  # fmt: skip
    search_fields = ["name", "nonproprietary_name", "brand_names", "summary"]
    rank_fields = ["name", "nonproprietary_name", "brand_names"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewers", "owner", "translation_of"]
    inlines = [SafetyStatementInline, SideEffectInline, RegulatoryApprovalInline, ReviewEventInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "agent_class", "nonproprietary_name", "brand_names", "summary"]}),
        ("Language", {"fields": ["language", "translation_of", "translation_base"]}),
        ("Facts for readers", {"fields": ["mechanism", "routes", "places", "hospital_note", "references",
                                          "trial_search_term"]}),
        ("Review", {"fields": ["status", "owner", "reviewers", "last_reviewed", "next_review_due",
                               "review_interval_months", "last_revised", "review_needed", "published_at",
                               "loaded_version"]}),
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [*self.preview_link_urls(), *self.review_urls(), *self.translation_urls(), *super().get_urls()]

    def extra_change_context(self, request, page):
        return self.preview_link_context(request, page)

    def preview_context(self, revision, relations):
        cancer_types = CancerType.objects.filter(pk__in=relations["approved_cancer_types"]).order_by("name")
        return agent_context(revision, cancer_types=cancer_types)
