"""The fast CPU backend (openvino, OpenVINO bf16 since r4) against torch fp32: throughput and agreement.

    .venv/bin/python benchmarks/embed_backends.py [--pdfs DIR] [--chunks 600] [--queries 50]

Chunks come from the CUAD PDFs through the ingest stage; queries are 50 other chunks' first
sentences. Agreement: for each query, the top-5 chunks under each backend (each backend's own
query and chunk vectors), as mean top-5 overlap and top-1 agreement. The default backend stays
torch unless the fast backend meets the bar (both at least 0.9). Writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _results import print_rows, save

from analysis.config import Config
from analysis.embed import LazyEmbedder, load_embedder
from analysis.ingest import ingest_sources
from analysis.records import RunReport
from analysis.sentences import split_sentences
from analysis.store import open_store
from analysis.store.schema import ChunkRow

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PDFS = REPO.parent / "shared" / "eval" / "legal_cuad_pdfs" / "pdf"


def chunk_texts(pdfs: Path, home: Path, n: int) -> list[str]:
    config = Config(home=home, pdf_engine="pypdfium2")
    store = open_store(config)
    report = RunReport(run_id=store.start_run(trigger="benchmark", params={}), status="running")
    ingest_sources(store, [pdfs], LazyEmbedder(config), config=config, report=report)
    with store.session() as s:
        texts = list(s.scalars(ChunkRow.__table__.select().with_only_columns(ChunkRow.text).order_by(ChunkRow.id)))
    store.close()
    return texts[:n] if len(texts) >= n else texts


def top_k(queries: np.ndarray, corpus: np.ndarray, k: int = 5) -> np.ndarray:
    return np.argsort(-(queries @ corpus.T), axis=1)[:, :k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--chunks", type=int, default=600)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        sys.exit(f"no PDF folder at {args.pdfs} (see ../shared/eval/README.md)")
    with tempfile.TemporaryDirectory() as tmp:
        texts = chunk_texts(args.pdfs, Path(tmp), args.chunks + args.queries)
        corpus, rest = texts[: args.chunks], texts[args.chunks :]
        queries = [(split_sentences(t) or [t])[0] for t in rest][: args.queries]
        torch_model = load_embedder(batch_size=args.batch_size)
        start = time.perf_counter()
        fast_model = load_embedder(batch_size=args.batch_size, backend="openvino", cache_dir=Path(tmp) / "models")
        build_s = time.perf_counter() - start
        for model in (torch_model, fast_model):
            model.encode(corpus[:64])  # warm-up
        seconds: dict[str, list[float]] = {"torch": [], "openvino": []}
        vectors = {}
        for _ in range(args.repeat):  # alternate, so neither side gets a warmer machine
            for name, model in (("torch", torch_model), ("openvino", fast_model)):
                start = time.perf_counter()
                vectors[name] = model.encode(corpus)
                seconds[name].append(time.perf_counter() - start)
        q = {name: model.encode(queries) for name, model in (("torch", torch_model), ("openvino", fast_model))}
    ref, fast = top_k(q["torch"], vectors["torch"]), top_k(q["openvino"], vectors["openvino"])
    rate = {name: len(corpus) / min(t) for name, t in seconds.items()}
    results = {
        "chunks": len(corpus),
        "queries": len(queries),
        "batch_size": args.batch_size,
        "build_seconds": build_s,
        "torch_fp32_chunks_per_s": rate["torch"],
        "openvino_chunks_per_s": rate["openvino"],
        "speedup": rate["openvino"] / rate["torch"],
        "mean_top5_overlap": float(np.mean([len(set(a) & set(b)) / 5 for a, b in zip(ref, fast)])),
        "top1_agreement": float(np.mean(ref[:, 0] == fast[:, 0])),
        "mean_cosine_to_fp32": float(np.mean(np.sum(vectors["torch"] * vectors["openvino"], axis=1))),
    }
    print_rows(results)
    save("embed_backends.json", results)


if __name__ == "__main__":
    main()
