from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.index import IndexStore, VectorIndex
from analysis.index.lexical import LEXICAL_DIR, LexicalIndex, lexical_terms

CHUNKS = [
    (10, "This Agreement shall be governed by the laws of the State of New York."),
    (11, "The Tenant shall pay the monthly rent on the first day of each month."),
    (12, "\u0301\u0301 \u0301"),  # only combining marks: no terms at all
    (13, "The Contractor shall maintain insurance coverage of $1,000,000 per occurrence."),
    (14, "Either party may terminate this Agreement for convenience on thirty days' notice."),
]


def test_terms_are_stemmed_words_without_stop_words() -> None:
    assert lexical_terms("The Agreement is terminated; termination") == ["agreement", "termin", "termin"]
    assert lexical_terms("metformin 500 mg, O'Brien 3.5") == ["metformin", "500", "mg", "o'brien", "3.5"]
    assert lexical_terms("\u0301\u0301 \u0301 ... ;;") == []
    assert lexical_terms("東京地方裁判所 判決") == ["東京地方裁判所", "判決"]


def test_search_ranks_the_chunk_that_holds_the_words() -> None:
    index = LexicalIndex.build(CHUNKS)
    ids, scores = index.search("which law governs the agreement?", 3)
    assert ids[0] == 10 and scores[0] > 0
    ids, _ = index.search("terminated for convenience", 3)
    assert ids[0] == 14, "stems match across word forms"
    ids, _ = index.search("zebra quantum", 3)
    assert len(ids) == 0, "no shared term, no hit (never a zero-score filler)"


def test_allowed_ids_narrow_the_ranking_exactly() -> None:
    index = LexicalIndex.build(CHUNKS)
    ids, _ = index.search("agreement", 5, allowed_ids=np.array([14, 99]))
    assert ids.tolist() == [14]
    ids, _ = index.search("agreement", 5, allowed_ids=np.array([], dtype=np.int64))
    assert len(ids) == 0


def test_an_update_drops_removed_chunks_and_tokenises_only_added_ones() -> None:
    index = LexicalIndex.build(CHUNKS)
    updated = index.updated(remove=np.array([10, 12]), add=[(15, "Governing law: the laws of Delaware apply.")])
    assert sorted(updated.chunk_ids.tolist()) == [11, 13, 14, 15]
    ids, _ = updated.search("governing law", 5)
    assert ids.tolist() == [15]
    assert index.count == 5, "the old version is left as it was"
    rebuilt = LexicalIndex.build(
        [c for c in CHUNKS if c[0] not in (10, 12)] + [(15, "Governing law: the laws of Delaware apply.")]
    )
    for query in ("rent month", "insurance", "agreement terminate"):
        a_ids, a_scores = updated.search(query, 5)
        b_ids, b_scores = rebuilt.search(query, 5)
        assert a_ids.tolist() == b_ids.tolist() and np.allclose(a_scores, b_scores), "same as built from scratch"


def test_published_with_the_vector_index_and_read_back(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    vectors = VectorIndex.empty(model_id="m", dimension=4)
    vectors.add(np.array([10, 11, 12, 13, 14]), np.eye(5, 4, dtype=np.float32))
    version = store.publish(vectors, LexicalIndex.build(CHUNKS))
    loaded = store.load_lexical(version)
    assert loaded is not None and loaded.holds_exactly([10, 11, 12, 13, 14])
    assert loaded.search("insurance", 1)[0].tolist() == [13]
    manifest = json.loads((store.versions_dir / f"{version:06d}" / "manifest.json").read_text())
    assert manifest["lexical"]["count"] == 5
    # an index written by another tokenizer is not used
    meta = store.versions_dir / f"{version:06d}" / LEXICAL_DIR / "lexical.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "tokenizer": "old"}))
    assert store.load_lexical(version) is None


def test_an_empty_index_searches_to_nothing(tmp_path: Path) -> None:
    empty = LexicalIndex.build([])
    assert empty.search("anything", 3)[0].tolist() == []
    empty.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert loaded is not None and loaded.count == 0


@pytest.mark.parametrize("n", [1, 2])
def test_tiny_indexes(n: int) -> None:
    index = LexicalIndex.build(CHUNKS[:n])
    assert index.search("agreement governed laws", 3)[0].tolist() == [10]
