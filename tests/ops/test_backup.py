"""Backups hold every table, and a restore writes nothing unless the whole backup matches its manifest."""

import gzip
import io
import json
import stat
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connections, models
from django.test.utils import isolate_apps
from django.utils import timezone

from cytokines.models import Donation, PageFeedback, Subscriber
from cytokines.ops import backup, backup_tables
from cytokines.ops.scratch import scratch_database
from tests.factories import ArticleFactory, UserFactory

# The dump is taken by another process (pg_dump), so the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def site_data():
    article = ArticleFactory(title="Interleukin-2 for kidney cancer")
    UserFactory(username="admin", is_superuser=True)
    Donation.objects.create(amount=Decimal("50"), donor_name="Ann Donor", email="ann@example.org", provider="pledge")
    Subscriber.objects.create(email="reader@example.org", consent_at=timezone.now())
    PageFeedback.objects.create(article=article, helpful=True, comment="Clear")
    return article


def stats_of(alias):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return backup_tables.sqlite_alias_stats(alias)
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        stats = backup_tables.pg_table_stats(cursor, backup_tables.pg_tables(cursor))
        cursor.execute("ROLLBACK")
    return stats


def without_excluded(stats):
    return {table: figures for table, figures in stats.items() if table not in backup.excluded_tables()}


def rewrite_dump(path, change, *, fix_manifest=False):
    """Unpack a backup, pass its uncompressed dump through ``change``, compress and pack it again."""
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = gzip.decompress(tar.extractfile(manifest["dump"]["name"]).read())
    packed = gzip.compress(change(dump))
    if fix_manifest:  # as if whoever cut it also rewrote the manifest's checksum
        import hashlib

        manifest["dump"].update(bytes=len(packed), sha256=hashlib.sha256(packed).hexdigest())
    with tarfile.open(path, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (manifest["dump"]["name"], packed)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def cut_at_a_line_boundary(data):
    lines = data.splitlines(keepends=True)
    return b"".join(lines[: len(lines) * 2 // 3])


def test_backup_and_restore_round_trip_every_table(site_data, backup_dir):
    call_command("backup_data", stdout=io.StringIO())
    before = without_excluded(stats_of("default"))
    with scratch_database() as target:
        out = io.StringIO()
        call_command("restore_data", database=target, stdout=out)
        after = stats_of(target)
        user = get_user_model().objects.using(target).get(username="admin")
        donation = Donation.objects.using(target).get()
    assert "every table checked against the manifest" in out.getvalue()
    assert without_excluded(after) == before
    assert {"auth_user", "cytokines_article", "cytokines_donation", "django_migrations"} <= set(after)
    assert user.is_superuser and user.check_password("correct horse battery staple")
    assert (donation.email, donation.amount) == ("ann@example.org", Decimal("50.00"))


def test_every_model_is_backed_up_or_excluded_with_a_written_reason(backup_dir):
    _path, manifest = backup.backup_create()
    assert backup.undecided_models(set(manifest["tables"])) == []
    for label, reason in backup.EXCLUDED_MODELS.items():
        assert apps.get_model(label) and len(reason) > 20, f"{label}: the reason must say why"
        assert manifest["tables"][apps.get_model(label)._meta.db_table]["rows"] == 0


@isolate_apps("cytokines")
def test_a_model_without_a_backup_decision_fails_the_check(backup_dir):
    class GiftAidDeclaration(models.Model):  # a model whose table no backup holds
        donor_name = models.CharField(max_length=100)

        class Meta:
            app_label = "cytokines"

        def __str__(self):
            return self.donor_name

    _path, manifest = backup.backup_create()
    every_model = [*apps.get_models(include_auto_created=True), GiftAidDeclaration]
    assert backup.undecided_models(set(manifest["tables"]), every_model) == ["cytokines.GiftAidDeclaration"]


def test_a_backup_cut_at_a_line_boundary_is_refused_and_nothing_is_written(site_data, backup_dir):
    path, _manifest = backup.backup_create()
    rewrite_dump(path, cut_at_a_line_boundary)
    with scratch_database() as target:
        with pytest.raises(CommandError, match="damaged or incomplete.*Nothing was restored"):
            call_command("restore_data", str(path), database=target)
        assert backup_tables.occupied_tables(target) == {}


def test_a_cut_backup_with_a_rewritten_manifest_checksum_is_still_refused(site_data, backup_dir):
    path, _manifest = backup.backup_create()
    rewrite_dump(path, cut_at_a_line_boundary, fix_manifest=True)
    with scratch_database() as target:
        with pytest.raises(CommandError, match="Nothing was restored"):
            call_command("restore_data", str(path), database=target)
        assert backup_tables.occupied_tables(target) == {}


def test_restore_refuses_a_database_holding_a_user_and_changes_nothing(site_data, backup_dir):
    path, _manifest = backup.backup_create()
    with scratch_database() as target:
        # What `createsuperuser` leaves in a new database: the account tables and one user.
        with connections[target].schema_editor() as editor:
            for model in (ContentType, Permission, Group, get_user_model()):
                editor.create_model(model)
        get_user_model().objects.db_manager(target).create_superuser("admin", "root@example.org", "pw-12345678")
        before = stats_of(target)
        with pytest.raises(CommandError, match=r"not empty.*auth_user.*Nothing was restored"):
            call_command("restore_data", str(path), database=target)
        assert stats_of(target) == before
        assert get_user_model().objects.using(target).get(username="admin").is_superuser


def test_encrypted_backups_need_the_private_key(site_data, backup_dir, settings):
    public, private = backup.age_identity_generate()
    settings.BACKUP_AGE_RECIPIENTS = [public]
    call_command("backup_data", stdout=io.StringIO())
    (path,) = backup_dir.glob("portal-*.tar.age")
    data = path.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"manifest.json" not in data
    with scratch_database() as target:
        with pytest.raises(CommandError, match="encrypted: set BACKUP_AGE_IDENTITY"):
            call_command("restore_data", database=target)
        settings.BACKUP_AGE_IDENTITY = backup.age_identity_generate()[1]  # somebody else's key
        with pytest.raises(CommandError, match="cannot be decrypted"):
            call_command("restore_data", database=target)
        settings.BACKUP_AGE_IDENTITY = private
        call_command("restore_data", database=target, stdout=io.StringIO())
        assert Donation.objects.using(target).get().email == "ann@example.org"


def test_backups_are_readable_by_their_owner_only_and_ignored_by_git(backup_dir):
    path, _manifest = backup.backup_create()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup_dir.stat().st_mode) == 0o700
    assert not list(backup_dir.glob(".*"))  # no temporary file left behind
    assert "backups/" in (ROOT / ".gitignore").read_text().split()


def test_restore_drill_restores_the_newest_backup_and_prints_its_timings(site_data, backup_dir):
    call_command("backup_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore_drill", stdout=out)
    assert "Restore drill passed" in out.getvalue()
    assert "restore into a scratch database" in out.getvalue() and " s" in out.getvalue()


def test_a_backup_into_an_existing_folder_leaves_the_folders_permissions_alone(tmp_path):
    # Run as root, `backup_data /dev/null` made /dev owner-only, and PostgreSQL (another user) stopped working.
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    path, _manifest = backup.backup_create(target=shared / "portal.tar")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
