"""Who is asking: the one place that decides a request's client address.

Rate limits (django-ratelimit), sign-in lockouts (django-axes) and the logs all ask ``client_ip``.
Behind a proxy every connection comes from the proxy, so the proxy's ``X-Forwarded-For`` has to be
read, but only a proxy's: a client can write anything into that header. ``TRUSTED_PROXIES`` lists
the proxies' addresses or networks. When the connection comes from one of them, the header is read
from the right, skipping further trusted proxies; the first other address is the client. Whatever a
client wrote to the left of what the proxy appended is never looked at, so rotating it changes
nothing. A malformed or missing header falls back to the connection's own address: never an error.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # a connection without a usable address (never seen over TCP)


@lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address):
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The client's address as text; cached on the request."""
    cached = getattr(request, "_client_ip", None)
    if cached is None:
        cached = request._client_ip = str(_resolve(request))
    return cached


def _resolve(request):
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return UNKNOWN
    if not _trusted(peer):
        return peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _address(entry)
        if hop is None:
            return peer  # the proxy sent something it should not have: trust nothing further left
        if not _trusted(hop):
            return hop
        peer = hop
    return peer


class ClientAddressFilter(logging.Filter):
    """Give every log record a ``client_ip`` (the client's, not the proxy's; "-" outside a request)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.client_ip = client_ip(request) if isinstance(request, HttpRequest) else "-"
        return True
