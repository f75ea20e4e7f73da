import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from mailer.models import Message as QueuedMail

from cytokines.models import Article, Donation, PageFeedback, ReviewEvent, Subscriber
from cytokines.ops.backup import BACKUP_MODELS
from cytokines.review import workflow

pytestmark = pytest.mark.django_db


def comparable(value):
    # JSON keeps times to the millisecond (ECMA-262), which is all a backup needs.
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000).isoformat()
    return str(value)


def snapshot():
    return {
        model._meta.label: sorted(
            tuple(
                comparable(getattr(obj, f.attname)) for f in model._meta.concrete_fields if f.name != "search_document"
            )
            for obj in model._default_manager.all()
        )
        for model in BACKUP_MODELS
        if model._meta.app_label == "cytokines"
    }


def wipe():
    """Empty the content tables, as a fresh database would be (review history refuses row deletes)."""
    from django.db import connection

    models = [m for m in reversed(BACKUP_MODELS) if m._meta.app_label == "cytokines"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses while FK checks wait
            cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)} CASCADE")
        return
    for model in models:
        model._default_manager.all()._raw_delete(model._default_manager.db)


def test_backup_and_restore_round_trip_everything(demo_content, staff, tmp_path, django_capture_on_commit_callbacks):
    article = Article.objects.filter(status=Article.Status.DRAFT).first()
    article.owner = staff["writer"]
    article.save()
    workflow.article_transition(article=article, user=staff["writer"], name="submit", comment="Ready")
    client = Client()
    client.post(reverse("cytokines:donate"), {"preset_amount": "50", "frequency": "monthly", "donor_name": "Ann",
                                               "email": "ann@example.org", "idempotency_key": "0" * 32})  # fmt: skip
    client.post(reverse("cytokines:newsletter"), {"email": "reader@example.org", "consent": "on"})
    PageFeedback.objects.create(article=Article.objects.published().first(), helpful=True, comment="Clear")
    before = snapshot()
    assert Donation.objects.count() == 1 and Subscriber.objects.count() == 1 and ReviewEvent.objects.count() == 1

    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", str(path), stdout=io.StringIO())
    wipe()
    assert not Article.objects.exists() and not Donation.objects.exists()
    queued = QueuedMail.objects.count()
    call_command("restore_data", str(path), stdout=io.StringIO())

    assert snapshot() == before
    restored = Article.objects.get(pk=article.pk)
    assert restored.owner == staff["writer"] and restored.review_events.get().comment == "Ready"
    assert queued and QueuedMail.objects.count() == queued  # e-mails were queued with the records, not on restore


def test_restore_refuses_to_overwrite_existing_data(demo_content, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Refusing to restore over existing data"):
        call_command("restore_data", str(path))


def test_a_damaged_backup_restores_nothing(tmp_path):
    import gzip

    path = tmp_path / "broken.jsonl.gz"
    with gzip.open(path, "wt") as stream:
        stream.write(
            '{"model": "cytokines.cancertype", "pk": 1, "fields": {"name": "A", "slug": "a", "summary": ""}}\n'
        )
        stream.write('{"model": "cytokines.cancertype", "pk": 2, "fields": {"name": \n')
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore_data", str(path))
    from cytokines.models import CancerType

    assert not CancerType.objects.exists()
