"""Contract extraction quality on CUAD: the rules backend against a naive keyword baseline.

    .venv/bin/python benchmarks/eval_extraction.py [--home DIR] [--out benchmarks/results/eval_extraction.json]
        [--limit N] [--show FIELD]

The 46 CUAD PDFs in ``../shared/eval/legal_cuad_pdfs/pdf`` go through the project's pipeline
(``run_pipeline``: extract, classify, section, chunk, embed, index; no jobs) into a temporary home,
or into ``--home`` (kept, so a second run reuses the stored documents and does no model work).
``stored_facts`` then runs the real ``extract`` job (``run_pipeline(jobs=("extract",))``: the
classifier's type picks the extractor, ``verify`` gates every value) and scores the facts it
stored; it also runs the ``summarize`` job on the same documents for throughput. ``--direct``
scores ``ContractRules`` run directly on ``store.document_for_jobs`` instead (faster to iterate).

Gold is ``master_clauses.csv``, rows matched to the PDFs through ``index.csv`` (file names
compared without case or punctuation). Scores:

* governing law: accuracy of our jurisdiction against the answer column normalised with
  ``normalize.jurisdiction`` (several answers "A; B": any of them counts), where gold has one;
* agreement, effective and expiration date: exact match of the ISO date against the answer
  (m/d/yy), where gold has a full date (CUAD's expiration is the effective date plus the initial
  term where the contract states a term, so a derived date counts);
* renewal term and notice period to terminate renewal: exact match of the ISO 8601 period against
  the answer read with ``normalize.iso_duration`` ("successive 1 year" -> P1Y), where it has one;
* parties: token F1 (bag of lower-case words) of our party names against the answer's names
  (quoted roles removed), averaged over contracts;
* clause flags: precision, recall and F1 of "yes" per category; gold "yes" is a non-empty
  context column (no_solicit: customers or employees); macro-F1 over the categories;
* evidence: for gold "yes" that we also call "yes", the share whose evidence overlaps a gold
  excerpt (they share a run of 6 words after normalisation, or the shorter one is contained in
  the other); also over every gold "yes" (a miss counts as no overlap);
* throughput: documents per second of the rules backend after its first document (models loaded).

The same scores for a keyword baseline (a category is "yes" when one of its keywords appears
anywhere; evidence is the sentence around it), and for two halves of the contracts (by a hash of
the file name) so a rule tuned on one half can be confirmed on the other.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from sqlalchemy import select  # noqa: E402

from analysis.config import Config  # noqa: E402
from analysis.embed import Embedder, load_embedder  # noqa: E402
from analysis.jobs.extract.contracts import ContractRules  # noqa: E402
from analysis.jobs.extract.facts import DocumentForExtraction, Fact  # noqa: E402
from analysis.jobs.extract.fields import CLAUSE_FIELDS  # noqa: E402
from analysis.jobs.extract.normalize import find_jurisdiction, iso_duration, jurisdiction, parse_date  # noqa: E402
from analysis.jobs.extract.verify import verify_facts  # noqa: E402
from analysis.jobs.runner import JobContext, run_job  # noqa: E402
from analysis.pipeline import run_pipeline  # noqa: E402
from analysis.store import DocumentSelection, open_store  # noqa: E402
from analysis.store.schema import SourceRow  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CUAD = REPO.parent / "shared" / "eval" / "legal_cuad_pdfs"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "eval_extraction.json"
TARGETS = {"governing_law": 0.90, "dates": 0.80, "parties_f1": 0.75, "clause_macro_f1": 0.75, "evidence": 0.80}

DATE_COLUMNS = (
    ("agreement_date", "Agreement Date-Answer"),
    ("effective_date", "Effective Date-Answer"),
    ("expiration_date", "Expiration Date-Answer"),
)
PERIOD_COLUMNS = (
    ("renewal_term", "Renewal Term-Answer"),
    ("notice_period", "Notice Period To Terminate Renewal- Answer"),
)

# The baseline: a category is "yes" when any of these words occurs.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "termination_for_convenience": ("for convenience", "without cause"),
    "anti_assignment": ("assign",),
    "change_of_control": ("change of control", "change in control"),
    "non_compete": ("compete",),
    "exclusivity": ("exclusive",),
    "no_solicit": ("solicit",),
    "cap_on_liability": ("limitation of liability", "in no event"),
    "uncapped_liability": ("gross negligence", "unlimited liability"),
    "liquidated_damages": ("liquidated damages",),
    "audit_rights": ("audit",),
    "insurance": ("insurance",),
    "ip_ownership_assignment": ("intellectual property",),
    "license_grant": ("license",),
    "minimum_commitment": ("minimum",),
    "most_favored_nation": ("most favored", "most favoured"),
    "post_termination_services": ("after termination", "upon termination"),
    "warranty_duration": ("warranty",),
    "third_party_beneficiary": ("third party beneficiar", "third-party beneficiar"),
}


@dataclass
class Contract:
    """One CUAD contract as stored: its gold row, its text and the facts read from it."""

    name: str
    gold: dict[str, str]
    text: str
    facts: list[Fact] = field(default_factory=list)
    baseline: list[Fact] = field(default_factory=list)

    @property
    def half(self) -> str:
        return "A" if int(hashlib.sha1(self.name.encode()).hexdigest(), 16) % 2 == 0 else "B"


# --- gold -------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", Path(name).stem.lower())


def load_gold() -> dict[str, dict[str, str]]:
    """Gold rows keyed by the PDF file name in ``pdf/``."""
    with (CUAD / "master_clauses.csv").open(newline="", encoding="utf-8") as handle:
        rows = {_key(row["Filename"]): row for row in csv.DictReader(handle)}
    with (CUAD / "index.csv").open(newline="", encoding="utf-8") as handle:
        index = {row["pdf_file"]: row for row in csv.DictReader(handle)}
    gold = {}
    for pdf in sorted((CUAD / "pdf").iterdir()):
        source = index.get(pdf.name, {}).get("source_path", pdf.name)
        row = rows.get(_key(Path(source).name))
        if row is not None:
            gold[pdf.name] = row
    return gold


def _excerpts(cell: str) -> list[str]:
    try:
        value = ast.literal_eval(cell) if cell.strip() else []
    except (ValueError, SyntaxError):
        value = [cell]
    return [part for item in value for part in str(item).split("<omitted>") if part.strip()]


def gold_clause(row: dict[str, str], spec_name: str) -> list[str]:
    """Gold excerpts of a clause category (empty: "no")."""
    spec = next(s for s in CLAUSE_FIELDS if s.name == spec_name)
    return [e for column in spec.cuad for e in _excerpts(row.get(column, ""))]


def gold_date(answer: str) -> date | None:
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*", answer or "")
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    if year < 100:
        year += 1900 if year >= 50 else 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def gold_jurisdictions(answer: str) -> set[str]:
    return {j for part in re.split(r";", answer or "") if (j := jurisdiction(part))}


def gold_party_names(answer: str) -> list[str]:
    names = []
    for part in (answer or "").split(";"):
        part = re.sub(r"\([^)]*\)", " ", part)
        part = re.sub(r"[\"“”][^\"“”]*[\"“”]", " ", part)
        if part.strip():
            names.append(part.strip())
    return names


# --- facts --------------------------------------------------------------------------------------


def ingest(home: Path, embedder: Embedder) -> dict[str, int]:
    """Run the pipeline (no jobs) over the PDFs; PDF file name -> stored document id."""
    config = Config(home=home, jobs="")
    t0 = time.perf_counter()
    report = run_pipeline([CUAD / "pdf"], config=config, jobs=(), embedder=embedder)
    counts = {k: v for k, v in report.counts.items() if v}
    print(f"pipeline: {time.perf_counter() - t0:.1f}s {counts}", flush=True)
    store = open_store(config)
    with store.session() as s:
        paths = dict(s.execute(select(SourceRow.path, SourceRow.document_id)).all())
    store.close()
    return {Path(path).name: doc_id for path, doc_id in paths.items()}


def stored_facts(
    home: Path, documents: dict[str, int], embedder: Embedder, *, backend: str = "rules"
) -> tuple[dict[str, tuple[str, list[Fact]]], dict[str, float]]:
    """Each document's text and the facts the real ``extract`` job stored: the classifier's
    document type chooses the extractor, as in production. With the rules backend, also times
    the ``summarize`` job (extractive, the default) on the same documents, for comparison. The
    ``llm`` backend (the configured local model) runs on ``documents`` only, through ``run_job``."""
    config = Config(home=home, extract_backend=backend)
    timing: dict[str, float] = {}
    store = open_store(config)
    try:
        for job in ("extract", "summarize") if backend == "rules" else ("extract",):
            run_id = store.start_run(trigger="benchmark", params={"job": job, "backend": backend})
            counts: Counter[str] = Counter()
            context = JobContext(
                store,
                config,
                lambda: embedder,
                run_id,
                counts,
                force=True,
                only=DocumentSelection(document_ids=frozenset(documents.values())),
            )
            t0 = time.perf_counter()
            run_job(context, job)
            seconds = time.perf_counter() - t0
            store.finish_run(run_id, status="succeeded", counts=dict(counts), index_version=None)
            written = counts[f"{'extractions' if job == 'extract' else 'summaries'}_written"]
            timing[f"{job}_job_s"] = seconds
            timing[f"{job}_job_docs_per_s"] = written / seconds if seconds else 0.0
            print(f"{job} job ({backend}): {written} documents in {seconds:.1f}s, {dict(counts)}", flush=True)
    finally:
        store.close()
    store = open_store(config)
    out: dict[str, tuple[str, list[Fact]]] = {}
    types: Counter[str] = Counter()
    try:
        for name, doc_id in documents.items():
            row = store.document_for_jobs(doc_id, embedder.model_id)[0]
            types[row.doc_type] += 1
            facts = [
                Fact(f.kind, f.field, f.value, f.char_start, f.char_end, raw=f.raw, confidence=f.confidence)
                for f in store.facts_for_document(doc_id)
            ]
            out[name] = (row.text, facts)
    finally:
        store.close()
    print(f"document types: {dict(types)}", flush=True)
    timing["doc_types"] = dict(types)  # type: ignore[assignment]
    return out, timing


def facts_by_document(
    home: Path, documents: dict[str, int], embedder: Embedder
) -> tuple[dict[str, tuple[str, list[Fact]]], dict[str, float]]:
    """Each document's text and facts from ``ContractRules`` run directly on what the extract
    job reads (``--direct``: whatever type the classifier gave, and timed per document)."""
    store = open_store(Config(home=home, jobs=""))
    inputs = {}
    for name, doc_id in documents.items():
        row, chunks = store.document_for_jobs(doc_id, embedder.model_id)
        inputs[name] = DocumentForExtraction(row.text, row.domain, row.doc_type, row.title, chunks)
    store.close()
    rules = ContractRules(lambda: embedder)
    out: dict[str, tuple[str, list[Fact]]] = {}
    times = []
    t_first = time.perf_counter()
    for name, document in inputs.items():
        t0 = time.perf_counter()
        extraction = rules.extract(document)
        times.append(time.perf_counter() - t0)
        verified = verify_facts(document.text, extraction.facts)  # what the job would store
        for problem in [*extraction.problems, *verified.rejected]:
            print(f"  {problem.kind} {name[:50]}: {problem.field}: {problem.reason}", flush=True)
        out[name] = (document.text, verified.kept)
    total = time.perf_counter() - t_first
    warm = sum(times[1:])
    pages = sum(len(d.text) for d in inputs.values()) / 3000
    timing = {
        "documents": len(times),
        "first_document_s": times[0] if times else 0.0,
        "total_s": total,
        "docs_per_s_warm": (len(times) - 1) / warm if warm else 0.0,
        "median_s_per_doc": statistics.median(times) if times else 0.0,
        "max_s_per_doc": max(times) if times else 0.0,
        "approx_pages_per_doc": pages / max(1, len(times)),
    }
    return out, timing


_NAIVE_SENTENCE = re.compile(r"[^.]*")


def baseline_facts(text: str) -> list[Fact]:
    """The keyword baseline: first keyword hit per category, its sentence as evidence; the first
    jurisdiction after "laws of"; the first full date as both agreement and effective date."""
    facts = []
    lower = text.lower()
    for spec in CLAUSE_FIELDS:
        hits = [i for kw in BASELINE_KEYWORDS[spec.name] if (i := lower.find(kw)) >= 0]
        if hits:
            i = min(hits)
            start = text.rfind(".", 0, i) + 1
            end = text.find(".", i)
            end = len(text) if end < 0 else end + 1
            facts.append(Fact("clause", spec.name, "yes", start, end))
        else:
            facts.append(Fact("clause", spec.name, "no", None, None))
    law = re.search(r"laws\s+of", text, re.IGNORECASE)
    if law and (found := find_jurisdiction(text[law.end() : law.end() + 120])) and found.value:
        facts.append(Fact("contract", "governing_law", found.value, law.start(), law.end() + found.end))
    for match in re.finditer(r"[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}", text[:20000]):
        parsed = parse_date(match.group())
        if parsed:
            for name in ("agreement_date", "effective_date"):
                facts.append(Fact("contract", name, parsed.isoformat(), match.start(), match.end()))
            break
    for match in list(
        re.finditer(r"\b(?:[A-Z][\w&.\-]*\s+){1,5}(?:Inc|Corp|Corporation|LLC|Ltd|Limited|L\.P|Co)\b\.?", text[:3000])
    )[:2]:
        facts.append(Fact("contract", "party", match.group().strip(), match.start(), match.end()))
    return facts


# --- scoring ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def overlaps(evidence: str, excerpt: str, n: int = 6) -> bool:
    """Whether two texts share a run of ``n`` words, or the shorter lies inside the other."""
    a, b = _words(evidence), _words(excerpt)
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < n:
        return " ".join(short) in " ".join(long_)
    grams = {tuple(long_[i : i + n]) for i in range(len(long_) - n + 1)}
    return any(tuple(short[i : i + n]) in grams for i in range(len(short) - n + 1))


def _token_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    stop = {"the", "and", "of", "a", "an"}
    p = Counter(w for name in predicted for w in _words(name) if w not in stop)
    g = Counter(w for name in gold for w in _words(name) if w not in stop)
    if not p or not g:
        return 0.0
    common = sum((p & g).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _first(facts: list[Fact], name: str) -> Fact | None:
    return next((f for f in facts if f.field == name), None)


def score(contracts: list[Contract], which: str) -> dict[str, Any]:
    """All scores for one system ("facts" or "baseline") over ``contracts``."""
    result: dict[str, Any] = {"documents": len(contracts)}
    law = [(c, gold_jurisdictions(c.gold.get("Governing Law-Answer", ""))) for c in contracts]
    law = [(c, g) for c, g in law if g]
    hits = [(f := _first(getattr(c, which), "governing_law")) is not None and f.value in g for c, g in law]
    result["governing_law"] = {"n": len(hits), "accuracy": sum(hits) / len(hits) if hits else None}
    for name, column in DATE_COLUMNS:
        pairs = [(c, d) for c in contracts if (d := gold_date(c.gold.get(column, "")))]
        hits = [(f := _first(getattr(c, which), name)) is not None and f.value == d.isoformat() for c, d in pairs]
        result[name] = {"n": len(hits), "accuracy": sum(hits) / len(hits) if hits else None}
    for name, column in PERIOD_COLUMNS:
        periods = [(c, p) for c in contracts if (p := iso_duration(c.gold.get(column, "") or ""))]
        hits = [(f := _first(getattr(c, which), name)) is not None and f.value == p for c, p in periods]
        result[name] = {"n": len(hits), "accuracy": sum(hits) / len(hits) if hits else None}
    f1s = []
    for c in contracts:
        gold = gold_party_names(c.gold.get("Parties-Answer", ""))
        if gold:
            f1s.append(_token_f1([f.value for f in getattr(c, which) if f.field == "party"], gold))
    result["parties_f1"] = {"n": len(f1s), "f1": statistics.fmean(f1s) if f1s else None}
    clauses: dict[str, Any] = {}
    evidence_tp, evidence_all = [], []
    for spec in CLAUSE_FIELDS:
        tp = fp = fn = 0
        for c in contracts:
            excerpts = gold_clause(c.gold, spec.name)
            fact = _first(getattr(c, which), spec.name)
            said_yes = fact is not None and fact.value == "yes"
            if excerpts and said_yes:
                tp += 1
                assert fact is not None and fact.start is not None and fact.end is not None
                ok = any(overlaps(c.text[fact.start : fact.end], e) for e in excerpts)
                evidence_tp.append(ok)
                evidence_all.append(ok)
            elif excerpts:
                fn += 1
                evidence_all.append(False)
            elif said_yes:
                fp += 1
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = (
            2 * precision * recall / (precision + recall) if precision + recall else (1.0 if tp + fp + fn == 0 else 0.0)
        )
        clauses[spec.name] = {
            "gold_yes": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    result["clauses"] = clauses
    result["clause_macro_f1"] = statistics.fmean(v["f1"] for v in clauses.values())
    result["evidence_overlap_tp"] = sum(evidence_tp) / len(evidence_tp) if evidence_tp else None
    result["evidence_overlap_all_gold_yes"] = sum(evidence_all) / len(evidence_all) if evidence_all else None
    return result


# --- report -------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def print_table(results: dict[str, dict[str, Any]], timing: dict[str, float], backend: str = "rules") -> None:
    rules, base = results["rules"], results["baseline"]
    halves = [k for k in ("rules_A", "rules_B") if k in results]
    header = (
        f"| field | n | {backend} | baseline | "
        + " | ".join(f"{backend}, half {h[-1]}" for h in halves)
        + " | target |"
    )
    print("\n" + header)
    print("|" + "---|" * (header.count("|") - 1))

    def row(label: str, n: Any, get: Callable[[dict[str, Any]], Any], target: str = "") -> None:
        cells = [_fmt(get(rules)), _fmt(get(base))] + [_fmt(get(results[h])) for h in halves]
        print(f"| {label} | {n} | " + " | ".join(cells) + f" | {target} |")

    row("governing law (accuracy)", rules["governing_law"]["n"], lambda r: r["governing_law"]["accuracy"], ">= 0.90")
    row("agreement date (exact)", rules["agreement_date"]["n"], lambda r: r["agreement_date"]["accuracy"], ">= 0.80")
    row("effective date (exact)", rules["effective_date"]["n"], lambda r: r["effective_date"]["accuracy"], ">= 0.80")
    for name in ("expiration_date", "renewal_term", "notice_period"):
        label = name.replace("_", " ") + " (exact)"
        row(label, rules[name]["n"], lambda r, name=name: r[name]["accuracy"])
    row("parties (token F1)", rules["parties_f1"]["n"], lambda r: r["parties_f1"]["f1"], ">= 0.75")
    for spec in CLAUSE_FIELDS:
        c = rules["clauses"][spec.name]
        row(
            f"{spec.name} (F1; P/R {c['precision']:.2f}/{c['recall']:.2f})",
            c["gold_yes"],
            lambda r, s=spec.name: r["clauses"][s]["f1"],
        )
    row("**clause macro-F1**", rules["documents"], lambda r: r["clause_macro_f1"], ">= 0.75")
    row("evidence overlaps gold (of true yes)", "", lambda r: r["evidence_overlap_tp"], ">= 0.80")
    row("evidence overlaps gold (of all gold yes)", "", lambda r: r["evidence_overlap_all_gold_yes"])
    print(
        f"\nthroughput (rules): {timing['docs_per_s_warm']:.2f} docs/s after the first document "
        f"(median {timing['median_s_per_doc'] * 1000:.0f} ms, max {timing['max_s_per_doc'] * 1000:.0f} ms per"
        f" document, "
        f"~{timing['approx_pages_per_doc']:.0f} pages of 3,000 characters each; first document"
        f" {timing['first_document_s']:.1f}s "
        "with model loads)"
    )
    if "summarize_job_docs_per_s" in timing:
        print(
            f"whole jobs through run_pipeline (--force, store writes and model loads included): extract "
            f"{timing['extract_job_docs_per_s']:.2f} docs/s, summarize (extractive) "
            f"{timing['summarize_job_docs_per_s']:.2f} docs/s; document types: {timing['doc_types']}"
        )
    elif "extract_job_docs_per_s" in timing:
        print(f"extract job ({backend}): {1 / timing['extract_job_docs_per_s']:.1f} s per document")


def show(contracts: list[Contract], field_name: str) -> None:
    """Print our value and the gold for one field, contract by contract (for developing rules)."""
    clause = any(s.name == field_name for s in CLAUSE_FIELDS)
    for c in contracts:
        facts = [f for f in c.facts if f.field == field_name]
        if clause:
            excerpts = gold_clause(c.gold, field_name)
            fact = facts[0] if facts else None
            said = fact.value if fact else "-"
            if (said == "yes") == bool(excerpts):
                ok = "ok"
                if said == "yes" and fact and not any(overlaps(c.text[fact.start : fact.end], e) for e in excerpts):  # type: ignore[index]
                    ok = "EVIDENCE"
            else:
                ok = "FP" if said == "yes" else "FN"
            print(f"[{ok}] {c.half} {c.name[:70]}")
            if ok != "ok":
                if fact and fact.start is not None:
                    print("   ours:", " ".join(c.text[fact.start : fact.end].split())[:400], "| cue:", fact.raw)
                for e in excerpts[:3]:
                    print("   gold:", " ".join(e.split())[:400])
        else:
            print(f"{c.half} {c.name[:60]}: ours={[(f.value, f.raw, f.attributes.get('role')) for f in facts]}")
            for column in ("Parties-Answer", "Governing Law-Answer", *(c for _, c in DATE_COLUMNS + PERIOD_COLUMNS)):
                print(f"    {column}: {c.gold.get(column)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", type=Path, help="keep the pipeline's home here (reused when it exists)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=0, help="only the first N contracts")
    parser.add_argument("--show", default="", help="print ours against gold for one field")
    parser.add_argument(
        "--backend", choices=("rules", "llm"), default="rules", help="the extract job's backend (llm: use --limit)"
    )
    parser.add_argument(
        "--direct", action="store_true", help="run ContractRules directly (faster to iterate) instead of the job"
    )
    args = parser.parse_args()
    if not (CUAD / "master_clauses.csv").is_file():
        sys.exit(f"CUAD not found at {CUAD} (see ../shared/eval/README.md)")
    started = time.perf_counter()
    gold = load_gold()
    embedder = load_embedder()
    with tempfile.TemporaryDirectory(prefix="eval_extraction_") as tmp:
        home = args.home or Path(tmp) / "home"
        documents = {name: doc_id for name, doc_id in ingest(home, embedder).items() if name in gold}
        if args.limit:
            documents = dict(sorted(documents.items())[: args.limit])
        missing = sorted(set(gold) - set(documents))
        print(f"{len(documents)} contracts stored with gold; {len(missing)} without a stored document: {missing}")
        if args.direct:
            facts, timing = facts_by_document(home, documents, embedder)
        else:
            _, timing = facts_by_document(home, documents, embedder)  # per-document timing of the rules
            facts, job_timing = stored_facts(home, documents, embedder, backend=args.backend)
            timing.update(job_timing)
    contracts = [Contract(name, gold[name], text, list(found)) for name, (text, found) in sorted(facts.items())]
    for c in contracts:
        c.baseline = baseline_facts(c.text)
    if args.show:
        show(contracts, args.show)
    results = {
        "rules": score(contracts, "facts"),
        "baseline": score(contracts, "baseline"),
        "rules_A": score([c for c in contracts if c.half == "A"], "facts"),
        "rules_B": score([c for c in contracts if c.half == "B"], "facts"),
    }
    print_table(results, timing, "rules" if args.direct else args.backend)
    payload = {
        "benchmark": "eval_extraction",
        "description": (__doc__ or "").splitlines()[0],
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "backend": {"extract_backend": "rules" if args.direct else args.backend, "rules": ContractRules.version},
        "targets": TARGETS,
        "timing": timing,
        "results": results,
        "halves": {c.name: c.half for c in contracts},
        "seconds": time.perf_counter() - started,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    print(f"\nwrote {args.out} ({time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    main()
