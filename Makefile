VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup sample test bench
setup: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

sample: setup
	$(VENV)/bin/hvpscore score data/sample/patents.csv --profile cn-export --as-of 2025-12-31 --reasons 3 -o scores.parquet

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

bench: setup
	for f in benchmarks/bench_*.py; do $(PY) $$f; done
