"""Supporter records are personal data: only the Supporter care group (and superusers) may see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_group(apps, schema_editor):
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Supporter care")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cytokines", codename__in=["view_donation", "view_subscriber"]
        )
    )


def keep_group(apps, schema_editor):
    """Reverse: the group and its members stay (issue 26), as with the review groups (0003)."""


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0006_supporters")]

    operations = [migrations.RunPython(create_group, keep_group)]
