# Two commands do everything: `make run` and `make test`. The rest are their parts.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint migrations-check check clean bench-import

$(VENV)/.installed: requirements.txt requirements-dev.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@# axe-core (accessibility checks in the browser tests) comes from npm; skipped when npm is absent.
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; fi
	touch $@

install: $(VENV)/.installed

## Set up and serve the portal with demo content on SQLite at http://127.0.0.1:8000
run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

## Run the whole test suite (PostgreSQL when one answers on 127.0.0.1:5432, else SQLite)
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check: install
	DEBUG=1 $(PY) manage.py check

## Import 10,000 references and 2,000 articles into a scratch PostgreSQL database; print rows/s
bench-import: install
	$(PY) bench/import_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
