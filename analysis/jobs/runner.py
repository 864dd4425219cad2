"""Run one analysis job over every document it has not done yet, one document at a time.

Results are keyed by (document sha256, model id, prompt hash): a re-run skips what is done,
and a new model or prompt adds a new version beside the old one. ``run_job`` owns what every
job shares: the to-do list (streamed), progress, caching, the LLM-outage policy, saving, and
per-document isolation: a document whose processing raises, or whose result the database
refuses, is recorded in ``job_failures`` with a one-line reason, retried by later runs up to
``job_max_attempts``, and the run goes on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import DataError
from tqdm import tqdm

from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import LLMUnavailableError, first_line
from analysis.jobs.base import Job, JobDocument
from analysis.jobs.registry import registered_job
from analysis.redaction import document_scope
from analysis.store import DocumentSelection, JobTodo, Store
from analysis.store.schema import DocumentRow

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What every job needs: the store, settings, the embedder (lazily) and the run."""

    store: Store
    config: Config
    embedder: Callable[[], Embedder]
    run_id: int
    counts: Counter[str]
    force: bool = False
    show_progress: bool = False
    only: DocumentSelection | None = None


def build_job(name: str, config: Config, embedder: Callable[[], Embedder]) -> Job:
    """The configured job by its registered name."""
    return registered_job(name).load().from_config(config, embedder)


def job_todo(job: Job, name: str, config: Config, *, force: bool, only: DocumentSelection | None) -> JobTodo:
    """What ``job`` still has to do within ``only``: the one definition the runner and the planner share."""
    return JobTodo(
        job.result_table,
        job.model_id,
        job.prompt_hash,
        job=name,
        max_attempts=config.job_max_attempts,
        force=force,
        only=only,
    )


def count_documents_to_do(
    store: Store,
    config: Config,
    name: str,
    embedder: Callable[[], Embedder],
    *,
    force: bool = False,
    only: DocumentSelection | None = None,
) -> int:
    """How many documents job ``name`` would process now (builds the job for its model and prompt
    identity; no model is loaded)."""
    job = build_job(name, config, embedder)
    return store.count_documents_needing(job_todo(job, name, config, force=force, only=only))


def run_job(context: JobContext, name: str) -> None:
    """Run job ``name`` over the documents in scope that have no result of its model and prompt."""
    store, config = context.store, context.config
    job = build_job(name, config, context.embedder)
    what = job.result_table.__tablename__  # "summaries": counts read summaries_written, summaries_failed, ...
    todo = job_todo(job, name, config, force=context.force, only=context.only)
    pending = store.count_documents_needing(todo)
    given_up = store.count_documents_given_up(todo)
    if given_up:
        context.counts[f"{what}_given_up"] += given_up
        log.warning("%s: %d document(s) failed %d times and are not retried", name, given_up, config.job_max_attempts)
    if not pending:
        return
    embedding_model_id = context.embedder().model_id
    for info in job.models:
        store.record_model(info)
    with tqdm(total=pending, desc=name, unit="doc", disable=not context.show_progress) as bar:
        for batch in store.documents_needing(todo):
            for document_id, _sha in batch:
                document, chunks = store.document_for_jobs(document_id, embedding_model_id)
                bar.update(1)
                if not chunks:
                    continue
                try:
                    with document_scope():  # LLM requests for this document share its placeholders
                        pages = store.page_spans(document_id) if job.needs_pages else []
                        rows = job.process(JobDocument(document, chunks, pages), context.counts)
                except LLMUnavailableError as exc:
                    _leave_pending(context, dataclasses.replace(todo, force=False), what, exc)
                    return
                except Exception as exc:  # one document never fails the run: record it, go on
                    _record_failure(context, job, name, document, exc)
                    continue
                for row in rows:
                    row.run_id = context.run_id
                try:
                    store.save_results(job.result_table, rows, replace=context.force)
                except (DataError, UnicodeEncodeError) as exc:  # a value of this result the database refuses
                    _record_failure(context, job, name, document, exc)  # (an LLM answer with NUL, on PostgreSQL)
                    continue
                store.clear_job_failure(document.sha256, name, job.model_id, job.prompt_hash)
                context.counts[f"{what}_written"] += len(rows)


def _record_failure(context: JobContext, job: Job, name: str, document: DocumentRow, exc: Exception) -> None:
    """Record one document the job failed on, with the one-line reason, and count it."""
    what = job.result_table.__tablename__
    attempts = context.store.record_job_failure(
        document, name, job.model_id, job.prompt_hash, reason=_reason(exc), run_id=context.run_id
    )
    context.counts[f"{what}_failed"] += 1
    log.warning("%s failed on document %s (attempt %d): %s", name, document.id, attempts, _reason(exc))


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {first_line(exc)}"


def _leave_pending(context: JobContext, todo: JobTodo, what: str, exc: LLMUnavailableError) -> None:
    """The endpoint is down even after the client's retries: stop asking it, and leave every
    document still to do pending (no row), so the next run picks them up."""
    pending = context.store.count_documents_needing(todo)
    context.counts[f"{what}_pending"] += pending
    log.warning(
        "%s: the LLM endpoint is unavailable after %d retries (%s): %d documents left pending for the next run",
        todo.job,
        context.config.llm_retries,
        exc.cause,
        pending,
    )
