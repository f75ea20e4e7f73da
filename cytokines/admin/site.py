"""Admin for site settings and trust pages: Editors propose, a second Editor approves (``review.site_versions``).

The approve button is a submit button of the change form itself, so pressing it with unsaved text never
loses the text: the form is saved first, and a version someone just changed goes back for a second Editor.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from cytokines.content import site_reads
from cytokines.content.rendering import render_markdown
from cytokines.content.reviewed import Language
from cytokines.content.site import ImpactLine, SiteSettings, TrustPage
from cytokines.review import site_versions

APPROVAL_FIELDS = ["status", "proposed_by", "changed_by", "approved_by", "approved_at"]


class ApprovedVersionAdmin(admin.ModelAdmin):
    """Shared behaviour: proposals are edited, live and replaced versions are read-only records."""

    change_form_template = "admin/cytokines/approved_version_change_form.html"
    list_display = ["__str__", "status", "proposed_by", "approved_by", "approved_at"]
    list_filter = ["status"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # a change starts as a copy of the live version: "Propose a change"

    def has_change_permission(self, request, obj=None):
        return site_versions.is_editor(request.user) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return site_versions.is_editor(request.user) and obj is not None and obj.is_editable

    def get_readonly_fields(self, request, obj=None):
        return APPROVAL_FIELDS

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("propose/", self.admin_site.admin_view(self.propose_view), name="{}_{}_propose".format(*info)),
            *super().get_urls(),
        ]

    def propose_view(self, request):
        if request.method != "POST":
            self.message_user(request, "Propose a change with the button on the live version's page.", messages.INFO)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        kind, language = request.POST.get("kind") or None, request.POST.get("language") or "en"
        if self.model is TrustPage and (kind not in TrustPage.Kind.values or language not in Language.values):
            raise PermissionDenied("Unknown page.")
        try:
            proposal = site_versions.version_propose(model=self.model, user=request.user, kind=kind, language=language)
        except PermissionDenied as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        self.message_user(request, "Change the version below and save; a second Editor then approves it.")
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[proposal.pk])
        )

    def save_model(self, request, obj, form, change):
        if form.has_changed() or not change:
            site_versions.version_record_change(version=obj, user=request.user)
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_approve" not in request.POST:
            return super().response_change(request, obj)
        obj.refresh_from_db()
        refusal = site_versions.approval_refusal(request.user, obj)
        if refusal:
            # Whatever was typed is already saved; the editor reads why it did not go live.
            self.message_user(request, f"Saved, but not made live: {refusal}", messages.WARNING)
        else:
            site_versions.version_approve(version=obj, user=request.user)
            self.message_user(request, "Approved: readers now see this version.", messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = get_object_or_404(self.model, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "approval_refusal": site_versions.approval_refusal(request.user, obj),
            "may_propose": site_versions.is_editor(request.user) and obj.status == obj.Status.LIVE,
            "propose_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_propose"),
            "who_may_change": "Editors propose changes; a second Editor approves them before readers see them.",
        }
        return super().change_view(request, object_id, form_url, extra_context)


class ImpactLineInline(admin.TabularInline):
    model = ImpactLine
    extra = 1

    def has_add_permission(self, request, obj=None):
        return site_versions.is_editor(request.user) and (obj is None or obj.is_editable)

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff


@admin.register(SiteSettings)
class SiteSettingsAdmin(ApprovedVersionAdmin):
    inlines = [ImpactLineInline]
    fieldsets = [
        ("Organization", {"fields": ["site_name", "organisation_name", "charity_number_label", "charity_number"]}),
        ("Helpline", {"fields": ["helpline_phone", "helpline_hours"]}),
        ("Money", {"fields": ["currency_code", "currency_symbol", "tax_wording"]}),
        ("Words and time", {"fields": ["funding_statement", "spelling", "time_zone"]}),
        ("For Spanish readers", {
            "fields": ["helpline_hours_es", "tax_wording_es", "funding_statement_es"],
            "description": "The same words in Spanish, approved with the rest of this version. Left blank, Spanish "
                           "pages show the English.",
        }),
        ("Approval", {"fields": APPROVAL_FIELDS}),
    ]


@admin.register(TrustPage)
class TrustPageAdmin(ApprovedVersionAdmin):
    list_display = ["kind", "language", "title", "status", "proposed_by", "approved_by", "approved_at"]
    list_filter = ["kind", "language", "status"]
    fields = ["kind", "language", "title", "summary", "body", "rendered", *APPROVAL_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["kind", "language", "rendered", *APPROVAL_FIELDS]

    @admin.display(description="As readers see it")
    def rendered(self, obj):
        # Tokens such as [[helpline_phone]] are filled in from the live settings, as on the public page.
        site = site_reads.live_site_settings().in_language(obj.language)
        html = site_reads.render_trust_page(obj, site) if obj.pk else render_markdown("")
        return format_html('<div class="rendered-markdown">{}</div>', html)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.status == obj.Status.LIVE else None
