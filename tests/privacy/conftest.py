import datetime
from decimal import Decimal

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from cytokines.models import (
    ConsentRecord,
    Donation,
    MonthlyGift,
    NewsletterDelivery,
    NewsletterIssue,
    PageFeedback,
    PaymentEvent,
    ProblemReport,
    Subscriber,
)
from cytokines.ops.mail import mail_queue
from cytokines.supporters.consent import current_consent_text
from tests.factories import ArticleFactory

ADDRESS = "jane.doe@example.org"
OTHER = "omar.other@example.org"


def at(year, month, day=10):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def gift(email, amount, when, status="paid", **extra):
    return Donation.objects.create(
        amount=Decimal(amount), status=status, created_at=when, paid_at=when if status != "pending" else None,
        donor_name="Jane Doe" if email.lower() == ADDRESS else "Omar Other", email=email, provider="stripe", **extra,
    )  # fmt: skip


@pytest.fixture
def people(make_user):
    """Jane (who asks) and Omar (who must be untouched) in every kind of record the portal keeps."""
    editor = make_user("eddie", "Editor")
    article = ArticleFactory(title="Interleukin-2 for kidney cancer")
    first = gift("Jane.Doe@Example.org", "25", at(2026, 9), frequency="monthly", dedication="memory",
                 dedication_name="Ann Doe", consent_to_contact=True, provider_payment="pi_jane")  # fmt: skip
    monthly = MonthlyGift.objects.create(first_payment=first, provider="stripe", amount=Decimal("25"),
                                         provider_subscription="sub_jane", status="cancelled",
                                         cancelled_at=at(2026, 11))  # fmt: skip
    first.monthly_gift = monthly
    first.save()
    gift(ADDRESS, "25", at(2026, 10), frequency="monthly", monthly_gift=monthly, provider_invoice="in_jane2")
    gift(ADDRESS, "100", at(2026, 10), status="refunded", provider_payment="pi_jane3")
    gift(OTHER, "40", at(2026, 10))
    gift(OTHER, "60", at(2026, 9))
    PaymentEvent.objects.create(provider="stripe", event_id="evt_1", kind="checkout.session.completed",
                                donation=first, summary=f"paid by {ADDRESS}: receipt queued", amount=Decimal("25"))
    text = current_consent_text()
    for email, name in ((ADDRESS, "Jane"), (OTHER, "Omar")):
        subscriber = Subscriber.objects.create(email=email, name=name, zip_code="02139", consent_at=at(2026, 8),
                                               status="confirmed", confirmed_at=at(2026, 8, 11), consent_text=text)
        ConsentRecord.objects.create(subscriber=subscriber, consent_text=text, agreed_at=at(2026, 8),
                                     confirmed_at=at(2026, 8, 11))  # fmt: skip
    issue = NewsletterIssue.objects.create(subject="October news", introduction="Hello", created_by=editor,
                                           last_edited_by=editor)  # fmt: skip
    jane = Subscriber.objects.get(email=ADDRESS)
    NewsletterDelivery.objects.create(issue=issue, subscriber=jane, message_id="<1@cytokine-portal>")
    PageFeedback.objects.create(article=article, helpful=False, comment=f"Please write to me at {ADDRESS}")
    PageFeedback.objects.create(article=article, helpful=True, comment=f"Thanks! {OTHER}")
    ProblemReport.objects.create(page_path="/articles/il-2/", description="Dose table is cut off",
                                 reporter_email=ADDRESS)  # fmt: skip
    ProblemReport.objects.create(page_path="/articles/il-2/", description=f"Typo; I am {OTHER}",
                                 reporter_email=OTHER)  # fmt: skip
    for email in (ADDRESS, OTHER):
        mail_queue(EmailMessage("Your donation receipt", "Thank you", "portal@example.org", [email]))
    return {"first": first, "article": article, "now": timezone.now()}
