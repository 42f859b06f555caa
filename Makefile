# Wissensnetz — the only commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/wissensnetz
# The PostgreSQL stage is the scaled shape: its cache is on Redis when one answers here (CI: always).
REDIS_TEST_URL ?= redis://127.0.0.1:6379/1
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The two suite runs go over PYTEST_WORKERS processes (pytest-xdist; each has its own test
# database and search index folder). PYTEST_WORKERS=0 runs in one process (e.g. for pdb).
PYTEST_WORKERS ?= 2
XDIST := $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist worksteal)

.PHONY: run test test-stages venv lint format check test-sqlite test-postgres test-conformance browser-deps messages messages-de bench search-quality clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Re-extract every app's strings into <app>/locale/de/LC_MESSAGES/django.po (then translate them).
messages-de: venv
	for app in intranet home posts search people documents; do \
	  (cd $$app && mkdir -p locale && env -u DJANGO_SETTINGS_MODULE ../$(BIN)/python -P -m django makemessages -l de --no-obsolete -v0); \
	done

messages: venv
	@command -v msgfmt >/dev/null || { echo "GNU gettext (msgfmt) is missing: apt-get install gettext" >&2; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0

## run: install, migrate, load the demo data once, build the search index, serve on :8000
run: venv messages
	mkdir -p var
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo_data --if-empty --no-index
	$(MANAGE) update_index
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

## test: lint, Django checks, the whole suite on SQLite and PostgreSQL, search conformance
TEST_STAGES := venv messages browser-deps lint check test-sqlite test-postgres test-conformance
test: $(TEST_STAGES)

# For .ci/run, which runs the stages one by one and prints how long each took.
test-stages:
	@echo $(TEST_STAGES)

# ruff, then the import rules between the apps (import-linter; [tool.importlinter] in pyproject.toml)
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: venv
	mkdir -p var
	$(BIN)/python manage.py check --settings=intranet.settings.test
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=intranet.settings.test
	SECRET_KEY="ci-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" ALLOWED_HOSTS=intranet.example \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING --settings=intranet.settings.production

test-sqlite: venv
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

# PostgreSQL: always in CI; locally whenever a server answers at PG_URL.
test-postgres: venv
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  redis=$$($(BIN)/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)', socket_connect_timeout=3).ping(); print('$(REDIS_TEST_URL)')" 2>/dev/null); \
	  if [ -z "$$redis" ] && [ -n "$$CI" ]; then echo "Redis is not reachable at $(REDIS_TEST_URL), but CI must test on it" >&2; exit 1; fi; \
	  echo "== test suite on PostgreSQL ($(PG_URL)) with the PostgreSQL search engine, cache on $${redis:-local memory}"; \
	  DATABASE_URL=$(PG_URL) SEARCH_BACKEND=postgres REDIS_URL=$$redis $(BIN)/pytest $(XDIST) $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(PG_URL), but CI must test on it" >&2; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL run (CI always runs it)"; fi

# modelsearch's own shared backend suite against our Whoosh backend, beside modelsearch's SQLite
# backend as the peer, and on PostgreSQL against our PostgreSQL engine beside modelsearch's
# PostgreSQL backend (its fixture lives in ../shared/conformance; without it the suite skips).
test-conformance: venv
	$(BIN)/pytest -c tests/conformance/pytest.ini tests/conformance $(PYTEST_ARGS)
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -c tests/conformance/pytest.ini tests/conformance $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(PG_URL), but CI must test on it" >&2; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipping the conformance run on PostgreSQL"; fi

# The judged German query set (tests/search/eval, docs/search-quality.md): recall@10 and MRR per
# kind. On SQLite (default) the Whoosh shape and plain Whoosh; with DB=postgres (at PG_URL) also
# the PostgreSQL shape and PostgreSQL's raw 'german' full text. The table and each query's rank
# are written to var/search-quality-<DB>.txt(.tsv).
DB ?= sqlite
search-quality: venv
	mkdir -p var
	$(if $(filter postgres,$(DB)),DATABASE_URL=$(PG_URL)) SEARCH_QUALITY_OUT=var/search-quality-$(DB).txt \
	  $(BIN)/pytest tests/search/test_quality.py -q -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	  cat var/search-quality-$(DB).txt; exit $$status

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work offline).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install chromium chromium-driver (browser tests will fail without it)" >&2; exit 1; fi; \
	fi

# Benchmarks (issue 8): a scratch site under var/bench/ with production settings, gunicorn with
# BENCH_WORKERS workers, bench/load.py on loopback; results in bench/results/. Sizes:
# make bench BENCH_POSTS=100000 BENCH_PAGES=5000 BENCH_USERS=2000 (see bench/README.md).
BENCH_POSTS ?= 1000
BENCH_PAGES ?= 500
BENCH_USERS ?= 500
BENCH_ARGS ?=
bench: venv
	$(BIN)/python bench/run.py --posts $(BENCH_POSTS) --pages $(BENCH_PAGES) --users $(BENCH_USERS) $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache .ruff_cache
