"""Commands that speak to editors: a refusal is printed as plain words and the command exits non-zero."""

import sys

from django.core.management.base import BaseCommand, CommandError


class PlainErrorsCommand(BaseCommand):
    def run_from_argv(self, argv):
        # Django prints "CommandError: …"; an editor needs only the message. --traceback still shows all.
        if "--traceback" in argv:
            return super().run_from_argv(argv)
        try:
            super().run_from_argv([*argv, "--traceback"])
        except CommandError as refused:
            self.stderr.write(str(refused))
            sys.exit(refused.returncode)
