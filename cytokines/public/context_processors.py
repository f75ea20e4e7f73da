from django.utils import translation
from django.utils.functional import SimpleLazyObject

from cytokines.content.site_reads import live_site_settings, portal_values
from cytokines.ops.site_url import base_url
from cytokines.public import fragments


def site(request):
    """Give every template the live site settings (one place for names, numbers and wording).

    ``site`` is the settings version readers see, in the words written for the page's language; ``portal``
    the same values under the upper-case names e-mails use. Both are lazy, so pages that never show them
    (most of the admin) never read them.
    ``site_url`` is the site's configured address. ``chrome`` names the cached pieces of the site's header
    and footer (``fragments.chrome_keys``), also lazily.
    """
    read = getattr(request, "site_settings", None) or SimpleLazyObject(live_site_settings)
    current = SimpleLazyObject(lambda: read.in_language(translation.get_language()))  # Spanish readers' wording
    return {"site": current, "portal": SimpleLazyObject(lambda: portal_values(current)), "site_url": base_url(),
            "chrome": SimpleLazyObject(lambda: fragments.chrome_keys(request))}
