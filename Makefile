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
	$(VENV)/bin/hvpscore report scores.parquet --records data/sample/patents.csv --profile cn-export --context data/sample/context.yaml -o report.html

test: setup
	.ci/system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

# BENCH_N records for the end-to-end throughput benchmark (issue 9); e.g. make bench BENCH_N=200000;
# BENCH_REPEAT runs of each case, reported with the median ratio (the machine's speed moves a few %)
BENCH_N ?= 1000000
BENCH_REPEAT ?= 1
bench: setup
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done
	$(PY) benchmarks/score_throughput.py --n $(BENCH_N) --repeat $(BENCH_REPEAT)
	$(PY) benchmarks/service_latency.py
