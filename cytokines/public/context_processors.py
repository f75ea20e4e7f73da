from django.conf import settings


def site(request):
    """Give every template the portal's name, helpline and funding statement."""
    return {"portal": settings.PORTAL}
