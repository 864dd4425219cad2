"""How well the judgment rules read real judgments: 20 Supreme Court of India reports.

Reads ``../shared/eval/legal_court_opinions_india/judgment_reports/Judgment/<n>.txt`` (lower-cased
text) and, where ``--pdf`` is given, the same judgment's PDF through pypdf (original case), and
compares court, decision date, parties and outcome with answers judged by reading each report
(GOLD below: the header's PETITIONER/RESPONDENT/DATE OF JUDGMENT and the final disposition,
usually the reporter's tagline "Appeal dismissed."). Statutes are printed, not scored.

    python benchmarks/eval_judgments.py [--pdf]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.jobs.extract.facts import DocumentForExtraction  # noqa: E402
from analysis.jobs.extract.judgments import extract_judgment_facts  # noqa: E402

REPORTS = ROOT.parent / "shared" / "eval" / "legal_court_opinions_india" / "judgment_reports"
SCORED = ("court", "decision_date", "appellant", "respondent", "outcome")
COURT = "Supreme Court of India"
# file: (decision date, appellant, respondent, outcome), judged by reading the report.
# Outcome None: the report ends without allowing, dismissing, affirming, reversing or remanding.
GOLD: dict[str, tuple[str, str, str, str | None]] = {
    # c.a. 2876/86 (this case) dismissed, the companion c.a. 1115/76 allowed: the case's own is "dismissed"
    "1": ("1990-09-04", "delhi transport corporation", "d.t.c. mazdoor congress", "dismissed"),
    "3": ("1966-10-31", "the commissioner of income-tax, bombay", "smt. kasturbai walchand trust, bombay", "dismissed"),
    "4": ("1963-04-26", "smt. santa sila devi and another", "dhirendra nath sen and others", "dismissed"),
    "5": ("1980-11-13", "ajay hasia etc.", "khalid mujib sehravardi & ors. etc.", "dismissed"),
    "7": ("1985-10-07", "express newspapers pvt. ltd. & ors.", "union of india & ors.", "allowed"),
    "9": ("1959-05-12", "messrs. calcutta company ltd.", "the commissioner of income-tax,west bengal", "allowed"),
    "10": ("1966-10-28", "george da costa", "controller of estate duty in mysore,bangalore", "dismissed"),
    "11": ("1960-12-09", "sanwat singh & others", "state of rajasthan", "dismissed"),
    # "order of high court set aside with direction to the tribunal to submit supplementary statement"
    "12": ("1966-10-11", "commissioner of income-tax, west bengal", "east coast commercial co. ltd.", "reversed"),
    "13": ("1962-08-29", "bhiva doulu patil", "state of maharashtra", "allowed"),
    "14": ("1966-10-04", "state of madras", "madurai mills co., ltd.", "dismissed"),
    "16": (
        "1966-10-12",
        "bihta co-operative development cane marketing union ltd.",
        "the bank of bihar & ors.",
        "allowed",
    ),
    "18": ("1969-08-04", "hindustan steel ltd.", "state of orissa", None),  # "directions given"
    "19": (
        "1985-04-12",
        "prakash chandra mehta",
        "commissioner and secretary government of kerala & ors.",
        "dismissed",
    ),
    "21": ("1971-01-21", "commissioner of income tax, calcutta", "burlop dealers ltd.", "dismissed"),
    "24": (
        "1958-10-01",
        "maharaj kumar kamal singh",
        "the commissioner of income-tax, bihar & orissa",
        "dismissed",
    ),
    "25": ("1983-12-16", "bandhua mukti morcha", "union of india & others", "allowed"),
    "27": ("1966-10-14", "chandradhar goswami & ors.", "the gauhati bank ltd.", "partly allowed"),
    "28": ("1987-04-22", "commissioner of income-tax, kanpur", "behari lal ram charan ltd.", "dismissed"),
    "32": ("1985-05-10", "ashok kumar yadav and ors. etc. etc.", "state of haryana and ors. etc. etc.", "allowed"),
}


def extract(text: str) -> dict[str, list[str]]:
    """Field -> values the rules read from one judgment."""
    document = DocumentForExtraction(text=text, domain="legal", doc_type="court_opinion", title=None, chunks=())
    found: dict[str, list[str]] = {}
    for fact in extract_judgment_facts(document).facts:
        assert fact.raw is not None and fact.raw in text[fact.start : fact.end], fact
        found.setdefault(fact.field, []).append(fact.value)
    return found


def expected(name: str) -> dict[str, str | None]:
    decision_date, appellant, respondent, outcome = GOLD[name]
    return dict(court=COURT, decision_date=decision_date, appellant=appellant, respondent=respondent, outcome=outcome)


def pdf_text(name: str) -> str | None:
    """The PDF's text (pypdf), found through mapping.csv; None where that PDF is not in the folder."""
    from pypdf import PdfReader

    with (REPORTS / "mapping.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["judgment_txt"] == f"Judgment/{name}.txt" and (REPORTS / row["pdf_file"]).is_file():
                reader = PdfReader(REPORTS / row["pdf_file"])
                return "\n".join(page.extract_text() or "" for page in reader.pages)
    return None


def score(found: dict[str, list[str]], gold: dict[str, str | None], *, fold_case: bool) -> dict[str, bool]:
    """Per field: is the first value read the one expected (None expected: nothing read)."""

    def norm(value: str | None) -> str | None:
        return " ".join(value.split()).lower() if value is not None and fold_case else value

    return {field: norm((found.get(field) or [None])[0]) == norm(gold[field]) for field in SCORED}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also read each judgment's PDF (original case)")
    args = parser.parse_args()
    if not REPORTS.is_dir():
        print(f"no judgments at {REPORTS}")
        return 1
    sources = ["txt", "pdf"] if args.pdf else ["txt"]
    totals = {source: dict.fromkeys(SCORED, 0) for source in sources}
    counted = dict.fromkeys(sources, 0)
    seconds = {source: 0.0 for source in sources}
    for name in GOLD:
        gold = expected(name)
        for source in sources:
            text = (REPORTS / "Judgment" / f"{name}.txt").read_text() if source == "txt" else pdf_text(name)
            if text is None:
                continue
            counted[source] += 1
            started = time.perf_counter()
            found = extract(text)
            seconds[source] += time.perf_counter() - started
            marks = score(found, gold, fold_case=source == "pdf")
            for field, ok in marks.items():
                totals[source][field] += ok
            wrong = [
                f"{f}: read {(found.get(f) or [None])[0]!r}, judged {gold[f]!r}" for f, ok in marks.items() if not ok
            ]
            print(f"[{source}] {name}.txt  " + ("all five right" if not wrong else "; ".join(wrong)))
            if source == "txt":
                print(f"      statutes ({len(found.get('statute', []))}): {found.get('statute', [])[:5]}")
    print()
    for source in sources:
        cells = ", ".join(f"{field} {totals[source][field]}/{counted[source]}" for field in SCORED)
        per = seconds[source] / max(1, counted[source]) * 1000
        print(f"{source} ({counted[source]} judgments): {cells}; {per:.1f} ms per judgment")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
