"""Hostile input through the real pipeline and CLI: every file is stored or quarantined with a
one-line reason, a parser that spins or allocates without end is stopped, and the run goes on."""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EVAL_DIR
from hostile_files import spinning_pdf, write_hostile_tree
from run_checks import accounted, analysis_gaps, one_line
from sqlalchemy import func, select

from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder, LazyEmbedder
from analysis.ingest import ingest_found
from analysis.ingest.discover import discover_files
from analysis.pipeline import run_pipeline
from analysis.records import RunReport
from analysis.store import open_store
from analysis.store.schema import DocumentRow, PageRow, QuarantineRow, SourceRow

# the time limit leaves the memory bomb room to reach its memory limit first on a loaded 2-core machine
LIMITS = {"parse_timeout_s": 8.0, "parse_memory_mb": 256, "max_file_mb": 1}


def _accounted(config: Config) -> tuple[set[str], dict[str, str]]:
    """Paths stored, and paths quarantined with their reasons, from the store."""
    with open_store(config) as store, store.session() as s:
        stored = set(s.scalars(select(SourceRow.path)))
        quarantined = {row.path: row.reason for row in s.scalars(select(QuarantineRow))}
    return stored, quarantined


def _texts(config: Config) -> str:
    with open_store(config) as store, store.session() as s:
        return "\n".join(s.scalars(select(DocumentRow.text)))


def _check(expected: dict[str, str | None], stored_paths: set[str], quarantined_paths: dict[str, str]) -> None:
    """Each file named in ``expected`` stored (None) or quarantined for a reason with those words."""
    stored = {Path(p).name for p in stored_paths}
    quarantined = {Path(p).name: reason for p, reason in quarantined_paths.items()}
    assert not stored & set(quarantined)
    assert stored | set(quarantined) == set(expected), "every file is accounted for"
    for name, words in expected.items():
        if words is None:
            assert name in stored, f"{name} should be stored, got: {quarantined.get(name)}"
        else:
            assert name in quarantined, f"{name} should be quarantined ({words})"
            reason = quarantined[name]
            assert words in reason and "\n" not in reason and "Traceback" not in reason, (name, reason)


@pytest.mark.parametrize("workers", [1, 2])
def test_every_hostile_file_is_stored_or_quarantined_and_the_run_goes_on(
    tmp_path: Path, embedder: Embedder, workers: int
) -> None:
    root = tmp_path / "inbox"
    expected = write_hostile_tree(root, tmp_path / "outside")
    config = Config(home=tmp_path / "home", batch_size=32, parse_workers=workers, **LIMITS)

    start = time.monotonic()
    report = run_pipeline([root], config=config, embedder=embedder, jobs=())
    took = time.monotonic() - start

    assert report.status == "succeeded"
    stored, quarantined = _accounted(config)
    _check(expected, stored, quarantined)
    assert report.counts["documents_new"] == 7  # link-in.txt is a second path to good.txt
    assert report.counts["documents_duplicate"] == 1
    assert took < 60, "one spinning file must not stall the run"
    texts = _texts(config)
    assert "never be read" not in texts and "Inside a folder outside" not in texts, "links out are not followed"
    assert "Café résumé: the tenant’s deposit is €500" in texts and "Ärztlicher Befund" in texts

    again = run_pipeline([root], config=config, embedder=embedder, jobs=())
    assert again.counts["quarantined_new"] == 0, [q.reason for q in again.quarantined]
    assert again.counts["quarantined_known"] == len(quarantined)
    assert again.counts["documents_new"] == 0


@pytest.mark.slow
def test_the_cli_reports_each_hostile_file_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "inbox"
    expected = write_hostile_tree(root, tmp_path / "outside")
    for name, value in LIMITS.items():
        monkeypatch.setenv(f"DOCANALYSIS_{name.upper()}", str(value))
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "home"), "run", "--no-progress", "--jobs", "none", str(root)]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  quarantined ")]
    named = {Path(line.split(": ", 1)[0].removeprefix("  quarantined ")).name for line in lines}
    assert named == {name for name, words in expected.items() if words is not None}


def test_a_file_that_vanishes_after_discovery_is_quarantined(
    config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "kept.txt").write_text("A short note about the lease and its renewal terms.")
    (root / "gone.txt").write_text("This file is removed after discovery.")
    found = list(discover_files([root]))
    (root / "gone.txt").unlink()
    with open_store(config) as store:
        report = RunReport(run_id=store.start_run(trigger="test", params={}), status="running")
        ingest_found(store, found, LazyEmbedder(config, embedder), config=config, report=report)
    assert report.counts["documents_new"] == 1
    assert [(q.path.name, q.reason) for q in report.quarantined] == [
        ("gone.txt", "file disappeared before it could be parsed")
    ]


def test_a_small_run_parses_out_of_process_too(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    """Under 8 files the pipeline uses a single worker: a spinning file is still stopped at the limit."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "spinning.pdf").write_bytes(spinning_pdf())
    (root / "note.txt").write_text("Progress note: the wound is healing well; sutures out in ten days.")
    start = time.monotonic()
    report = run_pipeline([root], config=config.replace(parse_timeout_s=2.0), embedder=embedder, jobs=())
    assert time.monotonic() - start < 30
    assert report.counts["documents_new"] == 1
    assert [(q.path.name, q.reason) for q in report.quarantined] == [("spinning.pdf", "took longer than 2 s to parse")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_quarantined(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "locked.txt").write_text("Nobody may read this.")
    (root / "locked.txt").chmod(0)
    report = run_pipeline([root], config=config, embedder=embedder, jobs=())
    reasons = [(q.path.name, q.reason) for q in report.quarantined]
    assert reasons == [("locked.txt", "cannot read file: Permission denied")]


@pytest.mark.slow
@pytest.mark.eval
def test_the_default_run_over_the_hostile_corpus_stores_or_quarantines_every_file_and_analyses_every_document(
    config: Config, embedder: Embedder
) -> None:
    """The whole default run (ingest, embed, index, summaries, sentiment) over ../shared/eval/hostile_pdfs.

    About 3.5 minutes on two cores (~170 files, ~750 chunks to embed, ~100 documents to summarise).
    """
    corpus = EVAL_DIR / "hostile_pdfs"
    if not corpus.is_dir():
        pytest.skip(f"hostile corpus not present at {corpus} (../shared/eval relative to the repo)")
    corpus = corpus.resolve()

    report = run_pipeline([corpus], config=config, embedder=embedder)  # the configured (default) jobs

    assert report.status == "succeeded"
    summarised = report.counts["summaries_written"] + report.counts["summaries_failed"]
    assert report.counts["documents_new"] > 50 and summarised == report.counts["documents_new"]
    files = {p for p in corpus.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.parts)}
    with open_store(config) as store, store.session() as s:
        stored, quarantined = accounted(s)
        assert {Path(p) for p in stored | set(quarantined)} == files, "every file is accounted for"
        assert all(one_line(reason) for reason in quarantined.values())
        assert analysis_gaps(s) == [], "each document has its summary and sentiment, or a job failure with a reason"
        ocr_pages = s.scalar(select(func.count()).select_from(PageRow).where(PageRow.ocr_confidence.is_not(None)))
    assert ocr_pages and ocr_pages >= 3, "the scanned PDFs with text (pdf_ocr_test.pdf...) are read by OCR"
    for probe in corpus.rglob("pdf_probe.csv"):  # what plain pypdf made of each PDF
        with probe.open(newline="") as handle:
            for row in csv.DictReader(handle):
                path = str(probe.parent / row["path"])
                if row["status"] == "error" and row["encrypted"] == "True":
                    assert quarantined.get(path, "").startswith("encrypted PDF"), path
                elif row["status"] == "ok" and int(row["text_chars_first3pages"] or 0) > 100:
                    assert path in stored, (path, quarantined.get(path))

    again = run_pipeline([corpus], config=config, embedder=embedder)
    assert again.counts["documents_new"] == 0 and again.counts["quarantined_new"] == 0
