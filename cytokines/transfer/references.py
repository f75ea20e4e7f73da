"""The references spreadsheet: bulk inserts and updates, rows matched by DOI (any case) or PMID, and rows
that change nothing counted as unchanged and not written."""

from django.core.exceptions import ValidationError

from cytokines.content.library import Reference, normalize_doi
from cytokines.review import pending
from cytokines.transfer.base import ContentResource
from cytokines.transfer.cells import chunks

FIELDS = ["authors", "title", "container", "year", "volume", "issue", "pages", "doi", "pmid", "url", "accessed_on",
          "availability_note"]  # fmt: skip


def row_keys(row):
    return normalize_doi(str(row.get("doi") or "")).lower(), str(row.get("pmid") or "").strip()


class ReferenceResource(ContentResource):
    class Meta:
        model = Reference
        import_id_fields = ["doi", "pmid"]
        fields = FIELDS
        skip_unchanged = True
        clean_model_instances = True
        use_bulk = True  # no relations or history: safe to insert in batches
        batch_size = 1000

    def missing_id_columns(self, headers):
        return [] if {"doi", "pmid"} & set(headers) else ["doi” or “pmid"]

    def _check_import_id_fields(self, headers):
        """Either identifier column is enough (checked in ``missing_id_columns``)."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._updated = []  # (row number, reference) of the rows that change a stored reference
        # Two rows for one paper would collide only at the bulk insert; say which rows, up front.
        seen, keys = {}, [row_keys(row) for row in dataset.dict]
        for number, (doi, pmid) in enumerate(keys, start=1):
            for key in (("doi", doi), ("pmid", pmid)):
                if key[1] and key in seen:
                    raise ValidationError(f"Row {number} has the same {key[0].upper()} as row {seen[key]}: {key[1]}.")
                if key[1]:
                    seen[key] = number
        # Load every stored reference the file mentions in a few queries, not one query per row.
        self._stored = {}
        for chunk in chunks(sorted({doi for doi, _ in keys} - {""})):
            self._stored.update({("doi", r.doi.lower()): r for r in Reference.objects.with_doi_in(chunk)})
        for chunk in chunks(sorted({pmid for _, pmid in keys} - {""})):
            self._stored.update({("pmid", r.pmid): r for r in Reference.objects.filter(pmid__in=chunk)})

    def get_instance(self, instance_loader, row):
        """Match an existing reference by DOI (any case), else by PMID: the library holds each paper once."""
        doi, pmid = row_keys(row)
        return self._stored.get(("doi", doi)) or self._stored.get(("pmid", pmid))

    def import_instance(self, instance, row, **kwargs):
        # What the row started as, to tell an unchanged row from an update without a deep copy per row.
        instance._before = None if instance.pk is None else [getattr(instance, name) for name in FIELDS]
        self._row_instance = instance
        super().import_instance(instance, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if row_result.import_type == row_result.IMPORT_TYPE_UPDATE:
            self._updated.append((kwargs.get("row_number"), self._row_instance))

    def after_import(self, dataset, result, **kwargs):
        """An updated reference is an edit of every page citing it: each live one gets (or continues) a
        pending revision with the change, and the report names them for that row. Done once the rows are
        written (bulk mode writes them in batches), with the citing pages found for all rows at once."""
        updated, self._updated = self._updated, []
        pages_by_reference = pending.references_edited([reference for _, reference in updated],
                                                       user=kwargs.get("user"))  # fmt: skip
        for row_number, reference in updated:
            live = [str(page) for page in pages_by_reference.get(reference.pk, []) if page.live_revision_id is not None]
            if live:
                verb = "would get" if kwargs.get("dry_run") else "now have"
                self.row_notes.append(f"Row {row_number}: published pages citing it {verb} the change in their "
                                      f"pending revision, for review: {', '.join(live[:10])}; readers keep the "
                                      "reviewed citation until then.")  # fmt: skip
        super().after_import(dataset, result, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged rows are counted as unchanged and not written (the library compares only with a
        per-row diff, which scripts and bulk imports do not build)."""
        if import_validation_errors or getattr(instance, "_before", None) is None:
            return False
        instance.normalize_identifiers()  # the stored spelling of the DOI and PMID, as a save would write them
        if [getattr(instance, name) for name in FIELDS] == instance._before:
            return True
        instance.clean_fields()  # a cell that differs only in type ("2020" for 2020) is unchanged too
        after = [getattr(instance, name) for name in FIELDS]
        instance._changed = tuple(name for name, old, new in zip(FIELDS, instance._before, after, strict=True)
                                  if old != new)  # fmt: skip
        return not instance._changed

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write each batch of corrected references by the columns that changed: a correction is usually one
        or two fields, and an update of every column of every row costs seconds per thousand rows."""
        by_columns = {}
        for instance in self.update_instances:
            by_columns.setdefault(getattr(instance, "_changed", tuple(FIELDS)), []).append(instance)
        if not by_columns or (dry_run and not using_transactions):
            self.update_instances.clear()
            return
        try:
            for columns, instances in by_columns.items():
                Reference.objects.bulk_update(instances, list(columns), batch_size=batch_size)
        except Exception as problem:
            self.handle_import_error(result, problem, raise_errors)
        finally:
            self.update_instances.clear()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Check each field's rules; uniqueness was settled above (stored rows, duplicates in the file).

        Model.full_clean() would add four queries per row (two unique constraints, the year check, the
        duplicate lookup); the database constraints still stand behind this as the last word.
        """
        errors = dict(import_validation_errors or {})
        try:
            instance.clean_fields()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
        if errors:
            raise ValidationError(errors)
