# MiCenter portal. `make run` to try it, `make test` to check it.
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: prod run serve test lint format check-translations messages install migrate seed clean bench bench-search bench-registration bench-report bench-pages bench-db

# Production processes on this machine (gunicorn, worker, beat) against PostgreSQL and Redis.
prod: install
	scripts/prod-local

run: install migrate seed
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(MANAGE) runserver 127.0.0.1:8000

$(STAMP): requirements.txt
	@PY=$$(scripts/find-python) || exit 1; \
	  [ -x $(BIN)/python ] || $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)
	$(MANAGE) compilemessages --ignore=$(VENV) --verbosity 0

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo --once --background

test: install
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rewrites the .po files from the code's strings (then translate what is new).
messages: $(STAMP)
	$(MANAGE) makemessages --ignore=$(VENV) --ignore=tests -l lt -l uk -l ru --no-obsolete --no-location

check-translations: $(STAMP)
	$(MANAGE) check_translations

clean:
	rm -rf $(VENV)

# Visitor search at 1,000 and 100,000 people on PostgreSQL (a throwaway *_bench database).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/micenter_bench
bench-db: install
	@psql "$(dir $(BENCH_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(notdir $(BENCH_DATABASE_URL))'" | grep -q 1 \
	  || createdb --maintenance-db="$(dir $(BENCH_DATABASE_URL))postgres" "$(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --noinput -v0

# Every benchmark (the Production issue adds the page-by-page load test and the yearly report).
bench: bench-search bench-registration bench-report bench-pages

bench-search: bench-db
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench search

# gunicorn is measured as production runs it: with Redis as the cache (a database of its own,
# emptied by the benchmark first).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/13

bench-registration: bench-db
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) compilemessages --ignore=$(VENV) -v0
	REDIS_URL=$(BENCH_REDIS_URL) DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench registration

# The yearly report at the demo size, 100,000 and 1,000,000 visits (its own *_bench database,
# seeded once with the demo year through the services, about three minutes the first time).
BENCH_REPORT_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/micenter_report_bench
bench-report: install
	@psql "$(dir $(BENCH_REPORT_DATABASE_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(notdir $(BENCH_REPORT_DATABASE_URL))'" | grep -q 1 \
	  || createdb --maintenance-db="$(dir $(BENCH_REPORT_DATABASE_URL))postgres" "$(notdir $(BENCH_REPORT_DATABASE_URL))"
	DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(MANAGE) seed_demo --once --allow-production > /dev/null
	DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(BIN)/python -m bench report

# Pages under load with wrk (Debian: apt-get install wrk), on the report benchmark's database;
# prints every benchmark's figures and writes artifacts/bench/summary.json.
bench-pages: install
	DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(MANAGE) compilemessages --ignore=$(VENV) -v0
	REDIS_URL=$(BENCH_REDIS_URL) DATABASE_URL=$(BENCH_REPORT_DATABASE_URL) $(BIN)/python -m bench pages
