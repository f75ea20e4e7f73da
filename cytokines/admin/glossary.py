"""Admin for glossary terms: the same review box, steps, history and preview as articles (``admin.review``)."""

from django import forms
from django.contrib import admin

from cytokines.admin.base import ReviewDueFilter, ReviewedContentAdmin
from cytokines.admin.forms import LostEditProtectedForm
from cytokines.admin.preview_links import PreviewLinkAdminMixin
from cytokines.admin.review import ReviewEventInline, ReviewWorkflowAdminMixin
from cytokines.content.glossary import GlossaryTerm
from cytokines.public.glossary import term_context
from cytokines.quality import reading


class GlossaryTermAdminForm(LostEditProtectedForm):
    class Meta:
        model = GlossaryTerm
        fields = ["name"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4, "cols": 80})}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PreviewLinkAdminMixin, ReviewWorkflowAdminMixin, ReviewedContentAdmin):
    preview_template = "cytokines/glossary_term.html"
    form = GlossaryTermAdminForm
    list_display = ["name", "synonyms", "status", "owner", "last_reviewed", "next_review_due", "review_ok"]
    list_filter = [ReviewDueFilter, "status", "review_needed", "owner"]
    search_fields = ["name", "synonyms", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["agents", "authors", "reviewers", "owner"]
    inlines = [ReviewEventInline]
    list_select_related = ["owner"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "synonyms", "definition", "agents"]}),
        ("People", {"fields": ["authors", "reviewers", "owner"]}),
        ("Review", {"fields": ["status", "last_reviewed", "next_review_due", "review_interval_months",
                               "last_revised", "review_needed", "published_at", "loaded_version"]}),
    ]  # fmt: skip

    def has_import_permission(self, request):
        # Terms arrive through the admin form only: an import is no path around review (and none is needed yet).
        return False

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [*self.preview_link_urls(), *self.review_urls(), *super().get_urls()]

    def extra_change_context(self, request, page):
        # How hard the definition is to read, for editors (never stored: the dashboard lists pages, not terms).
        return {"reading": reading.measure(reading.prose(page.definition)), **self.preview_link_context(request, page)}

    def preview_context(self, revision, relations):
        return term_context(revision)
