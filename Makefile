# Nærvær: `make demo` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The first interpreter of 3.12+ found; pyenv and uv honour .python-version (3.13) here.
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
# The demo runs on the local PostgreSQL (the schema needs it), in its own database.
DEMO_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/naervaer_demo
DEMO_ENV := NAERVAER_ENV=development DATABASE_URL=$(DEMO_DATABASE_URL) CELERY_TASK_ALWAYS_EAGER=true
DEMO_ARGS ?=
TEST_ENV := NAERVAER_ENV=test
# Commands that need settings but no database or Redis.
OFFLINE_ENV := NAERVAER_ENV=development DATABASE_URL=sqlite:///:memory:
PYTEST_ARGS ?=
# The bench drops and recreates its own database on every run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/naervaer_bench
BENCH_ARGS ?=

.PHONY: help demo test lint bench lock system-deps browser-deps services messages

help:
	@echo "make demo   – installer, lag demo-kommunen i PostgreSQL og start på http://127.0.0.1:8000"
	@echo "make test   – kjør alle tester mot PostgreSQL og Redis"
	@echo "make lint   – ruff, formatering, migreringer og Djangos sjekker"
	@echo "make bench  – mål ytelsen mot målene i sakene (bench/README.md)"
	@echo "make lock   – oppdater låsefilene fra pyproject.toml"

$(STAMP): requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Fant ingen Python 3.12 eller nyere (Django 6 krever det)." >&2; \
	  echo "Installer python3.13 (pyenv install 3.13, eller 'uv python install 3.13' der maskinen har internett)," >&2; \
	  echo "eller oppgi tolken: make PYTHON=/sti/til/python3.13 ..." >&2; exit 1; fi
	@if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) || { echo "Kunne ikke lage $(VENV) med $(PYTHON); på Debian: apt install python3-venv" >&2; exit 1; }
	@echo "Installerer låste avhengigheter i $(VENV) …"
	@# This machine's pip config may name local package folders that do not exist; hide that noise.
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock \
	  2> >(grep -v "^WARNING: Location 'file:" >&2)
	@touch $@

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installerer systempakker:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Mangler systempakker:$$missing – installer dem (sudo apt install$$missing) og prøv igjen." >&2; exit 1; fi; fi

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installerer chromium for nettlesertestene"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Nettlesertestene trenger /usr/bin/chromium (sudo apt install chromium), eller kjør: make test PYTEST_ARGS='-m \"not browser\"'" >&2; exit 1; fi; fi

services:
	@bin/ensure-services

messages: $(STAMP)
	@$(OFFLINE_ENV) $(PY) manage.py compilemessages --ignore=.venv --verbosity 0

demo: $(STAMP) system-deps messages
	@DATABASE_URL=$(DEMO_DATABASE_URL) bin/ensure-services
	@DATABASE_URL=$(DEMO_DATABASE_URL) $(PY) bin/ensure-database
	@$(DEMO_ENV) $(PY) manage.py migrate --verbosity 0
	@$(DEMO_ENV) $(PY) manage.py seed_demo $(DEMO_ARGS)
	@$(DEMO_ENV) $(PY) manage.py seed_fravaer
	@$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) system-deps browser-deps services messages
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(OFFLINE_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(OFFLINE_ENV) $(PY) manage.py check
	@if command -v docker-compose >/dev/null; then docker-compose --env-file .env.example config -q && echo "docker-compose.yml er gyldig"; \
	 else echo "docker-compose finnes ikke; hopper over validering av docker-compose.yml"; fi

bench: $(STAMP)
	@DATABASE_URL=$(BENCH_DATABASE_URL) bin/ensure-services
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/registrering.py $(BENCH_ARGS)

lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes --quiet -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --universal --python-version 3.12 --generate-hashes --quiet -o requirements-dev.lock
