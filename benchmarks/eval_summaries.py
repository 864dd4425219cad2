"""Summary quality on real data: ROUGE-1/2/L F1 and groundedness per summary backend.

    .venv/bin/python benchmarks/eval_summaries.py [--backends extractive,llama_cpp,openai]
        [--datasets contracts,judgments,pubmed] [--limit 30 | --limit contracts=30,judgments=10]
        [--strategy salient_sentences|extract_abstract|map_reduce] [--no-verify]
        [--out benchmarks/results/eval_summaries.json] [-v]

Datasets (read in place from ../shared/eval, never copied; a missing folder is skipped):

* ``contracts``: plain-English contract/ToS clause summaries (Manor & Li 2019, ``all_v1.json``),
  clause text -> ``reference_summary``; ingested as .txt files.
* ``judgments``: Supreme Court of India judgments (IN-Abs) as PDF, paired with
  ``Summary/N.txt`` through ``mapping.csv``; the PDF itself is ingested (PDF -> summary).
* ``pubmed``: SumPubMed sample, article ``text`` -> ``abstract`` (section heading lines such
  as ``BACKGROUND`` are dropped from the reference); ingested as .txt files.

Documents are the first N by id (numeric where ids are numbers). Every input goes through the
project's pipeline (``run_pipeline``: extract, classify, section, chunk, embed, index) in a
temporary home, then each backend's summarizer (``analysis.jobs.build_summarizer``) summarises
the stored document and ``ground_summary`` checks it, exactly as the summarize job does.
ROUGE is ``rouge_score`` with the Porter stemmer, of the raw draft against the reference
(line-break hyphenation in the IN-Abs references is joined first). Seconds per document are
the wall clock of summarize + ground; for the ``openai`` backend (a local llama.cpp server
started with ``serve_gguf``) two documents are in flight at once, so ``s/doc`` is the
dataset's wall time over its documents and ``latency`` the mean per-document time.

For an LLM backend the same drafts are scored twice: as drafted (``llama_cpp``) and after
verify-and-repair as the summarize job stores them (``llama_cpp+verified``: ``SummarizeJob.verify``,
the repair calls to the same model included in its seconds). ``facts`` is the mean count per summary
of numbers, dates and names absent from the source; the verified rows add the sentences kept,
repaired, replaced, dropped and the repair calls that failed, summed over the documents.

Results are written to ``--out`` after every backend/dataset pair; pairs already in the file
from an earlier run are kept unless ``--fresh`` (each entry records its own settings).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer
from sqlalchemy import select

from analysis.config import SUMMARY_STRATEGIES, Config
from analysis.embed import Embedder, load_embedder
from analysis.jobs import build_summarizer
from analysis.jobs.summarize.grounding import GroundingResult, SourceChunk, ground_summary, summary_sentences
from analysis.jobs.summarize.job import VERIFIED, SummarizeJob, Summary
from analysis.jobs.summarize.repair import ACTIONS
from analysis.jobs.summarize.summarizers import DocumentForSummary, Summarizer, SummaryDraft
from analysis.pipeline import run_pipeline
from analysis.store import open_store
from analysis.store.schema import DocumentRow, SourceRow

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
CONTRACTS = EVAL / "legal_summaries" / "plain_english_contracts"
JUDGMENTS = EVAL / "legal_court_opinions_india" / "judgment_reports"
PUBMED = EVAL / "medical_summaries" / "sumpubmed_sample" / "sumpubmed_300.jsonl"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "eval_summaries.json"
BACKENDS = ("extractive", "llama_cpp", "openai")
DATASETS = ("contracts", "judgments", "pubmed")
ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")


@dataclass(frozen=True)
class Example:
    """One evaluation document: where its input lies and what a good summary says."""

    dataset: str
    example_id: str
    source: Path  # the file handed to the pipeline (.txt written here, or the PDF in place)
    reference: str


@dataclass(frozen=True)
class StoredDocument:
    example: Example
    document: DocumentRow
    chunks: list[SourceChunk]


# --- datasets -------------------------------------------------------------------------------


def _sort_key(example_id: str) -> tuple[int, int | str]:
    return (0, int(example_id)) if example_id.isdigit() else (1, example_id)


def load_contracts(limit: int, workdir: Path) -> list[Example]:
    data: dict[str, dict[str, Any]] = json.loads((CONTRACTS / "all_v1.json").read_text(encoding="utf-8"))
    folder = workdir / "contracts"
    folder.mkdir(parents=True, exist_ok=True)
    examples = []
    for uid in sorted(data, key=_sort_key)[:limit]:
        path = folder / f"{uid}.txt"
        path.write_text(data[uid]["original_text"], encoding="utf-8")
        examples.append(Example("contracts", uid, path, data[uid]["reference_summary"]))
    return examples


def load_judgments(limit: int, workdir: Path) -> list[Example]:
    """Rows of mapping.csv whose PDF and summary are both here (part of IN-Abs is held out)."""
    with (JUDGMENTS / "mapping.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pairs: dict[str, tuple[Path, Path]] = {}
    for row in rows:
        pdf, summary = JUDGMENTS / row["pdf_file"], JUDGMENTS / row["summary_txt"]
        if pdf.is_file() and summary.is_file():
            pairs[Path(row["summary_txt"]).stem] = (pdf, summary)
    examples = []
    for example_id in sorted(pairs, key=_sort_key)[:limit]:
        pdf, summary = pairs[example_id]
        reference = re.sub(r"(?<=\w)-\n\s*(?=\w)", "", summary.read_text(encoding="utf-8", errors="replace"))
        examples.append(Example("judgments", example_id, pdf, reference))
    return examples


def load_pubmed(limit: int, workdir: Path) -> list[Example]:
    with PUBMED.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    folder = workdir / "pubmed"
    folder.mkdir(parents=True, exist_ok=True)
    examples = []
    for row in sorted(rows, key=lambda r: _sort_key(str(r["id"])))[:limit]:
        path = folder / f"pubmed_{row['id']}.txt"
        path.write_text(row["text"], encoding="utf-8")
        reference = "\n".join(line for line in row["abstract"].splitlines() if not _is_heading(line))
        examples.append(Example("pubmed", str(row["id"]), path, reference))
    return examples


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and stripped.isupper() and len(stripped.split()) <= 4


LOADERS: dict[str, tuple[Path, Callable[[int, Path], list[Example]]]] = {
    "contracts": (CONTRACTS / "all_v1.json", load_contracts),
    "judgments": (JUDGMENTS / "mapping.csv", load_judgments),
    "pubmed": (PUBMED, load_pubmed),
}


# --- pipeline -------------------------------------------------------------------------------


def ingest(examples: list[Example], home: Path, embedder: Embedder) -> tuple[dict[str, StoredDocument], Any]:
    """Run the pipeline (no jobs) over every input; map each example to its stored document."""
    config = Config(home=home, jobs="")
    report = run_pipeline([e.source for e in examples], config=config, jobs=(), embedder=embedder)
    store = open_store(config)
    with store.session() as s:
        doc_ids = {path: doc_id for path, doc_id in s.execute(select(SourceRow.path, SourceRow.document_id))}
    stored: dict[str, StoredDocument] = {}
    for example in examples:
        doc_id = doc_ids.get(str(example.source.resolve()))
        if doc_id is None:
            continue  # quarantined: reported as missing
        document, chunks = store.document_for_jobs(doc_id, embedder.model_id)
        if chunks:
            stored[f"{example.dataset}/{example.example_id}"] = StoredDocument(example, document, chunks)
    store.close()
    return stored, report


@contextmanager
def summarizer_for(backend: str, home: Path, embedder: Embedder, strategy: str) -> Iterator[tuple[Summarizer, Config]]:
    if backend == "extractive":
        config = Config(home=home, jobs="", summary_backend="extractive")
        yield build_summarizer(config, lambda: embedder), config
    elif backend == "llama_cpp":
        config = Config(home=home, jobs="", summary_backend="llm", llm_backend="llama_cpp", summary_strategy=strategy)
        yield build_summarizer(config, lambda: embedder), config
    elif backend == "openai":
        from analysis.jobs.llm import packaged_gguf_path
        from analysis.jobs.llm.local_server import serve_gguf

        with serve_gguf(packaged_gguf_path(), log_path=home / "llama_server.log") as url:
            config = Config(
                home=home,
                jobs="",
                summary_backend="llm",
                llm_backend="openai",
                llm_base_url=url,
                llm_model="local",
                llm_max_concurrency=2,
                summary_strategy=strategy,
            )
            yield build_summarizer(config, lambda: embedder), config
    else:
        raise ValueError(backend)


def evaluate(
    summarizer: Summarizer,
    config: Config,
    embedder: Embedder,
    docs: list[StoredDocument],
    *,
    workers: int,
    verbose: bool,
    job: SummarizeJob | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """Summarise (``workers`` at a time), ground (in this thread) and score every document.

    With ``job``, each draft is also verified and repaired as the summarize job stores it, and
    scored again: (drafts' records, verified records, wall seconds).
    """
    scorer = rouge_scorer.RougeScorer(list(ROUGE_KEYS), use_stemmer=True)

    def summarize(doc: StoredDocument) -> tuple[SummaryDraft, float, Summary | None, float]:
        started = time.perf_counter()
        d = doc.document
        for_summary = DocumentForSummary(d.id, d.sha256, d.domain, d.doc_type, d.text, doc.chunks)
        draft = summarizer.summarize(for_summary)
        drafted = time.perf_counter()
        verified = job.verify(for_summary, draft) if job is not None else None
        return draft, drafted - started, verified, time.perf_counter() - drafted

    records: list[dict[str, Any]] = []
    verified_records: list[dict[str, Any]] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(summarize, doc): doc for doc in docs}
        for future in as_completed(futures):
            doc = futures[future]
            record: dict[str, Any] = {
                "id": doc.example.example_id,
                "document_id": doc.document.id,
                "domain": doc.document.domain,
                "doc_type": doc.document.doc_type,
                "n_chunks": len(doc.chunks),
                "n_chars": len(doc.document.text),
            }
            try:
                draft, summarize_s, verified, verify_s = future.result()
            except Exception as exc:  # one failed call must not lose the other documents
                record["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
                records.append(record)
                verified_records.append(dict(record))
                print(f"    {doc.example.example_id}: ERROR {record['error']}", flush=True)
                continue
            ground_start = time.perf_counter()
            sentences = summary_sentences(draft.text)
            if sentences:
                grounding = ground_summary(
                    draft.text,
                    doc.chunks,
                    embedder.encode(sentences),
                    source_text=doc.document.text,
                    threshold=config.grounding_threshold,
                )
            else:
                grounding = GroundingResult([], 0.0)
            seconds = summarize_s + time.perf_counter() - ground_start
            record.update(_scores(scorer, doc, draft.text, grounding, seconds, draft.tokens_in, draft.tokens_out))
            record["strategy"] = draft.strategy
            records.append(record)
            if verified is not None:
                v = dict(record) | _scores(
                    scorer,
                    doc,
                    verified.text,
                    verified.grounding,
                    summarize_s + verify_s,
                    verified.draft.tokens_in,
                    verified.draft.tokens_out,
                )
                v["strategy"] = verified.draft.strategy
                v |= {a: verified.counts[f"summary_sentences_{a}"] for a in (*ACTIONS, "repair_errors")}
                verified_records.append(v)
            if verbose:
                line = (
                    f"    {doc.example.example_id}: {seconds:6.1f}s R1 {record['rouge1']:.3f} grounded "
                    f"{record['groundedness']:.2f} ({len(sentences)} sent.) tokens {draft.tokens_in}/{draft.tokens_out}"
                )
                if verified is not None:
                    v = verified_records[-1]
                    line += f" | verified R1 {v['rouge1']:.3f} " + " ".join(f"{a} {v[a]}" for a in ACTIONS)
                print(line, flush=True)
    wall = time.perf_counter() - started
    order = {doc.example.example_id: i for i, doc in enumerate(docs)}
    records.sort(key=lambda r: order[r["id"]])
    verified_records.sort(key=lambda r: order[r["id"]])
    return records, verified_records, wall


def _scores(
    scorer: rouge_scorer.RougeScorer,
    doc: StoredDocument,
    text: str,
    grounding: GroundingResult,
    seconds: float,
    tokens_in: int,
    tokens_out: int,
) -> dict[str, Any]:
    """ROUGE against the reference, groundedness, and the facts in ``text`` the source lacks."""
    scores = scorer.score(doc.example.reference, text)
    missing = [f for s in grounding.sentences for f in s.missing_facts]
    return {k: round(scores[k].fmeasure, 4) for k in ROUGE_KEYS} | {
        "groundedness": round(grounding.groundedness, 4),
        "n_sentences": len(grounding.sentences),
        "n_unsupported": grounding.n_unsupported,
        "unsupported_facts": len(missing),
        "missing_facts": sorted(set(missing))[:20],
        "seconds": round(seconds, 3),
        "tokens_in": tokens_in,
        "tokens_out": tokens_out,
        "summary": text,
    }


def aggregate(records: list[dict[str, Any]], wall: float, *, n_selected: int, llm: bool) -> dict[str, Any]:
    ok = [r for r in records if "error" not in r]
    out: dict[str, Any] = {
        "n_selected": n_selected,
        "n": len(ok),
        "n_missing": n_selected - len(records),
        "n_errors": len(records) - len(ok),
        "n_empty": sum(r["n_sentences"] == 0 for r in ok),
        "wall_s": round(wall, 2),
    }
    if not ok:
        return out
    for key in ROUGE_KEYS:
        out[key] = round(statistics.fmean(r[key] for r in ok), 4)
    out["groundedness"] = round(statistics.fmean(r["groundedness"] for r in ok), 4)
    out["unsupported_facts_per_summary"] = round(statistics.fmean(r["unsupported_facts"] for r in ok), 3)
    if "kept" in ok[0]:  # verified: what verification did, summed over the documents
        out |= {a: sum(r[a] for r in ok) for a in (*ACTIONS, "repair_errors")}
    nonempty = [r["groundedness"] for r in ok if r["n_sentences"]]
    out["groundedness_nonempty"] = round(statistics.fmean(nonempty), 4) if nonempty else None
    out["s_per_doc"] = round(wall / len(records), 3)
    out["latency_s_mean"] = round(statistics.fmean(r["seconds"] for r in ok), 3)
    if llm:
        tokens_out = sum(r["tokens_out"] for r in ok)
        out["tokens_in_mean"] = round(statistics.fmean(r["tokens_in"] for r in ok), 1)
        out["tokens_out_mean"] = round(tokens_out / len(ok), 1)
        out["tokens_out_max"] = max(r["tokens_out"] for r in ok)
        out["tokens_per_s"] = round(tokens_out / wall, 2) if wall else None
    out["domains"] = dict(sorted(Counter(f"{r['domain']}/{r['doc_type']}" for r in ok).items()))
    return out


# --- output ---------------------------------------------------------------------------------


def print_table(backend: str, rows: dict[str, dict[str, Any]]) -> None:
    llm = backend != "extractive"
    header = f"{'dataset':<10} {'n':>3} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'ground':>7} {'facts':>5}"
    header += f" {'empty':>5} {'err':>3}"
    header += f" {'s/doc':>7} {'latency':>7}" + (f" {'tok in':>7} {'tok out':>7} {'tok/s':>6}" if llm else "")
    print(f"\n== {backend} ==\n{header}")
    for dataset, r in rows.items():
        if not r.get("n"):  # nothing scored: show the counts only
            print(f"{dataset:<10} {0:>3}  (no documents scored)")
            continue
        line = (
            f"{dataset:<10} {r['n']:>3} {r['rouge1']:>6.3f} {r['rouge2']:>6.3f} {r['rougeL']:>6.3f} "
            f"{r['groundedness']:>7.3f} {r['unsupported_facts_per_summary']:>5.2f} "
            f"{r['n_empty']:>5} {r['n_errors']:>3} "
            f"{r['s_per_doc']:>7.2f} "
            f"{r['latency_s_mean']:>7.2f}"
        )
        if llm:
            line += f" {r['tokens_in_mean']:>7.0f} {r['tokens_out_mean']:>7.0f} {r['tokens_per_s']:>6.1f}"
        if "kept" in r:
            line += "  " + ", ".join(f"{r[a]} {a}" for a in (*ACTIONS, "repair_errors"))
        print(line)


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def parse_limits(text: str, datasets: list[str]) -> dict[str, int]:
    """``30`` for every dataset, or ``contracts=30,judgments=10`` (unnamed ones get 30)."""
    if text.strip().isdigit():
        return dict.fromkeys(datasets, int(text))
    limits = dict.fromkeys(datasets, 30)
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name.strip() not in DATASETS or not value.strip().isdigit():
            raise argparse.ArgumentTypeError(f"bad --limit part {part!r}")
        limits[name.strip()] = int(value)
    return limits


def _names(text: str, valid: tuple[str, ...], what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = set(names) - set(valid)
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(sorted(unknown))} (choose from {', '.join(valid)})")
    return names


def run_backend(
    backend: str,
    examples: dict[str, list[Example]],
    stored: dict[str, StoredDocument],
    home: Path,
    embedder: Embedder,
    args: argparse.Namespace,
    limits: dict[str, int],
    payload: dict[str, Any],
    started: float,
) -> None:
    """Every dataset through one backend; the JSON is rewritten after each dataset."""
    t_backend = time.perf_counter()
    rows: dict[str, dict[str, Any]] = {}
    verified_rows: dict[str, dict[str, Any]] = {}
    with ExitStack() as stack:
        try:
            summarizer, config = stack.enter_context(summarizer_for(backend, home, embedder, args.strategy))
        except Exception as exc:
            print(f"{backend}: cannot start ({type(exc).__name__}: {exc}); skipped", flush=True)
            return
        print(f"{backend}: ready in {time.perf_counter() - t_backend:.1f}s ({summarizer.model_info.model_id})")
        workers = config.llm_max_concurrency if backend == "openai" else 1
        job = SummarizeJob(summarizer, config, lambda: embedder) if backend != "extractive" and args.verify else None
        for dataset, items in examples.items():
            docs = [stored[k] for e in items if (k := f"{dataset}/{e.example_id}") in stored]
            records, verified, wall = evaluate(
                summarizer, config, embedder, docs, workers=workers, verbose=args.verbose, job=job
            )
            entry = aggregate(records, wall, n_selected=len(items), llm=backend != "extractive")
            settings = {
                "limit": limits[dataset],
                "strategy": getattr(summarizer, "strategy", "extractive"),
                "model_id": summarizer.model_info.model_id,
                "prompt_hash": summarizer.prompt_hash,
                "grounding_threshold": config.grounding_threshold,
                "summary_sentences": config.summary_sentences,
                "summary_input_tokens": config.summary_input_tokens,
                "workers": workers,
                "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            entry |= {"settings": settings, "documents": records}
            rows[dataset] = entry
            payload["results"].setdefault(backend, {})[dataset] = entry
            if job is not None:  # the same drafts, verified and repaired: wall time is drafting + verifying
                v_entry = aggregate(verified, wall, n_selected=len(items), llm=True)
                v_entry |= {"settings": settings, "documents": verified}
                verified_rows[dataset] = v_entry
                payload["results"].setdefault(backend + VERIFIED, {})[dataset] = v_entry
            write_json(args.out, payload)
            print(
                f"{backend}/{dataset}: {entry['n']}/{len(items)} documents in {wall:.1f}s "
                f"(elapsed {time.perf_counter() - started:.0f}s)",
                flush=True,
            )
    print_table(backend + (" (drafts, before verification)" if verified_rows else ""), rows)
    if verified_rows:
        print_table(backend + VERIFIED, verified_rows)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--limit", default="30", help="documents per dataset: 30, or contracts=30,judgments=10,...")
    parser.add_argument("--strategy", default="salient_sentences", choices=SUMMARY_STRATEGIES)
    parser.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="score LLM drafts only (default: also verified and repaired, as the summarize job stores them)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--fresh", action="store_true", help="drop results already in --out")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per document")
    args = parser.parse_args()
    backends = _names(args.backends, BACKENDS, "backends")
    datasets = _names(args.datasets, DATASETS, "datasets")
    limits = parse_limits(args.limit, datasets)

    payload: dict[str, Any] = {"results": {}}
    if args.out.is_file() and not args.fresh:
        payload = json.loads(args.out.read_text(encoding="utf-8"))
        payload.setdefault("results", {})
    payload.update(
        {
            "benchmark": "eval_summaries",
            "description": (__doc__ or "").splitlines()[0],
            "machine": {"platform": platform.platform(), "python": platform.python_version()},
        }
    )

    started = time.perf_counter()
    embedder = load_embedder()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="eval_summaries_")))
        examples: dict[str, list[Example]] = {}
        for dataset in datasets:
            marker, loader = LOADERS[dataset]
            if not marker.exists():
                print(f"skipping {dataset}: {marker} not found (see ../shared/eval/README.md)", flush=True)
                continue
            examples[dataset] = loader(limits[dataset], workdir)
        if not examples:
            sys.exit("no dataset found")
        home = workdir / "home"
        flat = [e for items in examples.values() for e in items]
        t0 = time.perf_counter()
        stored, report = ingest(flat, home, embedder)
        counts = {k: v for k, v in report.counts.items() if v}
        print(f"ingested {len(flat)} inputs in {time.perf_counter() - t0:.1f}s: {counts}", flush=True)
        if report.quarantined:
            for item in report.quarantined:
                print(f"  quarantined {item.path.name}: {item.reason}", flush=True)

        for backend in backends:
            run_backend(backend, examples, stored, home, embedder, args, limits, payload, started)
    print(f"\nwrote {args.out} (total {time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    main()
