# Two commands on a fresh machine: `make run` and `make test`.
# Database: DATABASE_URL when set, otherwise an embedded PostgreSQL under .data/ (pilot/embedded_db.py).
# Without DJANGO_DEBUG=1 the settings are production and refuse to start without real keys and
# DATABASE_URL; these development targets ask for debug explicitly (the tests too: they need the
# development keys, plain cookies and unhashed static files). Production never runs make.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install tools db run worker test test-fast lint format migrations-check audit messages messages-check bench bench-http clean

db run test test-fast migrations-check messages bench: export DJANGO_DEBUG = 1

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@echo "deduce builds its Dutch name lists once after installing (about 2 minutes)"
	$(PY) -c "from deduce import Deduce; Deduce()"
	@rm -f $(VENV)/.installed-*
	@touch $@

# Checkers the tests run that come from npm (the Nu HTML checker, tests/vnu.py), under tools/.
# `make test` fetches them when npm is there; without npm (or Java) that one check is skipped
# on a developer's machine, and fails under CI=true (.ci/run installs npm and Java).
tools:
	@if command -v npm >/dev/null; then $(MAKE) -s tools/node_modules/.package-lock.json; \
	else echo "npm is missing: the Nu HTML check (tests/vnu.py) can't run"; fi

tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --ignore-scripts

db: install
	@mkdir -p .data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

run: db
	$(PY) manage.py seed_demo
	@stop_embedded_db() { [ -n "$$DATABASE_URL" ] || $(PY) -m pilot.embedded_db stop; }; \
	trap 'exit 130' INT TERM; \
	if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker and beat beside the server"; \
		trap 'kill $$(jobs -p) 2>/dev/null; wait; stop_embedded_db' EXIT; \
		$(PY) -m celery -A pilot worker --loglevel=INFO --concurrency=2 & \
		$(PY) -m celery -A pilot beat --loglevel=INFO --schedule=.data/celerybeat-schedule & \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	else \
		echo "REDIS_URL is not set: Celery tasks run in-process"; \
		trap 'stop_embedded_db' EXIT; \
		$(PY) manage.py runserver 127.0.0.1:8000; \
	fi

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own test database, live
# server and browser; idle workers take over waiting tests (worksteal: durations vary from
# milliseconds to a browser journey). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist worksteal

test: install tools
	@mkdir -p .data
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(XDIST) -m "not browser and not integration" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Security: bandit over the project code (medium and high findings fail; the skipped checks and
# why are in pyproject.toml [tool.bandit]) and pip-audit over the installed packages
# (.ci/pip_audit.py: fails on a known vulnerability, and when the advisory service can't be reached).
audit: install
	$(VENV)/bin/bandit -c pyproject.toml -r . -q --severity-level medium --confidence-level medium
	$(PY) .ci/pip_audit.py $(PIP_AUDIT_ARGS)

# Only the English catalogue is generated: our msgids are Dutch. locale/nl is hand-kept (Dutch for
# third-party msgids the packages' own nl catalogues miss); never run makemessages for nl.
# The .mo files are committed, so a fresh machine needs no gettext.
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=.data --ignore=tests --ignore=bench --ignore=tools
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.data

# Fails when locale/en has an entry with an empty msgstr or a fuzzy flag.
messages-check: install
	@$(PY) -c 'import re, sys; s = open("locale/en/LC_MESSAGES/django.po", encoding="utf-8").read(); bad = [b for b in s.split("\n\n") if re.search(r"^#,.*\bfuzzy\b", b, re.M) or re.search(r"^msgstr(\[\d+\])? \"\"\n(?!\")", b + "\n", re.M)]; bad and print(*bad, sep="\n\n"); sys.exit(f"locale/en/LC_MESSAGES/django.po: {len(bad)} untranslated or fuzzy entries" if bad else 0)'

# docs/access.md: the access policy (tests/access_policy.py) as a role × page matrix;
# tests/test_access_policy.py fails when it is out of date.
.PHONY: docs-access
docs-access: install
	$(PY) -m tests.access_policy > docs/access.md

clean:
	rm -rf .data/static .pytest_cache .ruff_cache

# Case pages at 1M cases (bench/README.md): fills pilot_bench (1M) and pilot_bench_small (10k)
# on the PostgreSQL server of BENCH_DATABASE_URL, once (BENCH_FILL_ARGS=--reset refills), then
# measures; fails when a p95 is over 150 ms or a query count grows with the rows.
# BENCH_ARGS=--proposed also measures the suggested fix.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilot_bench
BENCH_SMALL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilot_bench_small
bench: install
	DATABASE_URL=$(BENCH_SMALL_DATABASE_URL) $(PY) bench/fill_cases.py --cases 10000 $(BENCH_FILL_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/fill_cases.py --cases 1000000 $(BENCH_FILL_ARGS)
	$(PY) bench/measure_pages.py --large $(BENCH_DATABASE_URL) --small $(BENCH_SMALL_DATABASE_URL) $(BENCH_ARGS)

# Every main page over HTTP (bench/README.md, "Pages over HTTP"): gunicorn with the production
# settings on 127.0.0.1 (plain http for the benchmark only), users signed in through the login
# form, wrk against two bare reference views and each page, three rounds; then 50 concurrent
# bookings of one slot. Needs wrk (Debian: apt install wrk) and the 1M fill of `make bench`.
# No DJANGO_DEBUG here: bench/http_pages.py runs production settings (bench/settings.py).
BENCH_HTTP_ARGS ?=
bench-http: install
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_DEBUG=1 $(PY) bench/fill_cases.py --cases 1000000 $(BENCH_FILL_ARGS)
	$(PY) bench/http_pages.py --database-url $(BENCH_DATABASE_URL) $(BENCH_HTTP_ARGS)
