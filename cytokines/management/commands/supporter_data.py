import json
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from cytokines.management.commands._base import PortalCommand
from cytokines.privacy.personal_data import supporter_data_erase, supporter_data_export, supporter_data_find


class Command(PortalCommand):
    help = (
        "Find, export (JSON on stdout) or erase everything held about one e-mail address, as the admin's "
        "'Find, export or erase one person's data' page does. The address is read from stdin, so it stays out of "
        "the shell history; --by names the staff member answering the request (recorded in the audit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["find", "export", "erase"])
        parser.add_argument("--by", required=True, help="Username of the staff member handling the request.")

    def handle(self, *args, action, by, **options):
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None or not user.has_perm("cytokines.handle_personal_data"):
            raise CommandError(f"{by!r} is not an active user allowed to handle personal data (Supporter care).")
        email = sys.stdin.readline().strip()
        try:
            if action == "erase":
                done = supporter_data_erase(email, user=user)
                self.stdout.write(f"Erased {done.records} records ({done.reference}); the address is suppressed.")
                return
            document = supporter_data_export(email, user=user) if action == "export" else supporter_data_find(email)
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from None
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
