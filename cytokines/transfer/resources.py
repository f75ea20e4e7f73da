"""django-import-export resources: what a spreadsheet row of each kind of content looks like.

Relation cells are read by ``cells``. Imports never publish: new articles and agents arrive as drafts,
and a page already in review or published cannot be changed by a file.
"""

import json

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from cytokines.content.agents import Agent, RegulatoryApproval
from cytokines.content.articles import Article, ArticleReference, FaqItem
from cytokines.content.library import CancerType, Contributor, Reference, normalize_doi
from cytokines.content.reviewed import ReviewedContent
from cytokines.review import writes
from cytokines.transfer.cells import (
    LIST_SEPARATOR,
    SlugListWidget,
    approvals_from_cell,
    chunks,
    faq_from_cell,
    reference_key,
    references_from_keys,
)

MAX_IMPORT_ROWS = 20_000


class ContentResource(resources.ModelResource):
    """Shared behaviour: row and size limits, model validation, cache invalidation after a real import."""

    def before_import(self, dataset, **kwargs):
        if len(dataset) > MAX_IMPORT_ROWS:
            raise ValidationError(f"The file has {len(dataset)} rows; import at most {MAX_IMPORT_ROWS:,} at a time.")
        super().before_import(dataset, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not kwargs.get("dry_run"):
            writes.content_changed()


class CancerTypeResource(ContentResource):
    class Meta:
        model = CancerType
        import_id_fields = ["slug"]
        fields = ["slug", "name", "summary"]
        skip_unchanged = True
        clean_model_instances = True
        use_bulk = True  # no relations or history: safe to insert in batches


class ContributorResource(ContentResource):
    class Meta:
        model = Contributor
        import_id_fields = ["slug"]
        fields = ["slug", "name", "role", "credentials", "job_title", "bio", "conflict_of_interest", "is_active"]
        skip_unchanged = True
        clean_model_instances = True


class ReferenceResource(ContentResource):
    class Meta:
        model = Reference
        import_id_fields = ["doi", "pmid"]
        fields = [
            "authors",
            "title",
            "container",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "url",
            "accessed_on",
            "availability_note",
        ]
        skip_unchanged = True
        clean_model_instances = True
        use_bulk = True  # no relations or history: safe to insert in batches
        batch_size = 1000

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # Two rows for one paper would collide only at the bulk insert; say which rows, up front.
        seen = {}
        for number, row in enumerate(dataset.dict, start=1):
            doi, pmid = normalize_doi(str(row.get("doi") or "")).lower(), str(row.get("pmid") or "").strip()
            for key in (("doi", doi), ("pmid", pmid)):
                if key[1] and key in seen:
                    raise ValidationError(f"Row {number} has the same {key[0].upper()} as row {seen[key]}: {key[1]}.")
                if key[1]:
                    seen[key] = number

        # Load every stored reference the file mentions in two queries, not one query per row.
        dois = {normalize_doi(str(row.get("doi") or "")).lower() for row in dataset.dict} - {""}
        pmids = {str(row.get("pmid") or "").strip() for row in dataset.dict} - {""}
        self._stored = {}
        for chunk in chunks(sorted(dois)):
            self._stored.update({("doi", r.doi.lower()): r for r in Reference.objects.with_doi_in(chunk)})
        for chunk in chunks(sorted(pmids)):
            self._stored.update({("pmid", r.pmid): r for r in Reference.objects.filter(pmid__in=chunk)})

    def get_instance(self, instance_loader, row):
        """Match an existing reference by DOI, else by PMID: the library holds each paper once."""
        doi, pmid = normalize_doi(str(row.get("doi") or "")).lower(), str(row.get("pmid") or "").strip()
        return self._stored.get(("doi", doi)) or self._stored.get(("pmid", pmid))

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


class ReviewedContentResource(ContentResource):
    """Articles and agents: the draft rule, the review dates, and related rows read from cells."""

    status = fields.Field(attribute="status", column_name="status", readonly=True)
    # column -> function reading the cell (raises ValueError with a message for the editor); the results
    # wait in instance._imported until the row is saved, then after_save_instance writes them.
    related_cells = {}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance._imported, errors = {}, {}
        for column, read in self.related_cells.items():
            try:
                instance._imported[column] = read(row.get(column))
            except ValueError as problem:
                errors[column] = str(problem)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.status = ReviewedContent.Status.DRAFT
            instance.published_at = None
        else:
            stored = type(instance).objects.filter(pk=instance.pk).values_list("status", flat=True).first()
            if stored != ReviewedContent.Status.DRAFT:
                label = ReviewedContent.Status(stored).label.lower()
                raise ValidationError(
                    f"“{instance}” is {label}; an import may only change drafts. Take it back to draft first."
                )
        super().before_save_instance(instance, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        if is_create:
            instance.save()
        else:
            writes.save_new_version(instance)


class AgentResource(ReviewedContentResource):
    routes = fields.Field(attribute="routes", column_name="routes", widget=widgets.SimpleArrayWidget(LIST_SEPARATOR))
    references = fields.Field(column_name="references")
    approvals = fields.Field(column_name="approvals")
    related_cells = {"references": references_from_keys, "approvals": approvals_from_cell}

    class Meta:
        model = Agent
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "agent_class",
            "nonproprietary_name",
            "brand_names",
            "summary",
            "mechanism",
            "routes",
            "common_side_effects",
            "serious_side_effects",
            "hospital_only",
            "hospital_note",
            "references",
            "approvals",
            "review_interval_months",
            "last_reviewed",
            "next_review_due",
            "last_revised",
            "status",
        ]
        skip_unchanged = False
        clean_model_instances = True

    def dehydrate_references(self, agent):
        return f"{LIST_SEPARATOR} ".join(sorted(reference_key(r) for r in agent.references.all()))

    def dehydrate_approvals(self, agent):
        return json.dumps(
            [
                {
                    "regulator": a.regulator,
                    "status": a.status,
                    "year": a.year,
                    "note": a.note,
                    "cancer_types": sorted(c.slug for c in a.cancer_types.all()),
                }
                for a in agent.approvals.order_by("regulator")
            ]
        )

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        instance.references.set(instance._imported["references"])
        instance.approvals.all().delete()
        for data in instance._imported["approvals"]:
            cancer_types = data.pop("cancer_types")
            approval = RegulatoryApproval.objects.create(agent=instance, **data)
            approval.cancer_types.set(cancer_types)


class ArticleResource(ReviewedContentResource):
    cancer_types = fields.Field(attribute="cancer_types", column_name="cancer_types", widget=SlugListWidget(CancerType))
    agents = fields.Field(attribute="agents", column_name="agents", widget=SlugListWidget(Agent))
    authors = fields.Field(attribute="authors", column_name="authors", widget=SlugListWidget(Contributor))
    reviewers = fields.Field(attribute="reviewers", column_name="reviewers", widget=SlugListWidget(Contributor))
    references = fields.Field(column_name="references")
    faq = fields.Field(column_name="faq")
    related_cells = {"references": references_from_keys, "faq": faq_from_cell}

    class Meta:
        model = Article
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "language",
            "summary",
            "body",
            "is_featured",
            "cancer_types",
            "agents",
            "authors",
            "reviewers",
            "references",
            "faq",
            "review_interval_months",
            "last_reviewed",
            "next_review_due",
            "last_revised",
            "status",
        ]
        skip_unchanged = False
        clean_model_instances = True

    def get_queryset(self):
        return Article.objects.prefetch_related(
            "cancer_types", "agents", "authors", "reviewers", "article_references__reference", "faq_items"
        )

    def dehydrate_references(self, article):
        return f"{LIST_SEPARATOR} ".join(reference_key(link.reference) for link in article.article_references.all())

    def dehydrate_faq(self, article):
        items = [{"question": i.question, "answer": i.answer} for i in article.faq_items.all()]
        return json.dumps(items) if items else ""

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        instance.article_references.all().delete()
        ArticleReference.objects.bulk_create(
            ArticleReference(article=instance, reference=reference, position=position)
            for position, reference in enumerate(instance._imported["references"], start=1)
        )
        instance.faq_items.all().delete()
        FaqItem.objects.bulk_create(
            FaqItem(article=instance, question=item["question"], answer=item["answer"], position=position)
            for position, item in enumerate(instance._imported["faq"], start=1)
        )


# Order matters for a full import: everything a row points at is imported before it.
CONTENT_RESOURCES = {
    "cancer-types": CancerTypeResource,
    "contributors": ContributorResource,
    "references": ReferenceResource,
    "agents": AgentResource,
    "articles": ArticleResource,
}
