from django.conf import settings

from cytokines.ops.site_url import base_url


def site(request):
    """Give every template the portal's name, helpline and funding statement, and its configured address."""
    return {"portal": settings.PORTAL, "site_url": base_url()}
