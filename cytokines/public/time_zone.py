"""Render dates and times in the time zone the site settings name (one setting, no deploy).

The settings read here are kept on the request (``request.site_settings``, with the content version read in
the same round trip): templates and the fragment cache use them instead of asking the cache again."""

import zoneinfo

from django.utils import timezone

from cytokines.content.site_reads import live_site_settings_and_version
from cytokines.public import cache as page_cache


class SiteTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.site_settings, version = live_site_settings_and_version()
        page_cache.remember_version(request, version)
        try:
            timezone.activate(zoneinfo.ZoneInfo(request.site_settings.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()  # a bad name never breaks a page; the model refuses one anyway
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
