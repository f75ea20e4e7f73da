"""Django looks for an app's models here; each area owns its own, this module only gathers them.

Import models from their area (``cytokines.content.articles``...) or from here; both are the same classes.
"""

from cytokines.content.agents import Agent, RegulatoryApproval
from cytokines.content.articles import Article, ArticleReference, FaqItem
from cytokines.content.glossary import GlossaryTerm, GlossaryTermRevision
from cytokines.content.interests import DeclaredInterest
from cytokines.content.library import CancerType, Contributor, Reference, normalize_doi
from cytokines.content.reviewed import ReviewedContent, add_months
from cytokines.content.revisions import AgentRevision, ArticleRevision
from cytokines.content.safety import SafetyStatement, SideEffect
from cytokines.content.site import ImpactLine, SiteSettings, TrustPage
from cytokines.public.models import PageFeedback, ProblemReport
from cytokines.quality.models import ReadingLevel, ReferenceCheck
from cytokines.review.models import CalendarToken, ChecklistItem, PreviewLink, ReminderLog, ReviewEvent
from cytokines.supporters.issue_models import NewsletterDelivery, NewsletterIssue
from cytokines.supporters.models import (
    MAX_DONATION,
    MIN_DONATION,
    Donation,
    MonthlyGift,
    PaymentEvent,
    Subscriber,
    normalize_email,
)
from cytokines.supporters.privacy_models import ConsentRecord, ConsentText, PersonalDataRequest, SuppressedAddress

__all__ = [
    "Agent",
    "Article",
    "ArticleReference",
    "AgentRevision",
    "ArticleRevision",
    "CalendarToken",
    "ConsentRecord",
    "ConsentText",
    "ChecklistItem",
    "DeclaredInterest",
    "Donation",
    "ImpactLine",
    "MAX_DONATION",
    "MIN_DONATION",
    "CancerType",
    "Contributor",
    "FaqItem",
    "GlossaryTerm",
    "GlossaryTermRevision",
    "MonthlyGift",
    "NewsletterDelivery",
    "NewsletterIssue",
    "PaymentEvent",
    "PersonalDataRequest",
    "PreviewLink",
    "PageFeedback",
    "ProblemReport",
    "ReadingLevel",
    "ReferenceCheck",
    "Reference",
    "RegulatoryApproval",
    "SafetyStatement",
    "SideEffect",
    "Subscriber",
    "SuppressedAddress",
    "ReminderLog",
    "ReviewEvent",
    "ReviewedContent",
    "SiteSettings",
    "TrustPage",
    "add_months",
    "normalize_doi",
    "normalize_email",
]
