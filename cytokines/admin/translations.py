"""Translations on the article and fact-sheet change pages: the source and language fields, the version the
translation is based on, what changed in the English page since, and "Bring up to date" (review.translations
decides; nothing here is a rule)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from cytokines.content.reviewed import SOURCE_LANGUAGE
from cytokines.content.translations import out_of_date
from cytokines.review import rules, translations

# What a translation may translate: an English page that is not itself a translation (the box and its search).
SOURCE_PAGES = Q(language=SOURCE_LANGUAGE, translation_of=None)


class TranslationAdminMixin:
    """For an admin of a translatable reviewed kind (articles, agents)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user  # the form asks the rules whether this person may write this language
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            kwargs["queryset"] = self.model._default_manager.filter(SOURCE_PAGES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The "translation of" box is a search box (a select of every English page was 8 MB at 100,000
        # articles); it offers English source pages only, as the form accepts.
        if request.GET.get("field_name") == "translation_of":
            queryset = queryset.filter(SOURCE_PAGES)
        return super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_base"]

    @admin.display(description="based on the English version")
    def translation_base(self, obj):
        if obj is None or obj.translation_of_id is None:
            return "—"
        base = obj.source_revision
        if base is None:
            return "None yet: the English page is not published."
        note = " (an older English version: see the changes above)" if translations.needs_new_base(obj) else ""
        return f"Revision {base.number}, live from {base.created_at:%Y-%m-%d}{note}"

    def save_model(self, request, obj, form, change):
        translations.start_translation(obj)
        super().save_model(request, obj, form, change)

    def translation_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_bring_up_to_date"
        return [path("<int:pk>/bring-up-to-date/", self.admin_site.admin_view(self.bring_up_to_date_view), name=name)]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        page = self.get_object(request, object_id)
        if page is not None and page.translation_of_id is not None:
            name = f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_bring_up_to_date"
            extra_context.update(
                translation_source=page.translation_of,
                source_comparison=translations.source_changes(page),
                translation_out_of_date=out_of_date(page),
                bring_up_to_date_url=reverse(name, args=[page.pk]),
                may_bring_up_to_date=rules.can_edit(request.user, page) and translations.needs_new_base(page),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def bring_up_to_date_view(self, request, pk):
        change_url = reverse(f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[pk])
        page = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, page):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        try:
            translations.bring_up_to_date(page=page, user=request.user)
        except PermissionDenied:
            raise
        except ValidationError as invalid:
            self.message_user(request, " ".join(invalid.messages), messages.ERROR)
        else:
            self.message_user(request, "This translation is now based on the English page's live version. Change "
                              "the words the comparison shows, then send it for medical review.")  # fmt: skip
        return HttpResponseRedirect(change_url)
