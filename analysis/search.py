"""Semantic search over the published index, with provenance from the store."""

from __future__ import annotations

from analysis.config import Config
from analysis.embed import Embedder, load_embedder_for
from analysis.errors import ConfigError, IndexStateError
from analysis.index import IndexStore
from analysis.records import DOMAINS, SearchHit
from analysis.store import open_store


def search_chunks(
    query: str,
    *,
    k: int = 5,
    domain: str | None = None,
    config: Config | None = None,
    embedder: Embedder | None = None,
    save: bool = False,
) -> list[SearchHit]:
    """The ``k`` chunks most similar to ``query``, optionally within one domain.

    With ``save`` the query and its ranked hits go to the ``searches`` and ``search_hits``
    tables (view ``search_results``), so analysts can join them with summaries in SQL.
    """
    if not query.strip():
        raise ConfigError("the search query is empty")
    if k < 1:
        raise ConfigError(f"k must be at least 1, got {k}")
    if domain is not None and domain not in DOMAINS:
        raise ConfigError(f"domain must be one of {', '.join(DOMAINS)}, got {domain!r}")
    config = config or Config.load()
    index = IndexStore.from_config(config).load()
    if index is None or index.count == 0:
        raise IndexStateError(f"no index under {config.index_dir}: run `docanalysis run PATH` first")
    embedder = embedder or load_embedder_for(config)
    if index.model_id != embedder.model_id:
        raise IndexStateError(
            f"the index was built with {index.model_id}, not {embedder.model_id}; run `docanalysis index rebuild`"
        )
    store = open_store(config)
    try:
        allowed = store.chunk_ids_in_domain(domain) if domain else None
        if allowed is not None and not len(allowed):
            return []
        scores, ids = index.search(embedder.encode([query]), k, allowed_ids=allowed)
        ranked = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
        hits = store.search_hits(ranked)
        if save:
            store.save_search(
                query, k=k, domain=domain, model_id=index.model_id, index_version=index.version, hits=hits
            )
        return hits
    finally:
        store.close()
