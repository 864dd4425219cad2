from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import IndexStateError
from analysis.index import CURRENT_FILE, IndexStore, VectorIndex


def _vectors(n: int, dim: int = 8, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_add_search_remove_by_chunk_id() -> None:
    index = VectorIndex.empty(model_id="m", dimension=8)
    vectors = _vectors(20)
    ids = np.arange(100, 120)
    index.add(ids, vectors)
    scores, found = index.search(vectors[3:4], 1)
    assert found[0][0] == 103 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    assert index.remove(np.array([103, 104])) == 2
    assert index.count == 18
    assert 103 not in set(index.ids().tolist())
    _, found = index.search(vectors[3:4], 5, allowed_ids=np.array([110, 111]))
    assert set(found[0][found[0] >= 0].tolist()) <= {110, 111}


def test_publish_creates_versions_and_readers_load_the_latest(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index", keep_versions=2)
    assert store.load() is None
    index = VectorIndex.empty(model_id="m", dimension=8)
    index.add(np.arange(5), _vectors(5))
    assert store.publish(index) == 1
    index.add(np.arange(5, 9), _vectors(4, seed=1))
    assert store.publish(index) == 2
    loaded = store.load()
    assert loaded is not None and loaded.version == 2 and loaded.count == 9
    assert sorted(loaded.ids().tolist()) == list(range(9))
    store.publish(index)
    kept = sorted(p.name for p in (tmp_path / "index" / "versions").iterdir())
    assert kept == ["000002", "000003"], "old versions are pruned"


def test_an_unpublished_staging_folder_is_never_loaded(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    index = VectorIndex.empty(model_id="m", dimension=8)
    index.add(np.arange(3), _vectors(3))
    store.publish(index)
    (store.versions_dir / ".staging-crashed").mkdir()
    (store.versions_dir / ".staging-crashed" / "index.faiss").write_bytes(b"half written")
    assert store.load().count == 3


def test_a_corrupt_pointer_is_reported(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / CURRENT_FILE).write_text("garbage")
    with pytest.raises(IndexStateError, match="rebuild"):
        store.load()


def test_the_index_kind_follows_the_corpus_size(tmp_path: Path, sample_corpus: Path, embedder: Embedder) -> None:
    """Above index_exact_max_vectors the index is IVF; ids, search and deletions still hold."""
    from analysis.index import update_index
    from analysis.pipeline import run_pipeline
    from analysis.store import open_store

    config = Config(home=tmp_path / "home", index_exact_max_vectors=100, index_nprobe=16)
    run_pipeline([sample_corpus], config=config, embedder=embedder, jobs=())
    store = open_store(config)
    index_store = IndexStore(config.index_dir)
    try:
        index = index_store.load()
        assert index is not None and index.kind == "ivf" and index.nprobe == 16
        stored = store.embedded_chunk_ids(embedder.model_id)
        assert np.array_equal(np.sort(index.ids()), np.sort(stored))
        # each vector finds itself first, almost always (IVF is approximate)
        ids = stored[:50]
        vectors = np.vstack([v for _, v in store.vectors(embedder.model_id, ids)])
        _, found = index.search(vectors, 1)
        assert (found[:, 0] == ids).mean() >= 0.9
        # deletions are native: remove a document and the index follows the store exactly
        stored_paths = sorted(p for p in store.paths_under([str(sample_corpus)]) if store.known_source(p))
        victim = store.remove_source(stored_paths[0])  # a document's path, not a quarantined file's
        assert victim is not None
        update_index(store, index_store, embedder.model_id, exact_max=100, nprobe=16)
        after = index_store.load()
        assert after is not None and after.kind == "ivf"
        assert np.array_equal(np.sort(after.ids()), np.sort(store.embedded_chunk_ids(embedder.model_id)))
        # below the threshold again (here: a higher one), the next update goes back to exact search
        update_index(store, index_store, embedder.model_id, exact_max=10_000)
        flat = index_store.load()
        assert flat is not None and flat.kind == "flat" and flat.count == after.count
    finally:
        store.close()
