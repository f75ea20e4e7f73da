"""Admin for editors and reviewers. Thin: rules live in the models and the workflow module."""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Agent,
    Article,
    ArticleReference,
    CancerType,
    Contributor,
    FaqItem,
    Reference,
    RegulatoryApproval,
)


@admin.register(CancerType)
class CancerTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "container", "year", "doi", "pmid", "availability_note"]
    list_filter = ["year"]
    search_fields = ["authors", "title", "container", "doi", "pmid"]
    fieldsets = [
        (None, {"fields": ["authors", "title", "container", "year", ("volume", "issue", "pages")]}),
        ("Identifiers and links", {"fields": [("doi", "pmid"), "url", "accessed_on", "availability_note"]}),
    ]


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "role", "user", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "credentials", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class RegulatoryApprovalInline(admin.TabularInline):
    model = RegulatoryApproval
    extra = 0
    autocomplete_fields = ["cancer_types"]


class AgentAdminForm(forms.ModelForm):
    routes = forms.MultipleChoiceField(choices=Agent.Route.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Agent
        fields = ["routes"]


@admin.register(Agent)
class AgentAdmin(SimpleHistoryAdmin):
    form = AgentAdminForm
    list_display = ["name", "nonproprietary_name", "agent_class", "status", "last_reviewed", "next_review_due"]
    list_filter = ["agent_class", "status", "hospital_only", "approvals__regulator", "approvals__status"]
    search_fields = ["name", "nonproprietary_name", "brand_names", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["references", "reviewers", "owner"]
    inlines = [RegulatoryApprovalInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "agent_class", "nonproprietary_name", "brand_names", "summary"]}),
        (
            "Facts for readers",
            {
                "fields": [
                    "mechanism",
                    "routes",
                    "hospital_only",
                    "hospital_note",
                    "common_side_effects",
                    "serious_side_effects",
                    "references",
                ]
            },
        ),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "owner",
                    "reviewers",
                    "last_reviewed",
                    "next_review_due",
                    "review_interval_months",
                    "last_revised",
                    "review_needed",
                    "published_at",
                ]
            },
        ),
    ]


class ArticleReferenceInline(admin.TabularInline):
    model = ArticleReference
    extra = 0
    autocomplete_fields = ["reference"]
    ordering = ["position"]


class FaqItemInline(admin.StackedInline):
    model = FaqItem
    extra = 0
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "owner", "medical_reviewer", "last_reviewed", "next_review_due"]
    list_filter = ["status", "kind", "language", "is_featured", "review_needed", "cancer_types"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cancer_types", "agents", "authors", "reviewers", "owner", "medical_reviewer"]
    inlines = [ArticleReferenceInline, FaqItemInline]
    list_select_related = ["owner", "medical_reviewer"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "summary", "body", "is_featured"]}),
        ("Topics", {"fields": ["cancer_types", "agents"]}),
        ("People", {"fields": ["authors", "reviewers", "owner", "medical_reviewer"]}),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "last_revised",
                    "last_reviewed",
                    "next_review_due",
                    "review_interval_months",
                    "review_needed",
                    "published_at",
                ]
            },
        ),
    ]
