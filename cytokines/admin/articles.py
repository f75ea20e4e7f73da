"""Admin for articles: the change page with review buttons, the transition endpoint and the preview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cytokines.admin.base import ReviewDueFilter, ReviewedContentAdmin, WorkflowInline
from cytokines.admin.forms import ArticleAdminForm, TransitionForm
from cytokines.admin.preview_links import PreviewLinkAdminMixin
from cytokines.admin.schedule import ReviewScheduleMixin
from cytokines.admin.widgets import PreloadedAutocompleteSelect, PreloadedChoicesFormSet
from cytokines.content.agents import Agent
from cytokines.content.articles import Article, ArticleReference, FaqItem
from cytokines.public.pages import article_context
from cytokines.review import compare, publishing, rules, snapshots, workflow
from cytokines.review.models import ReviewEvent
from cytokines.transfer.resources import ArticleResource


class ArticleReferenceFormSet(PreloadedChoicesFormSet):
    preloaded_field = "reference"


class ArticleReferenceInline(WorkflowInline, admin.TabularInline):
    model = ArticleReference
    formset = ArticleReferenceFormSet
    extra = 0
    autocomplete_fields = ["reference"]
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reference")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reference":
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FaqItemInline(WorkflowInline, admin.StackedInline):
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
class ArticleAdmin(PreviewLinkAdminMixin, ReviewScheduleMixin, ReviewedContentAdmin):
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
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "language", "summary", "body", "is_featured"]}),
        ("Topics", {"fields": ["cancer_types", "agents"]}),
        ("People", {"fields": ["authors", "reviewers", "owner", "medical_reviewer"]}),
        ("Review", {"fields": ["status", "last_revised", "last_reviewed", "next_review_due",
                               "review_interval_months", "review_needed", "published_at", "loaded_version"]}),
    ]  # fmt: skip

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)
        if change and form.has_changed():  # also a history restore, which saves only the form
            self._record_edit(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            self._record_edit(request, form.instance)

    def _record_edit(self, request, obj):
        """Once per save: a live page gets (or keeps) its pending revision; the edit joins the review history."""
        if not getattr(request, "_edit_recorded", False):
            workflow.record_edit(page=obj, user=request.user)
            request._edit_recorded = True

    # --- extra pages ---
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            *self.schedule_urls(),
            *self.preview_link_urls(),
            path("<int:pk>/transition/", wrap(self.transition_view), name="cytokines_article_transition"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="cytokines_article_preview"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context["transitions"] = workflow.available_transitions(request.user, article)
            if any(t.name == "approve_medical" for t in extra_context["transitions"]):
                extra_context["checklist"] = workflow.current_checklist()
            extra_context["transition_url"] = reverse("admin:cytokines_article_transition", args=[article.pk])
            extra_context["preview_url"] = reverse("admin:cytokines_article_preview", args=[article.pk])
            extra_context["live_revision"] = article.live_revision
            extra_context.update(self.preview_link_context(request, article))
            extra_context["publication_missing"] = publishing.missing_for_publication(article)
            if article.live_revision is not None and article.status != Article.Status.PUBLISHED:
                comparison = extra_context["comparison"] = compare.pending_comparison(article)
                typo_problems = extra_context["typo_problems"] = rules.typo_fix_problems(comparison)
                if typo_problems:  # the workflow would refuse it: do not offer the button
                    extra_context["transitions"] = [t for t in extra_context["transitions"]
                                                    if t.name != "publish_typo_fix"]  # fmt: skip
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
                    comment=form.cleaned_data["comment"], checklist=request.POST.getlist("checklist"),
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
        """The working copy as readers will see it once published: the same snapshot publishing would make."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        revision, relations = snapshots.build_revision(article, number=0)
        context = article_context(revision, agents=Agent.objects.filter(pk__in=relations["agents"]).order_by("name"))
        context.update(preview=True, status=article.get_status_display(), live_revision=article.live_revision)
        if article.live_revision is not None:
            context["comparison"] = compare.pending_comparison(article)
        return TemplateResponse(request, "cytokines/article_detail.html", context)
