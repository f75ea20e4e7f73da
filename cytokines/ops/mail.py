"""Sending e-mail from a request without letting a mail outage break the request.

The record (a donation, a subscriber) is already committed when its e-mail goes out; if the mail
server is down the reader must still see the success page, and the failure must be logged loudly.
"""

import logging

log = logging.getLogger(__name__)


def send_safely(message, *, what):
    """Send ``message`` (an EmailMessage); on failure log it with ``what`` and return False."""
    try:
        message.send()
    except Exception:  # any transport failure: SMTP, DNS, timeouts
        log.exception("Could not send %s to %s", what, ", ".join(message.to))
        return False
    return True
