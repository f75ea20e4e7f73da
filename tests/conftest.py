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
