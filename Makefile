# Löftesportalen: `make run` serves the portal with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
DEV_ENV := DJANGO_DEBUG=true
# Tests run with production settings (DEBUG off) and a throwaway key.
TEST_ENV := DJANGO_SECRET_KEY=insecure-key-for-tests-only

.PHONY: install run serve test lint format migrations-check messages compilemessages check-deploy bench loadbench faultdrill scaleout-check clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python >= 3.12 is needed, found " + sys.version)'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet . --group dev
	touch $(STAMP)

install: $(STAMP) compilemessages

# Babel compiles the catalogues in pure Python, so a machine without GNU gettext can run the portal.
compilemessages: $(STAMP)
	$(BIN)/pybabel compile --domain=django --directory=locale --statistics
	$(BIN)/pybabel compile --domain=django --directory=locale_vendor

run: install
	$(DEV_ENV) $(MANAGE) migrate --no-input
	$(DEV_ENV) $(MANAGE) load_demo --with-users --country-sample
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

serve: install
	$(MANAGE) collectstatic --no-input
	$(MANAGE) migrate --no-input
	$(BIN)/gunicorn --config config/gunicorn.conf.py

test: install
	$(TEST_ENV) $(BIN)/pytest --numprocesses=auto --dist=loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

# `check --deploy` with production settings: a throwaway key and an example host.
check-deploy: $(STAMP)
	DJANGO_SECRET_KEY="deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	DJANGO_ALLOWED_HOSTS=loftesportalen.example.org \
	DJANGO_CSRF_TRUSTED_ORIGINS=https://loftesportalen.example.org \
	  $(MANAGE) check --deploy --fail-level WARNING

messages: $(STAMP)
	$(DEV_ENV) $(MANAGE) makemessages --locale=sv --locale=en --ignore=.venv --ignore=tests --ignore=bench --no-obsolete

bench: install
	$(BIN)/python -m bench

# gunicorn and wrk on PostgreSQL with the national dataset (DATABASE_URL, else a database of its own).
loadbench: install
	$(BIN)/python -m bench.load $(LOADBENCH_ARGS)

# Redis (its own) and, with FAULTDRILL_ARGS=--stop-postgres, PostgreSQL stopped under a polled
# gunicorn; --load adds 64 connections for 60 s on each page kind (bench/faults.py).
faultdrill: install
	$(BIN)/python -m bench.faults $(FAULTDRILL_ARGS)

# Two gunicorn instances behind nginx on loopback share sessions and the page cache (deploy/).
scaleout-check: install
	$(BIN)/python -m deploy.scaleout_check

clean:
	rm -rf $(VENV) staticfiles
