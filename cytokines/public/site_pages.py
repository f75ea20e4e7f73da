"""Trust pages (About us, Editorial policy, Privacy, Contact, Accessibility, Terms) and the staff style page."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import render

from cytokines.content import site_reads
from cytokines.content.languages import content_language
from cytokines.content.rendering import contents
from cytokines.content.site import TrustPage
from cytokines.public.cache import cached_public_page


@cached_public_page
def trust_page(request, kind):
    if kind not in TrustPage.Kind.values or (kind == "about" and request.resolver_match.url_name == "trust-page"):
        raise Http404("No such page.")  # About us lives at /about/ only
    # Readers of a language the page is not yet written in read the English one.
    language = content_language()
    pages = site_reads.live_trust_pages(kind, language)
    page, english = pages.get(language) or pages.get("en"), pages.get("en")
    if page is None:
        raise Http404("This page has not been approved yet.")
    # Numbers and wording the page names ([[helpline_hours]]) in the page's own language.
    body_html = site_reads.render_trust_page(page, site_reads.live_site_settings().in_language(page.language))
    return render(
        request,
        "cytokines/trust_page.html",
        {"page": page, "body_html": body_html, "contents": contents(body_html), "trust_kinds": TrustPage.Kind,
         "english_update": english if page.behind(english) else None},  # readers are told, with the date
    )


@staff_member_required
def style_guide(request):
    """The design system, for staff: tokens, type, components; every pair shown with its contrast."""
    return render(request, "cytokines/style_guide.html", {"colours": COLOURS, "icons": ICONS})


ICONS = ["phone", "heart", "shield", "book", "calendar", "mail", "search", "pill", "people", "arrow-up", "bookmark",
         "link", "share", "print"]
# name, token, text colour, background, contrast ratio (WCAG: 4.5 for text, 3 for large text and controls)
COLOURS = [
    ("Ink", "--ink", "white", "swatch-ink", "15.2:1"),
    ("Muted text", "--muted", "on white", "swatch-muted", "7.1:1"),
    ("Brand", "--brand", "white", "swatch-brand", "7.4:1"),
    ("Brand dark (header)", "--brand-dark", "white", "swatch-brand-dark", "10.7:1"),
    ("Brand tint", "--brand-tint", "brand text", "swatch-brand-tint", "6.5:1"),
    ("Give (donate)", "--give", "white", "swatch-give", "7.6:1"),
    ("Give tint", "--give-tint", "give-dark text", "swatch-give-tint", "8.4:1"),
    ("Warning", "--warn-bg", "warn ink", "swatch-warn", "9.0:1"),
    ("Success", "--ok-bg", "ok ink", "swatch-ok", "8.7:1"),
    ("Error", "--error-bg", "error ink", "swatch-error", "8.9:1"),
    ("Sun (focus halo)", "--sun", "brand-dark text", "swatch-sun", "7.4:1"),
    ("Warm paper", "--paper-warm", "ink", "swatch-paper-warm", "14.1:1"),
]
