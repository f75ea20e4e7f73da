"""Keep e-mail addresses out of the logs: a filter on every handler masks them in each record.

Logs are copied to collectors and kept for months by people who never see the supporter database, so an
address in a log line is personal data outside every retention and erasure rule. The filter masks the
message, its arguments, the traceback (an SMTP error repeats the refused address), the stack and any
extra fields, before any formatter (plain or JSON) sees the record.
"""

import logging
import re

# Plain and URL-encoded (%40) addresses; deliberately broad: a false positive costs nothing in a log.
# The local part stops at characters that separate words in URLs and logs (/ ? = & %).
ADDRESS = re.compile(r"[\w.!#$'*+^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
MASK = "[e-mail address]"
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def mask(text):
    return ADDRESS.sub(MASK, text)


class MaskEmailAddresses(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed call must not break the request that logged it
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = mask(message), None
        if record.exc_info:
            # Render the traceback now, masked; formatters use exc_text when exc_info is gone.
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        for key, value in list(vars(record).items()):
            if key in _RESERVED or value is None or isinstance(value, int | float | bool):
                continue
            text = value if isinstance(value, str) else str(value)
            if ADDRESS.search(text):
                setattr(record, key, mask(text))
        return True
