# Everyday commands. `make test` is what CI runs (through .ci/run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.venv-stamp

.PHONY: venv serve test lint bench clean

venv: $(STAMP)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: venv
	$(BIN)/cockpit serve

lint: venv
	$(BIN)/ruff check .

test: venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q --output=test-artifacts

bench: venv
	mkdir -p benchmarks/results
	$(BIN)/python benchmarks/generate.py --json benchmarks/results/generate.json
	$(BIN)/python benchmarks/drill.py --json benchmarks/results/drill.json
	$(BIN)/python benchmarks/recovery.py --json benchmarks/results/recovery.json
	$(BIN)/python benchmarks/scorecard.py --json benchmarks/results/scorecard.json
	$(BIN)/python benchmarks/whatif.py --json benchmarks/results/whatif.json
	$(BIN)/python benchmarks/shap_speed.py --json benchmarks/results/shap_speed.json

clean:
	rm -rf test-artifacts build *.egg-info $(STAMP)
