"""The app's models, one module per area; import them from here."""

from .content import (
    Agent,
    Article,
    ArticleReference,
    CancerType,
    Contributor,
    FaqItem,
    Reference,
    RegulatoryApproval,
    ReviewedContent,
    add_months,
    normalize_doi,
)
from .feedback import PageFeedback
from .review import CalendarToken, ReminderLog, ReviewEvent
from .supporters import MAX_DONATION, MIN_DONATION, Donation, Subscriber, normalize_email

__all__ = [
    "Agent",
    "Article",
    "ArticleReference",
    "CalendarToken",
    "Donation",
    "MAX_DONATION",
    "MIN_DONATION",
    "CancerType",
    "Contributor",
    "FaqItem",
    "PageFeedback",
    "Reference",
    "RegulatoryApproval",
    "Subscriber",
    "ReminderLog",
    "ReviewEvent",
    "ReviewedContent",
    "add_months",
    "normalize_doi",
    "normalize_email",
]
