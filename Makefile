# Two commands matter on a fresh machine (see the README):
#   make demo   load the last days of job offers from the simulator into data/demo.db
#   make test   run the whole test suite (SQLite and PostgreSQL) and the linters
# Everything runs inside .venv, created from the lock file by `make setup`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
# Ports of the Dagster UI and of `make simulator`: make ui UI_PORT=3100
UI_PORT ?= 3000
SIMULATOR_PORT ?= 8787
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# The demo keeps its runs and its warehouse apart from real ones.
DEMO_DAGSTER_HOME := $(CURDIR)/.dagster_demo

.PHONY: setup demo demo-ui test smoke lint format ui simulator bench bench-client bench-coverage bench-landing clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Installs exactly the versions in uv.lock (and the project itself, editable).
setup: $(BIN)/uv
	$(BIN)/uv sync --frozen --all-groups --all-extras --quiet
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || cp dagster.local.yaml $(DAGSTER_HOME)/dagster.yaml

demo: setup
	@mkdir -p $(DEMO_DAGSTER_HOME)
	@test -f $(DEMO_DAGSTER_HOME)/dagster.yaml || cp dagster.local.yaml $(DEMO_DAGSTER_HOME)/dagster.yaml
	DAGSTER_HOME=$(DEMO_DAGSTER_HOME) $(BIN)/python -m pipelines.demo

# The Dagster UI on the demo's runs and its warehouse (data/demo.db).
demo-ui: setup
	DAGSTER_HOME=$(DEMO_DAGSTER_HOME) DATABASE_URL=sqlite:///data/demo.db \
		$(BIN)/dagster dev -h 127.0.0.1 -p $(UI_PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Opt-in: one hour of yesterday's offers from the real API (credentials in .env).
smoke: setup
	FT_SMOKE_TEST=1 $(BIN)/pytest tests/smoke -rs

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The Dagster UI on http://127.0.0.1:$(UI_PORT), on the real runs and warehouse
# (DAGSTER_HOME=.dagster_home, DATABASE_URL or data/francetravail.db).
ui: setup
	$(BIN)/dagster dev -h 127.0.0.1 -p $(UI_PORT)

simulator: setup
	$(BIN)/ft-simulator --port $(SIMULATOR_PORT)

bench: bench-client bench-coverage bench-landing

bench-client: setup
	$(BIN)/python benchmarks/client_throughput.py

bench-coverage: setup
	$(BIN)/python benchmarks/coverage.py

bench-landing: setup
	$(BIN)/python benchmarks/landing.py

clean:
	rm -rf $(VENV) .dagster_home .dagster_demo data .pytest_cache .ruff_cache
