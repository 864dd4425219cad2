"""The index stage: bring the published FAISS index in line with the store's vectors, and check it.

The store is the system of record; the index is derived from it (never re-embedding), so a
crash at any point heals on the next run.
"""

from __future__ import annotations

import logging

import numpy as np

from analysis.config import Config
from analysis.embed import embedding_model_id
from analysis.errors import IndexOutOfSyncError, IndexStateError
from analysis.index.faiss_index import IndexStore, VectorIndex, choose_kind, ivf_lists
from analysis.index.lexical import LexicalIndex
from analysis.records import RunReport
from analysis.store import Store, open_store

log = logging.getLogger(__name__)


def update_index(
    store: Store,
    index_store: IndexStore,
    model_id: str,
    *,
    lock_timeout_s: float = 600.0,
    rebuild: bool = False,
    report: RunReport | None = None,
    exact_max: int = 200_000,
    nprobe: int = 16,
) -> int:
    """Make the published index hold exactly the store's vectors for ``model_id``.

    The change is computed as a difference of ids, so a crash at any point heals on the
    next run. The index kind follows the corpus size: exact up to ``exact_max`` vectors,
    IVF above (retrained when the corpus has grown fourfold since it was trained).
    Returns the published version (0 when there is nothing to index).

    One writer at a time: the store's ``index`` lock (on PostgreSQL an advisory lock, which every
    host sharing the database sees) keeps writers on different hosts apart, the index store's
    file lock the processes of one host. With ``index_url`` any host may be the writer: it starts
    from the current version, fetched into its cache.
    """
    with store.writer_lock("index", lock_timeout_s), index_store.writer_lock(lock_timeout_s):
        index = None if rebuild else index_store.load()
        if index is not None and index.model_id != model_id:
            log.info("index was built with %s; rebuilding for %s", index.model_id, model_id)
            index = None
        wanted = store.embedded_chunk_ids(model_id)
        kind = choose_kind(len(wanted), exact_max=exact_max)
        if index is not None and (index.kind != kind or (kind == "ivf" and len(wanted) > 4 * index.trained_for)):
            log.info("%d vectors: rebuilding the index as %s", len(wanted), kind)
            index = None
        if index is None:
            if not len(wanted) and index_store.current_version() == 0:
                return 0
            if kind == "ivf":
                index = VectorIndex.trained_ivf(
                    model_id=model_id,
                    sample=_sample_vectors(store, model_id, wanted),
                    expected=len(wanted),
                    nprobe=nprobe,
                )
            else:
                index = VectorIndex.empty(model_id=model_id, dimension=_dimension(store, model_id, wanted))
        if kind == "ivf":
            index.nprobe = nprobe
        present = index.ids()
        to_remove = np.setdiff1d(present, wanted, assume_unique=True)
        to_add = np.setdiff1d(wanted, present, assume_unique=True)
        lexical = None if rebuild or not index.version else index_store.load_lexical(index.version)
        if lexical is not None and not lexical.holds_exactly(present):
            log.warning("the lexical index is out of step with the vector index: rebuilding it")
            lexical = None
        if index.version and lexical is not None and not len(to_remove) and not len(to_add):
            version = index.version
            store.mark_unrecorded_indexed(model_id, version)
        else:
            index.remove(to_remove)
            for ids, vectors in store.vectors(model_id, to_add):
                index.add(ids, vectors)
            if lexical is None:
                log.info("building the lexical index over %d chunks", len(wanted))
                lexical = LexicalIndex.build(store.lexical_texts(wanted))
            else:
                lexical = lexical.updated(remove=to_remove, add=store.lexical_texts(to_add))
            version = index_store.publish(index, lexical)
            store.mark_indexed(model_id, to_add, version)
        if report is not None:
            report.counts["index_added"] += len(to_add)
            report.counts["index_removed"] += len(to_remove)
        reconcile(store, index_store, model_id)
        return version


def sync_index(store: Store, config: Config, *, report: RunReport | None = None, rebuild: bool = False) -> int:
    """The index stage: ``update_index`` with the configured model, folder and index settings."""
    return update_index(
        store,
        IndexStore.from_config(config),
        embedding_model_id(config),
        lock_timeout_s=config.lock_timeout_s,
        exact_max=config.index_exact_max_vectors,
        nprobe=config.index_nprobe,
        rebuild=rebuild,
        report=report,
    )


def _sample_vectors(store: Store, model_id: str, ids: np.ndarray, *, per_list: int = 40) -> np.ndarray:
    """A random sample of the stored vectors to train IVF lists on (about 40 per list)."""
    n = min(len(ids), per_list * ivf_lists(len(ids)))
    chosen = np.sort(np.random.default_rng(0).choice(ids, size=n, replace=False))
    return np.vstack([vectors for _, vectors in store.vectors(model_id, chosen)])


def _dimension(store: Store, model_id: str, ids: np.ndarray) -> int:
    for _, vectors in store.vectors(model_id, ids[:1]):
        return int(vectors.shape[1])
    raise IndexStateError("no stored vectors to take the index dimension from")


def reconcile(store: Store, index_store: IndexStore, model_id: str) -> None:
    """Fail loudly unless the published vector and lexical indexes hold exactly the store's embedded chunks."""
    index = index_store.load()
    index_ids = index.ids() if index is not None else np.empty(0, dtype=np.int64)
    store_ids = store.embedded_chunk_ids(model_id)
    if len(index_ids) != len(store_ids) or not np.array_equal(np.sort(index_ids), np.sort(store_ids)):
        raise IndexOutOfSyncError(len(index_ids), len(store_ids))
    if index is not None:
        lexical = index_store.load_lexical(index.version)
        if lexical is None or not lexical.holds_exactly(store_ids):
            raise IndexOutOfSyncError(0 if lexical is None else lexical.count, len(store_ids), what="the lexical index")


def rebuild_index(config: Config | None = None) -> int:
    """Rebuild the index from the stored vectors, without re-embedding anything."""
    config = config or Config.load()
    with open_store(config) as store:
        return sync_index(store, config, rebuild=True)
