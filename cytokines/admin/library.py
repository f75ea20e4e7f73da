"""Admin for the shared library: cancer types, references (with citation-manager import) and contributors."""

import json
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cytokines.admin.base import PublicContentAdmin
from cytokines.admin.sources import ReferenceCheckAdminMixin
from cytokines.content.interests import DeclaredInterest
from cytokines.content.library import CancerType, Contributor, Reference
from cytokines.review import pending
from cytokines.transfer import citations
from cytokines.transfer.limits import MAX_IMPORT_BYTES, megabytes
from cytokines.transfer.resources import CancerTypeResource, ContributorResource, ReferenceResource


@admin.register(CancerType)
class CancerTypeAdmin(PublicContentAdmin):
    resource_classes = [CancerTypeResource]
    list_display = ["name", "slug"]
    search_fields = ["name", "summary"]
    rank_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Reference)
class ReferenceAdmin(ReferenceCheckAdminMixin, PublicContentAdmin):
    resource_classes = [ReferenceResource]
    change_list_template = "admin/cytokines/reference/change_list.html"
    change_form_template = "admin/cytokines/reference/change_form.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "container", "year", "doi", "pmid", "availability_note", "check_status"]
    list_select_related = ["verification"]
    list_filter = ["verification__status", "verification__link_status", "year"]
    search_fields = ["authors", "title", "container", "doi", "pmid"]
    rank_fields = ["title", "authors", "doi", "pmid"]
    fieldsets = [
        (None, {"fields": ["authors", "title", "container", "year", ("volume", "issue", "pages")]}),
        ("Identifiers and links", {"fields": [("doi", "pmid"), "url", "accessed_on", "availability_note"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            # A reference is shared: each page citing it gets (or continues) a pending revision with the change;
            # readers keep seeing the citation their live revision froze.
            pages = pending.reference_edited(obj, user=request.user)
            if pages:
                self.message_user(request, f"{len(pages)} page(s) citing it now have the change in their pending "
                                  "revision, for review: " + ", ".join(str(page) for page in pages[:10]) + ". "
                                  "Readers see the reviewed citation until then.", messages.WARNING)  # fmt: skip

    def delete_model(self, request, obj):
        pending.reference_edited(obj, user=request.user)  # fact sheets citing it lose it: an edit of each
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for reference in queryset:
            pending.reference_edited(reference, user=request.user)
        super().delete_queryset(request, queryset)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_citations_view)
        return [path("import-citations/", view, name="cytokines_reference_import_citations"), *self.check_urls(),
                *super().get_urls()]  # fmt: skip

    def import_citations_view(self, request):
        """Upload RIS, BibTeX, MEDLINE or CSL-JSON; preview what is new and what is already stored; confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Import references from a citation manager",
            "opts": self.model._meta,
            "formats": citations.PARSERS,
        }
        if request.method == "POST":
            try:
                entries = self._citation_entries(request)
                rows = citations.preview(entries)
                if "confirm" in request.POST:
                    count = citations.save_new(rows)
                    self.message_user(request, f"Added {count} reference(s); {len(rows) - count} were already stored.")
                    return HttpResponseRedirect(reverse("admin:cytokines_reference_changelist"))
                context.update(rows=rows, entries_json=json.dumps(entries), can_save=not any(r.errors for r in rows))
            except (citations.CitationFileError, ValidationError) as problem:
                context["problems"] = problem.messages if isinstance(problem, ValidationError) else problem.problems
        return TemplateResponse(request, "admin/cytokines/import_citations.html", context)

    def _citation_entries(self, request):
        if "entries" in request.POST:  # the confirm step re-sends what the preview showed; checked again
            return json.loads(request.POST["entries"])
        upload = request.FILES.get("citation_file")
        if upload is None:
            raise citations.CitationFileError("Choose a file to upload.")
        if upload.size > MAX_IMPORT_BYTES:
            raise citations.CitationFileError(f"The file is larger than the limit of {megabytes(MAX_IMPORT_BYTES)}.")
        kind = request.POST.get("format") or citations.EXTENSIONS.get(Path(upload.name).suffix.lower())
        if kind not in citations.PARSERS:
            raise citations.CitationFileError(
                f"“{Path(upload.name).suffix or upload.name}” is not a citation file extension we know; choose "
                "the file's format: RIS, BibTeX, PubMed/MEDLINE or CSL-JSON."
            )
        return citations.read_file(upload.read(), kind)


class DeclaredInterestInline(admin.TabularInline):
    model = DeclaredInterest
    extra = 0
    fields = ["description", "agents", "declared_on"]
    autocomplete_fields = ["agents"]


@admin.register(Contributor)
class ContributorAdmin(PublicContentAdmin):
    resource_classes = [ContributorResource]
    inlines = [DeclaredInterestInline]
    list_display = ["name", "credentials", "role", "user", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "credentials", "bio"]
    rank_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
