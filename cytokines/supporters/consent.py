"""Consent wording, versioned: what a supporter agreed to is the exact text they saw, kept for as long as they are.

The sign-up form shows the newest version and posts its number back; a form loaded before the wording
changed is refused with a clear message (the reader agrees to the words now in force, never to old ones).
When a subscriber confirms, a ``ConsentRecord`` keeps the version, when the box was ticked and when the
link was opened. Wording is never edited in place: ``consent_text_publish`` makes the next version.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cytokines.supporters.privacy_models import ConsentRecord, ConsentText

NEWSLETTER = ConsentText.Purpose.NEWSLETTER
DONOR_CONTACT = ConsentText.Purpose.DONOR_CONTACT
# The wordings of version 1 (the migrations that introduced versions stored them); used only if none exists.
FIRST_WORDINGS = {
    NEWSLETTER: "I agree to receive the newsletter by e-mail. I can unsubscribe at any time with one click.",
    DONOR_CONTACT: "You may contact me about the portal's work (no more than four times a year).",
}
STALE_FORM = (
    "We changed the wording of this agreement since the page was loaded. Please read it again and tick the box."
)


def current_consent_text(purpose=NEWSLETTER):
    text = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
    if text is None:  # a database made without the migration's row (e.g. a restored old backup)
        text = consent_text_publish(purpose=purpose, wording=FIRST_WORDINGS[purpose], user=None)
    return text


def consent_text_publish(*, purpose, wording, user):
    """Make ``wording`` the next version for ``purpose``; the old versions stay, as agreed to."""
    wording = (wording or "").strip()
    if not wording:
        raise ValidationError("Write the wording the reader agrees to; it cannot be empty.")
    if purpose not in ConsentText.Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}.")
    try:
        with transaction.atomic():
            latest = ConsentText.objects.select_for_update().filter(purpose=purpose).order_by("-version").first()
            if latest is not None and latest.wording == wording:
                raise ValidationError("This is already the wording in force; nothing was changed.")
            return ConsentText.objects.create(
                purpose=purpose, wording=wording, version=(latest.version + 1) if latest else 1, created_by=user
            )
    except IntegrityError:  # two people published at the same moment: the other one got this number
        raise ValidationError("Someone else published a new wording just now; reload and check it.") from None


def consent_record_confirmation(subscriber):
    """The subscriber opened the confirmation link: keep what they agreed to, and when."""
    text = subscriber.consent_text or current_consent_text()
    return ConsentRecord.objects.create(
        subscriber=subscriber, consent_text=text, agreed_at=subscriber.consent_at,
        confirmed_at=max(subscriber.confirmed_at or timezone.now(), subscriber.consent_at),
    )  # fmt: skip
