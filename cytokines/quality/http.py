"""A polite HTTP client for the reference checks: who we are, how long we wait, how often we ask.

Crossref and NCBI ask callers to name themselves with a contact address and to space their requests;
web sites we link to deserve the same. Every request goes through ``PoliteClient``: a User-Agent with
the contact address from settings, a timeout, at most one request per ``min_interval`` seconds per host,
and a server's "429 Too Many Requests" turned into ``RateLimited`` so the caller can stop asking it.

Link checks fetch addresses editors typed in, so the network transport refuses hosts that resolve to
private, loopback or link-local addresses (the server must not be a way into its own network).
Tests and the demo use ``recorded_transport``: answers written to files, no network at all.
"""

import ipaddress
import json
import socket
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import httpx
from django.conf import settings


class CheckError(Exception):
    """A lookup could not finish (timeout, network, server error). Try again next run; decide nothing."""


class RateLimited(CheckError):
    """The service asked us to slow down (HTTP 429). Ask it nothing more this run."""

    def __init__(self, host, retry_after=""):
        self.host = host
        super().__init__(f"{host} asked us to slow down (429){f'; retry after {retry_after}' if retry_after else ''}.")


class HostRateLimiter:
    """At most one request per ``min_interval`` seconds to each host. Clock and sleep are injectable for tests."""

    def __init__(self, min_interval, *, clock=time.monotonic, sleep=time.sleep):
        self.min_interval = min_interval
        self.clock = clock
        self.sleep = sleep
        self.last = {}

    def wait(self, host):
        now = self.clock()
        previous = self.last.get(host)
        if previous is not None and now - previous < self.min_interval:
            self.sleep(self.min_interval - (now - previous))
            now = self.clock()
        self.last[host] = now


def user_agent():
    contact = settings.REFERENCE_CHECKS["CONTACT_EMAIL"]
    return f"{settings.PORTAL['NAME']} reference checker (mailto:{contact})"


class PoliteClient:
    """Requests with our name, a timeout and a per-host pace; used by the resolvers and the link checker."""

    def __init__(self, transport=None, *, min_interval=None, timeout=None, limiter=None):
        config = settings.REFERENCE_CHECKS
        interval = config["MIN_INTERVAL_SECONDS"] if min_interval is None else min_interval
        self.limiter = limiter or HostRateLimiter(interval)
        self.http = httpx.Client(
            transport=transport or PublicOnlyTransport(),
            timeout=httpx.Timeout(config["TIMEOUT_SECONDS"] if timeout is None else timeout),
            headers={"User-Agent": user_agent()},
            follow_redirects=True,
            max_redirects=5,
        )

    def request(self, method, url, **kwargs):
        """Send one request and read the answer; raise RateLimited on 429 and CheckError when none came."""
        return self._send(method, url, read=True, **kwargs)

    def status(self, method, url):
        """Only the status code of ``url`` (the body is never downloaded): for link checks."""
        return self._send(method, url, read=False).status_code

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def _send(self, method, url, *, read, **kwargs):
        host = urlsplit(url).hostname or ""
        self.limiter.wait(host)
        try:
            with self.http.stream(method, url, **kwargs) as response:
                if read:
                    response.read()
        except httpx.TimeoutException:
            raise CheckError(f"{host} did not answer within the time limit.") from None
        except httpx.TooManyRedirects:
            raise CheckError(f"{host} redirected too many times.") from None
        except (httpx.HTTPError, BlockedAddress) as problem:
            raise CheckError(f"{host}: {problem}") from None
        if response.status_code == 429:
            raise RateLimited(host, response.headers.get("Retry-After", ""))
        return response

    def close(self):
        self.http.close()


class BlockedAddress(Exception):
    pass


def is_public_host(host, resolve=socket.getaddrinfo):
    """True when every address ``host`` resolves to is a public (global) one."""
    try:
        addresses = {info[4][0] for info in resolve(host, None)}
    except (OSError, UnicodeError):
        return True  # unknown names fail at connect time with a clear error; nothing private is reached
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


class PublicOnlyTransport(httpx.HTTPTransport):
    """The network transport, refusing non-public addresses (checked again on every redirect hop)."""

    def __init__(self, *args, resolve=socket.getaddrinfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolve = resolve

    def handle_request(self, request):
        if request.url.scheme not in {"http", "https"}:
            raise BlockedAddress(f"only http and https links are checked, not {request.url.scheme}")
        if not is_public_host(request.url.host, self.resolve):
            raise BlockedAddress(f"{request.url.host} is not a public address; not checked")
        return super().handle_request(request)


# --- recorded answers: tests and the demo ask files instead of the network ---


def recorded_path(directory, service, identifier, suffix):
    return Path(directory) / service / f"{quote(identifier.lower(), safe='')}{suffix}"


def recorded_transport(directory):
    """An httpx transport answering from files written in the services' real formats (no network).

    Layout: ``crossref/<DOI quoted>.json`` (Crossref's /works answer), ``pubmed/<PMID>.xml`` (an E-utilities
    efetch answer), and ``responses.json`` for anything else: {"METHOD URL" or "URL": {"status", "body",
    "headers"}}. A request with no recorded answer fails like a network error, so it is never taken as
    "not found".
    """
    directory = Path(directory)
    extra_file = directory / "responses.json"
    extra = json.loads(extra_file.read_text()) if extra_file.exists() else {}

    def handler(request):
        url = str(request.url)
        answer = extra.get(f"{request.method} {url}") or extra.get(url)
        if answer is not None:
            return httpx.Response(answer.get("status", 200), headers=answer.get("headers", {}),
                                  text=answer.get("body", ""))  # fmt: skip
        path = _recorded_file(directory, request)
        if path is not None and path.exists():
            return httpx.Response(200, content=path.read_bytes())
        raise httpx.ConnectError(f"no recorded response for {request.method} {url}", request=request)

    return httpx.MockTransport(handler)


def _recorded_file(directory, request):
    host, path = request.url.host, request.url.path
    if host == "api.crossref.org" and path.startswith("/works/"):
        return recorded_path(directory, "crossref", unquote(path.removeprefix("/works/")), ".json")
    if host == "eutils.ncbi.nlm.nih.gov" and path.endswith("/efetch.fcgi"):
        return recorded_path(directory, "pubmed", request.url.params.get("id", ""), ".xml")
    return None
