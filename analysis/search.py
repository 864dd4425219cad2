"""Hybrid search over the published indexes, with filters and provenance from the store.

Each query runs twice over the same chunks: dense (FAISS, meaning) and lexical (BM25, the exact
words), and the two rankings are fused by reciprocal rank (Cormack et al., 2009): a chunk high
in either list rises, and no score scale has to be calibrated against the other. Filters narrow
both searches to the same chunk ids before ranking, so a selective filter never yields a
silently short list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import numpy as np

from analysis.config import Config
from analysis.embed import Embedder, load_embedder_for
from analysis.errors import ConfigError, IndexStateError
from analysis.index import IndexStore, VectorIndex
from analysis.index.lexical import LexicalIndex
from analysis.records import DOMAINS, SearchHit
from analysis.store import Store, open_store

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 2_000
MAX_K = 1_000
SEARCH_MODES = ("hybrid", "dense", "lexical")
RRF_K = 60  # the constant of reciprocal rank fusion; 60 is the published default


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to; every field that is set must hold for a chunk to be a hit."""

    domain: str | None = None
    document: str | None = None  # a document id, or a path (a folder means every document under it)
    doc_type: str | None = None
    section: str | None = None  # words the chunk's section title contains, any case
    since: date | None = None  # documents stored (or found at a new path) on or after this day

    @property
    def active(self) -> bool:
        return any(value is not None for value in asdict(self).values())

    def as_dict(self) -> dict[str, str]:
        """The filters that are set, as text (kept with a saved search)."""
        return {key: str(value) for key, value in asdict(self).items() if value is not None}

    def describe(self) -> str:
        return ", ".join(f"{key} {value}" for key, value in self.as_dict().items()) or "no filters"


class SearchResults(list[SearchHit]):
    """The ranked hits, and when there are none, why (``note``)."""

    note: str | None = None


def search_chunks(
    query: str,
    *,
    k: int = 5,
    domain: str | None = None,
    document: str | int | None = None,
    doc_type: str | None = None,
    section: str | None = None,
    since: date | None = None,
    per_document: int | None = None,
    mode: str = "hybrid",
    context: int = 1,
    config: Config | None = None,
    embedder: Embedder | None = None,
    save: bool = False,
) -> SearchResults:
    """The ``k`` chunks that best answer ``query``, within the filters.

    ``per_document`` keeps at most that many hits from any one document (the rest of the list
    is filled from other documents). Each hit's text is its chunk widened by ``context`` chunks
    on either side (measured: whole clauses rarely fit one chunk; see docs/search.md); the
    hit's offsets and pages are the passage's. With ``save`` the query, its filters and its ranked hits go
    to the ``searches`` and ``search_hits`` tables (view ``search_results``).
    """
    _check_query(query, k=k, per_document=per_document, mode=mode, domain=domain, context=context)
    filters = SearchFilters(
        domain=domain,
        document=None if document is None else str(document),
        doc_type=doc_type,
        section=section.strip() if section and section.strip() else None,
        since=since,
    )
    config = config or Config.load()
    with open_store(config) as store:
        index, lexical = load_published(config, store)
        embedder = embedder or load_embedder_for(config)
        if index.model_id != embedder.model_id:
            raise IndexStateError(
                f"the index was built with {index.model_id}, not {embedder.model_id}; run `docanalysis index rebuild`"
            )
        allowed = allowed_chunk_ids(store, filters)
        results = SearchResults()
        if allowed is not None and not len(allowed):
            results.note = f"no indexed chunk matches the filters ({filters.describe()})"
            return results
        ranked = rank_chunks(
            query, index, lexical, embedder, k=k, allowed=allowed, per_document=per_document, mode=mode, store=store
        )
        results.extend(store.search_hits(ranked, expand=context))
        if not results:
            results.note = "nothing in the index shares a word or meaning with the query"
        if save:
            store.save_search(
                query,
                k=k,
                domain=domain,
                model_id=index.model_id,
                index_version=index.version,
                hits=results,
                filters={**filters.as_dict(), "mode": mode, **({"per_document": per_document} if per_document else {})},
            )
        return results


def rank_chunks(
    query: str,
    index: VectorIndex,
    lexical: LexicalIndex | None,
    embedder: Embedder | None,
    *,
    k: int,
    query_vector: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
    per_document: int | None = None,
    mode: str = "hybrid",
    store: Store | None = None,
) -> list[tuple[int, float]]:
    """(chunk id, score) of the best ``k`` chunks: dense, lexical, or both fused by reciprocal rank.

    Each list is cut at a candidate pool several times ``k``; with ``per_document`` the pool
    grows until ``k`` hits from distinct enough documents are found or the candidates run out.
    """
    available = index.count if allowed is None else len(allowed)
    pool = min(max(50, 5 * k), max(available, 1))
    if query_vector is None and mode != "lexical":
        if embedder is None:
            raise ValueError("rank_chunks needs an embedder or a query vector")
        query_vector = embedder.encode([query])
    while True:
        lists: list[np.ndarray] = []
        scores: dict[int, float] = {}
        if query_vector is not None:
            dense_scores, dense_ids = _dense(index, query_vector, pool, allowed)
            lists.append(dense_ids)
            scores.update(zip(dense_ids.tolist(), dense_scores.tolist()))
        if mode != "dense" and lexical is not None:
            lexical_ids, lexical_scores = lexical.search(query, pool, allowed_ids=allowed)
            lists.append(lexical_ids)
            if mode == "lexical":
                scores.update(zip(lexical_ids.tolist(), lexical_scores.tolist()))
        fused = _fuse(lists) if mode == "hybrid" else [(i, scores[i]) for i in (lists[0].tolist() if lists else [])]
        if per_document and store is not None:
            capped = _cap_per_document(fused, store.document_of_chunks([i for i, _ in fused]), per_document)
        else:
            capped = fused
        exhausted = all(len(ids) < pool for ids in lists) or pool >= available
        if len(capped) >= k or exhausted:
            return capped[:k]
        pool = min(pool * 4, available)


def _dense(
    index: VectorIndex, query_vector: np.ndarray, pool: int, allowed: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Dense top ``pool``; an approximate (IVF) index that comes back short under a filter is
    searched again over all its lists, which is exact."""
    scores, ids = index.search(query_vector, pool, allowed_ids=allowed)
    found = ids[0] >= 0
    wanted = min(pool, index.count if allowed is None else len(allowed))
    if index.kind == "ivf" and int(found.sum()) < wanted:
        nprobe, index.nprobe = index.nprobe, int(index.faiss_index.nlist)  # type: ignore[attr-defined]
        try:
            scores, ids = index.search(query_vector, pool, allowed_ids=allowed)
        finally:
            index.nprobe = nprobe
        found = ids[0] >= 0
    return scores[0][found], ids[0][found].astype(np.int64)


def _fuse(rankings: Sequence[np.ndarray]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each list adds 1 / (60 + rank) to the chunks it holds."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking.tolist(), start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def _cap_per_document(
    ranked: list[tuple[int, float]], document_of: dict[int, int], per_document: int
) -> list[tuple[int, float]]:
    taken: dict[int, int] = {}
    kept: list[tuple[int, float]] = []
    for chunk_id, score in ranked:
        document_id = document_of.get(chunk_id)
        if document_id is None or taken.get(document_id, 0) >= per_document:
            continue
        taken[document_id] = taken.get(document_id, 0) + 1
        kept.append((chunk_id, score))
    return kept


def allowed_chunk_ids(store: Store, filters: SearchFilters) -> np.ndarray | None:
    """The chunk ids the filters leave (None: no filter, every chunk); unknown names are errors."""
    if not filters.active:
        return None
    document_ids: set[int] | None = None
    if filters.document is not None:
        document_ids = store.document_ids_for_reference(filters.document)
    if filters.since is not None:
        since = datetime.combine(filters.since, datetime.min.time(), tzinfo=UTC)
        recent = store.document_ids_since(since)
        document_ids = recent if document_ids is None else document_ids & recent
    if filters.doc_type is not None:
        known = store.doc_types()
        if filters.doc_type not in known:
            raise ConfigError(
                f"unknown document type {filters.doc_type!r}; stored types: {', '.join(sorted(known)) or 'none'}"
            )
    return store.chunk_ids_matching(
        document_ids=document_ids, domain=filters.domain, doc_type=filters.doc_type, section=filters.section
    )


_LOADED: dict[tuple[str, int], tuple[VectorIndex, LexicalIndex | None]] = {}


def load_published(config: Config, store: Store, *, heal: bool = True) -> tuple[VectorIndex, LexicalIndex]:
    """The current vector and lexical indexes, read once per process and version.

    A lexical index that is missing, or holds other chunks than the vector index, is rebuilt
    (with the next index version) rather than used.
    """
    from analysis.index.sync import sync_index

    index_store = IndexStore.from_config(config)
    version = index_store.current_version()  # on an object store: one small GET, the rest from the cache
    key = (index_store.location, version)
    if key not in _LOADED:
        index = index_store.load(version)
        if index is None or index.count == 0:
            raise IndexStateError(f"no index under {index_store.location}: run `docanalysis run PATH` first")
        lexical = index_store.load_lexical(version)
        if lexical is None or not lexical.holds_exactly(index.ids()):
            if not heal:
                raise IndexStateError(f"index version {version} has no usable lexical index")
            log.warning("the lexical index of version %d is missing or out of step: rebuilding it", version)
            sync_index(store, config)
            return load_published(config, store, heal=False)
        _LOADED.clear()  # only the newest version stays in memory
        _LOADED[key] = (index, lexical)
    index, lexical = _LOADED[key]
    assert lexical is not None
    return index, lexical


def _check_query(query: str, *, k: int, per_document: int | None, mode: str, domain: str | None, context: int) -> None:
    if not query.strip():
        raise ConfigError("the search query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise ConfigError(f"the search query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}")
    if not 1 <= k <= MAX_K:
        raise ConfigError(f"k must be between 1 and {MAX_K}, got {k}")
    if per_document is not None and per_document < 1:
        raise ConfigError(f"--per-document must be at least 1, got {per_document}")
    if not 0 <= context <= 5:
        raise ConfigError(f"context must be between 0 and 5 chunks, got {context}")
    if mode not in SEARCH_MODES:
        raise ConfigError(f"mode must be one of {', '.join(SEARCH_MODES)}, got {mode!r}")
    if domain is not None and domain not in DOMAINS:
        raise ConfigError(f"domain must be one of {', '.join(DOMAINS)}, got {domain!r}")
