# One entry point for people and CI. `make demo` runs the product, `make test` runs the tests.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
CSBOT := $(VENV)/bin/csbot
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test test-fast install system-deps index lint deadcode hooks typecheck bench lock screenshots clean

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

## Run the product on its embedded defaults (SQLite, chromadb on disk, template drafter).
demo: install
	$(CSBOT) index build --if-missing
	$(CSBOT) serve

index: install
	$(CSBOT) index build

## Browser and database packages the tests need (Debian); skipped when already present.
system-deps:
	bash scripts/install-system-deps.sh

## Lint, check the layer contract (pyproject [tool.importlinter]), then the whole test suite.
test: install system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

## The inner loop: lint, then every test except the browser, slow and PostgreSQL ones (serial: the
## suite is not yet checked for running in parallel workers).
test-fast: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -m "not browser and not slow and not postgres"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/ruff format --check .

## Dead code: what vulture finds beyond the known false positives in vulture_whitelist.py.
deadcode: install
	$(VENV)/bin/vulture

## Run ruff, the layer contract and mypy before every commit (.pre-commit-config.yaml, local hooks).
hooks: install
	$(VENV)/bin/pre-commit install

typecheck: install
	$(VENV)/bin/mypy

## Benchmarks (by hand, not CI): they read the public data sets in ../shared/benchmarks.
bench: install
	OMP_NUM_THREADS=1 $(PY) bench/retrieval.py
	OMP_NUM_THREADS=1 $(PY) bench/embedding.py
	$(PY) bench/pii.py
	$(PY) bench/rails.py
	$(PY) bench/turns.py
	$(PY) bench/replay.py

## Re-resolve requirements.in into the pinned requirements.txt (needs the registry).
lock:
	python3 -m venv /tmp/csbot-lock && /tmp/csbot-lock/bin/pip install --quiet -r requirements.in
	/tmp/csbot-lock/bin/pip freeze --exclude-editable | grep -v '^csbot' > requirements.txt

screenshots: install system-deps
	$(PY) scripts/screenshots.py

clean:
	rm -rf .csbot .pytest_cache .ruff_cache .mypy_cache
