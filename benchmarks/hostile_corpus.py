"""Hostile input: the real `docanalysis run` over every file in ../shared/eval/hostile_pdfs.

    .venv/bin/python benchmarks/hostile_corpus.py [--corpus DIR] [--engine pypdf pypdfium2] [--jobs none]

The corpus (encrypted, malformed, image-only and odd-encoding PDFs from the pypdf test suites and
CogStack, with the other files of those repositories beside them) is read in place. For each PDF
engine, the CLI runs in a child process with the default settings; the script then checks that
the run exited 0 without a traceback and that every file under the corpus is accounted for:
stored, quarantined with a one-line reason, or hidden (skipped by design, and counted). It prints
the counts by reason, the time and the peak RSS (main process and parser workers), compares the
outcome of each PDF with what plain pypdf made of it (``pdf_probe.csv``), and writes JSON to
benchmarks/results/hostile_corpus.json.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _results import print_rows, save

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "hostile_pdfs"


def reason_class(reason: str) -> str:
    """A quarantine reason without its particulars: 'corrupt PDF: Invalid object' -> 'corrupt PDF'."""
    return re.split(r": | \(|\s'", reason, maxsplit=1)[0]


def run_cli(corpus: Path, home: Path, *, engine: str, jobs: str | None) -> dict[str, Any]:
    """`docanalysis run` in a child process; its time, exit status, output and peak memory."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "DOCANALYSIS_PDF_ENGINE": engine,
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    command = [sys.executable, "-m", "analysis.cli", "--home", str(home), "run", "--no-progress", str(corpus)]
    if jobs is not None:
        command[-1:-1] = ["--jobs", jobs]
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)  # its peak RSS, and that of the parser workers it reaped
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    return {
        "returncode": process.returncode,
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "output": output,
    }


def account(corpus: Path, home: Path) -> dict[str, Any]:
    """Every file under the corpus, as stored, quarantined (with its reason) or hidden."""
    from sqlalchemy import select

    from analysis.config import Config
    from analysis.store import open_store
    from analysis.store.schema import QuarantineRow, SourceRow

    with open_store(Config(home=home)) as store, store.session() as s:
        stored = set(s.scalars(select(SourceRow.path)))
        quarantined = {row.path: row.reason for row in s.scalars(select(QuarantineRow))}
    outcome: dict[str, str] = {}
    for dirpath, _, filenames in os.walk(corpus):
        for name in filenames:
            path = str(Path(dirpath) / name)
            relative = Path(path).relative_to(corpus)
            if any(part.startswith(".") for part in relative.parts):
                outcome[path] = "hidden (skipped)"
            elif path in stored:
                outcome[path] = "stored"
            elif path in quarantined:
                outcome[path] = "quarantined: " + quarantined[path]
            else:
                outcome[path] = "LOST"
    return outcome


def probe_agreement(corpus: Path, outcome: dict[str, str]) -> tuple[Counter[str], list[str]]:
    """What plain pypdf made of each PDF (pdf_probe.csv) against what the run did with it."""
    agreement: Counter[str] = Counter()
    disagreements = []
    for probe in sorted(corpus.rglob("pdf_probe.csv")):
        with probe.open(newline="") as handle:
            for row in csv.DictReader(handle):
                path = str(probe.parent / row["path"])
                if path not in outcome:
                    continue  # listed in the probe, kept aside for evaluation elsewhere
                if row["status"] == "error" and row["encrypted"] == "True":
                    expected = "quarantined: encrypted PDF"
                elif row["status"] == "error":
                    expected = "quarantined"
                elif row["text_chars_first3pages"] == "0" and row["pages"] in ("1", "2", "3"):
                    expected = "quarantined: no extractable text"
                else:
                    expected = "stored"
                got = outcome[path]
                if got.startswith(expected):
                    agreement["agree"] += 1
                else:
                    agreement["differ"] += 1
                    disagreements.append(f"{Path(path).relative_to(corpus)}: probe {expected!r}, run {got!r}")
    return agreement, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--engine", nargs="+", default=["pypdf", "pypdfium2"], choices=["pypdf", "pypdfium2"])
    parser.add_argument("--jobs", default=None, help="passed to `run --jobs` (default: the configured jobs)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no hostile corpus at {args.corpus} (see ../shared/eval/README.md)")
    corpus = args.corpus.resolve()
    results: dict[str, Any] = {}
    failed = False
    for engine in args.engine:
        with tempfile.TemporaryDirectory(prefix="hostile-") as home:
            run = run_cli(corpus, Path(home), engine=engine, jobs=args.jobs)
            outcome = account(corpus, Path(home))
        crashed = run["returncode"] != 0 or "Traceback" in run["output"]
        kinds = Counter(o if not o.startswith("quarantined") else "quarantined" for o in outcome.values())
        reasons = Counter(reason_class(o.removeprefix("quarantined: ")) for o in outcome.values() if o.startswith("q"))
        agreement, disagreements = probe_agreement(corpus, outcome)
        rows: dict[str, Any] = {
            "files under the corpus": len(outcome),
            "stored": kinds["stored"],
            "quarantined": kinds["quarantined"],
            "hidden (skipped, counted)": kinds["hidden (skipped)"],
            "lost (must be 0)": kinds["LOST"],
            "crashed (must be no)": "yes" if crashed else "no",
            "seconds": run["seconds"],
            "peak RSS MB (largest process)": run["peak_rss_mb"],
            "PDFs as pdf_probe.csv expects": f"{agreement['agree']}/{agreement['agree'] + agreement['differ']}",
        }
        print(f"\n{engine}: docanalysis run over {corpus}")
        print_rows(rows)
        print("  quarantined by reason:")
        print_rows({f"  {reason}": n for reason, n in reasons.most_common()}, width=32)
        for line in disagreements:
            print(f"  differs from the probe: {line}")
        if crashed:
            print(run["output"][-3000:])
        failed |= crashed or kinds["LOST"] > 0
        results[engine] = {**rows, "quarantined_by_reason": dict(reasons), "probe_differences": disagreements}
    save("hostile_corpus.json", results)
    if failed:
        sys.exit("a run crashed or lost a file")


if __name__ == "__main__":
    main()
