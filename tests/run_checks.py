"""What every finished run over hostile input must leave in the store, checked the same way by the
torture test and the hostile-corpus test: each file accounted for, each document analysed or its
failure explained."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from analysis.store.schema import ChunkRow, DocumentRow, QuarantineRow, SentimentRow, SourceRow, SummaryRow


def accounted(s: Session) -> tuple[set[str], dict[str, str]]:
    """Paths stored as a document's source, and paths quarantined with their reasons."""
    stored = set(s.scalars(select(SourceRow.path)))
    quarantined = {row.path: row.reason for row in s.scalars(select(QuarantineRow))}
    return stored, quarantined


def one_line(reason: str | None) -> bool:
    return bool(reason and reason.strip()) and "\n" not in (reason or "") and "Traceback" not in (reason or "")


def open_failures(s: Session) -> dict[int, str]:
    """document id -> reason, from the analysts' view of open job failures."""
    rows = s.execute(text("SELECT document_id, job, reason FROM job_failures_open")).all()
    return {document_id: f"{job}: {reason}" for document_id, job, reason in rows}


def analysis_gaps(s: Session) -> list[str]:
    """Everything wrong with the stored results: a chunk without tokens, a document without exactly
    one summary and one document-level sentiment that has no open job failure to say why, a job
    failure without a one-line reason. Empty when all is well."""
    gaps = [f"chunk {i} has no tokens" for i in s.scalars(select(ChunkRow.id).where(ChunkRow.n_tokens < 1))]
    failures = open_failures(s)
    gaps += [
        f"document {d}: job failure without a one-line reason: {r!r}" for d, r in failures.items() if not one_line(r)
    ]
    per_document = select(SummaryRow.document_id, func.count()).group_by(SummaryRow.document_id)
    summaries = dict(s.execute(per_document).tuples().all())
    document_level = select(SentimentRow.document_id, func.count()).where(SentimentRow.chunk_id.is_(None))
    sentiments = dict(s.execute(document_level.group_by(SentimentRow.document_id)).tuples().all())
    for document_id in s.scalars(select(DocumentRow.id)):
        counts = (summaries.get(document_id, 0), sentiments.get(document_id, 0))
        if counts != (1, 1) and document_id not in failures:
            gaps.append(f"document {document_id}: {counts[0]} summaries, {counts[1]} sentiments and no job failure")
    return gaps
