"""Newsletter links carry a random token instead of the subscriber's address (readable in base64 before)."""

import secrets

from django.db import migrations, models

import cytokines.supporters.models


def give_every_subscriber_a_token(apps, schema_editor):
    Subscriber = apps.get_model("cytokines", "Subscriber")
    for subscriber in Subscriber.objects.filter(token__isnull=True).only("pk"):
        Subscriber.objects.filter(pk=subscriber.pk).update(token=secrets.token_urlsafe(24))


class Migration(migrations.Migration):
    dependencies = [("cytokines", "0018_calendar_token_password")]

    operations = [
        migrations.AddField(
            model_name="subscriber", name="token", field=models.CharField(max_length=40, null=True, editable=False)
        ),
        migrations.RunPython(give_every_subscriber_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="subscriber",
            name="token",
            field=models.CharField(
                default=cytokines.supporters.models.new_subscriber_token, editable=False, max_length=40, unique=True
            ),
        ),
    ]
