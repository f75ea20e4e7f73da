import pytest
from django.conf import settings


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    where = settings.DATABASES["default"].get("HOST") or settings.DATABASES["default"]["NAME"]
    return f"database: {engine} ({where})"


def load_demo_content():
    """The demo fixture, loaded as a newcomer's `make run` would: its published pages go live."""
    from django.core.management import call_command

    from cytokines.models import Agent, Article, GlossaryTerm
    from cytokines.review.publishing import first_revisions

    call_command("loaddata", "demo", "demo_safety", "demo_glossary", "demo_es", verbosity=0)
    first_revisions(Article, Agent, GlossaryTerm)


@pytest.fixture
def demo_content(db):
    load_demo_content()


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

    from .factories import ContributorFactory

    people = {
        "writer": make_user("wendy", workflow.WRITER),
        "reviewer": make_user("rita", workflow.MEDICAL_REVIEWER),
        "editor": make_user("eddie", workflow.EDITOR),
        "superuser": make_user("root", superuser=True),
        "nobody": make_user("norman"),
    }
    # The medical reviewer's login is linked to her contributor profile, as publishing needs.
    ContributorFactory(user=people["reviewer"], name="Dr Rita Reviewer", slug="rita-reviewer", credentials="MD, PhD")
    return people


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request under /es/ leaves Spanish active in its thread, and
    a later test's reverse() would then name the Spanish address."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so cached pages and rate limits never leak between tests, and with
    the page cache believed healthy: a cache-outage test leaves it skipped for a second, which made a page-cache
    test right after it in the same process fail (seen when the suite runs in parallel)."""
    from django.core.cache import cache

    from cytokines.public import recent_searches
    from cytokines.public.cache import _Health

    _Health.down_until = 0.0
    cache.clear()
    recent_searches.forget()
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


# --- Phases of `make test` ------------------------------------------------------------------------------------
# Transactional tests (live server, browser, transaction=True) end by emptying every table, which also removes what
# the data migrations wrote (groups, site settings); the ones with serialized_rollback put that back only at their
# own start, and fail when a plain transactional test ran just before them in a fresh process. Run alone,
# pytest-django puts all of them last; spread over several processes (pytest-xdist) they would not be last. So
# `make test` runs the rest in parallel, then the plain transactional tests, then the serialized ones.
PHASES = ("parallel", "transactional", "serialized")


def pytest_addoption(parser):
    parser.addoption(
        "--phase", choices=["all", *PHASES], default="all",
        help="all tests, or one phase: parallel (no transactional tests), transactional (those without "
             "serialized_rollback), serialized (those with it).",
    )  # fmt: skip


def _phase(item):
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("serialized_rollback"):
        return "serialized"
    if marker is not None and marker.kwargs.get("transaction"):
        return "transactional"
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return "transactional"
    return "parallel"


def pytest_collection_modifyitems(config, items):
    choice = config.getoption("--phase")
    if choice == "all":
        return
    keep, drop = [], []
    for item in items:
        (keep if _phase(item) == choice else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
