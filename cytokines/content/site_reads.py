"""What the site says about itself, for every page and e-mail: the live settings and trust pages.

Reads only. The live settings are kept in the cache (one query after an approval or a cache flush);
``cytokines.review.site_versions`` is the one write path and forgets the cached copy when it approves.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape

from cytokines.content import live_version
from cytokines.content.live_version import VERSION_KEY
from cytokines.content.rendering import render_markdown
from cytokines.content.site import SiteSettings, TrustPage

log = logging.getLogger(__name__)
CACHE_KEY = "site-settings:live"
TOKEN = re.compile(r"\[\[([a-z_]+)\]\]")


def live_site_settings():
    """The settings version readers see: cached with the content version, read from the database otherwise.

    The cached copy is used only while the content version it was stored at is current, so the same bump
    that retires cached pages after an approval retires it too; with the cache down, pages still render.
    """
    return live_site_settings_and_version()[0]


def live_site_settings_and_version():
    """``live_site_settings()`` and the content version it was read with (None without one): one cache round
    trip gives a request both (``cytokines.public.time_zone`` keeps them for the rest of the request)."""
    try:
        found = cache.get_many([VERSION_KEY, CACHE_KEY])
    except Exception as problem:  # any backend failure: the database answers instead
        log.warning("Cache unavailable for site settings (%s); reading the database", type(problem).__name__)
        return _from_database(), None
    version, entry = found.get(VERSION_KEY), found.get(CACHE_KEY)
    if entry is not None and entry["version"] == version:
        return entry["settings"], version
    current = _from_database()
    try:
        version = version or live_version.made_if_missing()  # so the copy kept is good for the next request
        cache.set(CACHE_KEY, {"version": version, "settings": current}, None)
    except Exception:  # noqa: S110 - nothing to keep: the next request asks again
        pass
    return current, version


def _from_database():
    return SiteSettings.objects.live().first() or bootstrap_settings()


def forget_live_settings():
    """Drop the cached copy at once (the content version moving retires it anyway)."""
    try:
        cache.delete(CACHE_KEY)
    except Exception:  # noqa: S110 - the version check retires it
        pass


def bootstrap_settings():
    """Unsaved settings from the environment, for a database that has no live version yet."""
    portal = settings.PORTAL
    return SiteSettings(
        site_name=portal["NAME"], organisation_name=portal["CHARITY_NAME"], charity_number_label="",
        charity_number=portal["CHARITY_NUMBER"], helpline_phone=portal["HELPLINE_PHONE"],
        helpline_hours=portal["HELPLINE_HOURS"], tax_wording=portal["TAX_WORDING"],
        funding_statement=portal["FUNDING_STATEMENT"],
    )  # fmt: skip


def portal_values(site=None):
    """The live settings under the upper-case names e-mails, feeds and older templates use, worded for the
    active language (e-mails are written in their reader's language)."""
    site = site or live_site_settings().in_language(translation.get_language())
    return {
        "NAME": site.site_name,
        "HELPLINE_PHONE": site.helpline_phone,
        "HELPLINE_HOURS": site.helpline_hours,
        "FUNDING_STATEMENT": site.funding_statement,
        "CHARITY_NAME": site.organisation_name,
        "CHARITY_NUMBER": f"{site.charity_number_label} {site.charity_number}".strip(),
        "TAX_WORDING": site.tax_wording,
        "CURRENCY_SYMBOL": site.currency_symbol,
    }


def site_tokens(site):
    """Values editors may write as ``[[name]]`` in trust pages, so a number is kept in one place."""
    retention = settings.PORTAL_RETENTION
    values = portal_values(site)
    return {
        "site_name": site.site_name,
        "organisation_name": site.organisation_name,
        "charity_number": values["CHARITY_NUMBER"],
        "helpline_phone": site.helpline_phone,
        "helpline_hours": site.helpline_hours,
        "unconfirmed_signup_days": str(retention["UNCONFIRMED_SIGNUP_DAYS"]),
        "feedback_months": str(retention["FEEDBACK_MONTHS"]),
        "mail_log_days": str(retention["MAIL_LOG_DAYS"]),
        "donation_record_years": str(retention["DONATION_RECORD_YEARS"]),
        "unsubscribed_days": str(retention.get("UNSUBSCRIBED_DAYS", 30)),
    }


def render_trust_page(page, site):
    """Markdown with ``[[tokens]]`` filled in from the settings; unknown tokens are left as written."""
    tokens = site_tokens(site)
    text = TOKEN.sub(lambda m: escape(tokens.get(m.group(1), m.group(0))), page.body)
    return render_markdown(text, heading_ids=True)


def live_trust_pages(kind, language):
    """{language: live page} of ``kind`` in ``language`` and in English, those that exist (one query)."""
    pages = TrustPage.objects.live().select_related("approved_by").filter(kind=kind, language__in={language, "en"})
    return {page.language: page for page in pages}
