"""Public forms for supporters. Every message is shown next to its field; a bad form writes nothing."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cytokines.ops.forms import HoneypotMixin
from cytokines.ops.languages import current as get_language_code
from cytokines.ops.spelling import respell
from cytokines.supporters.consent import DONOR_CONTACT, STALE_FORM, current_consent_text
from cytokines.supporters.models import MAX_DONATION, MIN_DONATION, Donation, Subscriber, normalize_email

THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d{1,2})?")
AMBIGUOUS_AMOUNT = (
    _("We could not tell what this amount means. Write it without a comma, with a dot before the cents: "
    "for example 5.50 or 55.")
)
PRESET_AMOUNTS = [Decimal("25"), Decimal("50"), Decimal("100"), Decimal("250")]


def _respell(text, spelling):
    """US or UK spelling for English readers; other languages' text comes from the catalogue as written."""
    return respell(str(text), spelling) if get_language_code() == "en" else str(text)


class DonationForm(HoneypotMixin):
    preset_amount = forms.ChoiceField(
        label=_("Choose an amount"),
        choices=[(str(a), f"${a:,.0f}") for a in PRESET_AMOUNTS] + [("other", _("Other amount"))],
        widget=forms.RadioSelect,
        initial="50",
    )
    other_amount = forms.CharField(
        label=_("Other amount in US dollars"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    frequency = forms.ChoiceField(
        choices=Donation.Frequency.choices, widget=forms.RadioSelect, initial=Donation.Frequency.ONE_TIME
    )
    donor_name = forms.CharField(
        label=_("Your full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail for your receipt"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    dedication = forms.ChoiceField(choices=Donation.Dedication.choices, required=False, label=_("Dedicate this gift"))
    dedication_name = forms.CharField(label=_("Name of the person"), max_length=150, required=False)
    consent_to_contact = forms.BooleanField(required=False, label="")  # the wording in force, set in __init__
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, presets=None, currency_symbol="$", spelling="en-us", **kwargs):
        """``presets``: the amounts to offer (the site settings' impact lines), largest targets on the page."""
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4()
        self.consent_text = current_consent_text(DONOR_CONTACT)
        self.fields["consent_to_contact"].label = self.consent_text.wording
        amounts = sorted({Decimal(a).quantize(Decimal("1")) for a in presets or []}) or PRESET_AMOUNTS
        amounts = [a for a in amounts if MIN_DONATION <= a <= MAX_DONATION] or PRESET_AMOUNTS
        self.fields["preset_amount"].choices = [(str(a), f"{currency_symbol}{a:,.0f}") for a in amounts] + [
            ("other", _("Other amount"))
        ]
        self.spelling = spelling
        self.fields["dedication"].choices = [(v, _respell(label, spelling)) for v, label in Donation.Dedication.choices]
        if self.initial.get("preset_amount", self.fields["preset_amount"].initial) not in {str(a) for a in amounts}:
            self.fields["preset_amount"].initial = str(amounts[min(1, len(amounts) - 1)])

    def clean_other_amount(self):
        text = self.cleaned_data["other_amount"].strip().lstrip("$").strip()
        if "," in text:
            # A comma is only a thousands separator (1,000 or 1,000.50). "5,5" could mean $5.50 or $55: ask.
            if not THOUSANDS.fullmatch(text):
                raise forms.ValidationError(AMBIGUOUS_AMOUNT)
            text = text.replace(",", "")
        return text

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("preset_amount")
        if choice == "other":
            if "other_amount" not in self.errors:  # (an ambiguous amount has already said so)
                cleaned["amount"] = self._parse_amount(cleaned.get("other_amount", ""))
        elif choice:
            cleaned["amount"] = Decimal(choice)
        if cleaned.get("dedication") and not cleaned.get("dedication_name", "").strip():
            message = _respell(_("Please give the name of the person this gift honours or remembers."), self.spelling)
            self.add_error("dedication_name", message)
        version = cleaned.get("consent_version")
        if cleaned.get("consent_to_contact") and version is not None and version != self.consent_text.version:
            self.add_error("consent_to_contact", STALE_FORM)  # ticked words that are no longer in force
        return cleaned

    def _parse_amount(self, text):
        if not text:
            self.add_error("other_amount", _("Enter an amount, or choose one of the amounts above."))
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or "e" in text.lower():
            self.add_error("other_amount", _("Enter the amount in dollars and cents, for example 20 or 20.50."))
            return None
        if amount < MIN_DONATION:
            self.add_error("other_amount", _("The amount must be greater than or equal to $5"))
            return None
        if amount > MAX_DONATION:
            self.add_error(
                "other_amount",
                _("For gifts over %(amount)s please call us, so we can thank you properly.")
                % {"amount": f"${MAX_DONATION:,.0f}"},
            )
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.add_error("other_amount", _("Use at most two digits after the decimal point."))
            return None
        return amount.quantize(Decimal("0.01"))

    def donation_fields(self):
        data = self.cleaned_data
        return {
            "amount": data["amount"],
            "frequency": data["frequency"],
            "donor_name": data["donor_name"].strip(),
            "email": normalize_email(data["email"]),
            "dedication": data.get("dedication") or "",
            "dedication_name": data.get("dedication_name", "").strip() if data.get("dedication") else "",
            "consent_to_contact": data.get("consent_to_contact", False),
            "consent_text": self.consent_text if data.get("consent_to_contact") else None,
            "language": get_language_code(),  # receipts and every later e-mail are written in it
        }


class NewsletterForm(HoneypotMixin):
    email = forms.CharField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(
        label=_("First name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    zip_code = forms.CharField(
        label=_("ZIP code (optional)"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    interests = forms.MultipleChoiceField(
        choices=Subscriber.Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("What would you like to hear about? (optional)"),
    )
    consent = forms.BooleanField(
        label="",  # the wording in force (a ConsentText version), set in __init__
        error_messages={"required": _("Please tick the box to agree to receive the newsletter.")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = current_consent_text()
        self.fields["consent"].label = self.consent_text.wording
        self.fields["consent_version"].initial = self.consent_text.version

    def clean_consent_version(self):
        version = self.cleaned_data.get("consent_version")
        if version is not None and version != self.consent_text.version:
            # The page was loaded before the wording changed: the reader ticked words no longer in force.
            self.add_error("consent", STALE_FORM)
        return version

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(_("Enter an e-mail address like name@example.com.")) from None
        return email

    def clean_zip_code(self):
        zip_code = self.cleaned_data["zip_code"].strip()
        field = Subscriber._meta.get_field("zip_code")
        if zip_code:
            for validator in field.validators:
                validator(zip_code)
        return zip_code
