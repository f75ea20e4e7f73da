"""A scratch database beside the real one, for restore drills and tests: created empty, always dropped."""

import contextlib
import secrets
import tempfile
from pathlib import Path

from django.db import connections
from django.db.utils import load_backend


@contextlib.contextmanager
def scratch_database(source_alias="default", *, label="scratch"):
    """Yield the alias of a new, empty database next to ``source_alias``; drop it afterwards.

    On PostgreSQL it is ``<source name>_<label>_<random>`` on the same server; on SQLite a file in a
    temporary folder. Only the database made here is ever dropped.
    """
    source = connections[source_alias].settings_dict
    token = secrets.token_hex(4)
    alias = f"{label}_{token}"
    with contextlib.ExitStack() as stack:
        if connections[source_alias].vendor == "postgresql":
            name = f"{source['NAME']}_{label}_{token}"[:63]
            _pg_admin(source_alias, f'CREATE DATABASE "{name}"')
            stack.callback(_pg_admin, source_alias, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-scratch-"))
            name = str(Path(folder) / "scratch.sqlite3")
        # Registered for this thread only and kept out of settings.DATABASES: nothing else can route to it.
        wrapper = load_backend(source["ENGINE"]).DatabaseWrapper({**source, "NAME": name}, alias)
        connections[alias] = wrapper
        stack.callback(_forget, alias, wrapper)
        yield alias


def _forget(alias, wrapper):
    wrapper.close()
    del connections[alias]


def _pg_admin(source_alias, statement):
    with connections[source_alias]._nodb_cursor() as cursor:
        cursor.execute(statement)
