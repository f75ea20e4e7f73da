"""Newsletter issues: Editors compose, preview and test; a second Editor approves; then it is sent.

The admin only routes: every rule (who may approve, what may be sent, batches) is in
``supporters/newsletter_issues.py``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cytokines.content.articles import Article
from cytokines.content.reviewed import Language
from cytokines.review.rules import EDITOR, user_groups
from cytokines.supporters import newsletter_issues as issues
from cytokines.supporters.issue_models import NewsletterIssue

Status = NewsletterIssue.Status
ACTIONS = {
    "test": (issues.issue_send_test, "A test is on its way to {email}."),
    "approve": (issues.issue_approve, "Approved: any Editor can now send it."),
    "send": (issues.issue_start_sending, "Sending: every confirmed subscriber is queued; the report fills in."),
}


class NewsletterIssueForm(forms.ModelForm):
    # English unless chosen: the issue goes to the confirmed subscribers who signed up in its language.
    language = forms.ChoiceField(choices=Language.choices, required=False, initial=Language.ENGLISH,
                                 help_text="Sent only to subscribers who signed up in this language.")

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "language", "introduction", "pages"]

    def clean_language(self):
        return self.cleaned_data.get("language") or Language.ENGLISH


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    form = NewsletterIssueForm
    list_display = ["subject", "status", "created_by", "approved_by", "send_started_at"]
    list_filter = ["status"]
    fields = ["subject", "language", "introduction", "pages"]
    filter_horizontal = ["pages"]
    change_form_template = "admin/cytokines/newsletterissue/change_form.html"

    def _is_editor(self, request):
        return EDITOR in user_groups(request.user)

    def has_add_permission(self, request):
        return self._is_editor(request)

    def has_change_permission(self, request, obj=None):
        return self._is_editor(request) and (obj is None or obj.status in (Status.DRAFT, Status.APPROVED))

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "pages":  # published pages only, newest review first
            kwargs["queryset"] = Article.objects.published().order_by("-last_reviewed", "title")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "pages":
            field.widget.can_add_related = False  # an issue lists reviewed pages; it never creates one
        return field

    def save_model(self, request, obj, form, change):
        issues.issue_record_edit(issue=obj, user=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="cytokines_newsletterissue_preview"),
            path("<int:pk>/do/<str:action>/", view(require_POST(self.action_view)),
                 name="cytokines_newsletterissue_action"),  # fmt: skip
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        subject, body, _ = issues.issue_render(issue)
        context = {**self.admin_site.each_context(request), "title": f"Preview: {subject}", "issue": issue,
                   "subject": subject, "body": body, "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/cytokines/newsletterissue/preview.html", context)

    def action_view(self, request, pk, action):
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if action not in ACTIONS:
            raise PermissionDenied
        service, done = ACTIONS[action]
        try:
            service(issue=issue, user=request.user)
        except (ValidationError, PermissionDenied) as refused:
            text = "; ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
            messages.error(request, text)
        else:
            messages.success(request, done.format(email=request.user.email))
        return redirect(reverse("admin:cytokines_newsletterissue_change", args=[issue.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = NewsletterIssue.objects.filter(pk=object_id).first()
        extra = {}
        if issue is not None:
            extra = {
                "issue_report": issues.issue_report(issue) if issue.status in (Status.SENDING, Status.SENT) else None,
                "preview_url": reverse("admin:cytokines_newsletterissue_preview", args=[issue.pk]),
                "can_act": self._is_editor(request),
                "action_urls": {
                    name: reverse("admin:cytokines_newsletterissue_action", args=[issue.pk, name]) for name in ACTIONS
                },
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})
