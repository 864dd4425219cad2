"""Reads and writes of the relational store; every other module goes through here."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Engine, create_engine, delete, event, func, select, text, true, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from analysis.config import Config
from analysis.errors import DocumentNotFoundError, LockTimeoutError, StoreUnavailableError, first_line
from analysis.filelock import exclusive_flock
from analysis.provenance import ModelInfo
from analysis.records import (
    Chunk,
    Classification,
    ParsedDocument,
    QuarantinedFile,
    SearchHit,
    SourceChunk,
    SourceFile,
)
from analysis.store.migrate import ensure_current
from analysis.store.schema import (
    AuditRow,
    Base,
    ChunkRow,
    DocumentRow,
    EmbeddingRow,
    ErasureRow,
    JobFailureRow,
    ModelRow,
    PageRow,
    QuarantineRow,
    ResultRow,
    RunRow,
    SearchHitRow,
    SearchRow,
    SentimentRow,
    SourceRow,
    SummaryRow,
    SummarySupportRow,
)

_ID_BATCH = 500  # stay well below SQLite's bound-parameter limit
# the PostgreSQL tables that hold document content (a test checks the list against the schema)
VACUUM_CONTENT_TABLES = (
    "VACUUM documents, pages, chunks, embeddings, summaries, summary_support, sentiments, document_sources, "
    "quarantine, search_hits, job_failures"
)


def _now() -> datetime:
    return datetime.now(UTC)


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL: say nothing of it
        return "<invalid database URL>"


Shard = tuple[int, int]
"""(k, n): the k-th of n disjoint parts of a table, by id modulo n, for parallel workers."""


@dataclass(frozen=True)
class DocumentSelection:
    """Which documents a job works on: named ids (None: all) and/or one shard of them."""

    document_ids: frozenset[int] | None = None
    shard: Shard | None = None


@dataclass(frozen=True)
class KnownSource:
    path: str
    sha256: str
    document_id: int


class Store:
    """The system of record: documents, chunks, vectors, runs and quarantine."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreUnavailableError(redact_url(url), first_line(exc)) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        try:
            ensure_current(self.engine)  # refuses a database behind the code; sets up an empty one
        except OperationalError as exc:
            raise StoreUnavailableError(redact_url(url), first_line(exc)) from None

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def writer_lock(self, name: str, timeout_s: float = 600.0) -> Iterator[None]:
        """One writer at a time for ``name``, across every process that shares this store.

        PostgreSQL: a session advisory lock, so runs on different machines exclude each other and
        a killed holder releases it with its connection. SQLite: an flock beside the database file
        (SQLite is never shared between machines).
        """
        if self.engine.dialect.name == "postgresql":
            deadline = time.monotonic() + timeout_s
            key = int.from_bytes(hashlib.sha256(f"docanalysis:{name}".encode()).digest()[:8], "big", signed=True)
            with self.engine.connect() as connection:
                while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
                    connection.rollback()
                    if time.monotonic() > deadline:
                        raise LockTimeoutError(name, timeout_s)
                    time.sleep(0.2)
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
            return
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield  # a private in-memory database has one writer by construction
            return
        with exclusive_flock(Path(f"{database}.{name}.lock"), name, timeout_s):
            yield

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # runs -----------------------------------------------------------------
    def start_run(
        self, *, trigger: str, params: dict[str, Any], dag_id: str | None = None, dag_run_id: str | None = None
    ) -> int:
        with self.session() as s, s.begin():
            run = RunRow(
                started_at=_now(),
                status="running",
                trigger=trigger,
                params=params,
                counts={},
                dag_id=dag_id,
                dag_run_id=dag_run_id,
            )
            s.add(run)
            s.flush()
            return run.id

    def finish_run(
        self, run_id: int, *, status: str, counts: dict[str, int], index_version: int | None, error: str | None = None
    ) -> None:
        with self.session() as s, s.begin():
            s.execute(
                update(RunRow)
                .where(RunRow.id == run_id)
                .values(finished_at=_now(), status=status, counts=counts, index_version=index_version, error=error)
            )

    def set_run_counts(self, run_id: int, counts: dict[str, int]) -> None:
        with self.session() as s, s.begin():
            s.execute(update(RunRow).where(RunRow.id == run_id).values(counts=counts))

    def run(self, run_id: int) -> RunRow | None:
        with self.session() as s:
            return s.get(RunRow, run_id)

    def run_for_dag_run(self, dag_id: str, dag_run_id: str) -> RunRow | None:
        """The latest pipeline run an Airflow DAG run started, if any."""
        with self.session() as s:
            return s.scalar(
                select(RunRow)
                .where(RunRow.dag_id == dag_id, RunRow.dag_run_id == dag_run_id)
                .order_by(RunRow.id.desc())
                .limit(1)
            )

    # audit -----------------------------------------------------------------
    def open_audit(
        self,
        *,
        dag_id: str,
        dag_run_id: str,
        run_type: str,
        requested_by: str | None,
        reason: str | None,
        params: dict[str, Any],
        started_at: datetime | None,
    ) -> None:
        """Record that a DAG run started; a repeated call (a retried callback) changes nothing."""
        with self.session() as s, s.begin():
            if self._audit_row(s, dag_id, dag_run_id) is not None:
                return
            s.add(
                AuditRow(
                    dag_id=dag_id,
                    dag_run_id=dag_run_id,
                    run_type=run_type,
                    requested_by=requested_by,
                    reason=reason,
                    params=params,
                    started_at=started_at or _now(),
                    outcome="running",
                    counts={},
                )
            )

    def close_audit(
        self, *, dag_id: str, dag_run_id: str, outcome: str, finished_at: datetime | None, error: str | None = None
    ) -> AuditRow | None:
        """Record how a DAG run ended, with the counts of the pipeline run it started.

        A pipeline run left 'running' by a failed DAG run is marked failed, so no run row lies.
        """
        run = self.run_for_dag_run(dag_id, dag_run_id)
        with self.session() as s, s.begin():
            if run is not None and run.status == "running" and outcome != "success":
                s.execute(
                    update(RunRow)
                    .where(RunRow.id == run.id)
                    .values(finished_at=_now(), status="failed", error=error or f"DAG run ended: {outcome}")
                )
            row = self._audit_row(s, dag_id, dag_run_id)
            if row is None:
                return None
            row.finished_at = finished_at or _now()
            row.outcome = outcome
            row.error = row.error or error  # a refusal's reason, noted by the task, is more useful
            if run is not None:
                row.run_id = run.id
                row.counts = dict(run.counts or {})
            return row

    def note_audit_error(self, *, dag_id: str, dag_run_id: str, error: str) -> None:
        """Keep why a run was refused (e.g. an invalid request) on its audit row."""
        with self.session() as s, s.begin():
            row = self._audit_row(s, dag_id, dag_run_id)
            if row is not None:
                row.error = error[:2000]

    @staticmethod
    def _audit_row(s: Session, dag_id: str, dag_run_id: str) -> AuditRow | None:
        return s.scalar(select(AuditRow).where(AuditRow.dag_id == dag_id, AuditRow.dag_run_id == dag_run_id))

    def audit_rows(self, dag_id: str | None = None) -> list[AuditRow]:
        with self.session() as s:
            query = select(AuditRow).order_by(AuditRow.id)
            if dag_id is not None:
                query = query.where(AuditRow.dag_id == dag_id)
            return list(s.scalars(query))

    def recent_runs(self, limit: int = 5) -> list[RunRow]:
        with self.session() as s:
            return list(s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))

    # sources and documents --------------------------------------------------
    def known_source(self, path: str) -> KnownSource | None:
        with self.session() as s:
            row = s.execute(
                select(SourceRow.path, DocumentRow.sha256, DocumentRow.id)
                .join(DocumentRow, DocumentRow.id == SourceRow.document_id)
                .where(SourceRow.path == path)
            ).first()
        return KnownSource(*row) if row else None

    def paths_under(self, roots: Iterable[str]) -> set[str]:
        """Every path the store knows (documents and quarantine) below the given roots."""
        with self.session() as s:
            paths = set(s.scalars(select(SourceRow.path))) | set(s.scalars(select(QuarantineRow.path)))
        prefixes = [r.rstrip("/") for r in roots]
        return {p for p in paths if _under(p, prefixes)}

    def document_ids_at(self, paths: Iterable[str]) -> set[int]:
        """Documents whose source path is one of ``paths`` or lies below one of them."""
        with self.session() as s:
            rows = s.execute(select(SourceRow.path, SourceRow.document_id)).all()
        prefixes = [p.rstrip("/") for p in paths]
        return {d for p, d in rows if _under(p, prefixes)}

    def document_ids_since(self, since: datetime) -> set[int]:
        """Documents first stored, or found at a new or changed path, at or after ``since``."""
        with self.session() as s:
            created = set(s.scalars(select(DocumentRow.id).where(DocumentRow.created_at >= since)))
            moved = set(s.scalars(select(SourceRow.document_id).where(SourceRow.updated_at >= since)))
        return created | moved

    def existing_document_ids(self, ids: Iterable[int]) -> set[int]:
        wanted = sorted({int(i) for i in ids})
        found: set[int] = set()
        with self.session() as s:
            for start in range(0, len(wanted), _ID_BATCH):
                found.update(
                    s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(wanted[start : start + _ID_BATCH])))
                )
        return found

    def require_documents(self, ids: Iterable[int]) -> None:
        """Raise DocumentNotFoundError naming every id that is not a stored document."""
        wanted = {int(i) for i in ids}
        missing = sorted(wanted - self.existing_document_ids(wanted))
        if missing:
            raise DocumentNotFoundError(missing)

    def erase_document(self, document_id: int, *, reason: str, requested_by: str, run_id: int | None) -> str | None:
        """Delete a document and everything derived from it; keep only its id, hash and the reason.

        Returns the erased document's sha256, or None when there is no such document.
        """
        with self.session() as s, s.begin():
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
                    erased_at=_now(),
                    run_id=run_id,
                )
            )
            return sha256

    def document_id_for(self, sha256: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))

    def attach_source(self, source: SourceFile, *, document_id: int, run_id: int) -> None:
        """Point a path at a document (insert or update); the old document may become an orphan."""
        with self.session() as s, s.begin():
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
            with self.session() as s, s.begin():
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
                    text=document.text,
                    first_run_id=run_id,
                    created_at=_now(),
                )
                s.add(row)
                s.flush()
                s.add_all(
                    PageRow(document_id=row.id, number=p.number, char_start=a, char_end=b)
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

    def remove_source(self, path: str) -> int | None:
        """Forget a path; purge its document when no other path holds the same content.

        Returns the purged document id, if any.
        """
        with self.session() as s, s.begin():
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
        with self.session() as s, s.begin():
            orphan_ids = list(
                s.scalars(select(DocumentRow.id).where(~DocumentRow.id.in_(select(SourceRow.document_id))))
            )
            for document_id in orphan_ids:
                _purge_document(s, document_id)
            return orphan_ids

    def is_erased(self, sha256: str) -> bool:
        """Content someone asked to erase: it must not come back with the next run."""
        with self.session() as s:
            return bool(s.scalar(select(ErasureRow.id).where(ErasureRow.sha256 == sha256).limit(1)))

    def compact(self) -> None:
        """Rewrite the database so deleted rows leave no bytes behind (after an erasure).

        SQLite: VACUUM, then truncate the write-ahead log, which still holds old page images.
        PostgreSQL: VACUUM the tables that held content, so dead tuples are reclaimed.
        """
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.exec_driver_sql("VACUUM")
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql(VACUUM_CONTENT_TABLES)

    # quarantine -----------------------------------------------------------
    def is_quarantined(self, path: str, sha256: str, *, reason: str | None = None) -> bool:
        """Whether this content at this path is quarantined (for this reason, when one is given:
        files quarantined unread have no content hash, only a reason)."""
        query = select(QuarantineRow.id).where(QuarantineRow.path == path, QuarantineRow.sha256 == sha256)
        if reason is not None:
            query = query.where(QuarantineRow.reason == reason[:512])
        with self.session() as s:
            return bool(s.scalar(query))

    def quarantine(self, item: QuarantinedFile, *, size: int, run_id: int) -> None:
        """Record a file that cannot be used; a path that held a document loses it."""
        path = str(item.path)
        self.remove_source(path)
        with self.session() as s, s.begin():
            s.add(
                QuarantineRow(
                    path=path,
                    sha256=item.sha256 or "",
                    size_bytes=size,
                    stage=item.stage,
                    reason=item.reason[:512],
                    run_id=run_id,
                    created_at=_now(),
                )
            )

    def forget_quarantined(self, paths: list[str]) -> int:
        with self.session() as s, s.begin():
            removed = 0
            for start in range(0, len(paths), _ID_BATCH):
                result = s.execute(
                    delete(QuarantineRow).where(QuarantineRow.path.in_(paths[start : start + _ID_BATCH]))
                )
                removed += result.rowcount or 0
            return removed

    def quarantine_rows(self) -> list[QuarantineRow]:
        with self.session() as s:
            return list(s.scalars(select(QuarantineRow).order_by(QuarantineRow.path)))

    # embeddings -------------------------------------------------------------
    def chunks_to_embed(
        self, model_id: str, *, batch: int = 1024, shard: Shard | None = None
    ) -> Iterator[list[tuple[int, str]]]:
        """Stream (chunk id, text) of chunks without a vector for ``model_id``, in id order.

        With ``shard`` = (k, n) only chunks whose id is k modulo n: n workers split the work.
        """
        last = 0
        while True:
            with self.session() as s:
                rows = s.execute(
                    select(ChunkRow.id, ChunkRow.text)
                    .where(ChunkRow.id > last, _needs_vector(model_id), _in_shard(ChunkRow.id, shard))
                    .order_by(ChunkRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1][0]
            yield [(int(i), t) for i, t in rows]

    def count_chunks_to_embed(self, model_id: str, *, shard: Shard | None = None) -> int:
        with self.session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(ChunkRow)
                    .where(_needs_vector(model_id), _in_shard(ChunkRow.id, shard))
                )
                or 0
            )

    def save_embeddings(self, model_id: str, ids: list[int], vectors: np.ndarray, *, run_id: int) -> None:
        """Store vectors, skipping chunks that already have one for this model (two workers that
        embedded the same chunk leave one row, never two)."""
        try:
            self._insert_embeddings(model_id, ids, vectors, run_id=run_id)
        except IntegrityError:  # another worker committed some of them between our check and insert
            self._insert_embeddings(model_id, ids, vectors, run_id=run_id)

    def _insert_embeddings(self, model_id: str, ids: list[int], vectors: np.ndarray, *, run_id: int) -> None:
        dim = int(vectors.shape[1])
        with self.session() as s, s.begin():
            embedded = EmbeddingRow.model_id == model_id, EmbeddingRow.chunk_id.in_(ids)
            have = set(s.scalars(select(EmbeddingRow.chunk_id).where(*embedded)))
            s.add_all(
                EmbeddingRow(
                    chunk_id=i,
                    model_id=model_id,
                    dimension=dim,
                    vector=np.asarray(v, dtype=np.float32).tobytes(),
                    run_id=run_id,
                )
                for i, v in zip(ids, vectors)
                if i not in have
            )

    def mark_indexed(self, model_id: str, ids: np.ndarray, version: int) -> None:
        """Record the index version that first held these vectors (lineage)."""
        with self.session() as s, s.begin():
            for start in range(0, len(ids), _ID_BATCH):
                wanted = [int(i) for i in ids[start : start + _ID_BATCH]]
                s.execute(
                    update(EmbeddingRow)
                    .where(
                        EmbeddingRow.model_id == model_id,
                        EmbeddingRow.chunk_id.in_(wanted),
                        EmbeddingRow.index_version.is_(None),
                    )
                    .values(index_version=version)
                )

    def mark_unrecorded_indexed(self, model_id: str, version: int) -> int:
        """Give vectors the index already holds but whose version was never recorded (a crash
        between publishing and recording) the published version."""
        with self.session() as s, s.begin():
            result = s.execute(
                update(EmbeddingRow)
                .where(EmbeddingRow.model_id == model_id, EmbeddingRow.index_version.is_(None))
                .values(index_version=version)
            )
            return int(result.rowcount or 0)

    def mark_interrupted_runs(self, current_run_id: int) -> int:
        """Library and CLI runs still 'running' while this one holds the pipeline lock died
        mid-run (killed, power lost): say so instead of leaving them running forever."""
        with self.session() as s, s.begin():
            result = s.execute(
                update(RunRow)
                .where(RunRow.status == "running", RunRow.dag_id.is_(None), RunRow.id != current_run_id)
                .values(status="interrupted", finished_at=_now(), error="the process stopped before the run finished")
            )
            return int(result.rowcount or 0)

    def save_search(
        self, query: str, *, k: int, domain: str | None, model_id: str, index_version: int, hits: list[SearchHit]
    ) -> int:
        """Keep a search and its ranked hits for analysts to join in SQL; returns the search id."""
        with self.session() as s, s.begin():
            search = SearchRow(
                query=query, k=k, domain=domain, model_id=model_id, index_version=index_version, created_at=_now()
            )
            s.add(search)
            s.flush()
            s.add_all(
                SearchHitRow(
                    search_id=search.id, rank=rank, chunk_id=hit.chunk_id, document_id=hit.document_id, score=hit.score
                )
                for rank, hit in enumerate(hits, start=1)
            )
            return search.id

    def embedded_chunk_ids(self, model_id: str) -> np.ndarray:
        with self.session() as s:
            ids = s.scalars(select(EmbeddingRow.chunk_id).where(EmbeddingRow.model_id == model_id))
            return np.fromiter(ids, dtype=np.int64)

    def vectors(self, model_id: str, ids: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Stream (ids, vectors) for the given chunk ids in batches."""
        for start in range(0, len(ids), _ID_BATCH):
            wanted = [int(i) for i in ids[start : start + _ID_BATCH]]
            with self.session() as s:
                rows = s.execute(
                    select(EmbeddingRow.chunk_id, EmbeddingRow.vector).where(
                        EmbeddingRow.model_id == model_id, EmbeddingRow.chunk_id.in_(wanted)
                    )
                ).all()
            if rows:
                yield (
                    np.array([r[0] for r in rows], dtype=np.int64),
                    np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows]),
                )

    # analysis jobs ------------------------------------------------------------
    def record_model(self, info: ModelInfo) -> None:
        """Remember a model the first time a result of it is stored."""
        with self.session() as s, s.begin():
            if s.get(ModelRow, info.model_id) is None:
                s.add(ModelRow(**asdict(info), first_used_at=_now()))

    def documents_needing(
        self,
        table: type[ResultRow],
        model_id: str,
        prompt_hash: str,
        *,
        job: str | None = None,
        max_attempts: int | None = None,
        force: bool = False,
        only: DocumentSelection | None = None,
        batch: int = 200,
    ) -> Iterator[list[tuple[int, str]]]:
        """Stream (document id, sha256) of documents with no result yet for this model and prompt.

        With ``force`` every document is streamed; ``only`` narrows to named documents or a shard;
        documents that made ``job`` fail ``max_attempts`` times are left out (unless ``force``).
        """
        last = 0
        pending = _needs_result(table, model_id, prompt_hash, force=force, only=only)
        if job is not None and max_attempts is not None and not force:
            pending = pending & ~_given_up(job, model_id, prompt_hash, max_attempts)
        while True:
            with self.session() as s:
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

    def count_documents_needing(
        self,
        table: type[ResultRow],
        model_id: str,
        prompt_hash: str,
        *,
        job: str | None = None,
        max_attempts: int | None = None,
        force: bool = False,
        only: DocumentSelection | None = None,
    ) -> int:
        pending = _needs_result(table, model_id, prompt_hash, force=force, only=only)
        if job is not None and max_attempts is not None and not force:
            pending = pending & ~_given_up(job, model_id, prompt_hash, max_attempts)
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(DocumentRow).where(pending)) or 0)

    def count_documents_given_up(
        self,
        table: type[ResultRow],
        model_id: str,
        prompt_hash: str,
        *,
        job: str,
        max_attempts: int,
        force: bool = False,
        only: DocumentSelection | None = None,
    ) -> int:
        """Documents without a result that ``job`` has failed on ``max_attempts`` times (0 with ``force``)."""
        if force:
            return 0
        pending = _needs_result(table, model_id, prompt_hash, force=False, only=only)
        given_up = pending & _given_up(job, model_id, prompt_hash, max_attempts)
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(DocumentRow).where(given_up)) or 0)

    def record_job_failure(
        self, document: DocumentRow, job: str, model_id: str, prompt_hash: str, *, reason: str, run_id: int | None
    ) -> int:
        """Count one more failed attempt of ``job`` on this document; returns the attempts so far."""
        key = dict(document_sha256=document.sha256, job=job, model_id=model_id, prompt_hash=prompt_hash)
        now = _now()
        with self.session() as s, s.begin():
            row = s.scalar(select(JobFailureRow).filter_by(**key))
            if row is None:
                row = JobFailureRow(**key, document_id=document.id, attempts=0, first_seen_at=now)
                s.add(row)
            row.attempts += 1
            row.reason = reason[:512]
            row.last_seen_at = now
            row.last_run_id = run_id
            return row.attempts

    def clear_job_failure(self, document_sha256: str, job: str, model_id: str, prompt_hash: str) -> None:
        with self.session() as s, s.begin():
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
        with self.session() as s:
            query = select(JobFailureRow).order_by(JobFailureRow.last_seen_at.desc(), JobFailureRow.id.desc())
            return list(s.scalars(query.limit(limit) if limit else query))

    def document_for_jobs(self, document_id: int, embedding_model_id: str) -> tuple[DocumentRow, list[SourceChunk]]:
        """A document with its chunks and their stored vectors, in reading order."""
        with self.session() as s:
            document = s.get(DocumentRow, document_id)
            if document is None:
                raise KeyError(document_id)
            rows = s.execute(
                select(ChunkRow, EmbeddingRow.vector)
                .join(EmbeddingRow, EmbeddingRow.chunk_id == ChunkRow.id)
                .where(ChunkRow.document_id == document_id, EmbeddingRow.model_id == embedding_model_id)
                .order_by(ChunkRow.ordinal)
            ).all()
        chunks = [
            SourceChunk(
                id=c.id,
                ordinal=c.ordinal,
                text=c.text,
                page_start=c.page_start,
                page_end=c.page_end,
                section=c.section,
                n_tokens=c.n_tokens,
                vector=np.frombuffer(v, dtype=np.float32),
            )
            for c, v in rows
        ]
        return document, chunks

    def save_results(self, table: type[ResultRow], rows: list[ResultRow], *, replace: bool = False) -> None:
        """Store one document's results of a job in one transaction."""
        if table is SummaryRow:
            for row in rows:
                self.save_summary(row, replace=replace)  # type: ignore[arg-type]
        else:
            self.save_sentiments(rows, replace=replace)  # type: ignore[arg-type]

    def save_summary(self, row: SummaryRow, *, replace: bool = False) -> None:
        """Store a summary version; ``replace`` overwrites the same (content, model, prompt) version."""
        with self.session() as s, s.begin():
            if replace:
                same = select(SummaryRow.id).where(
                    SummaryRow.document_sha256 == row.document_sha256,
                    SummaryRow.model_id == row.model_id,
                    SummaryRow.prompt_hash == row.prompt_hash,
                )
                s.execute(delete(SummarySupportRow).where(SummarySupportRow.summary_id.in_(same)))
                s.execute(delete(SummaryRow).where(SummaryRow.id.in_(same)))
            row.created_at = _now()
            s.add(row)
            s.flush()
            s.add_all(_support_rows(s, row))

    def save_sentiments(self, rows: list[SentimentRow], *, replace: bool = False) -> None:
        """Store a document's chunk and document sentiment rows in one transaction."""
        if not rows:
            return
        first = rows[0]
        with self.session() as s, s.begin():
            if replace:
                s.execute(
                    delete(SentimentRow).where(
                        SentimentRow.document_sha256 == first.document_sha256,
                        SentimentRow.model_id == first.model_id,
                        SentimentRow.prompt_hash == first.prompt_hash,
                    )
                )
            now = _now()
            for row in rows:
                row.created_at = now
            s.add_all(rows)

    # reading for people -----------------------------------------------------
    def chunk_ids_in_domain(self, domain: str) -> np.ndarray:
        with self.session() as s:
            ids = s.scalars(
                select(ChunkRow.id)
                .join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
                .where(DocumentRow.domain == domain)
            )
            return np.fromiter(ids, dtype=np.int64)

    def search_hits(self, ranked: list[tuple[int, float]]) -> list[SearchHit]:
        """Attach provenance to (chunk id, score) pairs, keeping their order."""
        ids = [i for i, _ in ranked]
        with self.session() as s:
            rows = s.execute(
                select(ChunkRow, DocumentRow.domain, DocumentRow.doc_type, func.min(SourceRow.path))
                .join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
                .join(SourceRow, SourceRow.document_id == DocumentRow.id)
                .where(ChunkRow.id.in_(ids))
                .group_by(ChunkRow.id, DocumentRow.domain, DocumentRow.doc_type)
            ).all()
        by_id = {row[0].id: row for row in rows}
        hits: list[SearchHit] = []
        for chunk_id, score in ranked:
            if chunk_id not in by_id:
                continue
            chunk, domain, doc_type, path = by_id[chunk_id]
            hits.append(
                SearchHit(
                    rank=len(hits) + 1,
                    score=float(score),
                    chunk_id=chunk.id,
                    document_id=chunk.document_id,
                    source_path=path,
                    domain=domain,
                    doc_type=doc_type,
                    page_start=chunk.page_start,
                    page_end=chunk.page_end,
                    section=chunk.section,
                    text=chunk.text,
                )
            )
        return hits

    def document_overviews(self, limit: int = 3) -> list[dict[str, Any]]:
        """The newest summary and document sentiment of a few documents, for people to read."""
        with self.session() as s:
            summaries = s.execute(
                select(SummaryRow, func.min(SourceRow.path))
                .join(SourceRow, SourceRow.document_id == SummaryRow.document_id)
                .group_by(SummaryRow.id)
                .order_by(SummaryRow.document_id, SummaryRow.id.desc())
            ).all()
            sentiments = {
                r.document_id: r
                for r in s.scalars(
                    select(SentimentRow).where(SentimentRow.chunk_id.is_(None)).order_by(SentimentRow.id)
                )
            }
        seen: dict[int, dict[str, Any]] = {}
        for summary, path in summaries:
            if summary.document_id in seen:
                continue
            sentiment = sentiments.get(summary.document_id)
            seen[summary.document_id] = {
                "path": path,
                "summary": summary.text,
                "groundedness": summary.groundedness,
                "backend": summary.backend,
                "sentiment": f"{sentiment.label} ({sentiment.score:+.2f})" if sentiment else None,
            }
        return list(seen.values())[:limit]

    def counts(self) -> dict[str, int]:
        with self.session() as s:

            def n(model: type[Base]) -> int:
                return int(s.scalar(select(func.count()).select_from(model)) or 0)

            return {
                "documents": n(DocumentRow),
                "sources": n(SourceRow),
                "pages": n(PageRow),
                "chunks": n(ChunkRow),
                "embeddings": n(EmbeddingRow),
                "quarantined": n(QuarantineRow),
                "summaries": n(SummaryRow),
                "sentiments": n(SentimentRow),
                "models": n(ModelRow),
                "runs": n(RunRow),
            }

    def documents_by_domain(self) -> dict[tuple[str, str], int]:
        with self.session() as s:
            rows = s.execute(
                select(DocumentRow.domain, DocumentRow.doc_type, func.count()).group_by(
                    DocumentRow.domain, DocumentRow.doc_type
                )
            ).all()
        return {(d, t): int(c) for d, t, c in rows}


def open_store(config: Config) -> Store:
    """The configured store, creating the home folder that a SQLite file lives in."""
    config.home.mkdir(parents=True, exist_ok=True)
    return Store(config.database_url)


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


def _under(path: str, prefixes: list[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` (without trailing slashes) or lies below one of them."""
    return any(path == r or path.startswith(r + "/") for r in prefixes)


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


def _needs_vector(model_id: str) -> ColumnElement[bool]:
    have = select(EmbeddingRow.chunk_id).where(EmbeddingRow.model_id == model_id, EmbeddingRow.chunk_id == ChunkRow.id)
    return ~have.exists()


def _in_shard(column: Any, shard: Shard | None) -> ColumnElement[bool]:
    if shard is None or shard[1] <= 1:
        return true()
    k, n = shard
    return column % n == k


def _selected(only: DocumentSelection | None) -> ColumnElement[bool]:
    if only is None:
        return true()
    clause = _in_shard(DocumentRow.id, only.shard)
    if only.document_ids is not None:
        clause = clause & DocumentRow.id.in_(sorted(only.document_ids))
    return clause


def _upsert_source(s: Session, source: SourceFile, *, document_id: int, run_id: int) -> None:
    row = s.get(SourceRow, str(source.path))
    if row is None:
        row = SourceRow(path=str(source.path))
        s.add(row)
    row.document_id = document_id
    row.size_bytes = source.size
    row.mtime_ns = source.mtime_ns
    row.last_run_id = run_id
    row.updated_at = _now()
    s.execute(delete(QuarantineRow).where(QuarantineRow.path == str(source.path)))


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
                )
            )
    return support


def _purge_document(s: Session, document_id: int) -> None:
    """Delete a document and everything derived from it (explicitly: SQLite may lack FK cascades)."""
    chunk_ids = select(ChunkRow.id).where(ChunkRow.document_id == document_id)
    summary_ids = select(SummaryRow.id).where(SummaryRow.document_id == document_id)
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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten, not left in free pages
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
