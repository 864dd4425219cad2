"""The analysis jobs' side of the store: their input, their results (summaries, sentiments, the
models that made them) and the documents a job failed on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, true
from sqlalchemy.orm import Session

from analysis.provenance import ModelInfo
from analysis.records import SourceChunk
from analysis.store.engine import Repository
from analysis.store.schema import (
    ChunkRow,
    DocumentRow,
    EmbeddingRow,
    ExtractionProblemRow,
    ExtractionRow,
    FactRow,
    JobFailureRow,
    ModelRow,
    PageRow,
    ResultRow,
    SentimentRow,
    SummaryRow,
    SummarySupportRow,
)
from analysis.store.shared import DocumentSelection, chunk_record, in_shard, now, storable


@dataclass(frozen=True)
class JobTodo:
    """What one job still has to do: documents without a result of its model and prompt (all of
    them with ``force``), within ``only``, leaving out those it failed on ``max_attempts`` times."""

    table: type[ResultRow]
    model_id: str
    prompt_hash: str
    job: str
    max_attempts: int | None = None
    force: bool = False
    only: DocumentSelection | None = None


class Results(Repository):
    """Which documents still need a job, what the job reads, what it wrote, and where it gave up."""

    # what a job works on ------------------------------------------------------
    def documents_needing(self, todo: JobTodo, *, batch: int = 200) -> Iterator[list[tuple[int, str]]]:
        """Stream (document id, sha256) of the documents ``todo`` covers, in id order."""
        last = 0
        pending = _pending(todo)
        while True:
            with self._session() as s:
                rows = s.execute(
                    select(DocumentRow.id, DocumentRow.sha256)
                    .where(DocumentRow.id > last, pending)
                    .order_by(DocumentRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1][0]
            yield [(int(i), sha) for i, sha in rows]

    def count_documents_needing(self, todo: JobTodo) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(DocumentRow).where(_pending(todo))) or 0)

    def count_documents_given_up(self, todo: JobTodo) -> int:
        """Documents without a result that the job has failed on ``max_attempts`` times (0 with ``force``)."""
        if todo.force or todo.max_attempts is None:
            return 0
        given_up = _needs_result(todo.table, todo.model_id, todo.prompt_hash, force=False, only=todo.only) & _given_up(
            todo.job, todo.model_id, todo.prompt_hash, todo.max_attempts
        )
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(DocumentRow).where(given_up)) or 0)

    def document_for_jobs(self, document_id: int, embedding_model_id: str) -> tuple[DocumentRow, list[SourceChunk]]:
        """A document with its chunks and their stored vectors, in reading order."""
        with self._session() as s:
            document = s.get(DocumentRow, document_id)
            if document is None:
                raise KeyError(document_id)
            rows = s.execute(
                select(ChunkRow, EmbeddingRow.vector)
                .join(EmbeddingRow, EmbeddingRow.chunk_id == ChunkRow.id)
                .where(ChunkRow.document_id == document_id, EmbeddingRow.model_id == embedding_model_id)
                .order_by(ChunkRow.ordinal)
            ).all()
        return document, [chunk_record(c, v) for c, v in rows]

    def page_spans(self, document_id: int) -> list[tuple[int, int, int]]:
        """(page number, char_start, char_end) of each page, so an offset maps to its page."""
        with self._session() as s:
            rows = s.execute(
                select(PageRow.number, PageRow.char_start, PageRow.char_end)
                .where(PageRow.document_id == document_id)
                .order_by(PageRow.number)
            ).all()
        return [(int(n), int(a), int(b)) for n, a, b in rows]

    # job failures -------------------------------------------------------------
    def record_job_failure(
        self, document: DocumentRow, job: str, model_id: str, prompt_hash: str, *, reason: str, run_id: int | None
    ) -> int:
        """Count one more failed attempt of ``job`` on this document; returns the attempts so far."""
        key = dict(document_sha256=document.sha256, job=job, model_id=model_id, prompt_hash=prompt_hash)
        when = now()
        with self._session() as s, s.begin():
            row = s.scalar(select(JobFailureRow).filter_by(**key))
            if row is None:
                row = JobFailureRow(**key, document_id=document.id, attempts=0, first_seen_at=when)
                s.add(row)
            row.attempts += 1
            row.reason = storable(reason)[:512]
            row.last_seen_at = when
            row.last_run_id = run_id
            return row.attempts

    def clear_job_failure(self, document_sha256: str, job: str, model_id: str, prompt_hash: str) -> None:
        with self._session() as s, s.begin():
            s.execute(
                delete(JobFailureRow).where(
                    JobFailureRow.document_sha256 == document_sha256,
                    JobFailureRow.job == job,
                    JobFailureRow.model_id == model_id,
                    JobFailureRow.prompt_hash == prompt_hash,
                )
            )

    def job_failures(self, limit: int | None = None) -> list[JobFailureRow]:
        """The open failures, most recent first."""
        with self._session() as s:
            query = select(JobFailureRow).order_by(JobFailureRow.last_seen_at.desc(), JobFailureRow.id.desc())
            return list(s.scalars(query.limit(limit) if limit else query))

    # results ------------------------------------------------------------------
    def record_model(self, info: ModelInfo) -> None:
        """Remember a model the first time a result of it is stored."""
        with self._session() as s, s.begin():
            if s.get(ModelRow, info.model_id) is None:
                s.add(ModelRow(**asdict(info), first_used_at=now()))

    def save_results(self, table: type[ResultRow], rows: list[ResultRow], *, replace: bool = False) -> None:
        """Store one document's results of a job in one transaction."""
        if table is SummaryRow:
            for row in rows:
                self.save_summary(row, replace=replace)  # type: ignore[arg-type]
        elif table is ExtractionRow:
            for row in rows:
                self.save_extraction(row, replace=replace)  # type: ignore[arg-type]
        else:
            self.save_sentiments(rows, replace=replace)  # type: ignore[arg-type]

    def save_summary(self, row: SummaryRow, *, replace: bool = False) -> None:
        """Store a summary version; ``replace`` overwrites the same (content, model, prompt) version."""
        with self._session() as s, s.begin():
            if replace:
                same = select(SummaryRow.id).where(
                    SummaryRow.document_sha256 == row.document_sha256,
                    SummaryRow.model_id == row.model_id,
                    SummaryRow.prompt_hash == row.prompt_hash,
                )
                s.execute(delete(SummarySupportRow).where(SummarySupportRow.summary_id.in_(same)))
                s.execute(delete(SummaryRow).where(SummaryRow.id.in_(same)))
            row.created_at = now()
            s.add(row)
            s.flush()
            s.add_all(_support_rows(s, row))

    def save_extraction(self, row: ExtractionRow, *, replace: bool = False) -> None:
        """Store an extraction with its facts and problems in one transaction: never half-written."""
        with self._session() as s, s.begin():
            if replace:
                s.execute(
                    delete(ExtractionRow).where(
                        ExtractionRow.document_sha256 == row.document_sha256,
                        ExtractionRow.model_id == row.model_id,
                        ExtractionRow.prompt_hash == row.prompt_hash,
                    )
                )  # facts and problems go with it (ON DELETE CASCADE; SQLite enforces it, see engine)
            row.created_at = now()
            s.add(row)

    def facts_for_document(self, document_id: int) -> list[FactRow]:
        """The facts of the document's latest extraction, in field order then reading order."""
        with self._session() as s:
            query = select(FactRow).where(FactRow.extraction_id == _latest_extraction(document_id))
            return list(s.scalars(query.order_by(FactRow.kind, FactRow.field, FactRow.ordinal)))

    def extraction_problems(self, document_id: int) -> list[ExtractionProblemRow]:
        """The fields the document's latest extraction attempted and left empty, with why."""
        with self._session() as s:
            query = select(ExtractionProblemRow).where(
                ExtractionProblemRow.extraction_id == _latest_extraction(document_id)
            )
            return list(s.scalars(query.order_by(ExtractionProblemRow.field)))

    def save_sentiments(self, rows: list[SentimentRow], *, replace: bool = False) -> None:
        """Store a document's chunk and document sentiment rows in one transaction."""
        if not rows:
            return
        first = rows[0]
        with self._session() as s, s.begin():
            if replace:
                s.execute(
                    delete(SentimentRow).where(
                        SentimentRow.document_sha256 == first.document_sha256,
                        SentimentRow.model_id == first.model_id,
                        SentimentRow.prompt_hash == first.prompt_hash,
                    )
                )
            when = now()
            for row in rows:
                row.created_at = when
            s.add_all(rows)


def _latest_extraction(document_id: int) -> Any:
    """The id of the document's newest extraction (the one the analyst views show)."""
    return (
        select(ExtractionRow.id)
        .where(ExtractionRow.document_id == document_id)
        .order_by(ExtractionRow.created_at.desc(), ExtractionRow.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _needs_result(
    table: type[ResultRow],
    model_id: str,
    prompt_hash: str,
    *,
    force: bool,
    only: DocumentSelection | None,
) -> ColumnElement[bool]:
    """Documents in the selection without a result of this model and prompt (all of them with ``force``)."""
    missing = true() if force else ~_has_result(table, model_id, prompt_hash)
    return missing & _selected(only)


def _has_result(table: type[ResultRow], model_id: str, prompt_hash: str) -> Any:
    """EXISTS: the document's content already has a result of this model and prompt."""
    return (
        select(table.id)
        .where(
            table.document_sha256 == DocumentRow.sha256,
            table.model_id == model_id,
            table.prompt_hash == prompt_hash,
        )
        .exists()
    )


def _pending(todo: JobTodo) -> ColumnElement[bool]:
    pending = _needs_result(todo.table, todo.model_id, todo.prompt_hash, force=todo.force, only=todo.only)
    if todo.max_attempts is not None and not todo.force:
        pending = pending & ~_given_up(todo.job, todo.model_id, todo.prompt_hash, todo.max_attempts)
    return pending


def _given_up(job: str, model_id: str, prompt_hash: str, max_attempts: int) -> Any:
    """EXISTS: this job has failed on the document's content ``max_attempts`` times."""
    return (
        select(JobFailureRow.id)
        .where(
            JobFailureRow.document_sha256 == DocumentRow.sha256,
            JobFailureRow.job == job,
            JobFailureRow.model_id == model_id,
            JobFailureRow.prompt_hash == prompt_hash,
            JobFailureRow.attempts >= max_attempts,
        )
        .exists()
    )


def _selected(only: DocumentSelection | None) -> ColumnElement[bool]:
    if only is None:
        return true()
    clause = in_shard(DocumentRow.id, only.shard)
    if only.document_ids is not None:
        clause = clause & DocumentRow.id.in_(sorted(only.document_ids))
    return clause


def _support_rows(s: Session, summary: SummaryRow) -> list[SummarySupportRow]:
    """One row per (sentence, supporting chunk), with the chunk's pages; unsupported ones have none."""
    chunk_ids = {int(i) for sentence in summary.sentences for i in sentence.get("chunk_ids", [])}
    pages = dict.fromkeys(chunk_ids, (None, None))
    if chunk_ids:
        rows = s.execute(select(ChunkRow.id, ChunkRow.page_start, ChunkRow.page_end).where(ChunkRow.id.in_(chunk_ids)))
        pages.update({i: (a, b) for i, a, b in rows})
    support = []
    for index, sentence in enumerate(summary.sentences):
        for chunk_id in sentence.get("chunk_ids") or [None]:
            page_start, page_end = pages.get(chunk_id, (None, None)) if chunk_id is not None else (None, None)
            support.append(
                SummarySupportRow(
                    summary_id=summary.id,
                    sentence_index=index,
                    sentence=sentence["text"],
                    supported=bool(sentence["supported"]),
                    similarity=float(sentence["similarity"]),
                    chunk_id=chunk_id,
                    page_start=page_start,
                    page_end=page_end,
                    action=sentence.get("action"),
                    draft_sentence=sentence.get("draft") or None,
                )
            )
    return support
