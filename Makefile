# Interlude: `make run` for a local practice, `make test` for the whole suite,
# `make bench` for page speed measured against a trivial view in one run.
# Pass pytest options with PYTEST_ARGS, e.g. `make test PYTEST_ARGS="-k demo -x"`.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export INTERLUDE_MODE ?= dev

.PHONY: run test lint bench install install-test messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/interlude migrate --noinput
	$(BIN)/interlude demo --once
	$(BIN)/interlude serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check interlude tests bench

# The suite runs on every core (at most four: each worker holds its own learned layer and test
# database); `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto

# pytest exits 5 when it collected no test: here that means the suite is broken, so say so.
test: install-test lint
	$(BIN)/interlude makemigrations --check --dry-run
	@$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS) || { status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	  exit $$status; }

bench: install-test
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var
