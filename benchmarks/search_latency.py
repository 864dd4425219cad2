"""Search latency on CPU at 100k (and 1M) chunks: the project's index beside raw FAISS.

    PYTHONPATH=. .venv/bin/python benchmarks/search_latency.py [--sizes 100000,1000000] [--queries 200]

Why: issue 15 asks for hybrid search p95 <= 50 ms at 100k chunks on the 2-core machine; this
gives the floor (raw FAISS) and what our wrapper adds, in the same run, before the lexical side
exists. Store-free and synthetic: N random normalised 384-d float32 vectors (ids 1..N) and N short
synthetic chunk texts (for the lexical index to come). Per size, one query at a time, k=10:

* ``raw_flat``: a bare ``faiss.IndexFlatIP`` over the same vectors (exact brute force);
* ``project``: ``VectorIndex.search`` unfiltered; the index is built as the project builds it:
  flat up to ``index_exact_max_vectors`` (default 200,000), IVF above (``trained_ivf`` on a
  random sample of about 40 vectors per list, ``index_nprobe`` lists searched);
* ``project_filtered``: the same with ``allowed_ids`` = a random 1% of the ids (what a document or
  type filter passes in; the selector is built per query, as ``search_chunks`` does);
* ``hybrid``: ``hybrid_search_fn`` below, once the BM25 index exists (skipped until then).

Query vectors are the real MiniLM embeddings of realistic query strings; the time to embed one
query is measured separately (it is part of every search a user makes). Random vectors have no
clusters, which is the worst case for IVF recall but not for its latency. Writes
``benchmarks/results/search_latency.json``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
from _results import save  # noqa: E402

from analysis.config import Config  # noqa: E402
from analysis.index import VectorIndex  # noqa: E402
from analysis.index.faiss_index import choose_kind, ivf_lists  # noqa: E402

DIMENSION = 384
K = 10

_SUBJECTS = [
    "governing law",
    "termination for convenience",
    "limitation of liability",
    "insurance requirements",
    "audit rights",
    "non-compete",
    "assignment",
    "confidentiality",
    "renewal term",
    "indemnification",
    "patient allergies",
    "current medications",
    "assessment and plan",
    "history of present illness",
    "physical examination findings",
    "discharge instructions",
    "family history",
    "laboratory results",
]
_TEMPLATES = [
    "What does the contract say about {}?",
    "Which clause covers {}?",
    "Is there any {} in this agreement?",
    "Summarise the {} section.",
    "Show me the {}.",
    "What is the {} for this patient?",
    "Where is {} mentioned?",
    "Are there exceptions to the {}?",
    "Find documents mentioning {}.",
    "How long is the {}?",
    "Who is responsible for {}?",
]


def realistic_queries(n: int) -> list[str]:
    """n query strings as users type them: templates over legal and clinical subjects."""
    out = [t.format(s) for t in _TEMPLATES for s in _SUBJECTS]
    return [out[(i * 7) % len(out)] for i in range(n)]


def synthetic_texts(n: int, seed: int = 0) -> list[str]:
    """n short chunk texts drawn from a small vocabulary (for the lexical index; ~40 words each)."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array(
        sorted({w.strip("?.").lower() for q in realistic_queries(300) for w in q.split()})
        + [f"term{i}" for i in range(5000)]
    )
    lengths = rng.integers(20, 60, size=n)
    picks = rng.integers(0, len(vocabulary), size=int(lengths.sum()))
    out, at = [], 0
    for length in lengths:
        out.append(" ".join(vocabulary[picks[at : at + length]]))
        at += length
    return out


def random_vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, DIMENSION), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def build_project_index(vectors: np.ndarray, ids: np.ndarray, config: Config) -> tuple[VectorIndex, float]:
    """The index the project would build for this many vectors (flat or IVF), and the build seconds."""
    start = time.perf_counter()
    if choose_kind(len(ids), exact_max=config.index_exact_max_vectors) == "flat":
        index = VectorIndex.empty(model_id="synthetic", dimension=DIMENSION)
    else:
        rng = np.random.default_rng(1)
        sample = vectors[rng.choice(len(vectors), size=min(len(vectors), 40 * ivf_lists(len(ids))), replace=False)]
        index = VectorIndex.trained_ivf(
            model_id="synthetic", sample=sample, expected=len(ids), nprobe=config.index_nprobe
        )
    index.add(ids, vectors)
    return index, time.perf_counter() - start


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)), "mean_ms": float(ms.mean())}


def timed_each(fn: Callable[[int], Any], n: int, warmup: int = 3) -> dict[str, float]:
    """p50/p95 of ``fn(i)`` for i in 0..n-1, after a few untimed calls."""
    for i in range(min(warmup, n)):
        fn(i)
    seconds = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        seconds.append(time.perf_counter() - start)
    return percentiles(seconds)


# ---------------------------------------------------------------------------------------------
# HYBRID HOOK: plug the BM25 lexical index (analysis/index/lexical.py) in here.
# ---------------------------------------------------------------------------------------------


def build_lexical_index(ids: np.ndarray, texts: list[str]) -> object | None:
    """The project's lexical (BM25) index over ``texts`` with ids ``ids``."""
    from analysis.index.lexical import LexicalIndex

    return LexicalIndex.build(zip(ids.tolist(), texts))


def hybrid_search_fn(
    query: str,
    query_vector: np.ndarray,
    k: int,
    *,
    index: VectorIndex,
    lexical: object,
    allowed_ids: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """The ranking ``search_chunks`` runs (dense and BM25 fused), minus the store's provenance lookup."""
    from analysis.search import rank_chunks

    return rank_chunks(
        query,
        index,
        lexical,
        None,
        k=k,
        query_vector=query_vector,
        allowed=allowed_ids,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------------------------


def measure_size(
    n: int, args: argparse.Namespace, config: Config, query_texts: list[str], query_vectors: np.ndarray
) -> dict[str, Any]:
    import faiss

    print(f"\n{n:,} chunks", flush=True)
    start = time.perf_counter()
    vectors = random_vectors(n)
    ids = np.arange(1, n + 1, dtype=np.int64)
    texts = synthetic_texts(n)
    generate_s = time.perf_counter() - start

    start = time.perf_counter()
    raw = faiss.IndexFlatIP(DIMENSION)
    raw.add(vectors)
    raw_build_s = time.perf_counter() - start
    project, project_build_s = build_project_index(vectors, ids, config)
    start = time.perf_counter()
    lexical = build_lexical_index(ids, texts)
    lexical_build_s = time.perf_counter() - start
    del vectors  # both indexes hold their own copy

    rng = np.random.default_rng(2)
    allowed = np.sort(rng.choice(ids, size=max(1, n // 100), replace=False))
    q = np.ascontiguousarray(query_vectors, dtype=np.float32)
    nq = len(q)
    rows: dict[str, Any] = {
        "raw_flat": timed_each(lambda i: raw.search(q[i : i + 1], K), nq),
        "project": timed_each(lambda i: project.search(q[i : i + 1], K), nq),
        "project_filtered_1pct": timed_each(lambda i: project.search(q[i : i + 1], K, allowed_ids=allowed), nq),
    }
    if lexical is not None:
        rows["hybrid"] = timed_each(
            lambda i: hybrid_search_fn(query_texts[i], q[i : i + 1], K, index=project, lexical=lexical), nq
        )
        rows["hybrid_filtered_1pct"] = timed_each(
            lambda i: hybrid_search_fn(
                query_texts[i], q[i : i + 1], K, index=project, lexical=lexical, allowed_ids=allowed
            ),
            nq,
        )
    else:
        print("  hybrid: skipped (hybrid_search_fn is not plugged in yet)")

    # how far the project's (possibly approximate) top-10 is from exact, on these random vectors
    _, exact = raw.search(q, K)
    _, approx = project.search(q, K)
    recall = float(np.mean([len(set(exact[i] + 1) & set(approx[i])) / K for i in range(nq)]))

    result = {
        "kind": project.kind,
        "nprobe": project.nprobe if project.kind == "ivf" else None,
        "generate_s": generate_s,
        "build_s": {
            "raw_flat": raw_build_s,
            "project": project_build_s,
            "lexical": lexical_build_s if lexical else None,
        },
        "recall_at_10_vs_exact": recall,
        "latency": rows,
    }
    print(
        f"  project index: {project.kind}, built in {project_build_s:.1f}s (raw flat {raw_build_s:.1f}s); "
        f"recall@10 against exact {recall:.3f}"
    )
    print(f"  {'search':26s} {'p50 ms':>8s} {'p95 ms':>8s} {'mean ms':>8s}")
    for name, row in rows.items():
        print(f"  {name:26s} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['mean_ms']:8.2f}")
    return result


def main() -> None:
    import faiss

    from analysis.embed import load_embedder_for

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma list of chunk counts, e.g. 100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default="search_latency.json", help="file name under benchmarks/results/")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    config = Config.load()

    embedder = load_embedder_for(config)
    query_texts = realistic_queries(args.queries)
    encode = timed_each(lambda i: embedder.encode([query_texts[i]]), len(query_texts))
    query_vectors = embedder.encode(query_texts)
    print(f"query embedding ({embedder.model_id}, {embedder.device}, one query at a time):")
    print(f"  p50 {encode['p50_ms']:.2f} ms, p95 {encode['p95_ms']:.2f} ms")

    results: dict[str, Any] = {
        "queries": len(query_texts),
        "k": K,
        "faiss_threads": faiss.omp_get_max_threads(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "index_exact_max_vectors": config.index_exact_max_vectors,
        "query_embedding": encode,
        "sizes": {},
    }
    for n in sizes:
        results["sizes"][str(n)] = measure_size(n, args, config, query_texts, query_vectors)
    save(args.out, results)


if __name__ == "__main__":
    main()
