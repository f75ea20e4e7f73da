"""One log format for the application and gunicorn: JSON lines in production, plain text in DEBUG.

Django's LOGGING (portal/settings.py) and gunicorn's ``logconfig_dict`` (portal/gunicorn.conf.py) are both
built here, so gunicorn's own lines (worker started, timeouts) and its access log reach the log collector
as the same JSON objects as the application's, through the same e-mail masking filter.

The access log keeps no personal data: no client address, user agent, referrer or query string (search
words, tracking and confirmation tokens), and path segments that look like tokens (calendar feeds,
newsletter links) are replaced by ``<token>``. What is left: method, path, status, bytes, duration.
This module must not import Django models: gunicorn reads it before Django is set up.
"""

import logging
import re
from collections.abc import Mapping

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a page's address words: kept

FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}


def _segment(part):
    stem, dot, extension = part.rpartition(".") if part.endswith(".ics") else (part, "", "")
    words = SLUG.fullmatch(stem) and ("-" in stem or not any(c.isdigit() for c in stem))
    return f"<token>{dot}{extension}" if len(stem) >= 16 and not words else part


def access_path(path):
    """The request path with token-like segments hidden (``/review-calendar/<token>.ics``); slugs kept."""
    return "/".join(_segment(part) for part in (path or "").split("/"))


class GunicornAccessFields(logging.Filter):
    """Turn a gunicorn access record (its atoms) into a short message and separate JSON fields."""

    def filter(self, record):
        atoms = record.args if isinstance(record.args, Mapping) else None
        if atoms is None:
            return True
        record.method = atoms.get("m") or "-"
        record.path = access_path(atoms.get("U"))
        status = str(atoms.get("s") or "0")
        record.status = int(status) if status.isdigit() else status
        record.bytes = atoms.get("B") or 0
        record.duration_ms = atoms.get("M")
        record.msg, record.args = f"{record.method} {record.path} {record.status}", None
        return True


def gunicorn_logconfig(log_format="json", level="INFO"):
    """gunicorn's ``logconfig_dict``: its error and access logs to stdout in the application's format."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": FORMATTERS,
        "filters": {
            "mask_email_addresses": {"()": "cytokines.ops.log_masking.MaskEmailAddresses"},
            "access_fields": {"()": "cytokines.ops.log_format.GunicornAccessFields"},
        },
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": log_format,
                       "filters": ["mask_email_addresses"]},
            "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": log_format,
                       "filters": ["access_fields", "mask_email_addresses"]},
        },  # fmt: skip
        "root": {"level": level, "handlers": ["stdout"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stdout"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }
