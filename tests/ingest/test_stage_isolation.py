"""One document never fails the ingest stage; the database, a lock or a setting still fail the run.

Real triggers first (each failed a whole run before): a PDF whose text layer holds a lone
surrogate, a file whose name is not UTF-8. No real input makes redaction, chunking or the
document's insert raise today, so those guards are tested by making that one step raise for
one named document (the tests say so in their names).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hostile_files import lone_surrogate_pdf
from sqlalchemy import select
from sqlalchemy.exc import DataError, OperationalError

import analysis.ingest.stage as stage
from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import LockTimeoutError
from analysis.ingest import files_to_ingest
from analysis.maintenance import vacuum_store
from analysis.pipeline import run_pipeline
from analysis.records import QuarantinedFile, RunReport
from analysis.store import open_store
from analysis.store.documents import Documents
from analysis.store.schema import ChunkRow, QuarantineRow, RunRow, SourceRow
from analysis.store.shared import storable

NOTE = "Progress note: the wound is healing well and the sutures come out in ten days."
LEASE = "Lease agreement. The tenant pays the rent on the first day of each month."


def _inbox(tmp_path: Path) -> Path:
    """Two documents, the second also at a second path (same content: parsed once, stored twice)."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "note.txt").write_text(NOTE)
    (root / "poison.txt").write_text(LEASE)
    (root / "same-as-poison.txt").write_text(LEASE)
    return root


def _rows(config: Config) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """Stored file names, and quarantined file names with (stage, reason)."""
    with open_store(config) as store, store.session() as s:
        stored = {Path(p).name for p in s.scalars(select(SourceRow.path))}
        quarantined = {Path(r.path).name: (r.stage, r.reason) for r in s.scalars(select(QuarantineRow))}
    return stored, quarantined


def _fail_for(target: Any, poison: str, error: BaseException) -> Any:
    """``target`` with one difference: it raises ``error`` when handed the document ``poison``."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            document = getattr(value, "document", value)
            if getattr(getattr(document, "source", None), "path", Path()).name == poison:
                raise error
        return target(*args, **kwargs)

    return wrapped


@pytest.mark.slow
def test_a_pdf_whose_text_has_lone_surrogates_is_stored_with_replacement_characters(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    """pypdf reads the ToUnicode entry <D800> as a lone surrogate; the tokenizer raised TypeError on it
    and failed the whole run (and neither database can store it)."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "surrogate.pdf").write_bytes(lone_surrogate_pdf())
    (root / "note.txt").write_text(NOTE)

    report = run_pipeline([root], config=any_config, embedder=embedder, jobs=())

    assert report.status == "succeeded" and report.counts["documents_new"] == 2, report.quarantined
    with open_store(any_config) as store, store.session() as s:
        texts = list(s.scalars(select(ChunkRow.text)))
    (pdf_text,) = [t for t in texts if "Lease" in t]
    assert pdf_text == "Lease \ufffdagreement. \ufffdThe \ufffdtenant \ufffdpays \ufffdrent"


@pytest.mark.slow
def test_a_file_whose_name_is_not_utf8_is_quarantined_once_and_kept(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    """Its name reached the first query with lone surrogates and failed the run, SQLite or PostgreSQL."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_text(LEASE)
    (root / "note.txt").write_text(NOTE)

    first = run_pipeline([root], config=any_config, embedder=embedder, jobs=(), sync=True)
    again = run_pipeline([root], config=any_config, embedder=embedder, jobs=(), sync=True)

    assert first.status == "succeeded" and first.counts["documents_new"] == 1
    assert [(str(q.path), q.reason) for q in first.quarantined] == [
        (f"{root}/caf\\xe9.txt", "name is not valid UTF-8 (rename it)")
    ]
    assert again.counts["quarantined_new"] == 0 and again.counts["quarantined_known"] == 1
    assert again.counts["sources_removed"] == 0, "--sync must not forget it (and quarantine it anew) every run"


def test_the_planning_step_quarantines_a_path_no_task_could_be_handed(config: Config, tmp_path: Path) -> None:
    """Airflow's discover_changes passes paths to ingest tasks through XCom: one that no database
    stores is quarantined there instead."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_text(LEASE)
    (root / "note.txt").write_text(NOTE)
    with open_store(config) as store:
        run_id = store.start_run(trigger="test", params={})
        first = RunReport(run_id=run_id, status="running")
        todo = files_to_ingest(store, [root], first, sync=True)
        again = RunReport(run_id=run_id, status="running")
        files_to_ingest(store, [root], again, sync=True)
    assert todo == [str(root / "note.txt")]
    assert first.counts["quarantined_new"] == 1 and again.counts["quarantined_known"] == 1
    assert not again.counts["sources_removed"]


def test_maintenance_keeps_quarantine_rows_it_cannot_look_up(config: Config, tmp_path: Path) -> None:
    """A stand-in path does not exist on disk and a broken link does not resolve: dropping their rows
    would only have the next run quarantine them again."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_text(LEASE)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "gone.txt").symlink_to(root / "missing.txt")
    with open_store(config) as store:
        files_to_ingest(
            store, [root], RunReport(run_id=store.start_run(trigger="test", params={}), status="running"), sync=True
        )
        run_id = store.start_run(trigger="test", params={})
        for name in ("broken.txt", "gone.txt"):
            store.quarantine(
                QuarantinedFile(root / name, None, "broken symbolic link", "discover"), size=0, run_id=run_id
            )
    (root / "gone.txt").unlink()

    assert vacuum_store(config)["quarantine_rows_removed"] == 1
    with open_store(config) as store:
        assert {Path(row.path).name for row in store.quarantine_rows()} == {"caf\\xe9.txt", "broken.txt"}


@pytest.mark.slow
def test_guard_when_the_chunker_raises_on_one_document_only_it_and_its_copies_are_quarantined(
    config: Config, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _inbox(tmp_path)
    boom = RuntimeError("chunker bug\non two lines")
    monkeypatch.setattr(stage, "chunk_document", _fail_for(stage.chunk_document, "poison.txt", boom))

    report = run_pipeline([root], config=config, embedder=embedder, jobs=())

    assert report.status == "succeeded"
    stored, quarantined = _rows(config)
    assert stored == {"note.txt"}
    reason = "chunking failed: RuntimeError: chunker bug on two lines"
    assert quarantined == {"poison.txt": ("chunk", reason), "same-as-poison.txt": ("chunk", reason)}
    again = run_pipeline([root], config=config, embedder=embedder, jobs=())
    assert again.counts["quarantined_known"] == 2 and not again.counts["quarantined_new"]


@pytest.mark.slow
def test_guard_when_redaction_raises_on_one_document_only_it_is_quarantined(
    config: Config, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _inbox(tmp_path)
    (root / "same-as-poison.txt").unlink()
    passthrough = _fail_for(lambda parsed: parsed, "poison.txt", ValueError("redactor bug"))
    monkeypatch.setattr(stage, "redact_parsed", passthrough)  # the others pass unredacted: no spaCy model

    report = run_pipeline([root], config=config.replace(redact_stored=True), embedder=embedder, jobs=())

    assert report.status == "succeeded"
    assert _rows(config) == ({"note.txt"}, {"poison.txt": ("redact", "redaction failed: ValueError: redactor bug")})


@pytest.mark.slow
def test_guard_a_value_the_database_refuses_quarantines_that_document(
    config: Config, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _inbox(tmp_path)
    (root / "same-as-poison.txt").unlink()
    refused = DataError("INSERT INTO documents ...", {}, Exception("value too long for type character varying"))
    monkeypatch.setattr(Documents, "save_document", _fail_for(Documents.save_document, "poison.txt", refused))

    report = run_pipeline([root], config=config, embedder=embedder, jobs=())

    assert report.status == "succeeded"
    stored, quarantined = _rows(config)
    assert stored == {"note.txt"}
    assert quarantined == {
        "poison.txt": ("store", "the database refused it: DataError: value too long for type character varying")
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "error",
    [OperationalError("SELECT 1", {}, Exception("server closed the connection")), LockTimeoutError("pipeline", 1)],
    ids=["database-down", "lock"],
)
def test_guard_errors_not_about_the_document_still_fail_the_run(
    config: Config, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    root = _inbox(tmp_path)
    monkeypatch.setattr(stage, "chunk_document", _fail_for(stage.chunk_document, "poison.txt", error))

    with pytest.raises(type(error)):
        run_pipeline([root], config=config, embedder=embedder, jobs=())

    with open_store(config) as store, store.session() as s:
        assert list(s.scalars(select(RunRow.status))) == ["failed"]
        assert not s.scalars(select(QuarantineRow)).first(), "nothing quarantined for the database's fault"


def test_text_no_database_stores_becomes_replacement_characters_one_for_one(any_config: Config) -> None:
    """Quarantine and job-failure reasons and run errors may quote a parser's or driver's message."""
    hostile = "NUL\x00 and a lone \ud800 surrogate"
    assert storable(hostile) == "NUL\ufffd and a lone \ufffd surrogate"
    assert storable("plain ☃ text") == "plain ☃ text"
    with open_store(any_config) as store:
        run_id = store.start_run(trigger="test", params={})
        store.quarantine(QuarantinedFile(Path("/x/a.pdf"), "0" * 64, hostile, "parse"), size=1, run_id=run_id)
        store.finish_run(run_id, status="failed", counts=dict(Counter(a=1)), index_version=None, error=hostile)
        assert [row.reason for row in store.quarantine_rows()] == [storable(hostile)]
        run = store.run(run_id)
        assert run is not None and run.error == storable(hostile)
