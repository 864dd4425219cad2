"""What people ask and read: semantic-search hits (and the kept record of each search),
document overviews, and counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import func, select, text

from analysis.records import NOT_OCR_SOURCES, DocumentListing, SearchHit
from analysis.store.engine import Repository
from analysis.store.schema import (
    Base,
    ChunkRow,
    DocumentRow,
    EmbeddingRow,
    ExtractionRow,
    FactRow,
    JobFailureRow,
    ModelRow,
    PageRow,
    QuarantineRow,
    RunRow,
    SearchHitRow,
    SearchRow,
    SentimentRow,
    SourceRow,
    SummaryRow,
)
from analysis.store.shared import ID_BATCH, hit_record, needs_vector, now


class Queries(Repository):
    """Reads for people (search results, overviews, counts) and the searches they made."""

    # search -------------------------------------------------------------------
    def chunk_ids_matching(
        self,
        *,
        document_ids: set[int] | None = None,
        domain: str | None = None,
        doc_type: str | None = None,
        section: str | None = None,
    ) -> np.ndarray:
        """Ids of the chunks that meet every filter given (a section matches by words it contains)."""
        query = select(ChunkRow.id).join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
        if document_ids is not None:
            if not document_ids:
                return np.empty(0, dtype=np.int64)
            query = query.where(ChunkRow.document_id.in_(sorted(document_ids)))
        if domain is not None:
            query = query.where(DocumentRow.domain == domain)
        if doc_type is not None:
            query = query.where(DocumentRow.doc_type == doc_type)
        if section is not None:
            escaped = section.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(func.lower(ChunkRow.section).like(f"%{escaped.lower()}%", escape="\\"))
        with self._session() as s:
            return np.fromiter(s.scalars(query), dtype=np.int64)

    def doc_types(self) -> set[str]:
        with self._session() as s:
            return set(s.scalars(select(DocumentRow.doc_type).distinct()))

    def document_of_chunks(self, chunk_ids: list[int]) -> dict[int, int]:
        """The document of each chunk id."""
        with self._session() as s:
            rows = s.execute(select(ChunkRow.id, ChunkRow.document_id).where(ChunkRow.id.in_(chunk_ids))).all()
        return {int(c): int(d) for c, d in rows}

    def search_hits(self, ranked: list[tuple[int, float]], *, expand: int = 0) -> list[SearchHit]:
        """Attach provenance to (chunk id, score) pairs, keeping their order.

        With ``expand`` each hit's text is the passage from ``expand`` chunks before the matched
        one to ``expand`` after it (same document), with that passage's offsets and pages.
        """
        ids = [i for i, _ in ranked]
        with self._session() as s:
            rows = s.execute(
                select(ChunkRow, DocumentRow.domain, DocumentRow.doc_type, func.min(SourceRow.path))
                .join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
                .join(SourceRow, SourceRow.document_id == DocumentRow.id)
                .where(ChunkRow.id.in_(ids))
                .group_by(ChunkRow.id, DocumentRow.domain, DocumentRow.doc_type)
            ).all()
            passages = self._passages(s, [row[0] for row in rows], expand) if expand > 0 else {}
        by_id = {row[0].id: row for row in rows}
        hits: list[SearchHit] = []
        for chunk_id, score in ranked:
            if chunk_id not in by_id:
                continue
            chunk, domain, doc_type, path = by_id[chunk_id]
            hit = hit_record(chunk, rank=len(hits) + 1, score=score, source_path=path, domain=domain, doc_type=doc_type)
            if chunk_id in passages:
                hit = replace(hit, **passages[chunk_id])
            hits.append(hit)
        return hits

    @staticmethod
    def _passages(s: Any, chunks: list[ChunkRow], expand: int) -> dict[int, dict[str, Any]]:
        """The text, offsets and pages of each chunk widened by its neighbours in the document:
        per document, one query for the neighbours and one for the text they span."""
        passages: dict[int, dict[str, Any]] = {}
        for document_id in {c.document_id for c in chunks}:
            hits = [c for c in chunks if c.document_id == document_id]
            ordinals = sorted({c.ordinal + d for c in hits for d in range(-expand, expand + 1)})
            neighbours = {
                row.ordinal: row
                for row in s.scalars(
                    select(ChunkRow).where(ChunkRow.document_id == document_id, ChunkRow.ordinal.in_(ordinals))
                )
            }
            around = {
                c.id: [neighbours[o] for o in range(c.ordinal - expand, c.ordinal + expand + 1) if o in neighbours]
                for c in hits
            }
            spans = {i: (min(r.char_start for r in rows), max(r.char_end for r in rows)) for i, rows in around.items()}
            low, high = min(a for a, _ in spans.values()), max(b for _, b in spans.values())
            text = s.scalar(
                select(func.substr(DocumentRow.text, low + 1, high - low)).where(DocumentRow.id == document_id)
            )
            for chunk_id, (start, end) in spans.items():
                passages[chunk_id] = {
                    "text": text[start - low : end - low],
                    "char_start": start,
                    "char_end": end,
                    "page_start": min(r.page_start for r in around[chunk_id]),
                    "page_end": max(r.page_end for r in around[chunk_id]),
                }
        return passages

    def save_search(
        self,
        query: str,
        *,
        k: int,
        domain: str | None,
        model_id: str,
        index_version: int,
        hits: list[SearchHit],
        filters: dict[str, Any] | None = None,
    ) -> int:
        """Keep a search, its filters and its ranked hits for analysts to join in SQL; returns the search id.

        ``filters`` must be JSON-ready (dates as ISO strings); None or empty stores NULL.
        """
        with self._session() as s, s.begin():
            search = SearchRow(
                query=query,
                k=k,
                domain=domain,
                model_id=model_id,
                index_version=index_version,
                created_at=now(),
                filters=filters or None,
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

    # overviews and counts -----------------------------------------------------
    def document_listing(
        self,
        *,
        embedding_model_id: str,
        results: Mapping[str, str],
        matches: Callable[[str], bool] | None = None,
        limit: int | None = None,
    ) -> tuple[list[DocumentListing], int]:
        """Stored and quarantined paths that ``matches`` accepts, with what is left to do on each
        document, and how many matched (the list stops at ``limit``). ``results`` maps each job to
        its result table: a document without a row there for its content has that job pending."""
        with self._session() as s:
            found = [(p, int(d), None) for p, d in s.execute(select(SourceRow.path, SourceRow.document_id))]
            found += [(p, None, why) for p, why in s.execute(select(QuarantineRow.path, QuarantineRow.reason))]
        found = sorted(f for f in found if matches is None or matches(f[0]))
        total, found = len(found), found[:limit] if limit is not None else found
        ids = sorted({d for _, d, _ in found if d is not None})
        docs: dict[int, Any] = {}
        unembedded: dict[int, int] = {}
        failed: dict[int, set[str]] = {}
        have: dict[str, set[str]] = {job: set() for job in results}
        columns = (DocumentRow.id, DocumentRow.sha256, DocumentRow.domain, DocumentRow.doc_type, DocumentRow.n_pages)
        with self._session() as s:
            for start in range(0, len(ids), ID_BATCH):
                batch = ids[start : start + ID_BATCH]
                docs.update((int(row.id), row) for row in s.execute(select(*columns).where(DocumentRow.id.in_(batch))))
                chunks = select(ChunkRow.document_id, func.count()).where(
                    ChunkRow.document_id.in_(batch), needs_vector(embedding_model_id)
                )
                unembedded.update((int(d), int(n)) for d, n in s.execute(chunks.group_by(ChunkRow.document_id)))
                failures = select(JobFailureRow.document_id, JobFailureRow.job).where(
                    JobFailureRow.document_id.in_(batch)
                )
                for document_id, job in s.execute(failures):
                    failed.setdefault(int(document_id), set()).add(job)
                shas = [docs[i].sha256 for i in batch if i in docs]
                for job, table in results.items():
                    column = Base.metadata.tables[table].c.document_sha256
                    have[job].update(s.scalars(select(column).distinct().where(column.in_(shas))))
        return [
            DocumentListing(path, None, quarantine_reason=why)
            if document_id is None
            else DocumentListing(
                path,
                document_id,
                doc_type=docs[document_id].doc_type,
                domain=docs[document_id].domain,
                n_pages=docs[document_id].n_pages,
                chunks_unembedded=unembedded.get(document_id, 0),
                jobs_pending=tuple(job for job in results if docs[document_id].sha256 not in have[job]),
                jobs_failed=tuple(sorted(failed.get(document_id, ()))),
            )
            for path, document_id, why in found
            if document_id is None or document_id in docs  # not erased while we read
        ], total

    def document_overviews(self, limit: int = 3) -> list[dict[str, Any]]:
        """The newest summary and document sentiment of a few documents, for people to read."""
        with self._session() as s:
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
        with self._session() as s:

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
                "extractions": n(ExtractionRow),
                "facts": n(FactRow),
                "models": n(ModelRow),
                "runs": n(RunRow),
            }

    def facts_by_field(self) -> dict[tuple[str, str], int]:
        """Facts of each document's latest extraction per (kind, field); clause 'no' rows left out."""
        with self._session() as s:
            rows = s.execute(
                text(
                    "SELECT kind, field, COUNT(*) FROM document_facts WHERE NOT (kind = 'clause' AND value = 'no')"
                    " GROUP BY kind, field ORDER BY kind, field"
                )
            ).all()
        return {(kind, field): int(n) for kind, field, n in rows}

    def extraction_problem_counts(self) -> dict[str, int]:
        """Fields left empty by the latest extractions: how many failed and how many were rejected."""
        with self._session() as s:
            rows = s.execute(text("SELECT problem, COUNT(*) FROM extraction_problems_open GROUP BY problem")).all()
        return {problem: int(n) for problem, n in rows}

    def documents_by_language(self) -> dict[str | None, int]:
        """Documents per detected language, most first (None: too short or mixed to tell)."""
        with self._session() as s:
            rows = s.execute(
                select(DocumentRow.language, func.count()).group_by(DocumentRow.language).order_by(func.count().desc())
            ).all()
        return {language: int(n) for language, n in rows}

    def pages_by_text_source(self) -> dict[str, tuple[int, int]]:
        """Pages per text source (text layer, text file, each OCR engine), with how many are flagged."""
        with self._session() as s:
            rows = s.execute(
                select(PageRow.text_source, func.count(), func.count(PageRow.flag)).group_by(PageRow.text_source)
            ).all()
        return {source: (int(n), int(flagged)) for source, n, flagged in sorted(rows)}

    def ocr_pages(self) -> list[dict[str, Any]]:
        """Every page of each document that has a page read by OCR: the document's path, the page's
        number, text source, confidence, flag and first characters; in document and page order."""
        with self._session() as s:
            ocr_documents = select(PageRow.document_id).where(PageRow.text_source.not_in(NOT_OCR_SOURCES)).distinct()
            paths = (
                select(SourceRow.document_id, func.min(SourceRow.path).label("path"))
                .group_by(SourceRow.document_id)
                .subquery()
            )
            rows = s.execute(
                select(
                    paths.c.path,
                    PageRow.number,
                    PageRow.text_source,
                    PageRow.ocr_confidence,
                    PageRow.flag,
                    func.substr(DocumentRow.text, PageRow.char_start + 1, 160).label("begins"),
                )
                .join(DocumentRow, DocumentRow.id == PageRow.document_id)
                .join(paths, paths.c.document_id == PageRow.document_id)
                .where(PageRow.document_id.in_(ocr_documents))
                .order_by(paths.c.path, PageRow.number)
            ).all()
        return [row._asdict() for row in rows]

    def documents_by_domain(self) -> dict[tuple[str, str], int]:
        with self._session() as s:
            rows = s.execute(
                select(DocumentRow.domain, DocumentRow.doc_type, func.count()).group_by(
                    DocumentRow.domain, DocumentRow.doc_type
                )
            ).all()
        return {(d, t): int(c) for d, t, c in rows}
