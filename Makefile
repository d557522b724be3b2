# Two commands on a fresh Debian machine with Python 3.11:
#   make run   - the dashboard on demo data at http://localhost:8501 (this machine only)
#   make test  - everything the tests need, then lint, types and the whole suite
#   make lint / make typecheck - the two static checks on their own
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= data/cchc.duckdb
PORT   ?= 8501
DEMO_DOSSIERS ?= 200000

.PHONY: run test lint typecheck demo bench system-deps clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): | $(VENV)/.runtime
	$(PY) -m metrics demo --dossiers $(DEMO_DOSSIERS) --db $(DB)

run: $(VENV)/.runtime $(DB)
	CCHC_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true

demo: $(VENV)/.runtime
	rm -f $(DB) $(DB).wal
	$(PY) -m metrics demo --dossiers $(DEMO_DOSSIERS) --db $(DB)

# Debian's Chromium drives the browser tests (Playwright cannot download its own
# browser here); pdftoppm renders the PDF report; DejaVu fonts render Vietnamese.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core; \
	fi

# Formatting is checked, never applied here: CI must fail on an unformatted file.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy metrics ui

test: $(VENV)/.dev system-deps lint typecheck
	$(PY) -m pytest

# Every speed target side by side (issue 14): prints the table, writes benchmarks/results.json.
bench: $(VENV)/.dev system-deps
	$(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
