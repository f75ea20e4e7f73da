"""One base class for the portal's commands, so cron and systemd can trust their exit status.

Every command exits 0 after doing its job and printing a one-line summary; otherwise it exits non-zero
with ONE plain sentence on stderr (cron mails it, a systemd unit is marked failed):

- 1: it could not do its job: a ``CommandError`` it raised, or the database, the cache (Redis) or the
  mail server could not be reached. Unexpected errors also exit 1, with the traceback in the log.
- 2: it was called wrongly (argparse's usage error).

``--traceback`` shows Django's usual traceback instead. ``call_command`` (tests, other commands) is not
affected: exceptions reach the caller as before.
"""

import logging
import smtplib
import socket
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

log = logging.getLogger("cytokines.commands")


def plain_sentence(problem):
    """What went wrong, in one sentence an operator can act on; None for an unexpected error."""
    detail = " ".join(str(problem).split())[:200]
    if isinstance(problem, DatabaseError):
        return f"The database could not be reached or refused the work ({type(problem).__name__}: {detail})."
    if isinstance(problem, (smtplib.SMTPException, socket.timeout)):
        return f"The mail server could not be reached ({type(problem).__name__}: {detail})."
    if type(problem).__module__.startswith(("redis", "django_redis")):
        return f"The cache (Redis) could not be reached ({type(problem).__name__}: {detail})."
    if isinstance(problem, ConnectionError):
        return f"A server this command needs could not be reached ({detail})."
    return None


class PortalCommand(BaseCommand):
    def run_from_argv(self, argv):
        if "--traceback" in argv:
            return super().run_from_argv(argv)
        try:
            super().run_from_argv([*argv[:2], "--traceback", *argv[2:]])  # before any subcommand
        except CommandError as refused:
            self.stderr.write(str(refused))
            sys.exit(refused.returncode)
        except Exception as problem:
            sentence = plain_sentence(problem)
            name = argv[1] if len(argv) > 1 else "command"
            if sentence is None:
                log.exception("%s failed", name)
                sentence = f"{name} failed unexpectedly ({type(problem).__name__}: {str(problem)[:200]}); see the log."
            self.stderr.write(f"{name}: {sentence}")
            sys.exit(1)
