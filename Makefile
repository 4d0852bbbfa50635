# newsroom: `make run` serves the site with demo content; `make test` runs the whole suite.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.11+ on PATH builds the virtual environment.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test test-all test-postgres faults ci setup setup-dev migrate demo check bench clean

$(VENV)/.runtime: requirements.txt
	@test -n "$(PYTHON)" || { echo "newsroom needs Python 3.11 or newer on PATH." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# The demo leaves the staff second factor to each account (production requires it for Editors).
run: export STAFF_TWO_FACTOR ?= optional
# Readers of the demo see the site's own 404 and 500 pages, not Django's technical ones.
run: export NEWSROOM_FRIENDLY_ERRORS ?= 1
# Links in pages and in the demo's mail point at the port actually served.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
# `make run` sends today's daily update two minutes after start, with a one-minute review window, so a
# first run shows the whole cycle in the console; set NEWSLETTER_SEND_TIME=HH:MM to choose.
NEWSLETTER_SEND_TIME ?= $(shell $(PYTHON) -c 'import datetime as d, os, zoneinfo; \
	print((d.datetime.now(zoneinfo.ZoneInfo(os.environ.get("TIME_ZONE") or "UTC")) + d.timedelta(minutes=2)).strftime("%H:%M"))')
NEWSLETTER_REVIEW_MINUTES ?= 1

run: setup
	@DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput -v 0
	@DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	@DJANGO_DEBUG=1 $(PY) manage.py seed_demo_comments
	@DJANGO_DEBUG=1 $(PY) manage.py seed_demo_newsletter
	@DJANGO_DEBUG=1 $(PY) manage.py ensure_admin --base-url http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a worker beside it: the daily update is drafted at once and"
	@echo "sent at $(NEWSLETTER_SEND_TIME) to this console. Ctrl-C stops both."
	@export DJANGO_DEBUG=1 NEWSLETTER_SEND_TIME=$(NEWSLETTER_SEND_TIME) NEWSLETTER_REVIEW_MINUTES=$(NEWSLETTER_REVIEW_MINUTES); \
		$(PY) manage.py worker & worker=$$!; \
		trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL with Redis (both must be running; .ci/run starts them where it can).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_ci
CI_REDIS_URL ?= redis://127.0.0.1:6379/14
test-postgres: setup-dev
	DATABASE_URL="$(POSTGRES_URL)" REDIS_URL="$(CI_REDIS_URL)" NEWSROOM_REQUIRE_SERVICES=1 $(PY) -m pytest $(PYTEST_ARGS)

# The fault suite (tests/faults/): its own PostgreSQL, Redis, SMTP sink, gunicorn and worker, with
# outages injected under load; a few minutes.
faults: setup-dev
	NEWSROOM_FAULTS=1 NEWSROOM_FAULTS_REPORT="$${NEWSROOM_FAULTS_REPORT:-/tmp/newsroom-faults.json}" \
		$(PY) -m pytest -q -p no:cacheprovider -m faults tests/faults

# The whole suite with nothing skipped that this machine can run: installs or starts Chromium, Java with
# the Nu Html Checker, PostgreSQL and Redis where it may (as root or with sudo), then both passes.
test-all: setup-dev
	bash -c 'set -euo pipefail; source .ci/services.sh; ensure_all; $(MAKE) test test-postgres'

# Everything CI runs once the services are up (.ci/run installs and starts them, then calls this).
ci: test test-postgres faults check

check: setup-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=news.example.org \
		SITE_URL=https://news.example.org $(PY) manage.py check --deploy --fail-level WARNING

bench: setup-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
