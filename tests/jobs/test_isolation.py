"""One document never fails a run: what a job cannot do is recorded, counted, retried and shown.

The failures here are real: a PDF whose text layer is only Lao combining marks (the document
that once failed a whole run), and an OpenAI-compatible endpoint that refuses one document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_endpoint import chat_endpoint, prompt_of
from click.testing import CliRunner
from hostile_files import LAO_MARKS, unicode_text_pdf
from sqlalchemy import select, text

from analysis.cli import main
from analysis.config import Config
from analysis.embed import Embedder
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store
from analysis.store.schema import ChunkRow, JobFailureRow, SentimentRow, SummaryRow

POISON = "POISON-PILL-7731"


@pytest.mark.slow
def test_a_pdf_of_only_combining_marks_is_quarantined_and_the_default_run_succeeds(tmp_path: Path) -> None:
    src, home = tmp_path / "src", tmp_path / "home"
    src.mkdir()
    (src / "lao-marks.pdf").write_bytes(unicode_text_pdf(LAO_MARKS * 4))
    (src / "mixed.pdf").write_bytes(unicode_text_pdf("Lease agreement. " + LAO_MARKS + " The tenant pays rent."))
    write_text(make_document("discharge_summary", seed=3), src / "note.txt")

    result = CliRunner().invoke(main, ["--home", str(home), "run", "--no-progress", str(src)])  # default jobs

    assert result.exit_code == 0, result.output
    assert "2 new" in result.output and "1 quarantined" in result.output
    assert "lao-marks.pdf: no text the embedding model can read" in result.output
    store = Store(Config(home=home).database_url)
    try:
        with store.session() as s:
            assert not s.scalars(select(ChunkRow).where(ChunkRow.n_tokens < 1)).first(), "a chunk without tokens"
            assert s.scalar(select(text("count(*)")).select_from(SummaryRow)) == 2
            documents_scored = select(text("count(*)")).select_from(SentimentRow).where(SentimentRow.chunk_id.is_(None))
            assert s.scalar(documents_scored) == 2
            assert not s.scalars(select(JobFailureRow)).first()
    finally:
        store.close()
    again = CliRunner().invoke(main, ["--home", str(home), "run", "--no-progress", str(src)])
    assert again.exit_code == 0 and "0 new" in again.output and "0 quarantined" in again.output, again.output


def _refuse_the_poisoned(body: dict) -> tuple[int, str]:
    if POISON in prompt_of(body):
        return 400, "This model's maximum context length is 2048 tokens (the request was refused)"
    return 200, "The agreement sets out the duties of both parties."


@pytest.mark.slow
def test_a_document_a_job_cannot_process_is_recorded_retried_then_left_alone(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for seed in range(3):
        write_text(make_document("nda", seed=seed), src / f"nda-{seed}.txt")
    (src / "poisoned.txt").write_text(f"Services agreement. {POISON} The supplier delivers monthly.\n")
    allowed = {"poison": False}

    def answer(body: dict) -> tuple[int, str]:
        return _refuse_the_poisoned(body) if not allowed["poison"] else (200, "Services are delivered monthly.")

    with chat_endpoint(answer) as (base_url, bodies):
        config = Config(
            home=any_config.home,
            db_url=any_config.db_url,
            batch_size=32,
            summary_backend="llm",
            llm_backend="openai",
            llm_base_url=base_url,
            llm_model="fake",
            llm_retries=0,
            job_max_attempts=2,
        )
        first = run_pipeline([src], config=config, embedder=embedder, jobs=["summarize", "sentiment"])
        assert first.status == "succeeded"
        assert first.counts["summaries_written"] == 3 and first.counts["summaries_failed"] == 1
        assert first.counts["sentiments_written"] > 0 and not first.counts["sentiments_failed"]

        store = Store(config.database_url)
        try:
            with store.engine.connect() as conn:
                rows = conn.execute(text("SELECT path, job, reason, attempts FROM job_failures_open")).all()
            assert len(rows) == 1
            path, job, reason, attempts = rows[0]
            assert path.endswith("poisoned.txt") and job == "summarize" and attempts == 1
            assert "Error: Error code: 400" in reason and "maximum context length" in reason and "\n" not in reason

            second = run_pipeline([src], config=config, embedder=embedder, jobs=["summarize"])
            assert second.status == "succeeded" and second.counts["summaries_failed"] == 1
            assert store.job_failures()[0].attempts == 2

            asked = len(bodies)
            third = run_pipeline([src], config=config, embedder=embedder, jobs=["summarize"])
            assert third.status == "succeeded" and third.counts["summaries_given_up"] == 1
            assert len(bodies) == asked, "a document that failed job_max_attempts times is not sent again"

            allowed["poison"] = True
            forced = run_pipeline([src], config=config, embedder=embedder, jobs=["summarize"], force=True)
            assert forced.counts["summaries_written"] == 4 and not forced.counts["summaries_failed"]
            assert store.job_failures() == [], "a success clears the failure"
        finally:
            store.close()


@pytest.mark.slow
def test_status_shows_job_failures(tmp_path: Path) -> None:
    src, home = tmp_path / "src", tmp_path / "home"
    src.mkdir()
    (src / "poisoned.txt").write_text(f"Services agreement. {POISON} The supplier delivers monthly.\n")
    with chat_endpoint(_refuse_the_poisoned) as (base_url, _):
        env = {
            "DOCANALYSIS_SUMMARY_BACKEND": "llm",
            "DOCANALYSIS_LLM_BACKEND": "openai",
            "DOCANALYSIS_LLM_BASE_URL": base_url,
            "DOCANALYSIS_LLM_MODEL": "fake",
            "DOCANALYSIS_LLM_RETRIES": "0",
        }
        runner = CliRunner(env=env)
        run = runner.invoke(main, ["--home", str(home), "run", "--no-progress", "--jobs", "summarize", str(src)])
        assert run.exit_code == 0, run.output
        assert "1 documents' summaries failed" in run.output
        status = runner.invoke(main, ["--home", str(home), "status"])
    assert status.exit_code == 0, status.output
    assert "job failures (1; view job_failures_open)" in status.output
    assert "summarize (1 attempt(s)" in status.output and "maximum context length" in status.output


@pytest.mark.slow
@pytest.mark.postgres
def test_an_llm_answer_postgresql_refuses_is_a_job_failure_not_a_failed_run(
    postgres_url: str, tmp_path: Path, embedder: Embedder
) -> None:
    """An endpoint that answers one document with a NUL character: PostgreSQL refuses the summary at
    insert (psycopg DataError), which failed the whole run before it was recorded like any failure."""
    src = tmp_path / "src"
    src.mkdir()
    write_text(make_document("nda", seed=1), src / "nda.txt")
    (src / "poisoned.txt").write_text(f"Services agreement. {POISON} The supplier delivers monthly.\n")

    def answer(body: dict) -> tuple[int, str]:
        return 200, "The supplier delivers\x00 monthly." if POISON in prompt_of(body) else "An NDA between two firms."

    with chat_endpoint(answer) as (base_url, _):
        config = Config(
            home=tmp_path / "home",
            db_url=postgres_url,
            summary_backend="llm",
            llm_backend="openai",
            llm_base_url=base_url,
            llm_model="fake",
            llm_retries=0,
        )
        report = run_pipeline([src], config=config, embedder=embedder, jobs=["summarize"])

    assert report.status == "succeeded"
    assert report.counts["summaries_written"] == 1 and report.counts["summaries_failed"] == 1
    store = Store(config.database_url)
    try:
        with store.engine.connect() as conn:
            ((path, reason),) = conn.execute(text("SELECT path, reason FROM job_failures_open")).all()
        assert path.endswith("poisoned.txt")
        assert reason == "DataError: PostgreSQL text fields cannot contain NUL (0x00) bytes"
    finally:
        store.close()
