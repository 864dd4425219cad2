"""GPU check: embed chunks in half precision on CUDA, build and search a GPU FAISS index.

Run through benchmarks/gpu_check.sh on a CUDA machine with the project installed (extra
``gpu``); nothing is installed or downloaded. ``--allow-cpu --chunks 2000`` runs the same
steps on the CPU, to check the script itself where there is no GPU.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def chunk_texts(n: int) -> list[str]:
    """n chunk-sized passages from the generated corpus (sentences of the sample documents)."""
    from analysis.samples import make_document
    from analysis.sentences import split_sentences

    kinds = ["lease", "nda", "services_agreement", "court_opinion", "discharge_summary", "radiology_report"]
    texts: list[str] = []
    seed = 0
    while len(texts) < n:
        sentences = split_sentences(make_document(kinds[seed % len(kinds)], seed=seed).text)
        texts += [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        seed += 1
    return texts[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--allow-cpu", action="store_true")
    args = parser.parse_args()

    import faiss
    import torch

    from analysis.embeddings import load_embedder

    cuda = torch.cuda.is_available()
    if not cuda and not args.allow_cpu:
        sys.exit("no CUDA GPU here: nothing to check (use --allow-cpu to run the steps on the CPU)")
    gpus = faiss.get_num_gpus() if hasattr(faiss, "get_num_gpus") else 0
    rows: dict[str, object] = {"torch": torch.__version__, "cuda": cuda, "faiss_gpus": gpus}
    if cuda:
        rows["gpu"] = torch.cuda.get_device_name(0)

    texts = chunk_texts(args.chunks)
    embedder = load_embedder(device="cuda" if cuda else "cpu", batch_size=args.batch_size)
    rows["precision"] = str(next(embedder.model.parameters()).dtype)
    embedder.encode(texts[:512])  # warm-up
    start = time.perf_counter()
    vectors = embedder.encode(texts)
    rows["embed_chunks_per_s"] = len(texts) / (time.perf_counter() - start)

    cpu_index = faiss.IndexFlatIP(vectors.shape[1])
    cpu_index.add(vectors)
    queries = vectors[np.random.default_rng(0).choice(len(vectors), args.queries, replace=False)]
    start = time.perf_counter()
    _, cpu_ids = cpu_index.search(queries, 10)
    rows["cpu_exact_qps"] = args.queries / (time.perf_counter() - start)
    if gpus:
        start = time.perf_counter()
        gpu_index = faiss.index_cpu_to_all_gpus(cpu_index)
        rows["gpu_index_build_s"] = time.perf_counter() - start
        gpu_index.search(queries[:10], 10)
        start = time.perf_counter()
        _, gpu_ids = gpu_index.search(queries, 10)
        rows["gpu_exact_qps"] = args.queries / (time.perf_counter() - start)
        rows["gpu_vs_cpu_top10_agreement"] = float(
            np.mean([len(set(a) & set(b)) / 10 for a, b in zip(gpu_ids, cpu_ids)])
        )
    for key, value in rows.items():
        print(f"  {key:30s} {value:>14.1f}" if isinstance(value, float) else f"  {key:30s} {value!s:>14}")
    out = REPO / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=out, delete=False, suffix=".tmp") as handle:
        json.dump(rows, handle, indent=2)
    Path(handle.name).replace(out / ("gpu_check.json" if cuda else "gpu_check_cpu.json"))


if __name__ == "__main__":
    main()
