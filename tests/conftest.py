import pytest
from django.conf import settings


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    where = settings.DATABASES["default"].get("HOST") or settings.DATABASES["default"]["NAME"]
    return f"database: {engine} ({where})"


@pytest.fixture
def demo_content(db):
    """The demo fixture, loaded as a newcomer's `make run` would."""
    from django.core.management import call_command

    call_command("loaddata", "demo", verbosity=0)


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def make_user(db):
    """Make a staff user in the given workflow groups."""
    from django.contrib.auth.models import Group

    from .factories import UserFactory

    def make(username, *groups, superuser=False):
        user = UserFactory(username=username, is_superuser=superuser)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def staff(make_user):
    from cytokines.review import workflow

    return {
        "writer": make_user("wendy", workflow.WRITER),
        "reviewer": make_user("rita", workflow.MEDICAL_REVIEWER),
        "editor": make_user("eddie", workflow.EDITOR),
        "superuser": make_user("root", superuser=True),
        "nobody": make_user("norman"),
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so cached pages and rate limits never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deliver_mail(db):
    """Run the mail queue once, as `send_pending_mail` does; return the outbox."""
    from django.core import mail

    from cytokines.ops.mail import mail_send_queued

    def deliver():
        mail_send_queued()
        return mail.outbox

    return deliver
