"""What more than one repository of the store uses: the clock, batch size, shards, and the
one place where stored chunk rows become records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, select, true

from analysis.records import SearchHit, SourceChunk
from analysis.store.schema import ChunkRow, EmbeddingRow

ID_BATCH = 500  # stay well below SQLite's bound-parameter limit

Shard = tuple[int, int]
"""(k, n): the k-th of n disjoint parts of a table, by id modulo n, for parallel workers."""


@dataclass(frozen=True)
class DocumentSelection:
    """Which documents a job works on: named ids (None: all) and/or one shard of them."""

    document_ids: frozenset[int] | None = None
    shard: Shard | None = None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` with each character no database stores replaced by U+FFFD, one for one (offsets hold):
    NUL (PostgreSQL refuses it) and lone UTF-16 surrogates (neither SQLite nor PostgreSQL can encode
    them). A parser, an OCR engine or an exception message may produce either."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text


def now() -> datetime:
    return datetime.now(UTC)


def in_shard(column: Any, shard: Shard | None) -> ColumnElement[bool]:
    if shard is None or shard[1] <= 1:
        return true()
    k, n = shard
    return column % n == k


def chunk_record(row: ChunkRow, vector: bytes) -> SourceChunk:
    """A stored chunk and its stored vector, as the jobs read them."""
    return SourceChunk(
        id=row.id,
        ordinal=row.ordinal,
        text=row.text,
        page_start=row.page_start,
        page_end=row.page_end,
        section=row.section,
        n_tokens=row.n_tokens,
        vector=np.frombuffer(vector, dtype=np.float32),
        char_start=row.char_start,
        char_end=row.char_end,
    )


def hit_record(row: ChunkRow, *, rank: int, score: float, source_path: str, domain: str, doc_type: str) -> SearchHit:
    """A stored chunk as a search result, with where it comes from."""
    return SearchHit(
        rank=rank,
        score=float(score),
        chunk_id=row.id,
        document_id=row.document_id,
        source_path=source_path,
        domain=domain,
        doc_type=doc_type,
        page_start=row.page_start,
        page_end=row.page_end,
        section=row.section,
        text=row.text,
        char_start=row.char_start,
        char_end=row.char_end,
    )


def needs_vector(model_id: str) -> ColumnElement[bool]:
    """A chunk without a vector of ``model_id``: what embedding works on and what listings report."""
    have = select(EmbeddingRow.chunk_id).where(EmbeddingRow.model_id == model_id, EmbeddingRow.chunk_id == ChunkRow.id)
    return ~have.exists()
