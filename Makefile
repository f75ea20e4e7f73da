# Two commands do everything: `make run` and `make test`. The rest are their parts.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Address and port `make run` serves on (runserver); `make serve-prod` reads BIND too (deploy/serve-prod.sh).
BIND ?= 127.0.0.1:8000

.PHONY: run test install lint migrations-check check clean bench-import serve-prod bench bench-fault attack \
	restore-drill restore-drill-demo bench-restore screenshots lighthouse bench-scale migrations-round-trip bench-replica bench-profile \
	messages messages-check

$(VENV)/.installed: requirements.txt requirements-dev.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@# axe-core (accessibility checks in the browser tests) comes from npm; skipped when npm is absent.
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; fi
	touch $@

# The interface's translations (locale/<lang>/LC_MESSAGES/django.po, written by hand) compiled for Django;
# the .mo files are built here, never committed. msgfmt comes from the gettext package.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext)
	msgfmt --check-format --output-file=$@ $<

install: $(VENV)/.installed $(MO_FILES)

# What makemessages reads: our code and templates, never the virtualenv, npm packages, tests or benches.
MAKEMESSAGES := $(PY) manage.py makemessages --no-location --no-obsolete --no-wrap -v0 \
	--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench --ignore=docs

## Update locale/es/LC_MESSAGES/django.po with every marked string (then write the new msgstr by hand)
messages: install
	DEBUG=1 $(MAKEMESSAGES) -l es

## Fail when a marked string has no Spanish translation, or one is fuzzy (what CI runs)
messages-check: messages
	DEBUG=1 $(PY) manage.py messages_check locale/es/LC_MESSAGES/django.po

## Set up and serve the portal with demo content on SQLite (or DATABASE_URL) at http://$(BIND)
## The demo is loaded only into an empty database: a second `make run` keeps every edit and password.
run: install
	export DEBUG=1 PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(BIND)}"; set -e; \
	$(PY) manage.py migrate --no-input; \
	$(PY) manage.py load_demo --if-empty; \
	exec $(PY) manage.py runserver $(BIND)

## Run the whole test suite (PostgreSQL when one answers on 127.0.0.1:5432, else SQLite) in three phases: the
## tests that keep to one transaction in parallel (TEST_PROCESSES, one per core), then the ones that empty the
## tables (browser and live-server tests), then those that restore the migrations' rows (tests/conftest.py says
## why). Exit status 5 ("no test in this phase") is fine.
TEST_PROCESSES ?= auto
test: install
	@for phase in parallel transactional serialized; do \
	  if [ $$phase = parallel ]; then workers="-n $(TEST_PROCESSES)"; else workers=""; fi; \
	  echo "--- make test: $$phase tests"; \
	  $(PY) -m pytest $$workers --phase=$$phase $(PYTEST_ARGS); status=$$?; \
	  [ $$status -eq 0 ] || [ $$status -eq 5 ] || exit $$status; \
	done

## ruff, and the import rules of ARCHITECTURE.md (import-linter, config in pyproject.toml)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check: install
	DEBUG=1 $(PY) manage.py check

## Serve the production way on this machine, configured by the environment: DATABASE_URL, REDIS_URL, BIND,
## WEB_CONCURRENCY, SECRET_KEY, PLAIN_HTTP (defaults and meaning: deploy/serve-prod.sh, README "Operating in production")
serve-prod: install
	PY="$(PY)" deploy/serve-prod.sh

## Load benchmark: gunicorn on PostgreSQL, wrk at fixed concurrency; writes bench/RESULTS.md
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/load_bench.py
	$(MAKE) --no-print-directory bench-wagtail

## The peer users would pick: the same article page from a minimal Wagtail site (bench/wagtail_peer/, its own
## requirements and virtualenv, never the portal's), same wrk load; writes the "wagtail" section of bench/RESULTS.md
.PHONY: bench-wagtail
bench-wagtail: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/wagtail_bench.py $(WAGTAIL_ARGS)

## 70 s of mixed traffic at 32 connections: PostgreSQL restarted, Redis stopped 10 s, SMTP refusing 10 s,
## all the bench's own instances (never the shared ones); checks nothing acknowledged is lost
bench-fault: install
	command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	$(PY) bench/fault_bench.py

## Replay the black-box review's attacks: slowloris through nginx, 10,000 cache-busting query strings,
## a sign-up while the mail server hangs; writes bench/RESULTS.md
attack: install
	command -v nginx >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light)
	command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	$(PY) bench/attack_bench.py

## cProfile of the uncached article, medicine, search, cancer type and dashboard pages (scratch database)
bench-profile: install
	$(PY) bench/profile_pages.py $(PROFILE_ARGS)

## A scratch PostgreSQL primary + streaming replica (pg_basebackup), two gunicorn hosts on both and one Redis:
## publish on host A, read on host B at once; stops all it started; writes bench/RESULTS.md
bench-replica: install
	$(PY) bench/replica_bench.py $(REPLICA_ARGS)

## Page cost at 1,000, 10,000 and 100,000 articles (scratch PostgreSQL databases); writes bench/RESULTS.md
bench-scale: install
	$(PY) bench/scale_bench.py $(SCALE_ARGS)

## Import 10,000 references and 2,000 articles into a scratch PostgreSQL database; print rows/s
bench-import: install
	$(PY) bench/import_bench.py

## Restore the newest backup (BACKUP_DIR) into a scratch database beside DATABASE_URL's, compare every table
restore-drill: install
	$(PY) manage.py restore_drill

## The drill on a throwaway PostgreSQL demo database (what CI runs): migrate, demo content, backup_data, drill
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
DRILL_DB ?= restore_drill_demo
restore-drill-demo: install
	@set -e; export PGOPTIONS=--client-min-messages=warning; dir=$$(mktemp -d); url="$(PG_ADMIN_URL:/postgres=)/$(DRILL_DB)"; \
	trap 'psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS $(DRILL_DB) WITH (FORCE)"; rm -rf "$$dir"' EXIT; \
	psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS $(DRILL_DB) WITH (FORCE)" -c "CREATE DATABASE $(DRILL_DB)"; \
	export DATABASE_URL="$$url" BACKUP_DIR="$$dir" DEBUG=1; \
	$(PY) manage.py migrate --no-input -v0; $(PY) manage.py load_demo >/dev/null; \
	$(PY) manage.py backup_data; $(MAKE) --no-print-directory restore-drill

## Backup and restore times of the demo database and of one with 100,000 articles (scratch databases); RESULTS.md
bench-restore: install
	$(PY) bench/restore_bench.py

## Every data migration rolled back and forward on a throwaway PostgreSQL demo database (what CI runs):
## each table that the rollback keeps must keep every row (manage.py migration_round_trip)
ROUND_TRIP_DB ?= migrations_round_trip_demo
migrations-round-trip: install
	@set -e; export PGOPTIONS=--client-min-messages=warning; url="$(PG_ADMIN_URL:/postgres=)/$(ROUND_TRIP_DB)"; \
	trap 'psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS $(ROUND_TRIP_DB) WITH (FORCE)"' EXIT; \
	psql "$(PG_ADMIN_URL)" -qc "DROP DATABASE IF EXISTS $(ROUND_TRIP_DB) WITH (FORCE)" -c "CREATE DATABASE $(ROUND_TRIP_DB)"; \
	export DATABASE_URL="$$url" DEBUG=1; unset REDIS_URL; \
	$(PY) manage.py migrate --no-input -v0; $(PY) manage.py load_demo >/dev/null; \
	$(PY) manage.py migration_round_trip --scratch

## Screenshots of home, an article, an agent, donate, saved pages and the dashboard at 375 and 1280 px, into screenshots/
screenshots: install
	SCREENSHOTS_DIR=$(CURDIR)/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

## Lighthouse (mobile and desktop) of every public page type and trust page; table into bench/RESULTS.md
lighthouse: install
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
