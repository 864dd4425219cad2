"""PHI redaction recall and precision on generated clinical notes, and a look at the synthetic PDFs.

    .venv/bin/python benchmarks/redaction.py [--split test] [-n 300] [--pdfs DIR] [--misses 20]

The notes come from ``analysis.samples.phi`` with every identifier labelled. Two disjoint seed
ranges: ``dev`` (seeds 0-9,999), the only one looked at while the recognizers were written, and
``test`` (seeds 100,000 on), measured once at the end. Scores:

- recall, per identifier type and overall: an identifier counts as redacted when every letter
  and digit of it lies inside a redacted span (whatever type the redactor gave it). Any
  character left is a leak, so this is stricter than span overlap.
- precision, per predicted type and overall: a redacted span is correct when it overlaps a
  labelled identifier. Visit and admission dates, facility names and ages are unlabelled, so
  redacting them counts against precision.

Then every PDF in ``--pdfs`` (default ../shared/eval/medical_mtsamples/synthetic_clinical_pdfs)
is extracted with the project's extractor and redacted: what was found, per type, is printed
for checking by eye; and the first ``--mtsamples`` real MTSamples notes (already de-identified,
so what is redacted there is mostly over-redaction) are redacted and the most common redacted
strings listed. Prints tables and writes JSON to benchmarks/results/redaction.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _results import print_rows, save

from analysis.ingest.discover import fingerprint
from analysis.ingest.extract import extract_document
from analysis.redaction import ENTITY_TYPES, Redaction, Redactor
from analysis.samples.phi import IDENTIFIER_TYPES, LabelledNote, labelled_notes

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO.parent / "shared" / "eval" / "medical_mtsamples" / "synthetic_clinical_pdfs"
MTSAMPLES = REPO.parent / "shared" / "eval" / "medical_mtsamples" / "txt"
SEEDS = {"dev": 0, "test": 100_000}


def score(notes: list[LabelledNote], redactions: list[Redaction]) -> tuple[dict[str, Any], list[str]]:
    """Recall per labelled type, precision per predicted type, and the missed identifiers."""
    found, total = Counter(), Counter()
    correct, predicted = Counter(), Counter()
    misses: list[str] = []
    for note, redaction in zip(notes, redactions):
        covered = bytearray(len(note.text))
        for e in redaction.entities:
            covered[e.start : e.end] = b"\1" * (e.end - e.start)
        for ident in note.identifiers:
            total[ident.type] += 1
            if all(covered[i] or not note.text[i].isalnum() for i in range(ident.start, ident.end)):
                found[ident.type] += 1
            else:
                misses.append(f"{note.seed} {ident.type}: {ident.text!r}")
        for e in redaction.entities:
            predicted[e.type] += 1
            if any(i.start < e.end and e.start < i.end for i in note.identifiers):
                correct[e.type] += 1
            else:
                misses.append(f"{note.seed} false {e.type}: {e.text!r}")
    result = {
        "recall": {t: round(found[t] / total[t], 4) for t in IDENTIFIER_TYPES if total[t]},
        "precision": {t: round(correct[t] / predicted[t], 4) for t in ENTITY_TYPES if predicted[t]},
        "identifiers": dict(total),
        "redacted_spans": dict(predicted),
        "recall_overall": round(sum(found.values()) / max(1, sum(total.values())), 4),
        "precision_overall": round(sum(correct.values()) / max(1, sum(predicted.values())), 4),
    }
    return result, misses


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
    parser.add_argument("--split", choices=sorted(SEEDS), default="test")
    parser.add_argument("-n", type=int, default=300, help="generated notes")
    parser.add_argument("--pdfs", type=Path, default=PDFS)
    parser.add_argument("--misses", type=int, default=20, help="missed and false identifiers to print")
    parser.add_argument("--mtsamples", type=int, default=60, help="MTSamples notes to check for over-redaction")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    redactor = Redactor()
    load_s = time.perf_counter() - started
    notes = labelled_notes(args.n, seed=SEEDS[args.split])
    started = time.perf_counter()
    redactions = [redactor.redact(note.text) for note in notes]
    redact_s = time.perf_counter() - started
    result, misses = score(notes, redactions)
    chars = sum(len(n.text) for n in notes)

    print(f"{len(notes)} generated notes ({args.split} seeds from {SEEDS[args.split]}), {chars} characters")
    print(f"{'type':<15} {'identifiers':>11} {'recall':>7}   {'redacted':>8} {'precision':>9}")
    for t in dict.fromkeys([*IDENTIFIER_TYPES, *ENTITY_TYPES]):
        n, r = result["identifiers"].get(t, 0), result["recall"].get(t)
        m, p = result["redacted_spans"].get(t, 0), result["precision"].get(t)
        print(f"{t:<15} {n:>11} {'' if r is None else f'{r:.3f}':>7}   {m:>8} {'' if p is None else f'{p:.3f}':>9}")
    print_rows(
        {
            "recall, all identifiers": result["recall_overall"],
            "precision, all redacted spans": result["precision_overall"],
            "model load s": round(load_s, 2),
            "characters per second": round(chars / redact_s),
        }
    )
    if misses and args.misses:
        print(f"\nfirst {min(args.misses, len(misses))} of {len(misses)} misses and false positives:")
        for line in misses[: args.misses]:
            print("  " + line)

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

    save(
        "redaction.json",
        {
            "split": args.split,
            "seeds": [SEEDS[args.split], SEEDS[args.split] + args.n - 1],
            "notes": len(notes),
            "characters": chars,
            **result,
            "model_load_s": round(load_s, 2),
            "chars_per_s": round(chars / redact_s),
            "misses": misses[:200],
            "pdfs": pdf_rows,
            "mtsamples": real,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
