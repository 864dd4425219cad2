"""The embed stage: vectors for every chunk that has none for the configured model yet."""

from __future__ import annotations

from tqdm import tqdm

from analysis.config import Config
from analysis.embed.embedder import Embedder, embedding_model_id, load_embedder_for, shared_embedder
from analysis.records import RunReport
from analysis.store import Shard, Store


class LazyEmbedder:
    """Loads the model on first use, so an unchanged re-run never loads it at all."""

    def __init__(self, config: Config, embedder: Embedder | None = None) -> None:
        self.config = config
        self._embedder = embedder

    def get(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder_for(self.config)
        return self._embedder

    @property
    def model_id(self) -> str:
        """The model's identity, from the weights' hash when it is not loaded yet."""
        return self._embedder.model_id if self._embedder else embedding_model_id(self.config)


class SharedLazyEmbedder(LazyEmbedder):
    """Loads the model once per worker process, not once per task."""

    def get(self) -> Embedder:
        if self._embedder is None:
            self._embedder = shared_embedder(self.config)
        return self._embedder


def embed_pending_chunks(
    store: Store,
    lazy: LazyEmbedder,
    model_id: str,
    *,
    run_id: int,
    report: RunReport,
    show_progress: bool = False,
    shard: Shard | None = None,
) -> None:
    """Embed every chunk that has no vector for this model yet, in streamed batches.

    With ``shard`` only that part of the chunks, so several workers can embed at once.
    """
    pending = store.count_chunks_to_embed(model_id, shard=shard)
    if not pending:
        return
    embedder = lazy.get()
    store.record_model(embedder.model_info)
    with tqdm(total=pending, desc="embed", unit="chunk", disable=not show_progress) as bar:
        for batch in store.chunks_to_embed(model_id, batch=max(256, embedder.batch_size * 8), shard=shard):
            ids = [i for i, _ in batch]
            vectors = embedder.encode([t for _, t in batch])
            store.save_embeddings(model_id, ids, vectors, run_id=run_id)
            report.counts["vectors_added"] += len(ids)
            bar.update(len(ids))
