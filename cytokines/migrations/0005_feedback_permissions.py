from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = {"Editor": ["view_pagefeedback", "delete_pagefeedback"], "Writer": ["view_pagefeedback"],
              "Medical reviewer": ["view_pagefeedback"]}  # fmt: skip
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="cytokines", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0004_page_feedback"), ("cytokines", "0003_review_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
