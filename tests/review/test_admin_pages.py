import pytest
from django.contrib import admin
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

# Records written only by the portal itself (workflow, readers, supporters): nobody adds them by hand.
READ_ONLY_IN_ADMIN = {"ReviewEvent", "ReminderLog", "PageFeedback", "Donation", "Subscriber", "MonthlyGift",
                      "ProblemReport", "PersonalDataRequest", "SuppressedAddress"}
# Versions that start as a copy of the live one ("Propose a change"), never from an empty add form.
PROPOSED_FROM_LIVE = {"SiteSettings", "TrustPage"}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label == "cytokines"])
def test_every_content_model_has_working_admin_pages(superuser_client, demo_content, model):
    opts = model._meta
    changelist = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "inter"})
    assert changelist.status_code == 200
    add = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    read_only_record = model.__name__ in READ_ONLY_IN_ADMIN | PROPOSED_FROM_LIVE
    assert add.status_code == (403 if read_only_record else 200)
    obj = model.objects.first()
    if obj is not None:
        change = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert change.status_code == 200


def test_admin_requires_login(client):
    response = client.get(reverse("admin:cytokines_article_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
