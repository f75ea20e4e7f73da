"""What every public form shares against spam: a honeypot field and one rate limit per client address."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

TOO_MANY = _("You have sent this form many times in a short while. Please wait a minute and try again.")


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS and aria-hidden; bots that fill every field give themselves away.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))

    def is_robot(self):
        return bool(self.cleaned_data.get("website"))


def form_rate(group, request):
    """django-ratelimit's rate for public forms, read from settings so tests and deployments can change it."""
    return settings.FORM_RATE_LIMIT
