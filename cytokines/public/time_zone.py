"""Render dates and times in the time zone the site settings name (one setting, no deploy)."""

import zoneinfo

from django.utils import timezone

from cytokines.content.site_reads import live_site_settings


class SiteTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            timezone.activate(zoneinfo.ZoneInfo(live_site_settings().time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()  # a bad name never breaks a page; the model refuses one anyway
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
