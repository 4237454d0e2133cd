# Two commands for a fresh machine: `make run` (serve on SQLite with the report data) and
# `make test` (the whole suite). Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: install run test lint lock bench-import

install: $(VENV)/.installed

# Reinstall only when the pinned dependencies change.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_local
	$(MANAGE) adopt_meeting_follow_ups
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

# Import speed and memory on PostgreSQL and SQLite, against a raw driver load of the same
# rows (creates and drops its own database, genopole_bench; prints figures, asserts nothing).
bench-import: install
	$(BIN)/python bench/import_meetings.py all

lint: install
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run

# Re-pin every dependency from pyproject.toml (run after changing it).
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --no-emit-trusted-host -o requirements.lock pyproject.toml
