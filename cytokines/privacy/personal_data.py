"""One supporter's data, found, exported and erased by e-mail address (for Supporter care).

``supporter_data_find`` gathers every record that holds the address: donations (with their payment
timelines), the newsletter subscription (with the consent given and the issues sent), feedback comments
and problem reports that contain it, e-mails waiting in the queue, staff accounts, and any other text
column anywhere that holds it (so nothing is overlooked when a model is added).

``supporter_data_erase`` does, in ONE transaction: blank the donations' personal fields (the amount,
dates, references and provider ids stay: the accounts must keep them), delete the subscription, mask the
address in feedback, problem reports, payment summaries and logs, drop queued mail to it, and put it on
the suppression list. It then searches every text column of every table once more and rolls everything
back if the address is still anywhere. It is refused while a payment is pending or a monthly gift is
active (the provider would report the next payment with the address again), or when a staff account uses
the address. Each export and erasure leaves a ``PersonalDataRequest`` with counts and no personal data.
"""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from mailer.models import PRIORITY_DEFERRED, DontSendEntry, Message, MessageLog, db_to_email

from cytokines.public.models import PageFeedback, ProblemReport
from cytokines.supporters import suppression
from cytokines.supporters.models import Donation, MonthlyGift, Subscriber, normalize_email
from cytokines.supporters.privacy_models import PersonalDataRequest

ERASED = "[erased]"
# Tables where the address may appear inside free text (written by the person, or by a log): masked there.
MASKED_MODELS = ("cytokines.PageFeedback", "cytokines.ProblemReport", "cytokines.PaymentEvent", "admin.LogEntry",
                 "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")  # fmt: skip
TEXT_FIELDS = (models.CharField, models.TextField)


class ErasureRefused(ValidationError):
    """Nothing was erased: the message says why."""


def clean_address(email):
    """The address as stored (trimmed, lower case), or a clear ValidationError."""
    address = normalize_email(email)
    if not address:
        raise ValidationError("Enter the e-mail address the person wrote from.")
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(f"“{email.strip()[:80]}” is not an e-mail address; check it for typing errors.") from None
    return address


# --- finding --------------------------------------------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def _donations(address):
    rows = (Donation.objects.filter(email__iexact=address).select_related("monthly_gift", "consent_text")
            .prefetch_related("events"))  # fmt: skip
    return [{
        "reference": d.reference, "amount": f"{d.amount:.2f}", "currency": d.currency, "frequency": d.frequency,
        "status": d.status, "donor_name": d.donor_name, "email": d.email, "dedication": d.dedication,
        "dedication_name": d.dedication_name, "consent_to_contact": d.consent_to_contact,
        "consent_wording": {"version": d.consent_text.version, "wording": d.consent_text.wording}
        if d.consent_text_id else None,
        "created_at": _when(d.created_at), "paid_at": _when(d.paid_at), "provider": d.provider,
        "provider_reference": d.provider_reference,
        "monthly_gift": {"status": d.monthly_gift.status, "amount": f"{d.monthly_gift.amount:.2f}",
                         "cancelled_at": _when(d.monthly_gift.cancelled_at)} if d.monthly_gift_id else None,
        "payment_events": [{"kind": e.kind, "amount": f"{e.amount:.2f}" if e.amount is not None else None,
                            "summary": e.summary, "received_at": _when(e.received_at)} for e in d.events.all()],
    } for d in rows]  # fmt: skip


def _subscription(address):
    subscriber = Subscriber.objects.filter(email=address).prefetch_related("consents__consent_text").first()
    if subscriber is None:
        return []
    deliveries = subscriber.deliveries.select_related("issue").order_by("queued_at")
    return [{
        "email": subscriber.email, "name": subscriber.name, "zip_code": subscriber.zip_code,
        "interests": subscriber.interests, "status": subscriber.status, "created_at": _when(subscriber.created_at),
        "consent_at": _when(subscriber.consent_at), "confirmed_at": _when(subscriber.confirmed_at),
        "unsubscribed_at": _when(subscriber.unsubscribed_at), "suppressed_at": _when(subscriber.suppressed_at),
        "suppressed_reason": subscriber.suppressed_reason,
        "consents": [{"version": c.consent_text.version, "wording": c.consent_text.wording,
                      "agreed_at": _when(c.agreed_at), "confirmed_at": _when(c.confirmed_at)}
                     for c in subscriber.consents.all()],
        "newsletters_sent": [{"subject": d.issue.subject, "queued_at": _when(d.queued_at), "status": d.status}
                             for d in deliveries],
    }]  # fmt: skip


def _feedback(address):
    rows = PageFeedback.objects.filter(comment__icontains=address).select_related("article")
    return [{"page": f.article.title, "helpful": f.helpful, "comment": f.comment, "created_at": _when(f.created_at)}
            for f in rows]  # fmt: skip


def _problem_reports(address):
    holds = models.Q(reporter_email__iexact=address) | models.Q(description__icontains=address)
    rows = ProblemReport.objects.filter(holds)
    return [{"page": r.page_path, "page_title": r.page_title, "description": r.description,
             "reporter_email": r.reporter_email, "status": r.status, "created_at": _when(r.created_at)}
            for r in rows]  # fmt: skip


def _addressed_to(email, address):
    return email is not None and address in {a.lower() for a in (*email.to, *email.cc, *email.bcc)}


def _queued_mail(address):
    """E-mails waiting in the queue for the address (their stored form is encoded, so each is decoded)."""
    found = []
    for message in Message.objects.order_by("when_added").iterator(chunk_size=500):
        email = message.email
        if _addressed_to(email, address):
            found.append((message, email))
    return found


def _mail(address):
    waiting = [{"subject": email.subject, "queued_at": _when(m.when_added),
                "state": "being retried" if m.retry_count or m.priority == PRIORITY_DEFERRED else "waiting to be sent"}
               for m, email in _queued_mail(address)]  # fmt: skip
    subscriber = Subscriber.objects.filter(email=address).first()
    sent_ids = list(subscriber.deliveries.values_list("message_id", flat=True)) if subscriber else []
    attempts = [{"message_id": log.message_id, "attempted_at": _when(log.when_attempted), "result": log.result}
                for log in MessageLog.objects.filter(message_id__in=sent_ids).order_by("when_attempted")]  # fmt: skip
    return waiting + attempts


def _staff_accounts(address):
    return [{"username": u.username, "active": u.is_active}
            for u in get_user_model().objects.filter(email__iexact=address)]  # fmt: skip


def places_holding(address, *, skip=()):
    """Every (table, column, rows) whose text holds the address, in every table of every app."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or model._meta.label in skip:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, TEXT_FIELDS):
                rows = model._base_manager.filter(**{f"{field.attname}__icontains": address}).count()
                if rows:
                    found.append((model._meta.db_table, field.column, rows))
    return found


HANDLED = ("cytokines.Donation", "cytokines.Subscriber", *MASKED_MODELS, "auth.User")


def supporter_data_find(email):
    """Everything held about one address, by kind; ``other_places`` lists any other table that holds it."""
    address = clean_address(email)
    on_list = suppression.SuppressedAddress.objects.filter(address_hash=suppression.address_hash(address)).first()
    return {
        "email": address,
        "donations": _donations(address),
        "subscription": _subscription(address),
        "feedback": _feedback(address),
        "problem_reports": _problem_reports(address),
        "mail": _mail(address),
        "staff_accounts": _staff_accounts(address),
        "suppressed": on_list.get_reason_display() if on_list else None,
        "other_places": [f"{t}.{c} ({n})" for t, c, n in places_holding(address, skip=HANDLED)],
    }


COUNTED = ("donations", "subscription", "feedback", "problem_reports", "mail")


def record_counts(found):
    return {kind: len(found[kind]) for kind in COUNTED if found[kind]}


def supporter_data_export(email, *, user):
    """The JSON document Supporter care sends to the person; the audit keeps only counts."""
    found = supporter_data_find(email)
    counts = record_counts(found)
    request = PersonalDataRequest.objects.create(
        action=PersonalDataRequest.Action.EXPORT, performed_by=user, records=sum(counts.values()), counts=counts
    )
    found.pop("other_places")
    return {"request": request.reference, "exported_at": _when(request.performed_at), **found}


# --- erasing --------------------------------------------------------------------------------------------------


def _refusals(address):
    reasons = []
    pending = list(Donation.objects.filter(email__iexact=address, status=Donation.Status.PENDING)
                   .values_list("reference", flat=True))  # fmt: skip
    if pending:
        reasons.append(f"A payment is still pending ({', '.join(pending)}): erase once the payment service "
                       "reports it paid or failed, or it could not be matched to the gift.")  # fmt: skip
    active = MonthlyGift.objects.filter(first_payment__email__iexact=address, status=MonthlyGift.Status.ACTIVE)
    if active.exists():
        reasons.append("A monthly gift is still active: stop it first (the next payment would bring the "
                       "address back).")  # fmt: skip
    if get_user_model().objects.filter(email__iexact=address).exists():
        reasons.append("A staff account uses this address: staff accounts are closed by a superuser, not here.")
    return reasons


def _mask(text, address):
    return re.sub(re.escape(address), ERASED, text, flags=re.IGNORECASE)


def _mask_everywhere(address):
    """Mask the address in every text column of the free-text and log tables; return rows changed per model."""
    changed = {}
    for label in MASKED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        query = models.Q()
        for field in fields:
            query |= models.Q(**{f"{field.attname}__icontains": address})
        for row in model._base_manager.filter(query):
            for field in fields:
                value = getattr(row, field.attname)
                if value and address in value.lower():
                    blank = isinstance(field, models.EmailField) or value.strip().lower() == address
                    setattr(row, field.attname, "" if blank else _mask(value, address))
            row.save(update_fields=[f.attname for f in fields])
            changed[label] = changed.get(label, 0) + 1
    return changed


def _erase_mail(address):
    waiting = _queued_mail(address)
    Message.objects.filter(pk__in=[m.pk for m, _ in waiting]).delete()
    logged = [log.pk for log in MessageLog.objects.exclude(message_data=None).exclude(message_data="").iterator()
              if _addressed_to(db_to_email(log.message_data), address)]  # fmt: skip
    MessageLog.objects.filter(pk__in=logged).update(message_data=None)
    DontSendEntry.objects.filter(to_address__iexact=address).delete()  # our own list replaces it, hashed
    return len(waiting) + len(logged)


def supporter_data_erase(email, *, user):
    """Erase one address everywhere (see the module's text); return the audit ``PersonalDataRequest``."""
    address = clean_address(email)
    with transaction.atomic():
        # Lock the donations first: a webhook for one of them waits until the erasure is done.
        list(Donation.objects.select_for_update().filter(email__iexact=address).values_list("pk", flat=True))
        reasons = _refusals(address)
        if reasons:
            raise ErasureRefused(["Nothing was erased.", *reasons])
        found = supporter_data_find(address)
        counts = record_counts(found)
        request = PersonalDataRequest.objects.create(
            action=PersonalDataRequest.Action.ERASE, performed_by=user, records=sum(counts.values()), counts=counts
        )
        Donation.objects.filter(email__iexact=address).update(
            donor_name=f"Erased on request ({request.reference})", email="", dedication="", dedication_name="",
            consent_to_contact=False, consent_text=None,
        )  # fmt: skip
        Subscriber.objects.filter(email=address).delete()  # consent records go with it; deliveries keep counts
        _erase_mail(address)
        _mask_everywhere(address)
        suppression.suppress(address, suppression.Reason.ERASED)
        left = places_holding(address)
        if left:
            raise ErasureRefused(["Nothing was erased: the address is also stored where this erasure does not "
                                  "reach; ask a developer to add it.", *(f"{t}.{c}" for t, c, _n in left)])  # fmt: skip
    return request
