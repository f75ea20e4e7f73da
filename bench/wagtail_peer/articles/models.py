"""An article as a Wagtail user would model ours: a page with a StreamField body and orderable references."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page


class ArticlePage(Page):
    summary = models.TextField()
    body = StreamField(
        [("heading", blocks.CharBlock(form_classname="title")), ("paragraph", blocks.RichTextBlock())],
    )
    last_reviewed = models.DateField()
    next_review_due = models.DateField()
    reviewer = models.CharField(max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
        FieldPanel("next_review_due"),
        FieldPanel("reviewer"),
        InlinePanel("references", label="References"),
    ]


class ArticleReference(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="references")
    authors = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    journal = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    doi = models.CharField(max_length=200, blank=True)

    panels = [FieldPanel("authors"), FieldPanel("title"), FieldPanel("journal"), FieldPanel("year"), FieldPanel("doi")]

    def __str__(self):
        return f"{self.authors} ({self.year}). {self.title}"
