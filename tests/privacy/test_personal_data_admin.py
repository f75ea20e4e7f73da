"""The find / export / erase page: Supporter care and superusers only, the address only in POST bodies."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cytokines.models import ConsentText, Donation, PersonalDataRequest, Subscriber, SuppressedAddress
from cytokines.supporters.suppression import address_hash

from .conftest import ADDRESS

pytestmark = pytest.mark.django_db
FIND = "admin:cytokines_personal_data_find"


@pytest.fixture
def carla(make_user):
    user = make_user("carla")
    user.groups.add(Group.objects.get(name="Supporter care"))
    return user


def roles(make_user, carla):
    return {
        "Writer": make_user("wendy", "Writer"),
        "Medical reviewer": make_user("rita", "Medical reviewer"),
        "Editor": make_user("eddie2", "Editor"),
        "Supporter care": carla,
        "superuser": make_user("root", superuser=True),
    }


@pytest.mark.parametrize("role", [None, "Writer", "Medical reviewer", "Editor", "Supporter care", "superuser"])
def test_only_supporter_care_and_superusers_may_find_export_or_erase(client, people, make_user, carla, role):
    allowed = role in ("Supporter care", "superuser")
    if role:
        client.force_login(roles(make_user, carla)[role])
    urls = [reverse(FIND), reverse("admin:cytokines_personaldatarequest_changelist"),
            reverse("admin:cytokines_suppressedaddress_changelist"), reverse("admin:cytokines_consenttext_add")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (200 if allowed else 302 if role is None else 403), url
    for action in ("find", "export", "erase"):
        response = client.post(reverse(FIND), {"email": ADDRESS, "action": action, "confirm": "yes"})
        if not allowed:
            assert response.status_code == (302 if role is None else 403)
            if role is None:
                assert "/login/" in response["Location"]
    if not allowed:  # nothing was read into an audit, nothing erased
        assert not PersonalDataRequest.objects.exists()
        assert Subscriber.objects.filter(email=ADDRESS).exists()
    else:
        assert not Subscriber.objects.filter(email=ADDRESS).exists()
        assert list(PersonalDataRequest.objects.values_list("action", flat=True)) == ["erase", "export"]


def test_find_lists_the_records_and_export_downloads_them(client, people, carla):
    client.force_login(carla)
    page = client.post(reverse(FIND), {"email": " Jane.Doe@Example.org ", "action": "find"})
    text = page.content.decode()
    assert page.status_code == 200 and "Donations (3)" in text and "Problem reports (1)" in text
    assert "Omar" not in text
    export = client.post(reverse(FIND), {"email": ADDRESS, "action": "export"})
    assert export["Content-Disposition"].startswith('attachment; filename="personal-data-PD-')
    assert "no-store" in export["Cache-Control"]
    assert len(json.loads(export.content)["donations"]) == 3
    assert PersonalDataRequest.objects.get().performed_by == carla


def test_erase_needs_the_confirmation_box_and_says_what_was_done(client, people, carla):
    client.force_login(carla)
    refused = client.post(reverse(FIND), {"email": ADDRESS, "action": "erase"})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert Subscriber.objects.filter(email=ADDRESS).exists()
    done = client.post(reverse(FIND), {"email": ADDRESS, "action": "erase", "confirm": "yes"}, follow=True)
    assert "Erased 7 records (PD-" in done.content.decode()
    assert not Donation.objects.filter(email__iexact=ADDRESS).exists()


def test_a_refused_erasure_shows_the_reason_and_changes_nothing(client, people, carla):
    from .conftest import at, gift

    gift(ADDRESS, "30", at(2026, 11), status="pending")
    client.force_login(carla)
    response = client.post(reverse(FIND), {"email": ADDRESS, "action": "erase", "confirm": "yes"})
    assert response.status_code == 400 and "still pending" in response.content.decode()
    assert Donation.objects.filter(email__iexact=ADDRESS).count() == 4


def test_a_bad_address_gets_a_clear_message(client, carla):
    client.force_login(carla)
    response = client.post(reverse(FIND), {"email": "jane at example", "action": "find"})
    assert response.status_code == 400 and "is not an e-mail address" in response.content.decode()


def test_the_suppression_list_is_searched_by_address_though_it_holds_only_hashes(client, people, carla):
    SuppressedAddress.objects.create(address_hash=address_hash(ADDRESS), reason="erased")
    client.force_login(carla)
    listing = client.get(reverse("admin:cytokines_suppressedaddress_changelist"), {"q": ADDRESS.upper()})
    assert listing.context["cl"].result_count == 1 and ADDRESS not in listing.content.decode()
    other = client.get(reverse("admin:cytokines_suppressedaddress_changelist"), {"q": "someone@example.org"})
    assert other.context["cl"].result_count == 0


def test_new_consent_wording_is_a_new_version_and_the_old_one_stays(client, carla):
    client.force_login(carla)
    url = reverse("admin:cytokines_consenttext_add")
    newsletter = ConsentText.objects.filter(purpose="newsletter")
    same = client.post(url, {"purpose": "newsletter", "wording": newsletter.get().wording})
    assert same.status_code == 200 and "already the wording in force" in same.content.decode()
    client.post(url, {"purpose": "newsletter", "wording": "Send me the monthly newsletter. I can stop it any time."})
    assert list(newsletter.values_list("version", flat=True)) == [2, 1]
    first = newsletter.get(version=1)
    assert client.get(reverse("admin:cytokines_consenttext_change", args=[first.pk])).status_code == 200
    client.post(reverse("admin:cytokines_consenttext_change", args=[first.pk]), {"wording": "changed"})
    first.refresh_from_db()
    assert first.wording.startswith("I agree to receive")


def test_from_a_donation_or_subscriber_the_action_opens_that_persons_records(client, people, carla, make_user):
    from django.contrib.admin import helpers

    client.force_login(carla)
    donation = Donation.objects.filter(email__iexact=ADDRESS).first()
    page = client.post(reverse("admin:cytokines_donation_changelist"),
                       {"action": "find_this_persons_data", helpers.ACTION_CHECKBOX_NAME: [donation.pk]})  # fmt: skip
    assert page.status_code == 200 and "Donations (3)" in page.content.decode()
    subscriber = Subscriber.objects.get(email=ADDRESS)
    page = client.post(reverse("admin:cytokines_subscriber_changelist"),
                       {"action": "find_this_persons_data", helpers.ACTION_CHECKBOX_NAME: [subscriber.pk]})  # fmt: skip
    assert "Newsletter subscription (1)" in page.content.decode()
    everyone = list(Donation.objects.values_list("pk", flat=True))
    mixed = client.post(reverse("admin:cytokines_donation_changelist"),
                        {"action": "find_this_persons_data", helpers.ACTION_CHECKBOX_NAME: everyone}, follow=True)
    assert "Select records of one person" in mixed.content.decode()
    assert not PersonalDataRequest.objects.exists()  # finding is not an export


def test_a_superuser_has_the_action_and_other_staff_do_not_see_supporter_lists(client, people, make_user):
    client.force_login(make_user("root", superuser=True))
    listing = client.get(reverse("admin:cytokines_donation_changelist"))
    assert "find_this_persons_data" in listing.content.decode()
    client.force_login(make_user("eddie2", "Editor"))
    assert client.get(reverse("admin:cytokines_donation_changelist")).status_code == 403
