"""Supporter care sees monthly gifts and payment timelines; Editors compose and approve newsletter issues."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Supporter care": ["view_monthlygift", "view_paymentevent", "view_newsletterissue", "view_newsletterdelivery"],
    "Editor": ["add_newsletterissue", "change_newsletterissue", "view_newsletterissue"],
}


def grant(apps, schema_editor):
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="cytokines", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="cytokines", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0014_review_history_is_permanent")]

    operations = [migrations.RunPython(grant, revoke)]
