from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management.base import CommandError
from django.core.validators import validate_email
from django.db import transaction

from cytokines.management.commands._base import PortalCommand
from cytokines.review.rules import EDITOR, MEDICAL_REVIEWER, WRITER

# The roles staff can have (README, "Operating in production"): name on the command line -> group.
ROLES = {
    "writer": WRITER,
    "medical-reviewer": MEDICAL_REVIEWER,
    "editor": EDITOR,
    "supporter-care": "Supporter care",
}


class Command(PortalCommand):
    help = (
        "Create or update a staff account with its roles, disable one, or list them. Roles: "
        + ", ".join(ROLES)
        + ". `add` sets exactly the roles given (run it again to change them) and is safe to repeat; "
        "`disable` ends the person's sign-ins and calendar feeds but keeps their name on the review history. "
        "The first administrator is made with `manage.py createsuperuser`."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="create or update a staff account")
        add.add_argument("username")
        add.add_argument("--role", action="append", choices=list(ROLES), required=True,
                         help="repeat for several roles, e.g. --role writer --role editor")  # fmt: skip
        add.add_argument("--email", default=None, help="where review reminders go")
        add.add_argument("--first-name", default=None)
        add.add_argument("--last-name", default=None)
        disable = actions.add_parser("disable", help="stop an account from signing in (history is kept)")
        disable.add_argument("username")
        actions.add_parser("list", help="every staff account with its roles")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_add(self, *, username, role, email, first_name, last_name, **options):
        if email is not None:
            try:
                validate_email(email)
            except Exception:
                raise CommandError(f"“{email}” is not an e-mail address; nothing was changed.") from None
        groups = {name: Group.objects.filter(name=ROLES[name]).first() for name in dict.fromkeys(role)}
        missing = [ROLES[name] for name, group in groups.items() if group is None]
        if missing:
            raise CommandError(f"The group {missing[0]} does not exist: run `manage.py migrate` first.")
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.select_for_update().get_or_create(username=username)
            if created:
                user.set_unusable_password()
            user.is_staff = user.is_active = True
            for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
                if value is not None:
                    setattr(user, field, value)
            user.save()
            user.groups.set(groups.values())
        roles = ", ".join(ROLES[name] for name in groups)
        self.stdout.write(f"{'Created' if created else 'Updated'} staff account {username}: {roles}.")
        if created or not user.has_usable_password():
            self.stdout.write(f"  Set a password now: manage.py changepassword {username}")

    def do_disable(self, *, username, **options):
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no account {username}; nothing was changed.")
            user.is_active = user.is_staff = False
            user.save(update_fields=["is_active", "is_staff"])
            ended = [s.pk for s in Session.objects.iterator() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
            Session.objects.filter(pk__in=ended).delete()
        self.stdout.write(f"Disabled {username}: cannot sign in; {len(ended)} open session(s) ended; "
                          "their reviews stay in the history.")  # fmt: skip

    def do_list(self, **options):
        users = get_user_model().objects.filter(is_staff=True).prefetch_related("groups").order_by("username")
        count = 0
        for user in users:
            count += 1
            roles = ", ".join(sorted(g.name for g in user.groups.all())) or "no role"
            flags = " (superuser)" if user.is_superuser else ""
            self.stdout.write(f"{user.username}{flags}: {roles}{'' if user.is_active else ' [disabled]'}")
        self.stdout.write(f"{count} staff account(s).")
