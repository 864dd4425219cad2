"""Clinical fact extraction (rules backend): precision and recall against the generator's truth,
and a look at real notes.

(a) N generated notes per clinical kind: P/R per fact type (medication, problem, allergy,
    negated problem, procedure, note date) against ``SampleDocument.truth``.
(b) The MTSamples notes in shared/eval/medical_mtsamples/txt: for notes with a MEDICATIONS
    section, how many listed drugs the extractor finds in the list, and how the drugs it finds
    outside the list relate to it; plus 50 facts sampled with a fixed seed, written with their
    evidence to a markdown file for checking by hand.

    python benchmarks/eval_clinical_facts.py --n 200 --out results.json --handcheck-out sample.md
    python benchmarks/eval_clinical_facts.py --sample-seed 1 --handcheck-out sample.md  # another sample

The hand-checked samples are benchmarks/eval_clinical_facts_handcheck.md (seed 0, clinical_rules
before the second round of rules) and benchmarks/eval_clinical_facts_handcheck_2.md (seed 1).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from analysis.jobs.extract.clinical import extract_clinical_facts
from analysis.jobs.extract.facts import DocumentForExtraction, Fact
from analysis.samples.generate import make_document

KINDS = ("discharge_summary", "progress_note", "radiology_report")
_ROOT = Path(__file__).resolve().parents[1]
MTSAMPLES = next(
    (p / "eval" / "medical_mtsamples" / "txt" for p in (_ROOT / "shared", _ROOT.parent / "shared") if p.is_dir()),
    _ROOT / "shared" / "eval" / "medical_mtsamples" / "txt",
)
_PUNCT = re.compile(r"[^a-z0-9 ]+")


def norm(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def matches(a: str, b: str) -> bool:
    """Same concept: equal, or one contains the other as whole words ("hypertension" in "essential hypertension")."""
    a, b = f" {norm(a)} ", f" {norm(b)} "
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


def pr(predicted: Iterable[str], truth: Iterable[str]) -> tuple[int, int, int, int]:
    """(predicted that match a truth item, predicted, truth items found, truth items), over distinct values."""
    p, t = sorted(set(map(norm, predicted))), sorted(set(map(norm, truth)))
    return (
        sum(any(matches(x, y) for y in t) for x in p),
        len(p),
        sum(any(matches(y, x) for x in p) for y in t),
        len(t),
    )


def fact_sets(facts: list[Fact]) -> dict[str, list[str]]:
    """The predicted values per fact type, in the truth's terms."""
    problems = [f for f in facts if f.field == "problem" and not f.family]
    return {
        "medications": [f.value for f in facts if f.field == "medication"],
        "problems": [f.value for f in problems if not f.negated],
        "negated": [f.value for f in problems if f.negated],
        "allergies": [f.value for f in facts if f.field == "allergy"],
        "procedures": [f.value for f in facts if f.field == "procedure" and not f.negated],
    }


def truth_sets(truth: dict) -> dict[str, list[str]]:
    return {
        "medications": [m["name"] for m in truth["medications"]],
        "problems": truth["problems"],
        "negated": truth["negated"],
        "allergies": truth["allergies"],
        "procedures": truth["procedures"],
    }


def score_generated(n: int, *, seed: int = 0) -> dict:
    """Micro-averaged P/R per fact type over ``n`` notes per kind, plus dose/frequency accuracy on listed drugs."""
    totals: dict[str, list[int]] = {}
    dates = [0, 0]
    attrs = {"dose": [0, 0], "frequency": [0, 0]}
    start = time.perf_counter()
    docs = 0
    for kind in KINDS:
        for i in range(n):
            sample = make_document(kind, seed=seed + i)
            facts = extract_clinical_facts(_doc(sample.text, kind)).facts
            docs += 1
            predicted, truth = fact_sets(facts), truth_sets(sample.truth)
            for name in truth:
                row = totals.setdefault(name, [0, 0, 0, 0])
                for k, v in enumerate(pr(predicted[name], truth[name])):
                    row[k] += v
            got = [f.value for f in facts if f.field == "note_date"]
            dates[0] += got == [sample.truth["note_date"]]
            dates[1] += 1
            listed = {
                f.value: f for f in facts if f.field == "medication" and "MEDICATION" in f.attributes.get("section", "")
            }
            for med in sample.truth["medications"]:
                if "dose" in med and med["name"] in listed:
                    for a in attrs:
                        attrs[a][1] += 1
                        attrs[a][0] += norm(listed[med["name"]].attributes.get(a, "")) == norm(med[a])
    seconds = time.perf_counter() - start
    result = {
        name: {"precision": _ratio(r[0], r[1]), "recall": _ratio(r[2], r[3]), "predicted": r[1], "truth": r[3]}
        for name, r in totals.items()
    }
    result["note_date"] = {"accuracy": _ratio(*dates), "notes": dates[1]}
    result["listed_medication_attributes"] = {a: _ratio(*v) for a, v in attrs.items()}
    result["docs_per_second"] = round(docs / seconds, 1)
    return result


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


def _doc(text: str, doc_type: str) -> DocumentForExtraction:
    return DocumentForExtraction(text=text, domain="medical", doc_type=doc_type, title=None, chunks=())


_MED_HEADING = re.compile(r"^(?:[A-Z ]*MEDICATIONS?[A-Z ]*|MEDICINES):", re.MULTILINE)


def score_mtsamples(folder: Path, *, sample: int, seed: int, markdown: Path | None) -> dict:
    """Listed versus narrative medications on real notes, and a seeded sample of facts for a hand check."""
    files = sorted(folder.glob("*.txt"))
    all_facts: list[tuple[str, str, Fact]] = []
    listed_total = listed_found_outside = outside_total = outside_in_list = notes_with_list = 0
    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        facts = extract_clinical_facts(_doc(text, "clinical_note")).facts
        all_facts += [(path.name, text, f) for f in facts]
        meds = [f for f in facts if f.field == "medication"]
        in_list = {f.value for f in meds if "MEDIC" in f.attributes.get("section", "")}
        outside = {f.value for f in meds if "MEDIC" not in f.attributes.get("section", "")}
        if not _MED_HEADING.search(text):
            continue
        notes_with_list += 1
        listed_total += len(in_list)
        listed_found_outside += len(in_list & outside)
        outside_total += len(outside)
        outside_in_list += len(outside & in_list)
    seconds = time.perf_counter() - start
    rng = random.Random(seed)
    picked = rng.sample(all_facts, min(sample, len(all_facts)))
    if markdown:
        markdown.write_text(_markdown(picked, seed=seed), encoding="utf-8")
    counts: dict[str, int] = {}
    for _, _, f in all_facts:
        counts[f.field] = counts.get(f.field, 0) + 1
    return {
        "notes": len(files),
        "docs_per_second": round(len(files) / seconds, 1),
        "facts": counts,
        "notes_with_medication_list": notes_with_list,
        "listed_drugs_found": listed_total,
        "listed_drugs_also_found_outside_the_list": listed_found_outside,
        "drugs_found_outside_the_list": outside_total,
        "of_which_in_the_list": outside_in_list,
    }


def _markdown(picked: list[tuple[str, str, Fact]], *, seed: int = 0) -> str:
    lines = [
        "# Clinical facts on MTSamples: a seeded sample for checking by hand",
        "",
        f"Sample seed {seed}. Verdict columns: value correct? flags correct? (filled in by hand).",
        "",
    ]
    for k, (name, text, f) in enumerate(picked, 1):
        flags = ",".join(n for n in ("negated", "uncertain", "historical", "family") if getattr(f, n)) or "-"
        evidence = " ".join(text[f.start : f.end].split()) if f.start is not None else ""
        lines += [
            f"## {k}. {f.field}: `{f.value}` ({flags})",
            f"- note: {name}; section: "
            f"{f.attributes.get('section', '')}; attributes: "
            f"{ {a: v for a, v in f.attributes.items() if a != 'section'} }",
            f"- raw: `{f.raw}`",
            f"- evidence: > {evidence[:400]}",
            "- verdict: value ?, flags ?",
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="generated notes per kind")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated notes")
    parser.add_argument("--sample-seed", type=int, default=None, help="seed of the hand-check sample (default: --seed)")
    parser.add_argument("--mtsamples", type=Path, default=MTSAMPLES)
    parser.add_argument("--sample", type=int, default=50, help="facts written for the hand check")
    parser.add_argument(
        "--handcheck-out",
        "--markdown",
        dest="markdown",
        type=Path,
        default=None,
        help="where the hand-check sample goes",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    results = {"generated": score_generated(args.n, seed=args.seed)}
    if args.mtsamples.is_dir():
        results["mtsamples"] = score_mtsamples(
            args.mtsamples,
            sample=args.sample,
            seed=args.seed if args.sample_seed is None else args.sample_seed,
            markdown=args.markdown,
        )
    print(json.dumps(results, indent=2))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
