from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls


@never_cache  # never stored by the cache middleware, so on the cached server it still measures the framework
def live(request):
    """The framework's ceiling: a view that touches nothing, like the portal's /robots.txt."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz/live", live),
    path("cms/", include(wagtailadmin_urls)),
    path("", include(wagtail_urls)),
]
