"""The suppression list: addresses the portal must not mail again, kept only as hashes.

An erased address stops every e-mail; an unsubscribed, bounced or complaining one stops newsletter mail
(a donor who unsubscribed still gets the receipt for a gift). The mail queue asks ``blocked_recipients``
before it stores any message (``settings.MAIL_RECIPIENT_FILTER``), so no code path can forget the list.

The hash is SHA-256 of the normalized address with a fixed prefix, not a keyed hash: the list must keep
working after the secret key is rotated, and it only has to answer "is this address on it?".
"""

import hashlib

from django.db import transaction

from cytokines.supporters.models import normalize_email
from cytokines.supporters.privacy_models import SuppressedAddress

Reason = SuppressedAddress.Reason
NEWSLETTER = "newsletter"


def address_hash(address):
    return hashlib.sha256(f"cytokine-portal-suppression:{normalize_email(address)}".encode()).hexdigest()


def suppress(address, reason):
    """Put ``address`` on the list. An erasure outranks the newsletter-only reasons; nothing lowers it."""
    digest = address_hash(address)
    with transaction.atomic():
        entry = SuppressedAddress.objects.select_for_update().filter(address_hash=digest).first()
        if entry is None:
            return SuppressedAddress.objects.create(address_hash=digest, reason=reason)
        if entry.reason not in SuppressedAddress.BLOCKS_ALL_MAIL and reason != entry.reason:
            entry.reason = reason
            entry.save(update_fields=["reason"])
        return entry


def lift_newsletter_suppression(address):
    """A reader who confirms a new sign-up asked for the newsletter again; an erasure is never lifted here."""
    SuppressedAddress.objects.filter(address_hash=address_hash(address)).exclude(
        reason__in=SuppressedAddress.BLOCKS_ALL_MAIL
    ).delete()


def is_suppressed(address, *, purpose="service"):
    return bool(blocked_recipients([address], purpose=purpose))


def blocked_recipients(addresses, *, purpose="service"):
    """The addresses among ``addresses`` that must not get an e-mail of this purpose."""
    by_hash = {address_hash(a): a for a in addresses if a}
    entries = SuppressedAddress.objects.filter(address_hash__in=list(by_hash))
    if purpose != NEWSLETTER:
        entries = entries.filter(reason__in=SuppressedAddress.BLOCKS_ALL_MAIL)
    return {by_hash[digest] for digest in entries.values_list("address_hash", flat=True)}
