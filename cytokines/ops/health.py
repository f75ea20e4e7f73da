"""Health checks for load balancers and orchestrators."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def live(request):
    """The process answers. Touches nothing else, so it is also the framework's speed ceiling in benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def ready(request):
    """The process can serve pages: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as problem:  # any database failure means "not ready"
        return JsonResponse({"database": "unavailable", "error": type(problem).__name__}, status=503)
    return JsonResponse({"database": "ok"})
