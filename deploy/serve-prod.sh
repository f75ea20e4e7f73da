#!/usr/bin/env bash
# Serve the portal the production way on this machine: PostgreSQL, Redis, collected static files, gunicorn.
# Configured only by the environment (README, "Operating in production"); every step must succeed before
# the next one runs, so gunicorn never starts on a failed migration or a failed deployment check.
#
#   DATABASE_URL   postgres://postgres@127.0.0.1:5432/cytokine_portal   (the database is created if missing)
#   REDIS_URL      redis://127.0.0.1:6379/0
#   BIND           127.0.0.1:8000                                       (gunicorn's address and port)
#   WEB_CONCURRENCY  2 x cores + 1                                      (gunicorn workers)
#   SECRET_KEY     a throw-away key made now (sessions end at restart); set your own for real use
#   PLAIN_HTTP     1: plain HTTP on this machine, no HTTPS redirect or secure cookies (a trial);
#                  0: behind the TLS proxy (deploy/nginx-portal.conf), with PORTAL_BASE_URL https://…
#   ALLOWED_HOSTS, PORTAL_BASE_URL   default: BIND's host and localhost, http://BIND
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
export DEBUG=0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cytokine_portal}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export BIND="${BIND:-127.0.0.1:8000}"
export PLAIN_HTTP="${PLAIN_HTTP:-1}"
host="${BIND%:*}"
case "$host" in 0.0.0.0|"[::]"|"") host=127.0.0.1 ;; esac
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$host,localhost,127.0.0.1}"
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://$host:${BIND##*:}}"
if [ -z "${SECRET_KEY:-}" ]; then
  echo "serve-prod: SECRET_KEY is not set; using a throw-away key (sign-ins end when this stops)." >&2
  SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  export SECRET_KEY
fi
if [ "$PLAIN_HTTP" = 1 ]; then
  echo "serve-prod: plain HTTP on this machine (PLAIN_HTTP=1); behind a TLS proxy set PLAIN_HTTP=0." >&2
fi

echo "serve-prod: database ${DATABASE_URL##*/}, Redis ${REDIS_URL}, serving on ${BIND}" >&2
"$PY" deploy/create_database.py
"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input -v0
"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py clear_page_cache
exec "$PY" -m gunicorn portal.wsgi -c portal/gunicorn.conf.py --bind "$BIND"
