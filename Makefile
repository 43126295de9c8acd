# Two commands do all set-up: `make build` and `make test`. Needs Python 3.11 or newer.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: build test check clean previews bench lint typecheck browser

NODE_STAMP := node_modules/.installed

build: $(STAMP)
	$(BIN)/leaflet build content.yaml

test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/python -m pytest

# The web pages are tested in a real browser: Debian's chromium and chromium-driver (and a Java runtime for the
# Nu HTML checker), installed once when missing. LEAFLET_SKIP_BROWSER=1 skips them on a machine that cannot.
browser:
	@[ "$$LEAFLET_SKIP_BROWSER" = 1 ] || sh .ci/install-browser.sh

# axe-core and the Nu HTML checker (vnu.jar), exact versions from package-lock.json, into ./node_modules.
$(NODE_STAMP): package.json package-lock.json
	npm ci
	touch $(NODE_STAMP)

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

# Every page of each version of content.yaml, and the top of each web page at 320 and 1280 px, as small PNGs:
# shown in the README.
previews: $(STAMP) $(NODE_STAMP) browser
	rm -rf output/previews
	$(BIN)/leaflet build content.yaml --out output/previews
	$(BIN)/python -m leaflet.previews output/previews docs/previews
	$(BIN)/python tests/browser.py previews output/previews docs/previews

bench: $(STAMP)
	$(BIN)/python bench/bench.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Type hints, checked by mypy at its default strictness (settings in pyproject.toml).
typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) node_modules output/*.pdf output/*.html .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
