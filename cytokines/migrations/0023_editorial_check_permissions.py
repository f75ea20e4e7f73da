"""Editors read and resolve readers' problem reports (they hold e-mail addresses: nobody else sees them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editor": ["view_problemreport", "change_problemreport"]}


def grant(apps, schema_editor):
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="cytokines", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0022_editorial_checks")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
