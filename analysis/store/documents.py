"""Documents with their pages and chunks, the source paths that point at them, quarantine and erasure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.errors import BadInputError, DocumentNotFoundError
from analysis.records import Chunk, Classification, KnownSource, ParsedDocument, QuarantinedFile, SourceFile
from analysis.store.engine import Repository
from analysis.store.schema import (
    AnswerRow,
    AnswerSentenceRow,
    ChunkRow,
    DocumentRow,
    EmbeddingRow,
    ErasureRow,
    JobFailureRow,
    PageRow,
    QuarantineRow,
    QuestionRow,
    SearchHitRow,
    SentimentRow,
    SourceRow,
    SummaryRow,
    SummarySupportRow,
)
from analysis.store.shared import ID_BATCH, now, storable


class Documents(Repository):
    """What was ingested: documents, source paths, quarantined files; and removing them again."""

    # sources and documents --------------------------------------------------
    def known_source(self, path: str) -> KnownSource | None:
        with self._session() as s:
            row = s.execute(
                select(SourceRow.path, DocumentRow.sha256, DocumentRow.id)
                .join(DocumentRow, DocumentRow.id == SourceRow.document_id)
                .where(SourceRow.path == path)
            ).first()
        return KnownSource(*row) if row else None

    def paths_under(self, roots: Iterable[str]) -> set[str]:
        """Every path the store knows (documents and quarantine) below the given roots."""
        with self._session() as s:
            paths = set(s.scalars(select(SourceRow.path))) | set(s.scalars(select(QuarantineRow.path)))
        prefixes = [r.rstrip("/") for r in roots]
        return {p for p in paths if _under(p, prefixes)}

    def document_ids_at(self, paths: Iterable[str]) -> set[int]:
        """Documents whose source path is one of ``paths`` or lies below one of them."""
        with self._session() as s:
            rows = s.execute(select(SourceRow.path, SourceRow.document_id)).all()
        prefixes = [p.rstrip("/") for p in paths]
        return {d for p, d in rows if _under(p, prefixes)}

    def document_ids_for_reference(self, reference: str | int) -> set[int]:
        """The documents a user names: an id, a file's path, or a folder (every document under it)."""
        text = str(reference).strip()
        if text.isdigit():
            self.require_documents([int(text)])
            return {int(text)}
        ids = self.document_ids_at([str(Path(text).expanduser().resolve())])
        if not ids:
            raise BadInputError(f"no stored document comes from {text}")
        return ids

    def document_ids_since(self, since: datetime) -> set[int]:
        """Documents first stored, or found at a new or changed path, at or after ``since``."""
        with self._session() as s:
            created = set(s.scalars(select(DocumentRow.id).where(DocumentRow.created_at >= since)))
            moved = set(s.scalars(select(SourceRow.document_id).where(SourceRow.updated_at >= since)))
        return created | moved

    def existing_document_ids(self, ids: Iterable[int]) -> set[int]:
        wanted = sorted({int(i) for i in ids})
        found: set[int] = set()
        with self._session() as s:
            for start in range(0, len(wanted), ID_BATCH):
                found.update(
                    s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(wanted[start : start + ID_BATCH])))
                )
        return found

    def require_documents(self, ids: Iterable[int]) -> None:
        """Raise DocumentNotFoundError naming every id that is not a stored document."""
        wanted = {int(i) for i in ids}
        missing = sorted(wanted - self.existing_document_ids(wanted))
        if missing:
            raise DocumentNotFoundError(missing)

    def document_id_for(self, sha256: str) -> int | None:
        with self._session() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))

    def attach_source(self, source: SourceFile, *, document_id: int, run_id: int) -> None:
        """Point a path at a document (insert or update); the old document may become an orphan."""
        with self._session() as s, s.begin():
            _upsert_source(s, source, document_id=document_id, run_id=run_id)

    def save_document(
        self,
        document: ParsedDocument,
        classification: Classification,
        chunks: list[Chunk],
        *,
        title: str | None,
        run_id: int,
    ) -> int:
        """Write a document, its pages, chunks and source path in one transaction.

        When another process stored the same content first (two runs at once), the path is
        attached to that document instead: one document per sha256, whoever wins.
        """
        source = document.source
        try:
            with self._session() as s, s.begin():
                row = DocumentRow(
                    sha256=source.sha256,
                    kind=source.kind,
                    parser=document.parser,
                    domain=classification.domain,
                    doc_type=classification.doc_type,
                    title=(title or "")[:512] or None,
                    size_bytes=source.size,
                    n_pages=len(document.pages),
                    n_chars=len(document.text),
                    language=classification.language,
                    text=document.text,
                    first_run_id=run_id,
                    created_at=now(),
                )
                s.add(row)
                s.flush()
                s.add_all(
                    PageRow(
                        document_id=row.id,
                        number=p.number,
                        char_start=a,
                        char_end=b,
                        text_source=p.text_source,
                        ocr_confidence=p.ocr_confidence,
                        flag=(p.flag or "")[:512] or None,
                    )
                    for p, (a, b) in zip(document.pages, document.page_spans)
                )
                s.add_all(
                    ChunkRow(
                        document_id=row.id,
                        ordinal=c.ordinal,
                        text=c.text,
                        char_start=c.char_start,
                        char_end=c.char_end,
                        page_start=c.page_start,
                        page_end=c.page_end,
                        section=(c.section or "")[:512] or None,
                        n_tokens=c.n_tokens,
                    )
                    for c in chunks
                )
                _upsert_source(s, source, document_id=row.id, run_id=run_id)
                return row.id
        except IntegrityError:
            existing = self.document_id_for(source.sha256)
            if existing is None:
                raise
            self.attach_source(source, document_id=existing, run_id=run_id)
            return existing

    # removing documents -------------------------------------------------------
    def remove_source(self, path: str) -> int | None:
        """Forget a path; purge its document when no other path holds the same content.

        Returns the purged document id, if any.
        """
        with self._session() as s, s.begin():
            row = s.get(SourceRow, path)
            s.execute(delete(QuarantineRow).where(QuarantineRow.path == path))
            if row is None:
                return None
            document_id = row.document_id
            s.delete(row)
            s.flush()
            others = s.scalar(select(func.count()).select_from(SourceRow).where(SourceRow.document_id == document_id))
            if others:
                return None
            _purge_document(s, document_id)
            return document_id

    def purge_orphans(self) -> list[int]:
        """Remove documents that no source path points at any more (e.g. after a crash)."""
        with self._session() as s, s.begin():
            orphan_ids = list(
                s.scalars(select(DocumentRow.id).where(~DocumentRow.id.in_(select(SourceRow.document_id))))
            )
            for document_id in orphan_ids:
                _purge_document(s, document_id)
            return orphan_ids

    def erase_document(self, document_id: int, *, reason: str, requested_by: str, run_id: int | None) -> str | None:
        """Delete a document and everything derived from it; keep only its id, hash and the reason.

        Returns the erased document's sha256, or None when there is no such document.
        """
        with self._session() as s, s.begin():
            document = s.get(DocumentRow, document_id)
            if document is None:
                return None
            sha256 = document.sha256
            paths = list(s.scalars(select(SourceRow.path).where(SourceRow.document_id == document_id)))
            _purge_document(s, document_id)
            s.execute(delete(QuarantineRow).where(QuarantineRow.sha256 == sha256))
            if paths:
                s.execute(delete(QuarantineRow).where(QuarantineRow.path.in_(paths)))
            s.add(
                ErasureRow(
                    document_id=document_id,
                    sha256=sha256,
                    reason=reason,
                    requested_by=requested_by,
                    erased_at=now(),
                    run_id=run_id,
                )
            )
            return sha256

    def is_erased(self, sha256: str) -> bool:
        """Content someone asked to erase: it must not come back with the next run."""
        with self._session() as s:
            return bool(s.scalar(select(ErasureRow.id).where(ErasureRow.sha256 == sha256).limit(1)))

    # quarantine -----------------------------------------------------------
    def is_quarantined(self, path: str, sha256: str, *, reason: str | None = None) -> bool:
        """Whether this content at this path is quarantined (for this reason, when one is given:
        files quarantined unread have no content hash, only a reason)."""
        query = select(QuarantineRow.id).where(QuarantineRow.path == path, QuarantineRow.sha256 == sha256)
        if reason is not None:
            query = query.where(QuarantineRow.reason == reason[:512])
        with self._session() as s:
            return bool(s.scalar(query))

    def quarantine(self, item: QuarantinedFile, *, size: int, run_id: int) -> None:
        """Record a file that cannot be used; a path that held a document loses it."""
        path = str(item.path)
        self.remove_source(path)
        with self._session() as s, s.begin():
            s.add(
                QuarantineRow(
                    path=path,
                    sha256=item.sha256 or "",
                    size_bytes=size,
                    stage=item.stage,
                    reason=storable(item.reason)[:512],
                    run_id=run_id,
                    created_at=now(),
                )
            )

    def forget_quarantined(self, paths: list[str]) -> int:
        with self._session() as s, s.begin():
            removed = 0
            for start in range(0, len(paths), ID_BATCH):
                result = s.execute(delete(QuarantineRow).where(QuarantineRow.path.in_(paths[start : start + ID_BATCH])))
                removed += result.rowcount or 0
            return removed

    def quarantine_rows(self) -> list[QuarantineRow]:
        with self._session() as s:
            return list(s.scalars(select(QuarantineRow).order_by(QuarantineRow.path)))


def _under(path: str, prefixes: list[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` (without trailing slashes) or lies below one of them."""
    return any(path == r or path.startswith(r + "/") for r in prefixes)


def _upsert_source(s: Session, source: SourceFile, *, document_id: int, run_id: int) -> None:
    row = s.get(SourceRow, str(source.path))
    if row is None:
        row = SourceRow(path=str(source.path))
        s.add(row)
    row.document_id = document_id
    row.size_bytes = source.size
    row.mtime_ns = source.mtime_ns
    row.last_run_id = run_id
    row.updated_at = now()
    s.execute(delete(QuarantineRow).where(QuarantineRow.path == str(source.path)))


def _purge_document(s: Session, document_id: int) -> None:
    """Delete a document and everything derived from it (explicitly: SQLite may lack FK cascades)."""
    chunk_ids = select(ChunkRow.id).where(ChunkRow.document_id == document_id)
    summary_ids = select(SummaryRow.id).where(SummaryRow.document_id == document_id)
    # an answer quotes or paraphrases every document it cites, and its question was asked about them
    # (it may name the patient or party): both go, with every answer to that question
    citing = select(AnswerSentenceRow.answer_id).where(AnswerSentenceRow.document_id == document_id)
    question_ids = list(s.scalars(select(AnswerRow.question_id).where(AnswerRow.id.in_(citing)).distinct()))
    if question_ids:
        answer_ids = select(AnswerRow.id).where(AnswerRow.question_id.in_(question_ids))
        s.execute(delete(AnswerSentenceRow).where(AnswerSentenceRow.answer_id.in_(answer_ids)))
        s.execute(delete(AnswerRow).where(AnswerRow.question_id.in_(question_ids)))
        s.execute(delete(QuestionRow).where(QuestionRow.id.in_(question_ids)))
    s.execute(delete(SummarySupportRow).where(SummarySupportRow.summary_id.in_(summary_ids)))
    s.execute(delete(SearchHitRow).where(SearchHitRow.document_id == document_id))
    s.execute(delete(SentimentRow).where(SentimentRow.document_id == document_id))
    s.execute(delete(JobFailureRow).where(JobFailureRow.document_id == document_id))
    s.execute(delete(SummaryRow).where(SummaryRow.document_id == document_id))
    s.execute(delete(EmbeddingRow).where(EmbeddingRow.chunk_id.in_(chunk_ids)))
    s.execute(delete(ChunkRow).where(ChunkRow.document_id == document_id))
    s.execute(delete(PageRow).where(PageRow.document_id == document_id))
    s.execute(delete(SourceRow).where(SourceRow.document_id == document_id))
    s.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
