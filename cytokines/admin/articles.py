"""Admin for articles: their inlines, the review schedule and the preview (review steps: ``admin.review``)."""

from django.contrib import admin

from cytokines.admin.base import ReviewDueFilter, ReviewedContentAdmin, WorkflowInline
from cytokines.admin.forms import ArticleAdminForm
from cytokines.admin.ordering import RenumberableFormSet
from cytokines.admin.preview_links import PreviewLinkAdminMixin
from cytokines.admin.review import ReviewEventInline, ReviewWorkflowAdminMixin
from cytokines.admin.schedule import ReviewScheduleMixin
from cytokines.admin.search import FullTextAdminSearchMixin
from cytokines.admin.translations import TranslationAdminMixin
from cytokines.admin.widgets import PreloadedChoicesFormSet
from cytokines.content.articles import Article, ArticleReference, FaqItem
from cytokines.public.pages import article_context, linked_agents
from cytokines.transfer.resources import ArticleResource


class ArticleReferenceFormSet(RenumberableFormSet, PreloadedChoicesFormSet):
    """References renumber in one save, and each row shows its reference without a query of its own."""


class ArticleReferenceInline(WorkflowInline, admin.TabularInline):
    model = ArticleReference
    formset = ArticleReferenceFormSet
    extra = 0
    autocomplete_fields = ["reference"]
    ordering = ["position"]


class FaqItemInline(WorkflowInline, admin.StackedInline):
    model = FaqItem
    formset = RenumberableFormSet
    extra = 0
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(TranslationAdminMixin, FullTextAdminSearchMixin, PreviewLinkAdminMixin, ReviewScheduleMixin,
                   ReviewWorkflowAdminMixin, ReviewedContentAdmin):
    preview_template = "cytokines/article_detail.html"
    resource_classes = [ArticleResource]
    form = ArticleAdminForm
    change_list_template = "admin/cytokines/article/change_list.html"
    list_display = ["title", "kind", "language", "status", "owner", "medical_reviewer", "last_reviewed",
                    "next_review_due", "review_ok"]  # fmt: skip
    list_filter = [ReviewDueFilter, "status", "review_needed", "kind", "language", "is_featured", "owner",
                   "medical_reviewer", "cancer_types"]  # fmt: skip
    search_fields = ["title", "summary", "body"]
    full_text_fields = ["title", "summary", "body"]  # indexed on PostgreSQL (cytokines.admin.search)
    rank_fields = ["title"]
    shown_with = ("faq_items",)  # the reading level and its "and FAQ" note
    shown_related = ("owner", "medical_reviewer")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cancer_types", "agents", "authors", "reviewers", "owner", "medical_reviewer",
                           "translation_of"]
    inlines = [ArticleReferenceInline, FaqItemInline, ReviewEventInline]
    list_select_related = ["owner", "medical_reviewer"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body", "is_featured"]}),
        ("Language", {"fields": ["language", "translation_of", "translation_base"]}),
        ("Topics", {"fields": ["cancer_types", "agents"]}),
        ("People", {"fields": ["authors", "reviewers", "owner", "medical_reviewer"]}),
        ("Review", {"fields": ["status", "last_revised", "last_reviewed", "next_review_due",
                               "review_interval_months", "review_needed", "published_at", "loaded_version"]}),
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [*self.schedule_urls(), *self.preview_link_urls(), *self.review_urls(), *self.translation_urls(),
                *super().get_urls()]  # fmt: skip

    def extra_change_context(self, request, page):
        return self.preview_link_context(request, page)

    def preview_context(self, revision, relations):
        return article_context(revision, agents=linked_agents(relations["agents"]))
