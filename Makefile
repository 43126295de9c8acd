# Two commands do all set-up: `make build` and `make test`. Needs Python 3.11 or newer.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: build test check clean previews bench lint typecheck

build: $(STAMP)
	$(BIN)/leaflet build content.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

# Review dates, readability, glossary, evidence and accessibility (docs/checks.md). Exits 1 while
# the seed leaflet is past its review date: check is the gate before a leaflet is handed out.
check: $(STAMP)
	$(BIN)/leaflet check content.yaml

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "leaflet needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Every page of each version of content.yaml as a small PNG, shown in the README.
previews: $(STAMP)
	rm -rf output/previews
	$(BIN)/leaflet build content.yaml --out output/previews
	$(BIN)/python -m leaflet.previews output/previews docs/previews

bench: $(STAMP)
	$(BIN)/python bench/bench.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Type hints, checked by mypy at its default strictness (settings in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) output/*.pdf .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
