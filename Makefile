# Two commands for a fresh machine: `make run` (serve on SQLite with the report data) and
# `make test` (the whole suite). Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# The development configuration; without it the settings ask for production ones.
DEV := DJANGO_DEBUG=1
PORT ?= 8000

.PHONY: install run test lint lock bench bench-import bench-dashboard

install: $(VENV)/.installed node_modules/.installed

# Reinstall only when the pinned dependencies change. requirements.lock is what production
# needs (install it alone there); requirements-dev.lock adds the tests, linting and locking.
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $@

# axe-core, which the browser tests inject into each page to check its accessibility.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility browser tests will fail until axe-core is installed"; fi

run: install
	$(DEV) $(MANAGE) migrate --noinput
	$(DEV) $(MANAGE) setup_local
	# A task worker beside the server, for background imports; stopped with it.
	$(DEV) $(MANAGE) db_worker & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
		$(DEV) $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

# The 100× benchmark (bench/run.py): generates a million meetings in its own PostgreSQL
# database (BENCH_DATABASE_URL, default genopole_bench; dropped at the end unless
# BENCH_OPTIONS=--keep), measures pages, exports, the admin, the import and a load test,
# prints one table and writes bench-results.json. Figures only: it never fails on a target.
# A subset: make bench BENCH_OPTIONS="--keep --only pages".
BENCH_OPTIONS ?=
bench: install
	$(BIN)/python bench/run.py $(BENCH_OPTIONS)

# Import speed and memory on PostgreSQL and SQLite, against a raw driver load of the same
# rows (creates and drops its own databases, named after BENCH_DATABASE_URL's plus `_import`,
# default genopole_bench_import; prints figures, asserts nothing).
bench-import: install
	$(BIN)/python bench/import_meetings.py all

lint: install
	$(BIN)/ruff check .
	$(DEV) $(MANAGE) makemigrations --check --dry-run

# Re-pin every dependency from pyproject.toml (run after changing it): the runtime set, then
# the development set constrained to the same runtime versions.
LOCK_OPTIONS := --quiet --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
lock: install
	$(BIN)/pip-compile $(LOCK_OPTIONS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra dev -c requirements.lock \
		-o requirements-dev.lock pyproject.toml

# Dashboard and report pages on growing generated data (creates and drops bench_dashboard;
# prints figures, asserts nothing).
bench-dashboard: install
	$(BIN)/python bench/dashboard.py
