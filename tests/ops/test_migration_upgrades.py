"""Upgrades and rollbacks (issue 26): data migrations roll back and forward on the demo data keeping every
row (``manage.py migration_round_trip``, all of them in CI: ``make migrations-round-trip``); 0012's
rollback keeps owed e-mails owed; every migration is reversible or says why; and new migrations pass the
backward-compatibility linter (django-migration-linter).

The round trips run ``manage.py`` in a subprocess on scratch databases, as an operator would.
"""

import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db.migrations import RunPython, RunSQL
from django.db.migrations.loader import MigrationLoader

from cytokines.ops.migration_checks import data_migrations

from .test_serve_prod import admin_connection

ROOT = Path(__file__).resolve().parents[2]
APP = "cytokines"
# Data migrations whose reverse does nothing, and why that loses nothing. A new one must say why here.
NOOP_REVERSES = {
    "0005_feedback_permissions.grant": "granted permissions stay; the older code never checks them",
    "0018_calendar_token_password.fingerprint_existing_tokens": "the reverse drops the fingerprint column itself",
    "0019_subscriber_link_token.give_every_subscriber_a_token": "the reverse drops the token column itself",
    "0023_editorial_check_permissions.grant": "granted permissions stay; the older code never checks them",
    "0025_live_revisions.first_revisions": "the reverse drops the revision tables; re-applying makes revision 1 "
    "from the working copies. KNOWN RISK: a working copy with an edit still in review would then go live; "
    "never roll back past 0025 with revisions pending (README, Upgrade)",
    "0026_working_copy_columns.drop_article_search": "KNOWN GAP: the old search trigger is not re-created; "
    "code older than 0026 searches articles only after `manage.py migrate cytokines 0008` and forward again",
    "0030_structured_safety.forward": "the reverse drops the new side-effect rows with their tables; the old "
    "prose columns were kept, so nothing older is lost",
    "0030_structured_safety.install_checklist": "the checklist rows go with their table; granted permissions "
    "stay, and the older code never checks them",
    "0031_donor_contact_consent.forwards": "the reverse drops the donation column itself; the version-1 row "
    "stays (forwards finds it again); changing rows first would make PostgreSQL refuse the ALTER TABLE",
    "0035_translator_group.create_group": "the Translator group stays with its members (as the review groups, "
    "issue 26); the older code never asks for it, and re-applying finds it",
    "0033_live_agent_revisions.first_revisions": "the reverse drops the agent revision tables (0032); re-applying "
    "makes revision 1 from the working copies. KNOWN RISK as for 0025: never roll back past 0033 with an agent's "
    "edit still in review",
    "0037_glossary_terms.grant": "granted permissions stay; the older code never checks them",
    "0039_saved_index_buckets.fill_buckets": "the reverse drops the bucket columns themselves",
}
# Written before the linter was in CI (issue 26); the linter checks every migration after this number.
# 0030 (landed while the linter was being added) renames cytokines_regulatoryapproval.note: stop the old
# code before migrating past it (README, Upgrade).
LINTED_AFTER = 30
# A linter rule a migration may break, and why the previous release's code still runs beside it.
LINTER_EXCEPTIONS = {
    "0034_translations": {"ADD_UNIQUE": "one translation per language and source: the index is partial (only rows "
                          "with translation_of), and the previous release never sets translation_of"},
    "0048_reminders_for_every_reviewed_page": {
        "ADD_UNIQUE": "the two new unique constraints cover the new agent and glossary term columns, which the "
        "previous release never sets (its rows hold NULL there, and NULLs never collide); the table has one row "
        "per reminder e-mailed, so the index build is brief"},
    "0050_trust_pages_per_language": {
        "ADD_UNIQUE": "one live page per kind and language replaces one live page per kind: every existing row "
        "is English, so the rows that satisfied the old constraint satisfy the new one; six pages, a brief build"},
}
on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="scratch databases on PostgreSQL"
)


@pytest.fixture
def scratch():
    """A new, empty PostgreSQL database beside the test database: (its URL, a manage.py runner)."""
    name = f"roundtrip_{uuid.uuid4().hex[:10]}"
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
    url = base.rsplit("/", 1)[0] + "/" + name
    admin = admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    env.update(DEBUG="1", DATABASE_URL=url, LOG_LEVEL="WARNING")

    def manage(*args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=600)  # fmt: skip
        return result

    yield url, manage
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def sql(url, statement, params=()):
    connection = psycopg2.connect(url)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


@on_postgresql
def test_rolling_0012_back_and_forward_keeps_an_owed_pledge_email_owed(scratch):
    url, manage = scratch
    assert manage("migrate", APP, "0012_mail_sent_times", "-v0").returncode == 0
    day = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)
    insert = ("INSERT INTO cytokines_donation (reference, idempotency_key, amount, currency, frequency, donor_name, "
              "email, dedication, dedication_name, consent_to_contact, status, provider, provider_reference, "
              "created_at, pledge_email_sent_at) VALUES (%s, %s, 25, 'USD', 'one_time', 'Pat Doe', "
              "'pat@example.org', '', '', false, 'pending', 'pledge', '', %s, %s) RETURNING id")  # fmt: skip
    owed = sql(url, insert, ["CP-OWED", str(uuid.uuid4()), day, None])[0][0]
    sent = sql(url, insert, ["CP-SENT", str(uuid.uuid4()), day, day])[0][0]

    for target in ("0011_dashboard_indexes", "0012_mail_sent_times"):
        result = manage("migrate", APP, target, "-v0")
        assert result.returncode == 0, result.stderr

    rows = dict(sql(url, "SELECT id, pledge_email_sent_at FROM cytokines_donation"))
    assert rows[owed] is None  # still owed: send_pending_mail of that release sends it
    assert rows[sent] == day
    assert sql(url, "SELECT to_regclass('cytokines_mail_owed_0012')") == [(None,)]


SUPPORTERS = """
from django.contrib.auth.models import Group, User
from django.utils import timezone
from cytokines.models import Donation, Subscriber
care = User.objects.create_user("casey", is_staff=True)
care.groups.add(Group.objects.get(name="Supporter care"))
Donation.objects.create(amount=25, donor_name="Pat Doe", email="pat@example.org", provider="pledge")
Donation.objects.create(amount=50, donor_name="Sam Roe", email="sam@example.org", provider="pledge", status="paid",
                        paid_at=timezone.now())
Subscriber.objects.create(email="lee@example.org", consent_at=timezone.now())
from cytokines.models import Agent, ReminderLog
ReminderLog.objects.create(recipient=care, agent=Agent.objects.first(), kind="due_soon", due_date=timezone.localdate())
"""


@on_postgresql
def test_the_migration_round_trip_keeps_every_row_of_the_demo_data(scratch):
    _url, manage = scratch
    for step in (["migrate", "-v0"], ["load_demo"], ["shell", "-c", SUPPORTERS]):
        result = manage(*step)
        assert result.returncode == 0, result.stderr
    # The two whose reverse used to drop rows (staff roles, settings versions); CI runs every one. The walk down to
    # them also rolls back 0050 and 0048 with a Spanish trust page and a fact sheet's reminder in the database.
    result = manage("migration_round_trip", "--scratch", "--only", "0021_demo_site_settings_and_trust_pages",
                    "0007_supporter_care_group")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0007_supporter_care_group: back to 0006_supporters and forward: every row kept" in result.stdout
    assert "Migration round trip passed: 2 data migrations" in result.stdout


def test_the_round_trip_refuses_a_database_not_declared_scratch():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="throw-away copy"):
        call_command("migration_round_trip")


def test_data_migrations_are_found_newest_first_with_the_one_before():
    found = dict(data_migrations())
    assert found["0012_mail_sent_times"] == "0011_dashboard_indexes"
    assert found["0003_review_groups"] == "0002_review_workflow"
    assert list(found)[0] > list(found)[-1]


def test_every_migration_is_reversible_or_says_why():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    noop = []
    for (app, name), migration in graph.nodes.items():
        if app != APP:
            continue
        for operation in migration.operations:
            assert operation.reversible, f"{name}: {operation.describe()} cannot be reversed"
            if isinstance(operation, RunPython) and operation.reverse_code is RunPython.noop:
                noop.append(f"{name}.{operation.code.__name__}")
            if isinstance(operation, RunSQL):
                assert operation.reverse_sql not in (None, RunSQL.noop, ""), f"{name}: RunSQL without reverse SQL"
    assert sorted(noop) == sorted(NOOP_REVERSES), "a data migration's reverse does nothing: say why in NOOP_REVERSES"


def lint(**options):
    from django_migration_linter import MigrationLinter

    linter = MigrationLinter(None, include_apps=[APP], no_cache=True, **options)  # its report: pytest's output
    linter.lint_all_migrations(app_label=APP)
    return linter


@pytest.mark.django_db
def test_new_migrations_pass_the_backward_compatibility_linter():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    new = sorted(name for app, name in graph.nodes if app == APP and int(name[:4]) > LINTED_AFTER)
    if not new:
        return  # the linter itself is proven below
    plain = [name for name in new if name not in LINTER_EXCEPTIONS]
    linter = lint(include_name=plain)
    assert linter.nb_erroneous == 0, f"backward-incompatible migration among {plain}: see the linter's report above"
    for name, rules in LINTER_EXCEPTIONS.items():
        if name in new:
            excused = lint(include_name=[name], exclude_migration_tests=list(rules))
            assert excused.nb_erroneous == 0, f"{name} breaks a linter rule beyond {sorted(rules)}"


@pytest.mark.django_db
def test_the_linter_flags_a_migration_the_previous_release_could_not_run_beside():
    linter = lint(include_name=["0013_supporters_payments_and_newsletter_issues"])  # drops three columns
    assert linter.nb_erroneous == 1
    assert lint(include_name=["0030_structured_safety"]).nb_erroneous == 1  # renames a column
    assert lint(include_name=["0024_article_revisions"]).nb_erroneous == 0


class _History:
    """A made-up app history for ``round_trips``: 0001 makes table a, 0003 makes c; going back over 0002
    loses a row of a (the kind of defect the round trip is for), unless ``sound``."""

    MADE = {"0001": {"a": 5}, "0003": {"c": 2}}

    def __init__(self, sound):
        self.order, self.at, self.sound = ["0001", "0002", "0003", "0004"], 4, sound
        self.rows, self.lost = {"a": 5, "c": 2}, 0

    def migrate(self, _command, app=None, target=None, **options):
        goal = len(self.order) if target is None else self.order.index(target) + 1
        while self.at > goal:  # undo the newest applied
            name = self.order[self.at - 1]
            for table in self.MADE.get(name, {}):
                self.rows.pop(table)
            if name == "0002" and not self.sound:
                self.rows["a"] -= 1
            self.at -= 1
        while self.at < goal:
            name = self.order[self.at]
            for table in self.MADE.get(name, {}):
                self.rows[table] = 0
            self.at += 1

    def applied(self, app):
        return set(self.order[: self.at])


@pytest.mark.parametrize("sound", [True, False])
def test_the_round_trip_walk_finds_a_rollback_that_loses_rows(monkeypatch, sound):
    from cytokines.ops import migration_checks

    history = _History(sound)
    monkeypatch.setattr(migration_checks, "call_command", history.migrate)
    monkeypatch.setattr(migration_checks, "row_counts", lambda: dict(history.rows))
    monkeypatch.setattr(migration_checks, "_applied", history.applied)
    found = {name: (parent, changed, dropped) for name, parent, changed, dropped in
             migration_checks.round_trips([("0004", "0003"), ("0002", "0001")])}  # fmt: skip
    assert found["0004"] == ("0003", {}, [])
    assert found["0002"] == ("0001", {} if sound else {"a": (5, 4)}, [])
    assert found["newest"] == ("0001", {} if sound else {"a": (5, 4)}, ["c"])  # c was made by 0003, after 0001
    assert history.at == 4  # left at the newest migration
