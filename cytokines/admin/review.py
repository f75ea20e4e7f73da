"""The review workflow on every reviewed kind's change page: buttons, the transition endpoint, the preview,
the pending-revision banner and the record of each edit.

Articles and agents (and any later reviewed kind) mix ``ReviewWorkflowAdminMixin`` into their admin and
say how their preview is rendered (``preview_template``, ``preview_context``). No rule lives here: the
steps and who may take them are the workflow's.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cytokines.admin.forms import TransitionForm
from cytokines.admin.refusals import refused
from cytokines.review import compare, publishing, rules, snapshots, workflow
from cytokines.review.models import ReviewEvent


class ReviewEventInline(admin.TabularInline):
    model = ReviewEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor_name", "role", "step", "from_status", "to_status", "comment"]
    readonly_fields = fields
    verbose_name_plural = "Review history (permanent record)"

    @admin.display(description="step")
    def step(self, obj):
        return obj.action_words  # "Approved medical content", never the stored code

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewWorkflowAdminMixin:
    """Review steps for a reviewed kind's admin. A save of a page is an edit of its pending revision."""

    change_form_template = "admin/cytokines/reviewed_change_form.html"
    preview_template = None  # the public template the preview renders

    def preview_context(self, revision, relations):
        raise NotImplementedError

    def extra_change_context(self, request, page):
        """More for the change page's context (a kind's own panels)."""
        return {}

    def _url_name(self, action):
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{action}"

    # --- edits ---
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        restored = getattr(request, "_restored_version", None)
        if restored is not None:
            # A restore from the version history is always an edit (its form starts from the old version, so
            # it may look unchanged): a live page's pending revision, never a live change, status or date.
            self._record_edit(request, obj, comment=f"Restored from the version history ({restored})")
        elif change and form.has_changed():
            self._record_edit(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            self._record_edit(request, form.instance)

    def _record_edit(self, request, obj, comment=""):
        """Once per save: a live page gets (or keeps) its pending revision; the edit joins the review history."""
        if not getattr(request, "_edit_recorded", False):
            workflow.record_edit(page=obj, user=request.user, comment=comment)
            request._edit_recorded = True

    # --- pages ---
    def review_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/transition/", wrap(self.transition_view), name=self._url_name("transition")),
            path("<int:pk>/preview/", wrap(self.preview_view), name=self._url_name("preview")),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        page = self.get_object(request, object_id)
        if page is not None:
            extra_context["transitions"] = workflow.available_transitions(request.user, page)
            if any(t.name == "approve_medical" for t in extra_context["transitions"]):
                extra_context["checklist"] = workflow.current_checklist()
            extra_context["transition_url"] = reverse(f"admin:{self._url_name('transition')}", args=[page.pk])
            extra_context["preview_url"] = reverse(f"admin:{self._url_name('preview')}", args=[page.pk])
            extra_context["live_revision"] = page.live_revision
            extra_context["publication_missing"] = publishing.missing_for_publication(page)
            extra_context["read_only_notice"] = workflow.edit_refusal(request.user, page)
            extra_context.update(self.extra_change_context(request, page))
            if page.live_revision is not None and page.status != page.Status.PUBLISHED:
                comparison = extra_context["comparison"] = compare.pending_comparison(page)
                typo_problems = extra_context["typo_problems"] = rules.typo_fix_problems(comparison)
                if typo_problems:  # the workflow would refuse it: do not offer the button
                    extra_context["transitions"] = [t for t in extra_context["transitions"]
                                                    if t.name != "publish_typo_fix"]  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk):
        change_url = reverse(f"admin:{self._url_name('change')}", args=[pk])
        if request.method != "POST":
            self.message_user(request, "Take a review step with the buttons on the page.", messages.INFO)
            return HttpResponseRedirect(change_url)
        page = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "That review step is not known.", messages.ERROR)
        else:
            try:
                page = workflow.transition(
                    page=page, user=request.user, name=form.cleaned_data["transition"],
                    comment=form.cleaned_data["comment"], checklist=request.POST.getlist("checklist"),
                )  # fmt: skip
            except PermissionDenied as refusal:
                return refused(request, str(refusal))  # the workflow's reason, in the admin's message box
            except ValidationError as invalid:
                self.message_user(request, " ".join(invalid.messages), messages.ERROR)
            else:
                noun = self.model._meta.verbose_name
                self.message_user(request, f"Done: the {noun} is now {page.get_status_display().lower()}.")
        return HttpResponseRedirect(change_url)

    def preview_view(self, request, pk):
        """The working copy as readers will see it once published: the same snapshot publishing would make."""
        page = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        revision, relations = snapshots.build_revision(page, number=0)
        context = self.preview_context(revision, relations)
        context.update(preview=True, status=page.get_status_display(), live_revision=page.live_revision)
        if page.live_revision is not None:
            context["comparison"] = compare.pending_comparison(page)
        return TemplateResponse(request, self.preview_template, context)
