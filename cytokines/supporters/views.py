"""Donation and newsletter pages. Rules live in ``donations`` and ``newsletter``; these views only route."""

import logging
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from cytokines.content import site_reads
from cytokines.ops import languages
from cytokines.ops.forms import TOO_MANY, form_rate
from cytokines.supporters import donations, newsletter
from cytokines.supporters.forms import DonationForm, NewsletterForm
from cytokines.supporters.models import Donation, MonthlyGift
from cytokines.supporters.payments import InvalidWebhook, PaymentUnavailable, get_provider

log = logging.getLogger(__name__)




def _base_url():
    # Links that leave the site (e-mails, the payment page's way back) come from configuration, never the request.
    return settings.PORTAL_BASE_URL.rstrip("/")


@ratelimit(key="ip", rate=form_rate, method="POST", block=False)
def donate(request):
    site = site_reads.live_site_settings()
    impact = list(site.impact_lines.all()) if site.pk else []
    form = DonationForm(
        request.POST or None,
        presets=[line.amount for line in impact],
        currency_symbol=site.currency_symbol,
        spelling=site.spelling,
    )
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid() and form.is_robot():
            return redirect("cytokines:donate")  # say nothing useful to a bot, store nothing
        elif form.is_valid():
            try:
                donation, _ = donations.donation_create(
                    idempotency_key=form.cleaned_data["idempotency_key"], **form.donation_fields()
                )
                # A pending donation (new, or resubmitted after a provider error) goes to the provider again;
                # its idempotency key makes that the same checkout, never a second one.
                checkout_url = get_provider().start(donation, base_url=_base_url()) if donation.status == (
                    Donation.Status.PENDING) else None  # fmt: skip
            except ValidationError as invalid:
                form.add_error(None, invalid)
                status = 409
            except PaymentUnavailable as problem:
                form.add_error(None, str(problem))
                status = 503
            else:
                return redirect(checkout_url or reverse("cytokines:donate-thanks", args=[donation.reference]))
        if not form.is_valid() and status == 200:
            status = 400
    context = {
        "form": form,
        "impact": {str(line.amount.quantize(Decimal("1"))): line.description_in(languages.current())
                   for line in impact},
        "how_payment_works": get_provider().how_payment_works,
    }
    return render(request, "cytokines/donate.html", context, status=status)


def donate_thanks(request, reference):
    donation = get_object_or_404(Donation, reference=reference)
    return render(request, "cytokines/donate_thanks.html", {"donation": donation})


@csrf_exempt  # called by the payment provider, which has no session; its signature authenticates it
@require_POST
def payment_webhook(request):
    provider = get_provider()
    try:
        event = provider.parse_webhook(request.body, request.META)
        record, applied = donations.payment_event_apply(provider.name, event)
    except InvalidWebhook as problem:
        log.warning("Refused payment webhook: %s", problem)
        return HttpResponse("invalid signature", status=400, content_type="text/plain")
    except ValidationError as problem:
        log.warning("Payment webhook for an unknown or mismatched donation: %s", problem.messages)
        return HttpResponseBadRequest("; ".join(problem.messages), content_type="text/plain")
    return HttpResponse("ok" if applied else "already applied", content_type="text/plain")


def donate_manage(request, token):
    """A donor's own page for a monthly gift, reached from the private link in each receipt."""
    try:
        gift = donations.gift_from_manage_token(token)
    except signing.BadSignature:
        return _bad_link(request, _("This link is not valid or has expired. The link in your latest receipt works."))
    provider = get_provider()
    if request.method == "POST" and gift.status == MonthlyGift.Status.ACTIVE:
        if request.POST.get("action") == "portal":
            try:
                url = provider.manage_url(gift, return_url=_base_url() + request.path)
            except PaymentUnavailable as problem:
                return render(request, "cytokines/donate_manage.html", {"gift": gift, "error": str(problem)},
                              status=503)  # fmt: skip
            if url:
                return redirect(url)
        if request.POST.get("action") == "cancel" and gift.provider == "pledge":
            gift = donations.monthly_gift_cancel(gift)
    uses_portal = gift.provider != "pledge"
    return render(request, "cytokines/donate_manage.html", {"gift": gift, "uses_portal": uses_portal})


@ratelimit(key="ip", rate=form_rate, method="POST", block=False)
def newsletter_sign_up(request):
    form = NewsletterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            if not form.is_robot():
                data = form.cleaned_data
                newsletter.subscriber_sign_up(
                    email=data["email"], name=data["name"].strip(), zip_code=data["zip_code"],
                    interests=data["interests"], base_url=_base_url(), consent_text=form.consent_text,
                    language=languages.current(),
                )  # fmt: skip
            # The same answer whether the address is new, pending or already subscribed.
            return redirect("cytokines:newsletter-check-inbox")
        else:
            status = 400
    return render(request, "cytokines/newsletter.html", {"form": form}, status=status)


def newsletter_check_inbox(request):
    return render(request, "cytokines/newsletter_message.html", {
        "title": _("Check your inbox"),
        "message": _("If the address can receive e-mail, a message is on its way. Open the link in it to confirm "
                     "your subscription; until then you will get no newsletter."),
    })  # fmt: skip


def newsletter_confirm(request, token):
    try:
        newsletter.subscriber_confirm(token)
    except signing.SignatureExpired:
        return _bad_link(request, _("This confirmation link has expired. Please sign up again for a new one."))
    except signing.BadSignature:
        return _bad_link(request, _("This confirmation link is not valid. Please copy the whole link from the e-mail."))
    return render(request, "cytokines/newsletter_message.html", {
        "title": _("You are subscribed"), "message": _("Thank you. Every newsletter has a one-click unsubscribe link."),
    })  # fmt: skip


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a session; the signed token is the key
def newsletter_unsubscribe(request, token):
    try:
        signing.Signer(salt=newsletter.UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return _bad_link(request, _("This unsubscribe link is not valid. Please copy the whole link from the e-mail."))
    if request.method == "POST":
        newsletter.subscriber_unsubscribe(token)
        return render(request, "cytokines/newsletter_message.html", {
            "title": _("You are unsubscribed"), "message": _("We will not send you the newsletter again."),
        })  # fmt: skip
    # A GET only asks: link scanners in mail systems open links, and must not unsubscribe anyone.
    return render(request, "cytokines/newsletter_unsubscribe.html", {"token": token})


def _bad_link(request, message):
    context = {"title": _("That link did not work"), "message": message}
    return render(request, "cytokines/newsletter_message.html", context, status=400)
