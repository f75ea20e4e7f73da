import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from cytokines.models import PersonalDataRequest, Subscriber

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db


def run(monkeypatch, *args, address=ADDRESS):
    monkeypatch.setattr("sys.stdin", io.StringIO(address + "\n"))
    out = io.StringIO()
    call_command("supporter_data", *args, stdout=out)
    return out.getvalue()


def test_the_command_exports_and_erases_with_the_address_from_stdin(people, make_user, monkeypatch):
    carla = make_user("carla")
    carla.groups.add(Group.objects.get(name="Supporter care"))
    assert len(json.loads(run(monkeypatch, "export", "--by", "carla"))["donations"]) == 3
    assert "Erased 7 records (PD-" in run(monkeypatch, "erase", "--by", "carla")
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert PersonalDataRequest.objects.filter(performed_by=carla).count() == 2


def test_the_command_refuses_staff_without_the_permission_and_bad_addresses(people, make_user, monkeypatch):
    make_user("eddie", "Editor")
    with pytest.raises(CommandError, match="not an active user allowed"):
        run(monkeypatch, "erase", "--by", "eddie")
    make_user("root", superuser=True)
    with pytest.raises(CommandError, match="not an e-mail address"):
        run(monkeypatch, "find", "--by", "root", address="jane")
    assert Subscriber.objects.filter(email=ADDRESS).exists()
