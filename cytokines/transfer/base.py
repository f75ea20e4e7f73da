"""What every content resource shares: limits checked before any row, headers an editor may write in
their own way, model validation, messages naming row, column and value, and the cache write path.

Imports never publish: new articles and agents arrive as drafts; a row that changes a live page changes
its pending revision, never what readers see (``review.pending.imported``), and the report says so per row;
an archived page is refused (``ReviewedContentResource.check_may_change``).
"""

import re

from django.core.exceptions import ValidationError
from import_export import resources

from cytokines.content.reviewed import ReviewedContent
from cytokines.review import pending, writes
from cytokines.transfer import limits
from cytokines.transfer.choices import CellProblems


def header_key(name):
    """"Agent class", "agent_class" and " AGENT  CLASS " are one column."""
    return re.sub(r"[\s_]+", " ", str(name or "")).strip().casefold()


class ContentResource(resources.ModelResource):
    """Shared behaviour: row limit, header matching, model validation, cache invalidation after an import."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.row_notes = []  # what an editor should know about a row that imported: "Row 3: …"

    def import_data(self, dataset, *args, **kwargs):
        """Refuse a file over the row limit, or without the column that identifies rows, at once: one
        message, before any row is looked at."""
        try:
            limits.check_rows(len(dataset))
            self.match_headers(dataset)
        except (limits.LimitExceeded, ValidationError) as problem:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            message = " ".join(problem.messages) if isinstance(problem, ValidationError) else str(problem)
            result.append_base_error(self.get_error_result_class()(message))
            return result
        return super().import_data(dataset, *args, **kwargs)

    def missing_id_columns(self, headers):
        columns = [self.fields[name].column_name for name in self.get_import_id_fields()]
        return [column for column in columns if column not in headers]

    def column_for(self, name):
        """The column an error about ``name`` (a field's attribute or a column) should name."""
        for field in self.fields.values():
            if name in (field.attribute, field.column_name):
                return field.column_name
        return name

    def match_headers(self, dataset):
        """Match the file's headers to ours whatever their case and spacing, and by field name too."""
        known = {}
        for field in self.fields.values():
            for alias in (field.column_name, field.attribute):
                if alias:
                    known.setdefault(header_key(alias), field.column_name)
        if dataset.headers:
            dataset.headers = [known.get(header_key(h), h) for h in dataset.headers]
        missing = self.missing_id_columns(dataset.headers or [])
        if missing:
            raise ValidationError(
                f"The file has no column “{missing[0]}”: it says which row is which, so every file needs it. "
                f"Columns found: {', '.join(map(str, dataset.headers or [])) or 'none'}."
            )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.row_notes = list(self.row_notes)  # for the admin's preview and report
        if not kwargs.get("dry_run"):
            writes.content_changed()


class ReviewedContentResource(ContentResource):
    """Articles and agents: the draft rule, the review dates, and related rows read from cells."""

    # column -> function reading the cell (raises ValueError with a message for the editor); the results
    # wait in instance._imported until the row is saved, then after_save_instance writes them.
    related_cells = {}

    def check_may_change(self, instance, row_number):
        """Files change drafts and the pending revisions of live pages, never an archived page; say so in
        words (before any validation runs, so no database constraint's name ever reaches the editor)."""
        if instance.pk is None:
            return
        stored = type(instance).objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if stored == ReviewedContent.Status.ARCHIVED:
            raise ValidationError(
                f"“{instance}” is archived; restore it to a draft in the admin before a file may change it."
            )

    def import_instance(self, instance, row, **kwargs):
        self.check_may_change(instance, kwargs.get("row_number"))
        # What readers would see of the stored page, to tell afterwards whether this row changed it.
        self._loaded = (instance, pending.readers_view(instance) if instance.pk else None)
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
        if instance.pk is not None:
            kept = pending.keep_workflow_fields(instance)  # the file's status and review dates are not for it
            if kept:
                self.row_notes.append(f"Row {kwargs.get('row_number')}: the file's {', '.join(kept).replace('_', ' ')} "
                                      f"for “{instance.slug}” were left as they are: only the review workflow "
                                      "changes them.")  # fmt: skip
        instance._imported = {}
        for column, read in self.related_cells.items():
            try:
                instance._imported[column] = read(self, row)
            except CellProblems as problems:
                errors.update(problems.by_column)
            except ValueError as problem:
                errors[column] = str(problem)
        if errors:  # every problem of the row at once, each under its column
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.status = ReviewedContent.Status.DRAFT
            instance.published_at = None
        super().before_save_instance(instance, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        """A row that changed a saved page is an edit of it: a live page's change is its pending revision
        (readers keep the live version), and the report says so for that row."""
        super().after_import_row(row, row_result, **kwargs)
        instance, before = getattr(self, "_loaded", (None, None))
        self._loaded = (None, None)
        if before is None or row_result.import_type != row_result.IMPORT_TYPE_UPDATE:
            return
        note = pending.imported(instance, before=before, user=kwargs.get("user"), dry_run=kwargs.get("dry_run"))
        if note:
            self.row_notes.append(f"Row {kwargs.get('row_number')}: {note}")

    def do_instance_save(self, instance, is_create):
        if is_create:
            instance.save()
        else:
            writes.save_new_version(instance)
