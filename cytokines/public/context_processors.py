from django.utils.functional import SimpleLazyObject

from cytokines.content.site_reads import live_site_settings, portal_values
from cytokines.ops.site_url import base_url
from cytokines.public import fragments


def site(request):
    """Give every template the live site settings (one place for names, numbers and wording).

    ``site`` is the settings version readers see; ``portal`` the same values under the upper-case names
    e-mails use. Both are lazy, so pages that never show them (most of the admin) never read them.
    ``site_url`` is the site's configured address. ``chrome`` names the cached pieces of the site's header
    and footer (``fragments.chrome_keys``), also lazily.
    """
    current = getattr(request, "site_settings", None) or SimpleLazyObject(live_site_settings)
    return {"site": current, "portal": SimpleLazyObject(lambda: portal_values(current)), "site_url": base_url(),
            "chrome": SimpleLazyObject(lambda: fragments.chrome_keys(request))}
