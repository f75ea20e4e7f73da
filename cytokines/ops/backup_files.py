"""Backup files: one tar holding ``manifest.json`` and the database dump, optionally age-encrypted.

Files are owner-readable only (they hold donors' addresses and password hashes), written under a
temporary name and renamed when complete, so a crash never leaves something that looks like a backup.
``age`` is a well-kept file-encryption format; ``age -d -i key.txt file.tar.age | tar x`` reads one by hand.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

import pyrage
from pyrage import x25519

MANIFEST = "manifest.json"
FORMAT = 1
NAME = re.compile(r"^portal-(\d{8}T\d{6}Z)\.tar(\.age)?$")
STAMP = "%Y%m%dT%H%M%SZ"
MAX_MANIFEST_BYTES = 10 * 1024 * 1024


class BackupUnreadable(Exception):
    """The file is not a complete portal backup, or cannot be decrypted: nothing may be restored from it."""


def private_directory(path, *, ours=True):
    """Make ``path`` if missing, owner-only. An existing directory that is not ours (``ours=False``: the
    folder of a path the operator named) keeps its permissions: `backup_data /dev/null` run as root once
    made /dev owner-only, and every other user on the machine (PostgreSQL included) lost /dev/null."""
    path = Path(path)
    if path.is_dir() and not ours:
        return path
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path):
    """Open a new file for writing that only its owner can read (whatever the umask)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def backup_name(when, *, encrypted):
    return f"portal-{when.astimezone(datetime.UTC).strftime(STAMP)}.tar" + (".age" if encrypted else "")


def sha256_of(stream):
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def write_archive(target, manifest, dump_path, *, recipients=()):
    """Write manifest and dump to ``target`` (encrypted to ``recipients`` when given); return ``target``."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    plain = partial.with_name(partial.name + ".tar") if recipients else partial
    try:
        with private_file(plain) as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump_path, arcname=manifest["dump"]["name"])
        if recipients:
            keys = [x25519.Recipient.from_str(key) for key in recipients]
            with open(plain, "rb") as source, private_file(partial) as sink:
                pyrage.encrypt_io(source, sink, keys)
        os.replace(partial, target)
    finally:
        for leftover in {plain, partial}:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return target


@contextlib.contextmanager
def open_archive(path, *, identity=""):
    """Yield ``(manifest, open_dump)`` after checking the dump's size and SHA-256 against the manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as scratch:
        if path.name.endswith(".age"):
            path = _decrypt(path, Path(scratch) / "backup.tar", identity)
        try:
            tar = tarfile.open(path, mode="r:")
        except (OSError, tarfile.TarError) as problem:
            raise BackupUnreadable(f"{path.name} is not a readable backup ({problem}).") from None
        with tar:
            manifest = _read_manifest(tar)
            member = _member(tar, manifest["dump"]["name"])
            with tar.extractfile(member) as dump:
                try:
                    digest, size = sha256_of(dump)
                except (OSError, tarfile.TarError) as problem:
                    raise BackupUnreadable(f"The dump inside the backup is cut short ({problem}).") from None
            if (digest, size) != (manifest["dump"]["sha256"], manifest["dump"]["bytes"]):
                raise BackupUnreadable(
                    f"The dump inside the backup is damaged or incomplete: {size:,} bytes with SHA-256 "
                    f"{digest[:12]}…, the manifest says {manifest['dump']['bytes']:,} bytes, "
                    f"{manifest['dump']['sha256'][:12]}…."
                )
            yield manifest, lambda: tar.extractfile(member)


def _decrypt(path, plain, identity):
    if not identity:
        raise BackupUnreadable(f"{path.name} is encrypted: set BACKUP_AGE_IDENTITY to the private key to read it.")
    try:
        key = x25519.Identity.from_str(identity.strip())
        with open(path, "rb") as source, private_file(plain) as sink:
            pyrage.decrypt_io(source, sink, [key])
    except (pyrage.IdentityError, pyrage.DecryptError, ValueError) as problem:
        raise BackupUnreadable(f"{path.name} cannot be decrypted with BACKUP_AGE_IDENTITY ({problem}).") from None
    return plain


def _read_manifest(tar):
    member = _member(tar, MANIFEST)
    if member.size > MAX_MANIFEST_BYTES:
        raise BackupUnreadable("The manifest is implausibly large.")
    try:
        with tar.extractfile(member) as stream:
            manifest = json.load(stream)
        if manifest.get("format") != FORMAT:
            raise BackupUnreadable(f"Unknown backup format {manifest.get('format')!r}; this portal reads {FORMAT}.")
        manifest["dump"]["name"], manifest["dump"]["sha256"], manifest["dump"]["bytes"], manifest["tables"]
    except (ValueError, KeyError, TypeError, OSError, tarfile.TarError) as problem:
        raise BackupUnreadable(f"The backup's manifest is damaged ({problem}).") from None
    return manifest


def _member(tar, name):
    try:
        return tar.getmember(name)
    except (KeyError, OSError, tarfile.TarError):
        raise BackupUnreadable(f"The backup has no {name}: it is incomplete or not a portal backup.") from None


def backups_in(directory):
    """``(time, path)`` of every backup this portal wrote in ``directory``, newest first; other files ignored."""
    found = []
    for path in Path(directory).glob("portal-*.tar*"):
        match = NAME.match(path.name)
        if match:
            when = datetime.datetime.strptime(match.group(1), STAMP).replace(tzinfo=datetime.UTC)
            found.append((when, path))
    return sorted(found, reverse=True)


def rotation(backups, *, keep_daily, keep_weekly):
    """Split ``backups`` (newest first) into kept and deleted: the newest of each of the last
    ``keep_daily`` days and of each of the last ``keep_weekly`` ISO weeks that have a backup."""
    days, weeks, keep = set(), set(), set()
    for when, path in backups:
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            keep.add(path)
        if week not in weeks and len(weeks) < keep_weekly:
            keep.add(path)
        days.add(day)
        weeks.add(week)
    if backups:
        keep.add(backups[0][1])  # never delete the newest, whatever the settings say
    return [p for _, p in backups if p in keep], [p for _, p in backups if p not in keep]


def copy_stream(source, sink):
    shutil.copyfileobj(source, sink, 1 << 20)
