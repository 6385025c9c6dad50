# The two commands of the README: `make run` and `make test`. Both create .venv/ as needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MARSAD_HOME ?= ./marsad-data
PORT ?= 8000
export MARSAD_HOME

.PHONY: run test venv system-deps lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall when the project's declared dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

venv: $(VENV)/.installed

system-deps:
	bash scripts/install-debian-packages.sh scripts/debian-packages.txt

run: venv
	$(BIN)/marsad init
	$(BIN)/marsad kb sync
	$(BIN)/marsad ingest src/marsad/data/demo/pages --source demo
	$(BIN)/marsad status
	@bash scripts/explore-hint.sh
	$(BIN)/marsad serve --host 127.0.0.1 --port $(PORT)

test: venv system-deps
	bash scripts/run-tests.sh

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy

bench: venv
	for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) marsad-data .pytest_cache .mypy_cache .ruff_cache
