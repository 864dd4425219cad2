"""The index at scale: IVF against exact search at 1,000,000 vectors with the structure of real
embeddings. Recall@10, queries per second, build time, memory, and deletions.

    .venv/bin/python benchmarks/index_scale.py [--vectors 1000000] [--queries 1000]

How the vectors are made: the clinical notes in ../shared/eval/medical_mtsamples/txt go through
the pipeline (ingest, chunk, embed with the packaged model), giving a few thousand real chunk
embeddings. Each synthetic vector is a real one moved part of the way towards another real one
(a random fraction up to 0.3) plus Gaussian noise (sigma 0.02 per dimension), then normalised:
points spread along the directions between real embeddings, so the data keeps their clusters
and neighbourhoods, which uniform random vectors would not (and which defeat every approximate
index). Queries are made the same way and are not in the index. Writes JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np
from _results import save

from analysis.config import Config
from analysis.embed import load_embedder
from analysis.index import VectorIndex, ivf_lists
from analysis.pipeline import run_pipeline
from analysis.store import open_store

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "eval" / "medical_mtsamples" / "txt"


def real_embeddings(source: Path) -> np.ndarray:
    embedder = load_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(home=Path(tmp))
        run_pipeline([source], config=config, embedder=embedder, jobs=())
        store = open_store(config)
        try:
            ids = store.embedded_chunk_ids(embedder.model_id)
            return np.vstack([v for _, v in store.vectors(embedder.model_id, ids)])
        finally:
            store.close()


def widen(
    base: np.ndarray, n: int, rng: np.random.Generator, *, towards: float = 0.3, sigma: float = 0.02
) -> np.ndarray:
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        a = base[rng.integers(0, len(base), m)]
        b = base[rng.integers(0, len(base), m)]
        v = a + rng.uniform(0, towards, (m, 1)).astype(np.float32) * (b - a)
        v += rng.normal(0, sigma, v.shape).astype(np.float32)
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--towards", type=float, default=0.3, help="how far towards another real vector, at most")
    parser.add_argument("--sigma", type=float, default=0.02, help="Gaussian noise per dimension")
    args = parser.parse_args()
    if not args.source.is_dir():
        sys.exit(f"no documents at {args.source} (see ../shared/eval/README.md)")
    rng = np.random.default_rng(0)
    t = time.perf_counter()
    base = real_embeddings(args.source)
    embed_s = time.perf_counter() - t
    data = widen(base, args.vectors, rng, towards=args.towards, sigma=args.sigma)
    queries = widen(base, args.queries, rng, towards=args.towards, sigma=args.sigma)
    ids = np.arange(1, args.vectors + 1, dtype=np.int64)

    exact = VectorIndex.empty(model_id="bench", dimension=data.shape[1])
    t = time.perf_counter()
    exact.add(ids, data)
    exact_build_s = time.perf_counter() - t
    t = time.perf_counter()
    _, truth = exact.search(queries, 10)
    exact_qps = len(queries) / (time.perf_counter() - t)

    rss_before = rss_mb()
    t = time.perf_counter()
    sample = data[rng.choice(len(data), size=min(len(data), 40 * ivf_lists(len(data))), replace=False)]
    ivf = VectorIndex.trained_ivf(model_id="bench", sample=sample, expected=len(data))
    train_s = time.perf_counter() - t
    t = time.perf_counter()
    ivf.add(ids, data)
    add_s = time.perf_counter() - t
    ivf_bytes = len(faiss.serialize_index(ivf.faiss_index))

    sweep = []
    for nprobe in (8, 16, 32, 64, 128):
        ivf.nprobe = nprobe
        t = time.perf_counter()
        _, found = ivf.search(queries, 10)
        qps = len(queries) / (time.perf_counter() - t)
        recall = np.mean([len(set(f) & set(g)) / 10 for f, g in zip(found, truth)])
        sweep.append({"nprobe": nprobe, "recall_at_10": float(recall), "qps": qps, "speedup": qps / exact_qps})
        print(f"  nprobe {nprobe:4d}: recall@10 {recall:.3f}, {qps:9.1f} q/s, {qps / exact_qps:6.1f}x exact")
    chosen = next((s for s in sweep if s["recall_at_10"] >= 0.95), sweep[-1])

    # deletions: removed ids never come back, and the count drops by exactly as many
    ivf.nprobe = chosen["nprobe"]
    removed = rng.choice(ids, size=10_000, replace=False)
    t = time.perf_counter()
    n_removed = ivf.remove(removed)
    remove_s = time.perf_counter() - t
    _, after = ivf.search(queries, 10)
    assert n_removed == len(removed) and ivf.count == len(data) - len(removed)
    assert not set(after.ravel().tolist()) & set(removed.tolist())

    results = {
        "vectors": len(data),
        "towards": args.towards,
        "sigma": args.sigma,
        "dimension": int(data.shape[1]),
        "real_base_embeddings": len(base),
        "base_embedding_seconds": embed_s,
        "queries": len(queries),
        "exact": {"build_s": exact_build_s, "qps": exact_qps, "bytes": len(data) * data.shape[1] * 4},
        "ivf": {
            "nlist": ivf_lists(len(data)),
            "train_s": train_s,
            "add_s": add_s,
            "bytes": ivf_bytes,
            "rss_growth_mb": rss_mb() - rss_before,
            "sweep": sweep,
            "chosen": chosen,
            "remove_10k_s": remove_s,
        },
    }
    print(json.dumps({k: v for k, v in results.items() if k != "ivf"} | {"ivf_chosen": chosen}, indent=2))
    default = (args.towards, args.sigma) == (0.3, 0.02)
    save("index_scale.json" if default else f"index_scale_{args.towards}_{args.sigma}.json", results)


if __name__ == "__main__":
    main()
