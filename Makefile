# MiCenter portal. `make run` to try it, `make test` to check it.
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run serve test lint format check-translations messages install migrate seed clean

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
	$(MANAGE) seed_demo --once

test: install
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
