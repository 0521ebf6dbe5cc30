# The two front-door commands (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test lint bench mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python scripts/i18n.py compile >/dev/null

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python scripts/i18n.py compile >/dev/null
	bash scripts/install-test-deps.sh

## Install and start the app on the embedded default (SQLite in instance/).
run: install
	$(BIN)/tracker serve

## Install what the tests need and run the whole suite (ruff, then pytest).
test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Mutation testing per module (scripts/mutation.py): prints each kill rate, fails below 85 %.
mutation: install-test
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)
