# Developer entry points. `make run` starts the embedded demo; `make test` runs the suite.
# Everything runs from .venv, made with $(PYTHON) and installed once per change of pyproject.toml.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

# With CI=true a skipped test fails the run (scripts/pytest_no_skip.py); -p loads it from here.
PYTEST := PYTHONPATH=scripts$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/pytest -p pytest_no_skip
ifneq ($(filter true 1 yes,$(CI)),)
PYTEST += -p no:cacheprovider --durations=10
endif

.PHONY: help install sysdeps messages run test lint format

help:
	@echo "make run       install, migrate, seed the demo, serve http://127.0.0.1:8000 with a"
	@echo "               Celery worker and beat (Ctrl-C stops all three)"
	@echo "make test      install and run the whole pytest suite (ARGS='-k x' passes options)"
	@echo "make lint      ruff check, ruff format --check and the import layers (lint-imports)"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  compile every locale/**/*.po into its .mo"
	@echo "make bench     roster import, certificate printing and the verification API, each"
	@echo "               against a baseline, and verification and list pages with 1,000,000"
	@echo "               certificates against the demo, and 200 people at once under locust"
	@echo "               (BENCH_DATABASE_URL, BENCH_REDIS_URL;"
	@echo "               installs wrk; the first run loads seed_scale; bench/results.json)"
	@echo "make install   create $(VENV) and install the project (cached by $(STAMP))"

sysdeps:
	@PYTHON=$(PYTHON) scripts/ensure-sysdeps.sh

$(BIN)/python: | sysdeps
	$(PYTHON) -m venv $(VENV)

# The stamp makes a second `make run` quick; touching pyproject.toml reinstalls.
$(STAMP): pyproject.toml | $(BIN)/python
	@# -qq: this machine's pip configuration warns about each package otherwise.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq -e '.[dev]'
	@touch $@

install: sysdeps $(STAMP)

messages: sysdeps
	@n=0; for po in $$(find locale -name '*.po' | sort); do \
		msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; n=$$((n + 1)); \
	done; echo "messages: compiled $$n catalogs under locale/"

run: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@scripts/run-dev.sh

test: install messages
	$(PYTEST) $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_messages.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The roster import, certificate printing and the verification API, each against
# a baseline from the same run (bench/run.py says what each figure means; BENCH_ONLY=certificates
# runs one section; BENCH_ONLY=load the locust load of bench/load_run.py). A scratch database is
# created if missing; BENCH_REDIS_URL is emptied.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
.PHONY: bench
bench: install
	@scripts/ensure-bench-sysdeps.sh
	DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/run.py
