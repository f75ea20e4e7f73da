"""The reference admin's check panel: what verification found, and one-click fixes for Editors.

The buttons post here; the rules and the writes are in ``quality.fixes`` (Editors only, each fix an edit
of the reference that follows the review workflow's rule for reference edits).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from cytokines.admin.base import message_text
from cytokines.quality import fixes
from cytokines.quality.models import SOURCE_LABELS, ReferenceCheck
from cytokines.review import rules


class NoteForm(forms.Form):
    note = forms.CharField(max_length=fixes.NOTE_MAX_LENGTH, strip=True)


class SourceForm(forms.Form):
    source = forms.ChoiceField(choices=list(SOURCE_LABELS.items()))


class ReferenceCheckAdminMixin:
    """Adds the check panel to the reference change page, a status column and filter, and the fix endpoints."""

    def check_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/check/accept/", wrap(self.accept_view), name="cytokines_reference_accept_record"),
            path("<int:pk>/check/confirm-note/", wrap(self.confirm_note_view), name="cytokines_reference_confirm_note"),
            path("<int:pk>/check/dismiss-note/", wrap(self.dismiss_note_view), name="cytokines_reference_dismiss_note"),
        ]

    @admin.display(description="check", ordering="verification__status")
    def check_status(self, obj):
        check = getattr(obj, "verification", None)
        if check is None:
            return "not checked yet"
        return check.get_status_display() + (" · dead link" if check.link_status == check.LinkStatus.DEAD else "")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        check = ReferenceCheck.objects.filter(reference_id=object_id).first() if str(object_id).isdigit() else None
        extra_context["reference_check"] = check
        extra_context["may_fix_sources"] = rules.can_fix_sources(request.user)
        if check is not None:
            extra_context["mismatch_rows"] = check.mismatch_rows()
            extra_context["accept_sources"] = [(s, SOURCE_LABELS[s]) for s in check.sources_with_mismatches()]
        return super().change_view(request, object_id, form_url, extra_context)

    def _fix(self, request, pk, form_class, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        check = get_object_or_404(ReferenceCheck, reference_id=pk)
        if not rules.can_fix_sources(request.user):
            raise PermissionDenied
        form = form_class(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            self.message_user(request, action(check, form.cleaned_data))
        except ValidationError as problem:
            self.message_user(request, message_text(problem), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:cytokines_reference_change", args=[pk]))

    def accept_view(self, request, pk):
        def accept(check, data):
            changed = fixes.accept_record_values(check=check, source=data["source"], user=request.user)
            fields = ", ".join(changed).lower()
            return f"Accepted {SOURCE_LABELS[data['source']]}'s {fields}: saved as an edit of this reference."

        return self._fix(request, pk, SourceForm, accept)

    def confirm_note_view(self, request, pk):
        def confirm(check, data):
            note = fixes.confirm_availability_note(check=check, user=request.user, note=data["note"])
            return f"Confirmed: “{note}” is saved as this reference's availability note for readers."

        return self._fix(request, pk, NoteForm, confirm)

    def dismiss_note_view(self, request, pk):
        def dismiss(check, data):
            fixes.dismiss_proposed_note(check=check, user=request.user)
            return "Dismissed: nothing changes for readers."

        return self._fix(request, pk, forms.Form, dismiss)
