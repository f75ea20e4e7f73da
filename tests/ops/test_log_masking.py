"""No e-mail address reaches a log line: the filter on the configured handler masks it everywhere."""

import io
import json
import logging
import smtplib
from contextlib import contextmanager

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from cytokines.ops.mail import mail_send_queued

ADDRESS = "jane.doe+news@example.org"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, as SMTP does: the error repeats the address."""

    def send_messages(self, messages):
        recipient = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({recipient: (550, f"5.1.1 <{recipient}>: mailbox unknown".encode())})


@contextmanager
def configured_log(formatter):
    """The output of the handler settings.LOGGING configures, with the given formatter, at production's INFO."""
    root = logging.getLogger()
    (handler,) = [h for h in root.handlers if getattr(h, "name", "") == "stdout"]
    stream, old_stream, old_formatter, old_level = io.StringIO(), handler.stream, handler.formatter, root.level
    handler.stream = stream  # not setStream(): it flushes the old stream, which pytest may have closed
    handler.setFormatter(formatter)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.stream = old_stream
        handler.setFormatter(old_formatter)
        root.setLevel(old_level)


def formatters():
    from pythonjsonlogger.json import JsonFormatter

    return {"plain": logging.Formatter("%(levelname)s %(name)s %(message)s"), "json": JsonFormatter()}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["plain", "json"])
def test_a_failed_send_logs_no_address(client, settings, kind):
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    mailer_log = logging.getLogger("mailer")
    level = mailer_log.level
    mailer_log.setLevel(logging.INFO)  # django-mailer's own INFO line names the recipient: prove it is masked too
    with configured_log(formatters()[kind]) as output:
        response = client.post(reverse("cytokines:newsletter"), {"email": ADDRESS, "consent": "on"})
        assert mail_send_queued() == (0, 1)  # the mail worker's attempt fails
    mailer_log.setLevel(level)
    assert response.status_code == 302
    text = output.getvalue()
    assert "sending message" in text and "deferred after SMTPRecipientsRefused" in text  # both are logged...
    assert "example.org" not in text and "jane.doe" not in text  # ...without the address
    if kind == "json":
        assert all(json.loads(line) for line in text.splitlines() if line.startswith("{"))


def test_addresses_are_masked_in_arguments_extras_and_url_encoded_paths():
    logger = logging.getLogger("cytokines.test")
    with configured_log(logging.Formatter("%(message)s %(who)s")) as output:
        logger.error("GET /newsletter/?email=%s and %s", "ann%40example.org", "Bob@Example.ORG", extra={"who": ADDRESS})
    assert output.getvalue().strip() == "GET /newsletter/?email=[e-mail address] and [e-mail address] [e-mail address]"


def test_a_malformed_log_call_still_logs_and_masks():
    with configured_log(logging.Formatter("%(message)s")) as output:
        logging.getLogger("cytokines.test").error("two values %s %s", "ann@example.org")
    assert "ann@example.org" not in output.getvalue() and "two values" in output.getvalue()
