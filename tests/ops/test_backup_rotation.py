"""Rotation keeps the newest backup of each of the last 7 days and of each of the last 4 weeks."""

import datetime

from cytokines.ops import backup
from cytokines.ops.backup_files import backup_name, backups_in, rotation

UTC = datetime.UTC


def test_rotation_keeps_seven_daily_and_four_weekly_backups():
    newest = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # a Monday
    times = [newest - datetime.timedelta(days=d, hours=h) for d in range(60) for h in (0, 1)]  # two a day
    backups = sorted(((t, f"b-{t:%m%d-%H}") for t in times), reverse=True)

    kept, deleted = rotation(backups, keep_daily=7, keep_weekly=4)

    daily = [f"b-{newest - datetime.timedelta(days=d):%m%d-%H}" for d in range(7)]  # the later of each day
    weekly = ["b-1130-02", "b-1129-02", "b-1122-02", "b-1115-02"]  # newest of this week, then each Sunday
    assert kept == sorted(set(daily) | set(weekly), reverse=True)
    assert len(kept) + len(deleted) == len(backups)


def test_rotation_never_deletes_the_newest_backup():
    only = [(datetime.datetime(2026, 1, 1, tzinfo=UTC), "only")]
    assert rotation(only, keep_daily=0, keep_weekly=0) == (["only"], [])


def test_rotating_a_folder_deletes_only_old_portal_backups(tmp_path, settings):
    settings.BACKUP_DIR, settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_WEEKLY = tmp_path, 2, 0
    start = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    for day in range(4):
        (tmp_path / backup_name(start + datetime.timedelta(days=day), encrypted=day % 2 == 1)).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not a backup")

    deleted = backup.backups_rotate()

    assert sorted(p.name for p in deleted) == ["portal-20261101T030000Z.tar", "portal-20261102T030000Z.tar.age"]
    assert [p.name for _, p in backups_in(tmp_path)] == [
        "portal-20261104T030000Z.tar.age",
        "portal-20261103T030000Z.tar",
    ]
    assert (tmp_path / "notes.txt").exists()
