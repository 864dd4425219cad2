"""PHI redaction recall and precision on labelled sets the recognizers were not written against.

    .venv/bin/python benchmarks/redaction.py [--sets holdout9,dev,presidio,...] [-n 300] [--misses 40]

Sets (benchmarks/phi_sets.py):

- ``holdout9`` ... ``holdout``, ``test`` and ``dev``: the independent hand-written clinical and legal
  documents of ``benchmarks/data/phi_independent`` (frozen), with their keep-words. ``dev`` was
  developed against; ``test`` and ``holdout`` to ``holdout8`` were each measured blind once, then
  their misses were read and worked on (the blind figures are in benchmarks/README.md); ``holdout9``
  was written last, after the fourth round, and measured blind.
- ``presidio``: Microsoft presidio-research's 1,500 synthetic PII sentences.
- ``generated``: notes from ``analysis.samples.phi`` (seeds 100,000 on). The generator and the
  recognizers come from the same hands, so its figures are optimistic.

Scores:

- recall, per labelled type and overall: an identifier counts as redacted when every letter
  and digit of it lies inside a redacted span (whatever type the redactor gave it). Any
  character left is a leak, so this is stricter than span overlap.
- precision, overall and per predicted type: a redacted span is correct when it overlaps a
  labelled identifier (or a span the set leaves unscored, such as presidio's organisations).
- keep-words redacted: the share of the words that must stay that a redacted span touches.

Then the synthetic clinical PDFs of ``--pdfs`` are redacted for checking by eye, and real,
already de-identified MTSamples notes for over-redaction. Prints tables and writes JSON to
benchmarks/results/redaction.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _results import print_rows, save
from phi_sets import LabelledDocument, Span, independent_documents, presidio_documents

from analysis.ingest.discover import fingerprint
from analysis.ingest.extract import extract_document
from analysis.redaction import Redaction, Redactor
from analysis.samples.phi import labelled_notes

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO.parent / "shared" / "eval" / "medical_mtsamples" / "synthetic_clinical_pdfs"
MTSAMPLES = REPO.parent / "shared" / "eval" / "medical_mtsamples" / "txt"
SETS = (
    *(
        "holdout9",
        "holdout8",
        "holdout7",
        "holdout6",
        "holdout5",
        "holdout4",
        "holdout3",
        "holdout2",
        "holdout",
        "test",
        "dev",
    ),
    *("presidio", "generated"),
)


def score(documents: list[LabelledDocument], redactions: list[Redaction]) -> tuple[dict[str, Any], list[str]]:
    """Recall per labelled type, precision per predicted type, keep-words redacted, and what went wrong."""
    found, total = Counter(), Counter()
    correct, predicted = Counter(), Counter()
    kept = keep_total = 0
    misses: list[str] = []
    for doc, redaction in zip(documents, redactions):
        covered = bytearray(len(doc.text))
        for e in redaction.entities:
            covered[e.start : e.end] = b"\1" * (e.end - e.start)
        for ident in doc.identifiers:
            total[ident.type] += 1
            if all(covered[i] or not doc.text[i].isalnum() for i in range(ident.start, ident.end)):
                found[ident.type] += 1
            else:
                misses.append(f"{doc.name} missed {ident.type}: {_shown(doc.text, ident.start, ident.end)}")
        for word in doc.keep:
            keep_total += 1
            if any(covered[word.start : word.end]):
                misses.append(f"{doc.name} keep-word redacted: {word.text!r}")
            else:
                kept += 1
        labelled = doc.identifiers + doc.neutral
        for e in redaction.entities:
            predicted[e.type] += 1
            if any(i.start < e.end and e.start < i.end for i in labelled):
                correct[e.type] += 1
            else:
                misses.append(f"{doc.name} false {e.type}: {_shown(doc.text, e.start, e.end)}")
    result = {
        "documents": len(documents),
        "characters": sum(len(d.text) for d in documents),
        "recall": {t: round(found[t] / total[t], 4) for t in sorted(total)},
        "precision": {t: round(correct[t] / predicted[t], 4) for t in sorted(predicted)},
        "identifiers": dict(total),
        "redacted_spans": dict(predicted),
        "recall_overall": round(sum(found.values()) / max(1, sum(total.values())), 4),
        "precision_overall": round(sum(correct.values()) / max(1, sum(predicted.values())), 4),
        "keep_words": keep_total,
        "keep_words_redacted": round(1 - kept / keep_total, 4) if keep_total else None,
    }
    return result, misses


def _shown(text: str, start: int, end: int) -> str:
    """A span in its context, on one line: 'Tel: [020 7946 0958] (day)'."""
    before = text[max(0, start - 25) : start].replace("\n", "⏎")
    after = text[end : end + 15].replace("\n", "⏎")
    return f"{before}[{text[start:end]}]{after}".replace("\n", "⏎")


def generated_documents(n: int) -> list[LabelledDocument]:
    """The project's generated notes (seeds 100,000 on), as labelled documents."""
    return [
        LabelledDocument(
            f"generated/{note.seed}",
            note.text,
            tuple(Span(_GENERATED_TYPES.get(i.type, i.type), i.start, i.end, i.text) for i in note.identifiers),
        )
        for note in labelled_notes(n, seed=100_000)
    ]


# The generator's finer types onto the independent set's.
_GENERATED_TYPES = {"DATE_OF_BIRTH": "DATE", "MRN": "ID", "SSN": "ID", "LOCATION": "ADDRESS"}


def load_set(name: str, n: int) -> list[LabelledDocument]:
    if name == "generated":
        return generated_documents(n)
    if name == "presidio":
        return presidio_documents()
    return independent_documents(name)


def print_table(name: str, result: dict[str, Any]) -> None:
    print(f"\n{name}: {result['documents']} documents, {result['characters']} characters")
    print(f"{'type':<15} {'identifiers':>11} {'recall':>7}   {'redacted':>8} {'precision':>9}")
    for t in dict.fromkeys([*result["identifiers"], *result["redacted_spans"]]):
        n, r = result["identifiers"].get(t, 0), result["recall"].get(t)
        m, p = result["redacted_spans"].get(t, 0), result["precision"].get(t)
        print(f"{t:<15} {n:>11} {'' if r is None else f'{r:.3f}':>7}   {m:>8} {'' if p is None else f'{p:.3f}':>9}")
    rows = {
        "recall, all identifiers": result["recall_overall"],
        "precision, all redacted spans": result["precision_overall"],
        "characters per second": result["chars_per_s"],
    }
    if result["keep_words"]:
        rows[f"keep-words redacted (of {result['keep_words']})"] = result["keep_words_redacted"]
    print_rows(rows)


def pdf_check(redactor: Redactor, folder: Path) -> list[dict[str, Any]]:
    """Each PDF's text through the project's extractor, redacted; what was found, for reading."""
    rows = []
    for path in sorted(folder.glob("*.pdf")):
        document = extract_document(fingerprint(path, "pdf"))
        redaction = redactor.redact(document.text)
        rows.append(
            {
                "file": path.name,
                "chars": len(document.text),
                "counts": redaction.counts(),
                "found": [f"{e.type}: {e.text!r}" for e in redaction.entities],
                "redacted_text": redaction.text,
            }
        )
    return rows


def over_redaction(redactor: Redactor, folder: Path, n: int) -> dict[str, Any]:
    """What is redacted in real, already de-identified MTSamples notes: nearly all of it is over-redaction
    (the notes keep few identifiers), so this bounds the cost to summaries and search on real text."""
    files = sorted(folder.glob("*.txt"))[:n]
    types: Counter[str] = Counter()
    strings: Counter[str] = Counter()
    words = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        words += len(text.split())
        for e in redactor.redact(text).entities:
            types[e.type] += 1
            strings[f"{e.type}: {' '.join(e.text.split())}"] += 1
    return {
        "files": len(files),
        "words": words,
        "redacted": dict(types),
        "per_1000_words": round(1000 * sum(types.values()) / max(1, words), 2),
        "most_common": strings.most_common(40),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    parser.add_argument("-n", type=int, default=300, help="generated notes")
    parser.add_argument("--pdfs", type=Path, default=PDFS)
    parser.add_argument("--misses", type=int, default=40, help="misses and false positives to print per set")
    parser.add_argument("--mtsamples", type=int, default=60, help="MTSamples notes to check for over-redaction")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    if unknown := [s for s in names if s not in SETS]:
        parser.error(f"unknown set {unknown[0]!r}; choose from {', '.join(SETS)}")

    started = time.perf_counter()
    redactor = Redactor()
    load_s = time.perf_counter() - started
    results: dict[str, Any] = {"model_load_s": round(load_s, 2)}
    for name in names:
        documents = load_set(name, args.n)
        started = time.perf_counter()
        redactions = [redactor.redact(doc.text) for doc in documents]
        redact_s = time.perf_counter() - started
        result, misses = score(documents, redactions)
        result["chars_per_s"] = round(result["characters"] / redact_s)
        print_table(name, result)
        if misses and args.misses:
            print(f"first {min(args.misses, len(misses))} of {len(misses)} misses and false positives:")
            for line in misses[: args.misses]:
                print("  " + line)
        results[name] = {**result, "misses": misses[:400]}
    print_rows({"model load s": round(load_s, 2)})

    pdf_rows = pdf_check(redactor, args.pdfs) if args.pdfs.is_dir() else []
    if not pdf_rows:
        print(f"\nno PDFs at {args.pdfs}", file=sys.stderr)
    for row in pdf_rows:
        print(f"\n{row['file']}: {row['chars']} characters, redacted {row['counts']}")
        for line in row["found"]:
            print("  " + line)
        print("  --- redacted text ---\n  " + row["redacted_text"].replace("\n", "\n  "))

    real = over_redaction(redactor, MTSAMPLES, args.mtsamples) if MTSAMPLES.is_dir() and args.mtsamples else {}
    if real:
        print(f"\nMTSamples, {real['files']} de-identified notes, {real['words']} words: redacted {real['redacted']}")
        print(f"  {real['per_1000_words']} spans per 1,000 words; most common:")
        for text, count in real["most_common"][:25]:
            print(f"  {count:4d}  {text}")

    save("redaction.json", {**results, "pdfs": pdf_rows, "mtsamples": real})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
