"""Create DATABASE_URL's PostgreSQL database when it does not exist yet (used by deploy/serve-prod.sh).

Connects to the server's ``postgres`` database with the same credentials; does nothing for SQLite or
when the database is there. Exits non-zero with one sentence when the server cannot be reached.
"""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql


def main():
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return 0
    name = config["NAME"]
    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None,
              "user": config.get("USER") or None, "password": config.get("PASSWORD") or None}  # fmt: skip
    try:
        connection = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    except psycopg2.OperationalError as problem:
        print(f"Cannot reach PostgreSQL at {params['host']}:{params['port']}: {str(problem).strip()}", file=sys.stderr)
        return 1
    connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.", file=sys.stderr)
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
