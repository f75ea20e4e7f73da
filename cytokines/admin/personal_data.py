"""Supporter care answers a person's request about their data: find, export, erase (one address at a time).

The page posts the address (never in a URL, which access logs keep) and each button calls a service in
``cytokines/privacy``. Only users with ``handle_personal_data`` (the Supporter care group; superusers)
may open it; everyone else gets 403 whatever the method. The audit list, the suppression list and the
consent wording versions are read-only here, except that a new wording version can be added.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from cytokines.admin.base import ReadOnlyAdmin
from cytokines.content.reviewed import Language
from cytokines.privacy.personal_data import supporter_data_erase, supporter_data_export, supporter_data_find
from cytokines.supporters.consent import consent_text_publish
from cytokines.supporters.privacy_models import ConsentText, PersonalDataRequest, SuppressedAddress
from cytokines.supporters.suppression import address_hash

PERMISSION = "cytokines.handle_personal_data"
KINDS = [("donations", "Donations"), ("subscription", "Newsletter subscription"), ("feedback", "Page feedback"),
         ("problem_reports", "Problem reports"), ("mail", "E-mails"), ("staff_accounts", "Staff accounts")]  # fmt: skip


@admin.register(PersonalDataRequest)
class PersonalDataRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "action", "performed_at", "performed_by", "records", "what"]
    list_filter = ["action"]
    search_fields = ["reference"]
    change_list_template = "admin/cytokines/personaldatarequest/change_list.html"

    @admin.display(description="records by kind")
    def what(self, obj):
        return format_html_join(", ", "{} {}", ((n, kind.replace("_", " ")) for kind, n in obj.counts.items()))

    def get_urls(self):
        return [
            path("find/", self.admin_site.admin_view(self.find_view), name="cytokines_personal_data_find"),
            *super().get_urls(),
        ]

    def find_view(self, request, *, email=None):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        action = request.POST.get("action", "find") if email is None else "find"
        email = email if email is not None else request.POST.get("email", "") if request.method == "POST" else ""
        found, status = None, 200
        if request.method == "POST":
            try:
                if action == "export":
                    return self._export(request, email)
                if action == "erase":
                    if request.POST.get("confirm") != "yes":
                        raise ValidationError("Tick the box to confirm that this is the person's own address "
                                              "and that they asked for erasure.")  # fmt: skip
                    done = supporter_data_erase(email, user=request.user)
                    messages.success(request, f"Erased {done.records} records ({done.reference}). The address is "
                                              "on the suppression list and will not be mailed again.")  # fmt: skip
                    email = ""
                else:
                    found = supporter_data_find(email)
            except ValidationError as problem:
                for text in problem.messages:
                    messages.error(request, text)
                status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": "Find, export or erase one person's data",
            "opts": self.model._meta,
            "email": email,
            "found": found,
            "sections": [(label, found[kind]) for kind, label in KINDS] if found else [],
            "changelist_url": reverse("admin:cytokines_personaldatarequest_changelist"),
        }
        return TemplateResponse(request, "admin/cytokines/personaldatarequest/find.html", context, status=status)

    def _export(self, request, email):
        document = supporter_data_export(email, user=request.user)
        response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{document["request"]}.json"'
        response["Cache-Control"] = "no-store"
        return response


@admin.register(SuppressedAddress)
class SuppressedAddressAdmin(ReadOnlyAdmin):
    """The list holds hashes; searching for an address hashes it first, so staff can check one."""

    list_display = ["short_hash", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["address_hash"]
    search_help_text = "Enter a whole e-mail address to see whether it is on the list."

    @admin.display(description="address (hashed)")
    def short_hash(self, obj):
        return obj.address_hash[:16] + "…"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(address_hash=address_hash(search_term)), False


class ConsentTextForm(forms.ModelForm):
    # English unless chosen: the wording readers of that language tick on the forms.
    language = forms.ChoiceField(choices=Language.choices, required=False, initial=Language.ENGLISH)

    class Meta:
        model = ConsentText
        fields = ["purpose", "language", "wording"]

    def clean_language(self):
        return self.cleaned_data.get("language") or Language.ENGLISH

    def clean(self):
        data = super().clean()
        wording = (data.get("wording") or "").strip()
        in_language = ConsentText.objects.filter(purpose=data.get("purpose"), language=data.get("language"))
        latest = in_language.order_by("-version").first()
        if latest is not None and latest.wording == wording:
            self.add_error("wording", "This is already the wording in force; change it to publish a new version.")
        return data


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Wording is never edited: "Add" publishes the next version; old versions stay, as people agreed to them."""

    form = ConsentTextForm
    list_display = ["purpose", "language", "version", "wording", "created_at", "created_by"]
    list_filter = ["purpose", "language"]
    fields = ["purpose", "language", "wording"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        purpose = request.GET.get("purpose") or ConsentText.Purpose.NEWSLETTER
        language = request.GET.get("language") or "en"
        latest = ConsentText.objects.filter(purpose=purpose, language=language).order_by("-version").first()
        initial = {"purpose": purpose, "language": language}
        return {**initial, "wording": latest.wording} if latest else initial

    def save_model(self, request, obj, form, change):
        published = consent_text_publish(purpose=obj.purpose, wording=obj.wording, user=request.user,
                                         language=obj.language)
        obj.pk, obj.version = published.pk, published.version


def find_this_persons_data(model_admin, request, queryset):
    """List action on donations and subscribers: the find page for the one selected record's address."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    emails = {e.lower() for e in queryset.values_list("email", flat=True) if e}
    if len(emails) != 1:
        model_admin.message_user(request, "Select records of one person (one e-mail address).", messages.ERROR)
        return None
    return model_admin.admin_site._registry[PersonalDataRequest].find_view(request, email=emails.pop())


find_this_persons_data.short_description = "Find, export or erase this person's data"
find_this_persons_data.allowed_permissions = ["handle_personal_data"]
