#!/usr/bin/env bash
# GPU check, on a CUDA machine where the project is installed with the `gpu` extra (faiss-gpu and
# a CUDA torch): embeds 50,000 chunks in half precision, builds and searches a GPU FAISS index,
# prints the table. Installs and downloads nothing; gives up after 8 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
PYTHON="${PYTHON:-.venv/bin/python}"
exec timeout 480 "$PYTHON" benchmarks/gpu_check.py "$@"
