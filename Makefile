# brinkwatch — every target sets up what it needs; nothing is installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
PORT   ?= 8000

.PHONY: help setup demo test lint typecheck pytest eval bench bench-scale clean docs train

help:
	@echo "make demo   — set up, ingest the bundled sample, open the dashboard on http://127.0.0.1:$(PORT)"
	@echo "make test   — set up, run ruff, mypy and the test suite"
	@echo "make eval   — score extraction on every dev gold set and the seed"
	@echo "make bench  — measure ingest against the bare spaCy parse and query latency"
	@echo "make bench-scale — memory while streaming 100,000 articles; a 10,000-article ingest killed and resumed"
	@echo "make train  — rebuild the derived data and learned models (src/brinkwatch/data) from ../shared (SHARED=dir)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exact pins from requirements.lock (runtime and dev tools) or requirements-run.lock (runtime only, the same
# pins: `make demo` installs no test tools); uv (pinned) makes the install fast and repeatable. Bytecode is
# compiled at install: machines that set PYTHONDONTWRITEBYTECODE would otherwise recompile every module per process.
RUN_STAMP := $(VENV)/.installed-run
$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q src
	touch $(STAMP) $(RUN_STAMP)

$(RUN_STAMP): $(BIN)/python requirements-run.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-run.lock
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q src
	rm -f $(STAMP)
	touch $(RUN_STAMP)

setup: $(STAMP)

demo: $(RUN_STAMP)
	$(BIN)/brinkwatch demo --db $(DB) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy src
	$(BIN)/mypy tools

pytest: setup
	$(BIN)/python -m pytest

test: lint typecheck pytest

eval: setup
	$(BIN)/brinkwatch eval all

bench: setup
	$(BIN)/brinkwatch bench

bench-scale: setup
	$(BIN)/brinkwatch bench --skip-ingest --skip-queries --stream-articles 100000 --resume-articles 10000

# Derived data and learned models, deterministic, from $(SHARED) (build time only): the CAMEO patterns, the
# lexicon's sources, the derived event nouns, the factuality model, then the event model (it reads the others).
SHARED ?= ../shared
train: setup
	$(BIN)/python tools/convert_cameo.py --shared $(SHARED)
	$(BIN)/python tools/source_lexicon.py
	$(BIN)/python tools/derive_event_nouns.py
	$(BIN)/python tools/train_factuality.py --shared $(SHARED)
	$(BIN)/python tools/train_events.py --shared $(SHARED)

docs: setup
	$(BIN)/python -m brinkwatch.cli.docs

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache test-artifacts
