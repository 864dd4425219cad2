"""Is PDFium's text as good for search as pypdf's? The same top-5 documents for 20 queries.

    .venv/bin/python benchmarks/pdf_engine_search.py [--pdfs DIR] [--queries 20]

Ingests, embeds and indexes the CUAD PDFs twice, once per engine, then asks both indexes 20
queries, each a sentence taken from the middle of one document's pypdf text. Reports the mean
overlap of the top-5 documents, top-1 agreement and how often the query's own document is in
each engine's top 5. Writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _results import print_rows, save

from analysis.config import Config
from analysis.embed import load_embedder
from analysis.pipeline import run_pipeline
from analysis.search import search_chunks
from analysis.sentences import split_sentences
from analysis.store import open_store
from analysis.store.schema import DocumentRow

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PDFS = REPO.parent / "shared" / "eval" / "legal_cuad_pdfs" / "pdf"


def queries_from(config: Config, n: int) -> list[tuple[str, str]]:
    """(query, its document's sha256): one sentence of 12-40 words from the middle of n documents."""
    store = open_store(config)
    try:
        with store.session() as s:
            documents = list(s.query(DocumentRow.sha256, DocumentRow.text).order_by(DocumentRow.sha256))
    finally:
        store.close()
    step = max(1, len(documents) // n)
    out = []
    for sha, text in documents[::step][:n]:
        middle = text[len(text) // 3 : 2 * len(text) // 3]
        candidates = [" ".join(x.split()) for x in split_sentences(middle) if 12 <= len(x.split()) <= 40]
        if candidates:
            out.append((candidates[len(candidates) // 2], sha))
    return out


def top_documents(query: str, config: Config, embedder: object, k: int = 5) -> list[str]:
    """The first k distinct documents (by content hash) among the nearest chunks."""
    hits = search_chunks(query, k=60, config=config, embedder=embedder)  # type: ignore[arg-type]
    store = open_store(config)
    try:
        with store.session() as s:
            sha_of = dict(s.query(DocumentRow.id, DocumentRow.sha256))
    finally:
        store.close()
    ranked: list[str] = []
    for hit in hits:
        sha = sha_of[hit.document_id]
        if sha not in ranked:
            ranked.append(sha)
    return ranked[:k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        sys.exit(f"no PDF folder at {args.pdfs} (see ../shared/eval/README.md)")
    embedder = load_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        configs = {engine: Config(home=Path(tmp) / engine, pdf_engine=engine) for engine in ("pypdf", "pypdfium2")}
        seconds = {}
        for engine, config in configs.items():
            start = time.perf_counter()
            run_pipeline([args.pdfs], config=config, embedder=embedder, jobs=())
            seconds[engine] = time.perf_counter() - start
        queries = queries_from(configs["pypdf"], args.queries)
        overlap, top1, found = [], [], {e: 0 for e in configs}
        for query, sha in queries:
            tops = {engine: top_documents(query, config, embedder) for engine, config in configs.items()}
            overlap.append(len(set(tops["pypdf"]) & set(tops["pypdfium2"])) / 5)
            top1.append(tops["pypdf"][:1] == tops["pypdfium2"][:1])
            for engine in configs:
                found[engine] += sha in tops[engine]
    results = {
        "queries": len(queries),
        "mean_top5_document_overlap": sum(overlap) / len(overlap),
        "top1_agreement": sum(top1) / len(top1),
        "own_document_in_top5_pypdf": found["pypdf"] / len(queries),
        "own_document_in_top5_pypdfium2": found["pypdfium2"] / len(queries),
        "pipeline_seconds_pypdf": seconds["pypdf"],
        "pipeline_seconds_pypdfium2": seconds["pypdfium2"],
    }
    print_rows(results)
    save("pdf_engine_search.json", results)


if __name__ == "__main__":
    main()
