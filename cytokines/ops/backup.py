"""What a backup holds, in an order that restores cleanly (everything a row points at comes first)."""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

BACKUP_LABELS = [
    "auth.Group", "auth.User",
    "cytokines.CancerType", "cytokines.Reference", "cytokines.Contributor", "cytokines.Agent",
    "cytokines.RegulatoryApproval", "cytokines.Article", "cytokines.ArticleReference", "cytokines.FaqItem",
    "cytokines.ReviewEvent", "cytokines.ReminderLog", "cytokines.CalendarToken", "cytokines.PageFeedback",
    "cytokines.Donation", "cytokines.MonthlyGift", "cytokines.PaymentEvent", "cytokines.Subscriber",
    "cytokines.NewsletterIssue", "cytokines.NewsletterDelivery",
    "cytokines.HistoricalArticle", "cytokines.HistoricalAgent",
]  # fmt: skip
BACKUP_MODELS = [apps.get_model(label) for label in BACKUP_LABELS]
NOT_BACKED_UP = {"search_document"}  # rebuilt by the database trigger as rows are restored


def backup_fields(model):
    fields = [f.name for f in model._meta.concrete_fields + model._meta.many_to_many if not f.primary_key]
    return [name for name in fields if name not in NOT_BACKED_UP]


def reset_sequences():
    """After inserting rows with their ids, move each id sequence past them (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), BACKUP_MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
