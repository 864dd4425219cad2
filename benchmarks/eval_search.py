"""Retrieval quality on real documents: the project's search against the obvious naive baseline.

    PYTHONPATH=. .venv/bin/python benchmarks/eval_search.py [--corpus cuad|clinical|both]
        [--systems naive,docanalysis] [--home DIR] [--fresh] [--show N]

Why: a user who builds "pypdf + LangChain splitter + MiniLM + flat FAISS" in ten minutes is the
bar our section-aware chunking and search must clear (issue 15). Both systems run in the same
process on the same files with the same model, and are scored by the same rule, which never uses
the project's own output (section detector, chunk offsets) to judge it.

CUAD (``../shared/eval/legal_cuad_pdfs``, the 46 PDFs in ``pdf/``, one index over all of them):
one query per clause category, the category's description from ``CUAD_v1_README.txt``. A hit is
relevant when its text holds at least half of the word 4-grams of one ``master_clauses.csv``
excerpt of that category annotated in the hit's own contract (PDF -> row through ``index.csv``,
file names compared without case or punctuation). Excerpts are the cell's list items, split at
``<omitted>``. Scored over the categories with at least two annotated contracts among the PDFs.

Clinical (``../shared/eval/medical_mtsamples/txt``, 173 notes): one query per section kind,
phrased as a user would ask ("What allergies does the patient have?"). Sections are found in the
raw notes by this file's own upper-case heading regex (a section runs to the next heading; inside
physical examination and review of systems the body-system sub-headings do not end it). A hit is
relevant when, for a section of that kind in the hit's own note, the hit holds at least half of
the 4-grams of the heading plus the first 60 words of the body, or the section (heading and
whole body) holds at least half of the hit's 4-grams. Scored over the kinds present in at least
two notes.

Text on both sides of every comparison is NFKC-normalised, lower-cased, and cut into words at
anything that is not a letter or digit (so punctuation, hyphenation marks, line breaks and
spacing do not matter). A text shorter than four words counts as one gram: the whole word
sequence, held when it appears contiguously in the other text.

Measures per query, then averaged: P@10 (relevant hits in the top 10, over 10) and MRR (1/rank
of the first relevant hit in the top 10, 0 if none). The table also gives docanalysis/naive.

Systems (``SYSTEMS``; a system is a factory ``(Corpus) -> (query -> ranked hits)``, so a variant is
one small function and one entry):

* ``naive``: pypdf ``extract_text()`` of each page joined with "\\n" (the .txt text for notes),
  LangChain ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``, the project's
  MiniLM with ``normalize_embeddings=True``, a ``faiss.IndexFlatIP``. Its chunks and vectors are
  cached under ``--home`` keyed by the file list.
* ``docanalysis``: ``run_pipeline`` (jobs none: ingest, chunk, embed, index) into
  ``DOCANALYSIS_HOME=<home>/<corpus>/docanalysis``, then ``search_chunks(query, k=10)``. With
  ``--home``, a home that already holds a run over the same files is reused as it is (``--fresh``
  throws it away, e.g. after changing chunking); other ``DOCANALYSIS_*`` settings are honoured.

Writes ``benchmarks/results/eval_search.json``.
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
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
from _results import save  # noqa: E402

from analysis.config import Config  # noqa: E402
from analysis.embed import Embedder, load_embedder_for  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
CUAD = EVAL / "legal_cuad_pdfs"
CLINICAL = EVAL / "medical_mtsamples" / "txt"
K = 10
N_GRAM = 4

# --- text normalisation and the 4-gram rule ---------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: the same normalisation on both sides of every comparison."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).lower())


def grams(tokens: Sequence[str], n: int = N_GRAM) -> set[tuple[str, ...]]:
    """Word n-grams; a text shorter than n words is one gram, the whole sequence."""
    if len(tokens) < n:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def contains_sequence(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    m = len(needle)
    return m > 0 and any(tuple(haystack[i : i + m]) == tuple(needle) for i in range(len(haystack) - m + 1))


def holds(container: Sequence[str], container_grams: set[tuple[str, ...]], part: Sequence[str]) -> bool:
    """Whether ``container`` holds at least half of ``part``'s 4-grams (a short part: all of it, contiguous)."""
    if not part:
        return False
    if len(part) < N_GRAM:
        return contains_sequence(container, part)
    wanted = grams(part)
    return 2 * len(wanted & container_grams) >= len(wanted)


# --- systems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One ranked result: the file it came from (name only) and its text."""

    file: str
    text: str


SearchFn = Callable[[str], list[Hit]]


@dataclass
class Corpus:
    """What a system needs to build its search: the files, a folder to keep state in, the model."""

    name: str
    files: list[Path]
    root: Path  # the folder the files are in (what the pipeline is pointed at)
    home: Path  # <home>/<corpus>: each system keeps its state in a sub-folder
    embedder: Embedder
    fresh: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Names, sizes and mtimes of the files: whether a kept state was built from the same input."""
        h = hashlib.sha256()
        for path in self.files:
            stat = path.stat()
            h.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return h.hexdigest()[:16]

    def state_dir(self, system: str) -> Path:
        folder = self.home / system
        if self.fresh and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def read_text(path: Path) -> str:
    """What the naive user reads: plain pypdf page text joined by newlines, or the file's text."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8", errors="replace")


def naive_system(corpus: Corpus) -> SearchFn:
    """The ten-minute baseline: LangChain's recursive splitter (1000/200), MiniLM, IndexFlatIP."""
    import faiss
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    folder = corpus.state_dir("naive")
    key = hashlib.sha256(f"{corpus.fingerprint()} 1000/200 {corpus.embedder.model_id}".encode()).hexdigest()[:16]
    cache_meta, cache_vectors = folder / f"{key}.json", folder / f"{key}.npy"
    if cache_meta.is_file() and cache_vectors.is_file():
        chunks = [Hit(**c) for c in json.loads(cache_meta.read_text())]
        vectors = np.load(cache_vectors)
        print(f"  naive: reusing {len(chunks)} cached chunks from {folder}", flush=True)
    else:
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        start = time.perf_counter()
        chunks = [Hit(p.name, t) for p in corpus.files for t in splitter.split_text(read_text(p))]
        corpus.timings["naive_extract_split_s"] = time.perf_counter() - start
        start = time.perf_counter()
        vectors = corpus.embedder.model.encode(
            [c.text for c in chunks], batch_size=64, normalize_embeddings=True, convert_to_numpy=True
        ).astype(np.float32)
        corpus.timings["naive_embed_s"] = time.perf_counter() - start
        np.save(cache_vectors, vectors)
        cache_meta.write_text(json.dumps([c.__dict__ for c in chunks]))
        print(f"  naive: {len(chunks)} chunks embedded", flush=True)
    corpus.timings["naive_chunks"] = len(chunks)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)

    def search(query: str) -> list[Hit]:
        q = corpus.embedder.model.encode([query], normalize_embeddings=True, convert_to_numpy=True)
        _, ids = index.search(np.asarray(q, dtype=np.float32), K)
        return [chunks[i] for i in ids[0] if i >= 0]

    return search


def docanalysis_config(corpus: Corpus) -> Config:
    """The project's configuration from DOCANALYSIS_* with the home pointed at this corpus's state."""
    home = corpus.state_dir("docanalysis")
    os.environ["DOCANALYSIS_HOME"] = str(home)
    return Config.load()


def docanalysis_system(corpus: Corpus) -> SearchFn:
    """The real project: ``run_pipeline`` with no jobs, then ``search_chunks`` (what ``docanalysis search`` calls)."""
    from analysis.pipeline import run_pipeline
    from analysis.search import search_chunks

    config = docanalysis_config(corpus)
    marker = config.home / "eval_search_input.txt"
    if marker.is_file() and marker.read_text().strip() == corpus.fingerprint():
        print(f"  docanalysis: reusing the run in {config.home}", flush=True)
    else:
        start = time.perf_counter()
        report = run_pipeline([corpus.root], config=config, jobs=(), embedder=corpus.embedder)
        corpus.timings["docanalysis_pipeline_s"] = time.perf_counter() - start
        counts = {k: v for k, v in report.counts.items() if v}
        print(f"  docanalysis: pipeline {corpus.timings['docanalysis_pipeline_s']:.1f}s {counts}", flush=True)
        marker.write_text(corpus.fingerprint())

    def search(query: str) -> list[Hit]:
        hits = search_chunks(query, k=K, config=config, embedder=corpus.embedder)
        return [Hit(Path(h.source_path).name, h.text) for h in hits]

    return search


SYSTEMS: dict[str, Callable[[Corpus], SearchFn]] = {
    "naive": naive_system,
    "docanalysis": docanalysis_system,
}

# --- gold: CUAD -------------------------------------------------------------------------------


@dataclass
class Query:
    """One query, and for each file the passages whose presence makes a hit from that file relevant."""

    name: str
    text: str
    relevant: Callable[[Hit], bool]
    files: int  # files with at least one gold passage


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", Path(name).stem.lower())


# README names that master_clauses.csv spells differently
_CSV_NAME = {
    "Notice to Terminate Renewal": "Notice Period To Terminate Renewal",
    "Right of First Refusal, Offer or Negotiation (ROFR/ROFO/ROFN)": "Rofr/Rofo/Rofn",
    "Price Restriction": "Price Restrictions",
    "Affiliate IP License-Licensor": "Affiliate License-Licensor",
    "Affiliate IP License-Licensee": "Affiliate License-Licensee",
}


def cuad_categories() -> list[tuple[str, str, str]]:
    """(category, description, master_clauses.csv column) for the 41 categories of the README."""
    text = (CUAD / "CUAD_v1_README.txt").read_text(encoding="utf-8").replace("\r", "")
    found = re.findall(r"Category:\s*\t\s*(.+?)\s*\n\s*Description:\s*\t\s*(.+?)\s*\n", text)
    with (CUAD / "master_clauses.csv").open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    columns = {_key(c): c for c in header[1:] if not c.endswith("Answer")}
    out = []
    for name, description in found:
        column = columns.get(_key(_CSV_NAME.get(name, name)))
        if column is None:
            raise SystemExit(f"CUAD category {name!r} has no column in master_clauses.csv")
        out.append((name, " ".join(description.split()), column))
    if len(out) != 41:
        raise SystemExit(f"expected 41 CUAD categories in the README, found {len(out)}")
    return out


def _excerpts(cell: str) -> list[str]:
    try:
        value = ast.literal_eval(cell) if cell.strip() else []
    except (ValueError, SyntaxError):
        value = [cell]
    return [part for item in value for part in str(item).split("<omitted>") if words(part)]


def cuad_rows(pdfs: Iterable[Path]) -> dict[str, dict[str, str]]:
    """master_clauses.csv rows keyed by PDF file name (through index.csv's source path)."""
    with (CUAD / "master_clauses.csv").open(newline="", encoding="utf-8") as handle:
        rows = {_key(row["Filename"]): row for row in csv.DictReader(handle)}
    with (CUAD / "index.csv").open(newline="", encoding="utf-8") as handle:
        index = {row["pdf_file"]: row for row in csv.DictReader(handle)}
    out = {}
    for pdf in pdfs:
        source = index.get(pdf.name, {}).get("source_path", pdf.name)
        row = rows.get(_key(Path(source).name)) or rows.get(_key(pdf.name))
        if row is not None:
            out[pdf.name] = row
    return out


def _relevance(gold: dict[str, list[list[str]]]) -> Callable[[Hit], bool]:
    """A hit is relevant when it holds one of its own file's gold passages (as word lists)."""

    def relevant(hit: Hit) -> bool:
        passages = gold.get(hit.file)
        if not passages:
            return False
        tokens = words(hit.text)
        tokens_grams = grams(tokens)
        return any(holds(tokens, tokens_grams, p) for p in passages)

    return relevant


def cuad_queries(files: list[Path]) -> tuple[list[Query], dict[str, Any]]:
    rows = cuad_rows(files)
    missing = [f.name for f in files if f.name not in rows]
    queries, skipped, stats = [], [], {}
    for name, description, column in cuad_categories():
        gold = {f: [words(e) for e in _excerpts(row.get(column, ""))] for f, row in rows.items()}
        gold = {f: e for f, e in gold.items() if e}
        excerpts = [e for ex in gold.values() for e in ex]
        stats[name] = {
            "contracts": len(gold),
            "excerpts": len(excerpts),
            "short_excerpts": sum(len(e) < N_GRAM for e in excerpts),
            "median_excerpt_words": int(np.median([len(e) for e in excerpts])) if excerpts else 0,
        }
        if len(gold) >= 2:
            queries.append(Query(name, description, _relevance(gold), len(gold)))
        else:
            skipped.append(name)
    return queries, {"pdfs_without_gold_row": missing, "categories_skipped": skipped, "categories": stats}


# --- gold: clinical ---------------------------------------------------------------------------

# kind -> (the question a user asks, the headings that open such a section)
CLINICAL_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "allergies": (
        "What is the patient allergic to?",
        ("ALLERGIES", "ALLERGY", "DRUG ALLERGIES", "MEDICATION ALLERGIES"),
    ),
    "medications": (
        "What medications is the patient currently taking?",
        (
            "MEDICATIONS",
            "CURRENT MEDICATIONS",
            "MEDICATION",
            "HOME MEDICATIONS",
            "OUTPATIENT MEDICATIONS",
            "MEDICATIONS ON ADMISSION",
            "ADMISSION MEDICATIONS",
            "PRESENT MEDICATIONS",
        ),
    ),
    "hpi": (
        "How did the patient's current problem start and how has it developed?",
        ("HISTORY OF PRESENT ILLNESS", "HPI", "HISTORY OF THE PRESENT ILLNESS"),
    ),
    "chief_complaint": (
        "Why did the patient come in to see the doctor?",
        ("CHIEF COMPLAINT", "REASON FOR VISIT", "REASON FOR CONSULTATION", "REASON FOR REFERRAL"),
    ),
    "past_medical_history": ("What medical conditions has the patient had in the past?", ("PAST MEDICAL HISTORY",)),
    "past_surgical_history": (
        "What operations has the patient had before?",
        ("PAST SURGICAL HISTORY", "SURGICAL HISTORY", "PREVIOUS SURGERIES"),
    ),
    "social_history": ("Does the patient smoke or drink, and what is their living situation?", ("SOCIAL HISTORY",)),
    "family_history": ("What illnesses run in the patient's family?", ("FAMILY HISTORY",)),
    "review_of_systems": (
        "Which symptoms did the patient report or deny when asked about each body system?",
        ("REVIEW OF SYSTEMS",),
    ),
    "physical_exam": (
        "What did the doctor find when examining the patient?",
        ("PHYSICAL EXAMINATION", "PHYSICAL EXAM", "EXAMINATION", "PHYSICAL FINDINGS"),
    ),
    "assessment": (
        "What is the doctor's diagnosis or impression?",
        (
            "ASSESSMENT",
            "IMPRESSION",
            "ASSESSMENT AND PLAN",
            "IMPRESSION AND PLAN",
            "ASSESSMENT/PLAN",
            "IMPRESSION/PLAN",
            "DIAGNOSIS",
            "DIAGNOSES",
        ),
    ),
    "plan": (
        "What treatment and follow-up are planned for the patient?",
        (
            "PLAN",
            "ASSESSMENT AND PLAN",
            "IMPRESSION AND PLAN",
            "ASSESSMENT/PLAN",
            "IMPRESSION/PLAN",
            "RECOMMENDATIONS",
            "PLAN OF CARE",
        ),
    ),
    "labs": (
        "What did the blood tests and other lab results show?",
        ("LABORATORY DATA", "LABORATORY STUDIES", "LABORATORY", "LABS", "LABORATORY VALUES", "LAB DATA"),
    ),
}
# body-system sub-headings inside an examination or review of systems: they do not end the section
_SUBHEADINGS = {
    "GENERAL",
    "VITAL SIGNS",
    "VITALS",
    "HEENT",
    "HEAD",
    "EYES",
    "EARS",
    "NOSE",
    "THROAT",
    "MOUTH",
    "ENT",
    "NECK",
    "HEART",
    "CHEST",
    "LUNGS",
    "BREASTS",
    "ABDOMEN",
    "BACK",
    "EXTREMITIES",
    "NEUROLOGIC",
    "NEUROLOGICAL",
    "NEURO",
    "SKIN",
    "CARDIOVASCULAR",
    "CARDIAC",
    "RESPIRATORY",
    "PULMONARY",
    "MUSCULOSKELETAL",
    "GASTROINTESTINAL",
    "PSYCHIATRIC",
    "GENITOURINARY",
    "GU",
    "GI",
    "RECTAL",
    "PELVIC",
    "GENITALIA",
    "ENDOCRINE",
    "CONSTITUTIONAL",
    "LYMPHATIC",
    "LYMPH",
    "LYMPH NODES",
    "HEMATOLOGIC",
    "INTEGUMENTARY",
    "PSYCH",
    "MENTAL STATUS",
    "EXTREMITY",
    "HEMATOLOGIC/LYMPHATIC",
    "ALLERGIC/IMMUNOLOGIC",
    "SPINE",
    "PULSES",
    "VASCULAR",
    "CNS",
    "GEN",
    "CV",
    "EXT",
    "GENERAL APPEARANCE",
    "HEAD AND NECK",
    "ABDOMINAL",
    "NEUROVASCULAR",
    "MENTAL",
    "PERIPHERAL VASCULAR",
}
_WITH_SUBHEADINGS = {"PHYSICAL EXAMINATION", "PHYSICAL EXAM", "EXAMINATION", "PHYSICAL FINDINGS", "REVIEW OF SYSTEMS"}
_HEADING = re.compile(r"^[ \t]*([A-Z][A-Z0-9 /&,()'-]*[A-Z)])[ \t]*:", re.MULTILINE)
SECTION_HEAD_WORDS = 60


def note_sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) of each upper-case heading of a raw note, by this file's own regex."""
    heads = [m for m in _HEADING.finditer(text) if len(m.group(1)) <= 60]
    sections: list[tuple[str, str]] = []
    i = 0
    while i < len(heads):
        heading = " ".join(heads[i].group(1).split())
        j = i + 1
        if heading in _WITH_SUBHEADINGS:
            while j < len(heads) and " ".join(heads[j].group(1).split()) in _SUBHEADINGS:
                j += 1
        end = heads[j].start() if j < len(heads) else len(text)
        sections.append((heading, text[heads[i].end() : end]))
        i = j
    return sections


def _section_relevance(
    gold: dict[str, list[tuple[list[str], set[tuple[str, ...]], list[str]]]],
) -> Callable[[Hit], bool]:
    """Hit holds half the 4-grams of heading + first 60 body words, or the section holds half of the hit's."""

    def relevant(hit: Hit) -> bool:
        sections = gold.get(hit.file)
        if not sections:
            return False
        tokens = words(hit.text)
        tokens_grams = grams(tokens)
        for whole, whole_grams, head in sections:
            if holds(tokens, tokens_grams, head) or holds(whole, whole_grams, tokens):
                return True
        return False

    return relevant


def clinical_queries(files: list[Path]) -> tuple[list[Query], dict[str, Any]]:
    found: dict[str, dict[str, list[tuple[list[str], set[tuple[str, ...]], list[str]]]]] = {
        k: {} for k in CLINICAL_KINDS
    }
    for path in files:
        for heading, body in note_sections(path.read_text(encoding="utf-8", errors="replace")):
            body_words = words(body)
            if not body_words:
                continue
            head = words(heading) + body_words[:SECTION_HEAD_WORDS]
            whole = words(heading) + body_words
            for kind, (_, headings) in CLINICAL_KINDS.items():
                if heading in headings:
                    found[kind].setdefault(path.name, []).append((whole, grams(whole), head))
    queries, stats = [], {}
    for kind, (question, _) in CLINICAL_KINDS.items():
        gold = found[kind]
        stats[kind] = {"notes": len(gold), "sections": sum(len(v) for v in gold.values())}
        if len(gold) >= 2:
            queries.append(Query(kind, question, _section_relevance(gold), len(gold)))
    return queries, {"kinds": stats}


# --- scoring ----------------------------------------------------------------------------------


def score(hits: list[Hit], relevant: Callable[[Hit], bool]) -> dict[str, Any]:
    flags = [relevant(h) for h in hits[:K]]
    first = next((i for i, f in enumerate(flags) if f), None)
    return {"p10": sum(flags) / K, "mrr": 0.0 if first is None else 1.0 / (first + 1), "relevant": flags}


def run_corpus(
    name: str,
    files: list[Path],
    root: Path,
    queries: list[Query],
    args: argparse.Namespace,
    embedder: Embedder,
    home: Path,
) -> dict[str, Any]:
    corpus = Corpus(name, files, root, home / name, embedder, fresh=args.fresh)
    per_query: dict[str, dict[str, Any]] = {q.name: {"query": q.text, "files": q.files} for q in queries}
    overall: dict[str, dict[str, float]] = {}
    for system in args.systems:
        print(f"{name}: {system}", flush=True)
        start = time.perf_counter()
        search = SYSTEMS[system](corpus)
        corpus.timings[f"{system}_setup_s"] = time.perf_counter() - start
        start = time.perf_counter()
        scores = []
        for q in queries:
            hits = search(q.text)
            s = score(hits, q.relevant)
            scores.append(s)
            per_query[q.name][system] = {"p10": s["p10"], "mrr": s["mrr"]}
            if args.show:
                print(f"\n[{system}] {q.name}: {q.text}")
                for hit, flag in zip(hits[: args.show], s["relevant"], strict=False):
                    print(f"  {'+' if flag else '-'} {hit.file[:50]}: {' '.join(hit.text.split())[:160]}")
        corpus.timings[f"{system}_queries_s"] = time.perf_counter() - start
        overall[system] = {
            "p10": sum(s["p10"] for s in scores) / len(scores),
            "mrr": sum(s["mrr"] for s in scores) / len(scores),
        }
    if "naive" in overall:
        for system in overall:
            if system != "naive":
                for m in ("p10", "mrr"):
                    base = overall["naive"][m]
                    overall[system][f"{m}_vs_naive"] = overall[system][m] / base if base else float("nan")
    return {"queries": len(queries), "overall": overall, "per_query": per_query, "timings": corpus.timings}


def overall_without_short(result: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """A sanity figure beside the measure: the CUAD categories whose excerpts are mostly under 4 words
    (names, titles, dates: "Company" is held by nearly any chunk of its contract) left out."""
    short = sorted(
        name for name, st in gold["categories"].items() if st["excerpts"] and 2 * st["short_excerpts"] > st["excerpts"]
    )
    kept = [row for name, row in result["per_query"].items() if name not in short]
    out: dict[str, Any] = {"left_out": short, "queries": len(kept)}
    for system in result["overall"]:
        out[system] = {m: sum(r[system][m] for r in kept) / len(kept) for m in ("p10", "mrr")}
    return out


def print_table(name: str, result: dict[str, Any], systems: list[str]) -> None:
    label = "category" if name == "cuad" else "section kind"
    print(f"\n{name}: {result['queries']} queries, P@{K} / MRR")
    head = f"  {label:38s} {'files':>5s}" + "".join(f" {s[:14]:>14s} P   MRR " for s in systems)
    print(head)
    for qname, row in result["per_query"].items():
        cells = "".join(f" {row[s]['p10']:16.2f} {row[s]['mrr']:5.2f}" if s in row else " " * 23 for s in systems)
        print(f"  {qname[:38]:38s} {row['files']:5d}{cells}")
    cells = "".join(f" {result['overall'][s]['p10']:16.3f} {result['overall'][s]['mrr']:5.3f}" for s in systems)
    print(f"  {'OVERALL':38s} {'':5s}{cells}")
    for s in systems:
        o = result["overall"][s]
        if "p10_vs_naive" in o:
            print(f"  {s}/naive: P@{K} {o['p10_vs_naive']:.2f}x, MRR {o['mrr_vs_naive']:.2f}x")
    if "overall_without_short_excerpt_categories" in result:
        o = result["overall_without_short_excerpt_categories"]
        cells = ", ".join(f"{s} {o[s]['p10']:.3f} / {o[s]['mrr']:.3f}" for s in systems)
        print(f"  without {', '.join(o['left_out'])} ({o['queries']} queries): {cells}")
    print(
        "  seconds: "
        + ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in result["timings"].items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", choices=("cuad", "clinical", "both"), default="both")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma list of {', '.join(SYSTEMS)}")
    parser.add_argument(
        "--home", type=Path, help="keep state here and reuse it on the next run (default: a temporary folder)"
    )
    parser.add_argument("--fresh", action="store_true", help="throw away the state kept in --home first")
    parser.add_argument("--show", type=int, default=0, help="print the top N hits of every query, + for relevant")
    parser.add_argument("--out", default="eval_search.json", help="file name under benchmarks/results/")
    args = parser.parse_args()
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in args.systems if s not in SYSTEMS]
    if unknown:
        sys.exit(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    corpora = ("cuad", "clinical") if args.corpus == "both" else (args.corpus,)
    if "cuad" in corpora and not (CUAD / "master_clauses.csv").is_file():
        sys.exit(f"no CUAD data at {CUAD} (see ../shared/eval/README.md)")
    if "clinical" in corpora and not CLINICAL.is_dir():
        sys.exit(f"no MTSamples notes at {CLINICAL} (see ../shared/eval/README.md)")

    tmp = None if args.home else tempfile.TemporaryDirectory(prefix="eval_search_")
    home = (args.home or Path(tmp.name)).resolve()  # type: ignore[union-attr]
    start = time.perf_counter()
    embedder = load_embedder_for(Config.load(home=home / "model"))
    results: dict[str, Any] = {
        "measure": f"P@{K} and MRR@{K}; relevance by word {N_GRAM}-grams, see the docstring",
        "systems": args.systems,
        "model": embedder.model_id,
        "model_load_s": time.perf_counter() - start,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }
    try:
        for name in corpora:
            start = time.perf_counter()
            if name == "cuad":
                root = CUAD / "pdf"
                files = sorted(p for p in root.iterdir() if p.suffix.lower() == ".pdf")
                queries, gold = cuad_queries(files)
            else:
                root = CLINICAL
                files = sorted(p for p in root.iterdir() if p.suffix.lower() == ".txt")
                queries, gold = clinical_queries(files)
            result = run_corpus(name, files, root, queries, args, embedder, home)
            result["gold"] = gold
            if name == "cuad":
                result["overall_without_short_excerpt_categories"] = overall_without_short(result, gold)
            result["files"] = len(files)
            result["seconds"] = time.perf_counter() - start
            results[name] = result
            print_table(name, result, args.systems)
            print(f"  {name}: {result['seconds']:.1f}s in all")
    finally:
        if tmp is not None:
            tmp.cleanup()
    save(args.out, results)


if __name__ == "__main__":
    main()
