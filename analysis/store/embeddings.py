"""Chunk vectors: which chunks still need one, storing them, reading them back, and index marks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from analysis.store.engine import Repository
from analysis.store.schema import ChunkRow, EmbeddingRow
from analysis.store.shared import ID_BATCH, Shard, in_shard, needs_vector


class Embeddings(Repository):
    """One vector per (chunk, embedding model), and the index version that first held it."""

    def chunks_to_embed(
        self, model_id: str, *, batch: int = 1024, shard: Shard | None = None
    ) -> Iterator[list[tuple[int, str]]]:
        """Stream (chunk id, text) of chunks without a vector for ``model_id``, in id order.

        With ``shard`` = (k, n) only chunks whose id is k modulo n: n workers split the work.
        """
        last = 0
        while True:
            with self._session() as s:
                rows = s.execute(
                    select(ChunkRow.id, ChunkRow.text)
                    .where(ChunkRow.id > last, needs_vector(model_id), in_shard(ChunkRow.id, shard))
                    .order_by(ChunkRow.id)
                    .limit(batch)
                ).all()
            if not rows:
                return
            last = rows[-1][0]
            yield [(int(i), t) for i, t in rows]

    def count_chunks_to_embed(self, model_id: str, *, shard: Shard | None = None) -> int:
        with self._session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(ChunkRow)
                    .where(needs_vector(model_id), in_shard(ChunkRow.id, shard))
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
        with self._session() as s, s.begin():
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

    def embedded_chunk_ids(self, model_id: str) -> np.ndarray:
        with self._session() as s:
            ids = s.scalars(select(EmbeddingRow.chunk_id).where(EmbeddingRow.model_id == model_id))
            return np.fromiter(ids, dtype=np.int64)

    def vectors(self, model_id: str, ids: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Stream (ids, vectors) for the given chunk ids in batches."""
        for start in range(0, len(ids), ID_BATCH):
            wanted = [int(i) for i in ids[start : start + ID_BATCH]]
            with self._session() as s:
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

    def lexical_texts(self, ids: np.ndarray) -> Iterator[tuple[int, str]]:
        """(chunk id, text for BM25) in batches: the chunk's section title, then its text."""
        for start in range(0, len(ids), ID_BATCH):
            wanted = [int(i) for i in ids[start : start + ID_BATCH]]
            with self._session() as s:
                rows = s.execute(select(ChunkRow.id, ChunkRow.section, ChunkRow.text).where(ChunkRow.id.in_(wanted)))
                for chunk_id, section, text in rows:
                    yield int(chunk_id), f"{section}\n{text}" if section else text

    # index marks ------------------------------------------------------------
    def mark_indexed(self, model_id: str, ids: np.ndarray, version: int) -> None:
        """Record the index version that first held these vectors (lineage)."""
        with self._session() as s, s.begin():
            for start in range(0, len(ids), ID_BATCH):
                wanted = [int(i) for i in ids[start : start + ID_BATCH]]
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
        with self._session() as s, s.begin():
            result = s.execute(
                update(EmbeddingRow)
                .where(EmbeddingRow.model_id == model_id, EmbeddingRow.index_version.is_(None))
                .values(index_version=version)
            )
            return int(result.rowcount or 0)
