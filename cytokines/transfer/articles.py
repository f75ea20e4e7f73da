"""The articles spreadsheet: relations by slug, references as ordered "doi:…; pmid:…" keys, FAQ as JSON."""

import json

from import_export import fields, widgets

from cytokines.content.agents import Agent
from cytokines.content.articles import Article, ArticleReference, FaqItem
from cytokines.content.library import CancerType, Contributor
from cytokines.transfer.base import ReviewedContentResource
from cytokines.transfer.cells import LIST_SEPARATOR, SlugListWidget, faq_from_cell, reference_key, references_from_keys


class ArticleResource(ReviewedContentResource):
    cancer_types = fields.Field(attribute="cancer_types", column_name="cancer_types", widget=SlugListWidget(CancerType))
    agents = fields.Field(attribute="agents", column_name="agents", widget=SlugListWidget(Agent))
    authors = fields.Field(attribute="authors", column_name="authors", widget=SlugListWidget(Contributor))
    reviewers = fields.Field(attribute="reviewers", column_name="reviewers", widget=SlugListWidget(Contributor))
    references = fields.Field(column_name="references")
    faq = fields.Field(column_name="faq")
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    # A translation names the English article it translates by its address (empty for an English page).
    translation_of = fields.Field(attribute="translation_of", column_name="translation_of",
                                  widget=widgets.ForeignKeyWidget(Article, "slug"))  # fmt: skip
    related_cells = {
        "references": lambda resource, row: references_from_keys(row.get("references")),
        "faq": lambda resource, row: faq_from_cell(row.get("faq")),
    }

    class Meta:
        model = Article
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "kind",
            "language",
            "translation_of",
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
