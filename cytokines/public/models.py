"""What readers send back about pages."""

from django.db import models
from django.utils import timezone

from cytokines.content.articles import Article


class PageFeedback(models.Model):
    """A reader's answer to "Was this page helpful?", for editors to act on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "page feedback"

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.article}"
