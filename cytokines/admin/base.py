"""What every content admin shares: size-limited imports, the cache write path, workflow permissions.

Permissions for reviewed content (articles, agents and their inlines) come from one source, the
workflow's ``can_edit``; the history page's restore goes through the same check and never restores
status or dates.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import path
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from cytokines.admin.people import PeopleAutocompleteMixin
from cytokines.admin.ranking import RankedSearchMixin
from cytokines.admin.widgets import PreloadedAutocompleteMixin, PreloadedChoicesFormSet, with_chosen
from cytokines.content.rendering import render_markdown
from cytokines.quality import reading
from cytokines.review import workflow, writes
from cytokines.transfer import templates
from cytokines.transfer.limits import MAX_IMPORT_BYTES, LimitExceeded
from cytokines.transfer.resources import CONTENT_RESOURCES
from cytokines.transfer.spreadsheets import SPREADSHEET_FORMATS
from cytokines.transfer.tables import UnreadableFile

REVIEW_DATE_FIELDS = ["last_reviewed", "next_review_due", "review_interval_months", "last_revised"]
# What a history restore never copies from an old version: the workflow alone moves these.
NOT_RESTORED = {"id", "status", "published_at", "last_revised", "last_reviewed", "next_review_due", "review_needed",
                "version", "live_revision", "search_document", "created_at", "updated_at"}  # fmt: skip


class SizeLimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                f"The file is {upload.size / 1e6:.1f} MB; the limit is {MAX_IMPORT_BYTES / 1e6:.0f} MB. Split it."
            )
        return upload


class PublicContentAdmin(RankedSearchMixin, ImportExportMixin, admin.ModelAdmin):
    """Any change an editor saves here may show on public pages: the cache write path runs once it commits.

    Import and export (CSV, XLSX, JSON) go through the resources in ``transfer.resources``; an import shows
    a dry-run preview with per-row errors first and is saved all or nothing.
    """

    formats = SPREADSHEET_FORMATS
    import_form_class = SizeLimitedImportForm
    import_template_name = "admin/cytokines/import.html"

    def import_kind(self):
        return next((kind for kind, r in CONTENT_RESOURCES.items() if r in self.resource_classes), None)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.import_template_view)
        return [path("import-template.<str:fmt>", view, name="{}_{}_import_template".format(*info)),
                *super().get_urls()]  # fmt: skip

    def import_template_view(self, request, fmt):
        """A blank file with this kind's columns and what each accepts (CSV or XLSX)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if fmt not in templates.TEMPLATES or self.import_kind() is None:
            raise Http404
        build, content_type = templates.TEMPLATES[fmt]
        response = HttpResponse(build(self.import_kind()), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.import_kind()}-template.{fmt}"'
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        """The file cannot be read: say why in words (the library names the exception's class)."""
        if isinstance(e, LimitExceeded | UnreadableFile):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", "The file cannot be read in the format chosen; check its format.")

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        for note in getattr(result, "row_notes", []):  # per row: e.g. a published page's pending revision
            self.message_user(request, note, messages.WARNING)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        writes.content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        writes.content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        writes.content_changed()


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("30", "Due in 30 days"), ("60", "Due in 60 days"), ("90", "Due in 90 days")]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() in {"30", "60", "90"}:
            return queryset.due_within(int(self.value()))
        return queryset


class WorkflowPermissionMixin:
    """Change permission for reviewed content comes from the workflow, never from model permissions alone."""

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return workflow.can_edit_kind(request.user, self.model)
        return workflow.can_edit(request.user, obj)


class ReviewedContentAdmin(
    PeopleAutocompleteMixin, PreloadedAutocompleteMixin, WorkflowPermissionMixin, PublicContentAdmin, SimpleHistoryAdmin
):
    """What articles and agents share: workflow permissions, lost-edit protection, editor-only review dates,
    owner and medical-reviewer search boxes."""

    markdown_fields = ("body",)  # shown rendered, as readers see them, to people who may only read the page
    shown_with = ()  # related rows the change form reads more than once (prefetched with the page)
    shown_related = ("owner",)  # people the form's search boxes show (read with the page)

    def get_urls(self):
        return [*self.people_autocomplete_urls(), *super().get_urls()]

    def get_object(self, request, object_id, from_field=None):
        # Showing the change form, the translation panel and the reading level all ask for the page: one read.
        # Only when nothing is written: a POST's form changes its instance, which a refusal check must not see.
        if request.method != "GET":
            return super().get_object(request, object_id, from_field)
        cache = request.__dict__.setdefault("_shown_pages", {})
        key = (self.model, str(object_id), from_field)
        if key not in cache:
            cache[key] = self._shown_page(request, object_id, from_field)
        return cache[key]

    def _shown_page(self, request, object_id, from_field):
        """``get_object`` with the live revision (the review panel compares with it) and ``shown_with`` read in
        the same visit."""
        queryset = self.get_queryset(request).select_related("live_revision", *self.shown_related)
        queryset = queryset.prefetch_related(*self.shown_with)
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def view_on_site(self, obj):
        # Only a page readers can see has a place on the site; a draft's or an archived page's link would 404.
        return obj.get_absolute_url() if obj.live_revision_id is not None else None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        change_page = (getattr(request.resolver_match, "url_name", "") or "").endswith("_change")
        if obj is None or not change_page or self.has_change_permission(request, obj):
            return fieldsets  # the history pages build their own forms from these names: model fields only
        rendered = [f for f in self.markdown_fields if hasattr(obj, f)]
        return [(name, {**options, "fields": [f"{f}_rendered" if f in rendered else f for f in options["fields"]]})
                for name, options in fieldsets]  # fmt: skip

    @admin.display(description="text (as readers see it)")
    def body_rendered(self, obj):
        return render_markdown(obj.body)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "published_at", "review_needed"]
        if not workflow.can_edit_review_dates(request.user):
            readonly += REVIEW_DATE_FIELDS
        else:
            # The workflow alone moves the dates (publish, confirm review, the bulk date actions).
            readonly += [name for name in REVIEW_DATE_FIELDS if name != "review_interval_months"]
        return readonly

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, object_id)
            refusal = current is not None and workflow.edit_refusal(request.user, current)
            if refusal:
                raise PermissionDenied(refusal)  # the reason, as an admin message (admin.refusals)
        # Editors see how hard the page is to read (never readers): measured on each view of the form, stored
        # only when the page is saved.
        page = self.get_object(request, object_id) if request.method == "GET" else None
        if page is not None and reading.measurable(page):
            extra_context = {**(extra_context or {}), "reading": reading.report_for(page)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            writes.save_new_version(obj)
        else:
            obj.save()
        writes.content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Measured once its FAQ and side effects are saved too, so the dashboard's reading list is current.
        if reading.measurable(form.instance):
            reading.measure_page(form.instance)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring an old version is an edit: only for people who may edit the page now, and it restores
        the text only, never the status or the review dates (those belong to the workflow)."""
        current = self.get_object(request, object_id)
        if current is None:
            raise PermissionDenied
        if request.method == "POST":
            refusal = workflow.edit_refusal(request.user, current)
            if refusal:
                raise PermissionDenied(f"Restoring an old version is an edit. {refusal}")
            request._restore_onto = current
            version = self.model.history.filter(id=current.pk, history_id=version_id).first()
            if version is None:
                raise PermissionDenied("That version is not in this page's history.")
            request._restored_version = f"the version of {version.history_date:%Y-%m-%d %H:%M}"
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        current = getattr(request, "_restore_onto", None)
        if current is not None:
            for name in NOT_RESTORED:
                if hasattr(current, name):
                    setattr(obj, name, getattr(current, name))
        return obj

    @admin.display(description="review", boolean=True)
    def review_ok(self, obj):
        return not (obj.is_review_overdue or obj.review_needed)


class WorkflowInline(PreloadedAutocompleteMixin):
    """Inline rows (FAQ items, references, approvals) are editable exactly when their page is; their search boxes
    show what the rows hold without a query per row."""

    formset = PreloadedChoicesFormSet

    def get_queryset(self, request):
        return with_chosen(super().get_queryset(request), self.get_autocomplete_fields(request))

    def has_add_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or workflow.can_edit(request.user, obj)


def message_text(problem):
    return " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def action_form_response(model_admin, request, queryset, form, action, title):
    """The intermediate page of a bulk action that needs input (a form), then posts back to the action."""
    from django.template.response import TemplateResponse

    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": model_admin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/cytokines/action_form.html", context)
