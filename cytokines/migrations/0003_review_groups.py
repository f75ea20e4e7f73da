"""Create the Writer, Medical reviewer and Editor groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ["article", "articlereference", "faqitem"]
LIBRARY = ["reference", "cancertype", "contributor", "agent", "regulatoryapproval"]
HISTORY = ["historicalarticle", "historicalagent"]

PERMISSIONS = {
    "Writer": [f"{a}_{m}" for m in CONTENT for a in ("add", "change", "view")]
    + [f"{a}_reference" for a in ("add", "change", "view")]
    + [f"view_{m}" for m in LIBRARY + HISTORY + ["reviewevent"]],
    "Medical reviewer": [f"{a}_{m}" for m in CONTENT for a in ("change", "view")]
    + [f"{a}_reference" for a in ("add", "change", "view")]
    + [f"view_{m}" for m in LIBRARY + HISTORY + ["reviewevent"]],
    "Editor": [f"{a}_{m}" for m in CONTENT + LIBRARY for a in ("add", "change", "delete", "view")]
    + [f"view_{m}" for m in HISTORY + ["reviewevent", "reminderlog"]],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    from django.apps import apps as global_apps

    create_permissions(global_apps.get_app_config("cytokines"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="cytokines", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def keep_groups(apps, schema_editor):
    """Reverse: the groups stay (issue 26). Deleting them dropped every staff member's roles, and re-applying
    made empty groups: a rollback and upgrade silently took everybody's permissions away. create_groups()
    finds them again when re-applied."""


class Migration(migrations.Migration):
    dependencies = [
        ("cytokines", "0002_review_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, keep_groups)]
