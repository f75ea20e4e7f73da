"""Consent wording, versioned: what a supporter agreed to is the exact text they saw, kept for as long as they are.

The sign-up form shows the newest version and posts its number back; a form loaded before the wording
changed is refused with a clear message (the reader agrees to the words now in force, never to old ones).
When a subscriber confirms, a ``ConsentRecord`` keeps the version, when the box was ticked and when the
link was opened. Wording is never edited in place: ``consent_text_publish`` makes the next version.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cytokines.ops import languages
from cytokines.supporters.privacy_models import ConsentRecord, ConsentText

NEWSLETTER = ConsentText.Purpose.NEWSLETTER
DONOR_CONTACT = ConsentText.Purpose.DONOR_CONTACT
# The wordings of version 1 (the migrations that introduced versions stored them); used only if none exists.
FIRST_WORDINGS = {
    NEWSLETTER: "I agree to receive the newsletter by e-mail. I can unsubscribe at any time with one click.",
    DONOR_CONTACT: "You may contact me about the portal's work (no more than four times a year).",
}
# A reader agrees to words they can read: the first wording in each other language, used until Supporter care
# publishes another (admin → Consent texts, with its language).
FIRST_WORDINGS_BY_LANGUAGE = {
    "es": {
        NEWSLETTER: "Acepto recibir el boletín por correo electrónico. Puedo cancelar la suscripción en cualquier "
                    "momento con un solo clic.",
        DONOR_CONTACT: "Pueden comunicarse conmigo sobre el trabajo del portal (no más de cuatro veces al año).",
    },
}
STALE_FORM = (
    _("We changed the wording of this agreement since the page was loaded. Please read it again and tick the box.")
)


def current_consent_text(purpose=NEWSLETTER, language=None):
    """The wording in force for ``purpose`` in ``language`` (the reader's: the active language by default)."""
    language = language or languages.current()
    text = ConsentText.objects.filter(purpose=purpose, language=language).order_by("-version").first()
    if text is None:  # a database made without the migration's row, or the language's first reader
        wording = FIRST_WORDINGS_BY_LANGUAGE.get(language, FIRST_WORDINGS)[purpose]
        try:
            text = consent_text_publish(purpose=purpose, wording=wording, user=None, language=language)
        except ValidationError:  # another reader's request published it a moment ago
            text = ConsentText.objects.filter(purpose=purpose, language=language).order_by("-version").first()
    return text


def consent_text_publish(*, purpose, wording, user, language="en"):
    """Make ``wording`` the next version for ``purpose`` in ``language``; the old versions stay, as agreed to.

    Version numbers count per purpose across languages, so a version number names one wording."""
    wording = (wording or "").strip()
    if not wording:
        raise ValidationError("Write the wording the reader agrees to; it cannot be empty.")
    if purpose not in ConsentText.Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}.")
    try:
        with transaction.atomic():
            rows = ConsentText.objects.select_for_update().filter(purpose=purpose).order_by("-version")
            latest = rows.first()
            in_force = rows.filter(language=language).first()
            if in_force is not None and in_force.wording == wording:
                raise ValidationError("This is already the wording in force; nothing was changed.")
            return ConsentText.objects.create(
                purpose=purpose, wording=wording, version=(latest.version + 1) if latest else 1, created_by=user,
                language=language,
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
