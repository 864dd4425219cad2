"""Ingest and embed throughput as ratios against the raw libraries, in one process.

    .venv/bin/python benchmarks/ingest_embed.py [--pdfs DIR] [--chunks 600] [--batch-size 64]

Baselines: raw ``pypdf`` ``extract_text`` on every page of the same PDFs (and raw PDFium,
for the faster engine), and raw ``SentenceTransformer.encode`` on the same chunk texts at the
same batch size. The ingest stage is measured with each PDF engine, parsing in worker
processes (``parse_workers``, one per core) and in a single worker process. Prints a table and writes JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

from _results import save, timed
from pypdf import PdfReader

from analysis.config import Config
from analysis.embed import Embedder, LazyEmbedder, embed_pending_chunks, load_embedder
from analysis.ingest import ingest_sources
from analysis.ingest.discover import fingerprint
from analysis.ingest.extract import extract_document
from analysis.records import RunReport
from analysis.store import Store, open_store

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PDFS = REPO.parent / "shared" / "eval" / "legal_cuad_pdfs" / "pdf"


def raw_pypdf_pages(paths: list[Path]) -> int:
    pages = 0
    for path in paths:
        for page in PdfReader(path).pages:
            page.extract_text()
            pages += 1
    return pages


def raw_pdfium_pages(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages


def extract_stage_pages(paths: list[Path], engine: str = "pypdf") -> int:
    return sum(len(extract_document(fingerprint(p, "pdf"), pdf_engine=engine).pages) for p in paths)


def ingest_stage(
    pdfs: list[Path], home: Path, embedder: Embedder, batch_size: int, *, engine: str = "pypdf", workers: int = 0
) -> tuple[float, Store, RunReport]:
    """The whole ingest stage (fingerprint, extract, classify, sections, chunk, store) into a fresh store."""
    config = Config(home=home, batch_size=batch_size, pdf_engine=engine, parse_workers=workers)
    store = open_store(config)
    lazy = LazyEmbedder(config, embedder)
    report = RunReport(run_id=store.start_run(trigger="benchmark", params={}), status="running")
    start = time.perf_counter()
    ingest_sources(store, pdfs, lazy, config=config, report=report)
    return time.perf_counter() - start, store, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--chunks", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=2, help="alternating repetitions; the best of each is kept")
    args = parser.parse_args()
    if not args.pdfs.is_dir():
        sys.exit(f"no PDF folder at {args.pdfs} (see ../shared/eval/README.md)")
    pdfs = sorted(p for p in args.pdfs.iterdir() if p.suffix.lower() == ".pdf")
    results: dict[str, dict[str, float]] = {}

    embedder = load_embedder(batch_size=args.batch_size)
    variants = {"pypdf_1_worker": ("pypdf", 1), "pypdf_pool": ("pypdf", 0), "pypdfium2_pool": ("pypdfium2", 0)}
    raw_t, raw_pdfium_t, ext_t, ext_pdfium_t = [], [], [], []
    ingest_t: dict[str, list[float]] = {name: [] for name in variants}
    pages_parsed: dict[str, int] = {}
    for _ in range(args.repeat):  # alternate so no side gets a warmer cache
        pages, t = timed(raw_pypdf_pages, pdfs)
        raw_t.append(t)
        pages_pdfium, t = timed(raw_pdfium_pages, pdfs)
        raw_pdfium_t.append(t)
        pages_ext, t = timed(extract_stage_pages, pdfs)
        ext_t.append(t)
        _, t = timed(extract_stage_pages, pdfs, "pypdfium2")
        ext_pdfium_t.append(t)
        for name, (engine, workers) in variants.items():
            with tempfile.TemporaryDirectory() as tmp:
                t, warm_store, report = ingest_stage(
                    pdfs, Path(tmp), embedder, args.batch_size, engine=engine, workers=workers
                )
                warm_store.close()
                ingest_t[name].append(t)
                pages_parsed[name] = report.counts["pages_parsed"]
    assert pages == pages_ext == pages_pdfium
    raw_rate = pages / min(raw_t)
    results["ingest"] = {
        "pdfs": len(pdfs),
        "pages": pages,
        "raw_pypdf_pages_per_s": raw_rate,
        "raw_pdfium_pages_per_s": pages / min(raw_pdfium_t),
        "extract_pypdf_ratio": min(raw_t) / min(ext_t),
        "extract_pypdfium2_vs_raw_pypdf": min(raw_t) / min(ext_pdfium_t),
    }
    for name in variants:
        rate = pages_parsed[name] / min(ingest_t[name])
        results["ingest"][f"ingest_{name}_pages_per_s"] = rate
        results["ingest"][f"ingest_{name}_ratio"] = rate / raw_rate
    with tempfile.TemporaryDirectory() as tmp:
        _, store, report = ingest_stage(pdfs, Path(tmp), embedder, args.batch_size)
        lazy = LazyEmbedder(Config(home=Path(tmp)), embedder)

        # Embed: the first N chunks the ingest stage made, raw encode vs the embed stage.
        with store.session() as s:
            from sqlalchemy import delete, select

            from analysis.store.schema import ChunkRow

            keep = list(s.scalars(select(ChunkRow.id).order_by(ChunkRow.id).limit(args.chunks)))
            s.execute(delete(ChunkRow).where(ChunkRow.id.not_in(keep)))
            s.commit()
            texts = list(s.scalars(select(ChunkRow.text).order_by(ChunkRow.id)))
        embedder.encode(texts[:64])  # warm-up
        raw_e, stage_e = [], []
        for i in range(args.repeat):
            _, t = timed(lambda: embedder.model.encode(texts, batch_size=args.batch_size))
            raw_e.append(t)
            model_id = f"{embedder.model_id}#bench{i}"
            start = time.perf_counter()
            embed_pending_chunks(store, lazy, model_id, run_id=report.run_id, report=RunReport(0, "x"))
            stage_e.append(time.perf_counter() - start)
        store.close()
    n = len(texts)
    results["embed"] = {
        "chunks": n,
        "batch_size": args.batch_size,
        "device": embedder.device,
        "raw_encode_chunks_per_s": n / min(raw_e),
        "embed_stage_chunks_per_s": n / min(stage_e),
        "embed_ratio": min(raw_e) / min(stage_e),
    }
    results["machine"] = {"python": platform.python_version(), "processor": platform.machine()}  # type: ignore[dict-item]
    _print_table(results)
    save("ingest_embed.json", results)


def _print_table(results: dict[str, dict[str, float]]) -> None:
    for stage in ("ingest", "embed"):
        print(f"\n{stage}")
        for key, value in results[stage].items():
            print(f"  {key:32s} {value:12.2f}" if isinstance(value, float) else f"  {key:32s} {value!s:>12}")


if __name__ == "__main__":
    main()
