"""What every content resource shares: limits checked before any row, headers an editor may write in
their own way, model validation, messages naming row, column and value, and the cache write path.

Imports never publish: new articles and agents arrive as drafts, and what happens to a page already in
review or published is decided in one place (``ReviewedContentResource.check_may_change``).
"""

import re

from django.core.exceptions import ValidationError
from import_export import resources

from cytokines.content.reviewed import ReviewedContent
from cytokines.review import writes
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
        if not kwargs.get("dry_run"):
            writes.content_changed()


class ReviewedContentResource(ContentResource):
    """Articles and agents: the draft rule, the review dates, and related rows read from cells."""

    # column -> function reading the cell (raises ValueError with a message for the editor); the results
    # wait in instance._imported until the row is saved, then after_save_instance writes them.
    related_cells = {}

    def check_may_change(self, instance, row_number):
        """Files change drafts only; say so in words for a page in review or published (before any
        validation runs, so no database constraint's name ever reaches the editor)."""
        if instance.pk is None:
            return
        stored = type(instance).objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        if stored != ReviewedContent.Status.DRAFT:
            label = ReviewedContent.Status(stored).label.lower()
            raise ValidationError(
                f"“{instance}” is {label}; an import may only change drafts."
            )

    def import_instance(self, instance, row, **kwargs):
        self.check_may_change(instance, kwargs.get("row_number"))
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
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

    def do_instance_save(self, instance, is_create):
        if is_create:
            instance.save()
        else:
            writes.save_new_version(instance)
