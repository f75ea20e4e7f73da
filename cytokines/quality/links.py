"""Is a cited web page still there? HEAD first (cheap), then GET for servers that refuse or mishandle HEAD.

Only "404 Not Found" and "410 Gone" make a link dead. Timeouts, server errors, refusals (401/403, often
bot protection) and network failures say nothing about the page, so they are "could not check" and the
link is tried again next run; an editor is never asked to mark a page gone on that evidence.
"""

from dataclasses import dataclass

from cytokines.quality.http import CheckError, RateLimited
from cytokines.quality.models import ReferenceCheck

DEAD_STATUSES = {404, 410}
NO_LONGER_AVAILABLE = "Content is no longer available"
Link = ReferenceCheck.LinkStatus


@dataclass(frozen=True)
class LinkResult:
    status: str  # a ReferenceCheck.LinkStatus value
    http_status: int | None = None
    error: str = ""


def check_link(client, url):
    """Check ``url`` with ``client`` (a PoliteClient); RateLimited propagates so the run can back off."""
    try:
        status = client.status("HEAD", url)
        if status >= 400:
            # Many servers answer HEAD with 403, 404 or 405 but serve GET; only GET's answer counts.
            status = client.status("GET", url)
    except RateLimited:
        raise
    except CheckError as problem:
        return LinkResult(Link.NOT_CHECKED, None, str(problem)[:300])
    if status < 400:
        return LinkResult(Link.OK, status)
    if status in DEAD_STATUSES:
        return LinkResult(Link.DEAD, status)
    return LinkResult(Link.NOT_CHECKED, status, f"The site answered {status}; that does not show the page is gone.")
