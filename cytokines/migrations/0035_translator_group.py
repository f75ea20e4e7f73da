"""The Translator group: writes translations of articles and fact sheets (never English pages: review.rules
decides that per page); its pages go through medical and editorial review like any other."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = ["article", "articlereference", "faqitem", "agent", "regulatoryapproval", "sideeffect", "safetystatement"]
VIEWED = ["reference", "cancertype", "contributor", "historicalarticle", "historicalagent", "reviewevent"]
PERMISSIONS = [f"{a}_{m}" for m in EDITED for a in ("add", "change", "view")] + [f"view_{m}" for m in VIEWED]


def create_group(apps, schema_editor):
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Translator")
    permissions = Permission.objects.filter(content_type__app_label="cytokines", codename__in=PERMISSIONS)
    missing = set(PERMISSIONS) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for Translator: {sorted(missing)}")
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0034_translations")]

    # Reverse: the group stays, as the review groups do (issue 26): deleting it would drop its members' role, and
    # re-applying finds it again. The older code never asks for it.
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
