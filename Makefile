# brinkwatch — every target sets up what it needs; nothing is installed by hand.
PYTHON ?= python3
# The interpreter PYTHON names (a pyenv shim that is not active falls back to pyenv's own install of it),
# and its version as 311, 312, 313. Python 3.11–3.13 are supported.
PY     := $(shell $(PYTHON) -c 'import sys; print(sys.executable)' 2>/dev/null || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/*/bin/$(PYTHON) 2>/dev/null | sort -V | tail -n 1)
PYVER  := $(if $(PY),$(shell $(PY) -c 'import sys; print("%d%d" % sys.version_info[:2])' 2>/dev/null))
# One venv per interpreter: .venv for 3.11, .venv312 / .venv313 for the others (or VENV=...).
VENV   ?= $(if $(filter 311,$(PYVER)),.venv,.venv$(or $(PYVER),-$(notdir $(PYTHON))))
# The pinned lock: requirements-py<ver>.lock where one exists, else requirements.lock (resolved for 3.11;
# every pin in it has wheels for 3.11, 3.12 and 3.13, so one lock serves all three today).
LOCK   ?= $(if $(wildcard requirements-py$(PYVER).lock),requirements-py$(PYVER).lock,requirements.lock)
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= demo.db
PORT   ?= 8000

.PHONY: help setup demo test lint typecheck pytest eval bench bench-scale bench-serve clean docs train

help:
	@echo "make demo   — set up, ingest the bundled sample, open the dashboard on http://127.0.0.1:$(PORT)"
	@echo "make test   — set up, run ruff, mypy and the test suite (PYTHON=python3.13: in .venv313)"
	@echo "make eval   — score extraction on every dev gold set and the seed"
	@echo "make bench  — measure ingest against the bare spaCy parse and query latency"
	@echo "make bench-scale — memory while streaming 100,000 articles; a 10,000-article ingest killed and resumed"
	@echo "make bench-serve — the server under load: 16 readers on the API mix + 1 writer for 30 s"
	@echo "make train  — rebuild the derived data and learned models (src/brinkwatch/data) from ../shared (SHARED=dir)"

$(BIN)/python:
	@case "$(PYVER)" in 311|312|313) ;; \
	  *) echo "make: $(PYTHON) is $(if $(PYVER),$(PY) (Python $(PYVER)),not found): brinkwatch needs Python 3.11-3.13" >&2; exit 2;; esac
	$(PY) -m venv $(VENV)

# Exact pins from $(LOCK) (runtime and dev tools) or requirements-run.lock (runtime only, the same
# pins: `make demo` installs no test tools); uv (pinned) makes the install fast and repeatable. Bytecode is
# compiled at install: machines that set PYTHONDONTWRITEBYTECODE would otherwise recompile every module per process.
RUN_STAMP := $(VENV)/.installed-run
$(STAMP): $(BIN)/python $(LOCK) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
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

# 16 readers + 1 writer for 30 s against `brinkwatch serve` on a store of 250 ingested articles (built once in
# $TMPDIR/brinkwatch-bench-serve): throughput, read p50/p95/p99, POST latency, every posted article stored once.
bench-serve: setup
	$(BIN)/python -m brinkwatch.dev.bench_serve --out bench-results/bench-serve.json

# Derived data and learned models, deterministic, from $(SHARED) (build time only): the CAMEO patterns, the
# lexicon's sources, the derived event nouns, the factuality model, then the event model (it reads the others).
SHARED ?= ../shared
train: setup
	$(BIN)/python tools/convert_cameo.py --shared $(SHARED)
	$(BIN)/python tools/convert_phoenix.py
	$(BIN)/python tools/source_lexicon.py
	$(BIN)/python tools/derive_event_nouns.py
	$(BIN)/python tools/train_factuality.py --shared $(SHARED)
	$(BIN)/python tools/train_events.py --shared $(SHARED)

docs: setup
	$(BIN)/python -m brinkwatch.cli.docs

clean:
	rm -rf .venv .venv3* .mypy_cache .pytest_cache .ruff_cache test-artifacts build dist src/*.egg-info
