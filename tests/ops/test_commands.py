"""Periodic commands tell cron the truth (issue 26): exit 0 with a one-line summary after doing their job,
non-zero with one plain sentence (never a traceback) when they could not: SMTP down, database down."""

import io
import sys
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility, call_command
from django.db import OperationalError, connection
from mailer.models import Message

from cytokines.management.commands._base import PortalCommand
from cytokines.ops.mail import mail_queue
from cytokines.quality.checker import DEMO_RECORDINGS

pytestmark = pytest.mark.django_db


def run(*argv):
    """Run a command as cron does (manage.py NAME ...): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:  # run_from_argv closes the database connections at the end; the test's own must stay open
        with mock.patch("django.core.management.base.connections.close_all"):
            ManagementUtility(["manage.py", *argv]).execute()
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    finally:
        sys.stdout, sys.stderr = saved
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def smtp_down(settings):
    """Mail goes by SMTP to a port where nothing listens: every connection is refused at once."""
    settings.EMAIL_BACKEND = settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


@pytest.fixture
def database_down(monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", refuse)


def queue_one():
    from django.core.mail import EmailMessage

    mail_queue(EmailMessage("Your pledge", "Thank you.", "portal@example.org", ["donor@example.org"]))


def test_send_pending_mail_with_smtp_down_exits_1_with_one_sentence(smtp_down):
    queue_one()
    status, out, err = run("send_pending_mail")
    assert status == 1
    assert err.strip().count("\n") == 0 and "mail server" in err and "Traceback" not in err
    assert "Sent 0" in out  # the summary is still printed for the log
    assert Message.objects.count() == 1  # kept for the retry


def test_send_pending_mail_sends_and_is_safe_to_run_twice(mailoutbox):
    queue_one()
    assert run("send_pending_mail")[:2] == (0, "Sent 1 e-mail(s); 0 failed and will be retried; 0 still queued, "
                                               "0 waiting to retry, 0 given up.\n")  # fmt: skip
    assert run("send_pending_mail")[0] == 0
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["send_review_reminders"],
        ["verify_references", "--recorded", str(DEMO_RECORDINGS)],
        ["clear_page_cache"],
        ["apply_retention"],
    ],
    ids=lambda argv: argv[0],
)
def test_commands_that_only_queue_mail_succeed_with_smtp_down_and_twice(smtp_down, argv):
    for _ in range(2):
        status, out, err = run(*argv)
        assert (status, err) == (0, ""), err
        assert out.strip()


@pytest.mark.parametrize(
    "argv",
    [["send_pending_mail"], ["send_review_reminders"], ["verify_references", "--recorded", str(DEMO_RECORDINGS)],
     ["staff", "list"], ["apply_retention"]],
    ids=lambda argv: argv[0],
)  # fmt: skip
def test_with_the_database_down_commands_exit_1_with_one_plain_sentence(database_down, argv):
    status, out, err = run(*argv)
    assert status == 1
    assert err.startswith(f"{argv[0]}: The database could not be reached"), err
    assert err.strip().count("\n") == 0 and "Traceback" not in err


def test_clear_page_cache_with_redis_down_exits_1(settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"SOCKET_TIMEOUT": 1, "SOCKET_CONNECT_TIMEOUT": 1}}}  # fmt: skip
    status, _out, err = run("clear_page_cache")
    assert status == 1 and "cache (Redis) cannot be reached" in err


def test_every_command_of_the_portal_uses_the_one_base_class():
    from django.core.management import get_commands, load_command_class

    ours = [name for name, app in get_commands().items() if app == "cytokines" and name != "loaddata"]
    assert len(ours) >= 10
    for name in ours:
        assert isinstance(load_command_class("cytokines", name), PortalCommand), name


def test_clear_page_cache_retires_cached_pages(client):
    from ..factories import CancerTypeFactory

    kind = CancerTypeFactory(name="Kidney cancer before")
    url = kind.get_absolute_url()
    assert b"Kidney cancer before" in client.get(url).content
    type(kind).objects.filter(pk=kind.pk).update(name="Kidney cancer after")  # a change behind the portal's back
    assert b"Kidney cancer before" in client.get(url).content  # still the cached page
    assert run("clear_page_cache")[0] == 0
    assert b"Kidney cancer after" in client.get(url).content


# --- load_demo: only into an empty database -------------------------------------------------------


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_a_second_make_run_keeps_an_editors_change_and_the_passwords(debug):
    from cytokines.models import Article

    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    page = Article.objects.filter(status="published").first()
    Article.objects.filter(pk=page.pk).update(summary="An editor's better summary.")
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("the editor's own password")
    editor.save()

    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)  # the second `make run`
    assert "demo not loaded" in out.getvalue()
    assert Article.objects.get(pk=page.pk).summary == "An editor's better summary."
    assert get_user_model().objects.get(username="editor").check_password("the editor's own password")


def test_load_demo_refuses_a_database_with_content_and_changes_nothing(debug):
    get_user_model().objects.create_user("someone")
    status, _out, err = run("load_demo")
    assert status == 1 and "nothing was changed" in err
    from cytokines.models import Article

    assert not Article.objects.exists()


# --- staff accounts -----------------------------------------------------------------------------


def test_staff_add_creates_a_staff_account_with_exactly_its_roles_and_is_safe_twice():
    for _ in range(2):
        status, out, err = run("staff", "add", "maria", "--role", "editor", "--role", "medical-reviewer",
                               "--email", "maria@example.org")  # fmt: skip
        assert (status, err) == (0, "")
    user = get_user_model().objects.get(username="maria")
    assert user.is_staff and user.is_active and not user.is_superuser and not user.has_usable_password()
    assert sorted(user.groups.values_list("name", flat=True)) == ["Editor", "Medical reviewer"]
    assert "Updated staff account maria: Editor, Medical reviewer." in out

    assert run("staff", "add", "maria", "--role", "supporter-care")[0] == 0  # roles are replaced, not added
    assert list(user.groups.values_list("name", flat=True)) == ["Supporter care"]


def test_staff_add_refuses_an_unknown_role_or_a_bad_address_and_changes_nothing():
    assert run("staff", "add", "maria", "--role", "owner")[0] == 2  # argparse: a usage error
    status, _out, err = run("staff", "add", "maria", "--role", "writer", "--email", "not-an-address")
    assert status == 1 and "not an e-mail address" in err
    assert not get_user_model().objects.filter(username="maria").exists()


def test_staff_disable_ends_sign_ins_and_keeps_the_account(client):
    run("staff", "add", "wendy", "--role", "writer")
    user = get_user_model().objects.get(username="wendy")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    status, out, _err = run("staff", "disable", "wendy")
    assert status == 0 and "1 open session(s) ended" in out
    user.refresh_from_db()
    assert not user.is_active and not user.is_staff
    assert client.get("/admin/").status_code == 302  # back to the sign-in page
    assert run("staff", "disable", "nobody")[0] == 1
