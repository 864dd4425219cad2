"""Hybrid search with filters on the generated corpus, through the real pipeline, model and indexes."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, text

from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import BadInputError, ConfigError, DocumentNotFoundError, IndexOutOfSyncError
from analysis.index import IndexStore, reconcile
from analysis.index.lexical import LEXICAL_DIR
from analysis.pipeline import run_pipeline
from analysis.search import search_chunks
from analysis.store import open_store
from analysis.store.schema import ChunkRow, DocumentRow, SourceRow


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def indexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_corpus: Path, embedder: Embedder
) -> Iterator[Config]:
    """The sample corpus ingested, embedded and indexed (no jobs), on SQLite and PostgreSQL."""
    home = tmp_path_factory.mktemp("search")
    with contextlib.ExitStack() as stack:
        db_url = None
        if request.param == "postgres":
            db_url = stack.enter_context(request.getfixturevalue("fresh_postgres_database")("search"))
        config = Config(home=home, db_url=db_url, batch_size=32)
        run_pipeline([sample_corpus], config=config, embedder=embedder, jobs=())
        yield config


def _chunks(config: Config, **where: object) -> list[ChunkRow]:
    with open_store(config) as store, store.session() as s:
        query = select(ChunkRow).join(DocumentRow, DocumentRow.id == ChunkRow.document_id)
        for key, value in where.items():
            query = query.where(getattr(DocumentRow, key) == value)
        return list(s.scalars(query))


def test_hybrid_search_finds_the_clause_a_lawyer_asks_for(indexed: Config, embedder: Embedder) -> None:
    hits = search_chunks("Which law governs the interpretation of the lease?", k=3, config=indexed, embedder=embedder)
    assert hits and "governing law" in (hits[0].section or "").lower()
    lexical = search_chunks("penicillin rash", k=3, mode="lexical", config=indexed, embedder=embedder)
    assert lexical and "penicillin" in lexical[0].text.lower()


def test_filters_narrow_every_hit(indexed: Config, embedder: Embedder) -> None:
    query = "medications and doses"
    typed = search_chunks(query, k=10, doc_type="discharge_summary", config=indexed, embedder=embedder)
    assert typed and all(h.doc_type == "discharge_summary" for h in typed)
    sections = search_chunks(query, k=10, section="ALLERG", config=indexed, embedder=embedder)
    assert sections and all("allerg" in (h.section or "").lower() for h in sections)
    one = typed[0]
    in_document = search_chunks(query, k=10, document=one.document_id, config=indexed, embedder=embedder)
    by_path = search_chunks(query, k=10, document=one.source_path, config=indexed, embedder=embedder)
    assert {h.document_id for h in in_document} == {h.document_id for h in by_path} == {one.document_id}
    folder = search_chunks(query, k=10, document=str(Path(one.source_path).parent), config=indexed, embedder=embedder)
    assert len({h.document_id for h in folder}) > 1, "a folder names every document under it"
    recent = search_chunks(query, k=3, since=date(2000, 1, 1), config=indexed, embedder=embedder)
    assert len(recent) == 3
    future = search_chunks(query, k=3, since=date(2100, 1, 1), config=indexed, embedder=embedder)
    assert future == [] and future.note and "since 2100-01-01" in future.note


def test_a_selective_filter_is_never_silently_short(indexed: Config, embedder: Embedder) -> None:
    """Asking for more hits than a document has returns every chunk of it, dense and lexical alike."""
    chunk = _chunks(indexed, doc_type="lease")[0]
    everything = {c.id for c in _chunks(indexed, id=chunk.document_id)}
    for mode in ("hybrid", "dense"):
        hits = search_chunks("rent", k=500, document=chunk.document_id, mode=mode, config=indexed, embedder=embedder)
        assert {h.chunk_id for h in hits} == everything, mode


def test_per_document_caps_hits_and_fills_from_other_documents(indexed: Config, embedder: Embedder) -> None:
    plain = search_chunks("rent payment premises", k=6, config=indexed, embedder=embedder)
    assert len({h.document_id for h in plain}) < 6, "uncapped, one lease fills several ranks"
    capped = search_chunks("rent payment premises", k=6, per_document=1, config=indexed, embedder=embedder)
    assert len(capped) == 6 and len({h.document_id for h in capped}) == 6
    assert [h.rank for h in capped] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"query": "   "}, ConfigError, "empty"),
        ({"query": "x" * 2_001}, ConfigError, "limit is 2,000"),
        ({"k": 0}, ConfigError, "k must be"),
        ({"doc_type": "sonnet"}, ConfigError, "unknown document type 'sonnet'"),
        ({"document": 987654}, DocumentNotFoundError, "no such document: 987654"),
        ({"document": "/nowhere/at/all.pdf"}, BadInputError, "no stored document comes from"),
        ({"per_document": 0}, ConfigError, "at least 1"),
        ({"mode": "fuzzy"}, ConfigError, "mode must be"),
    ],
)
def test_bad_input_is_a_one_line_error(
    indexed: Config, embedder: Embedder, arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    call = {"query": "rent", "k": 3, **arguments}
    with pytest.raises(error, match=message) as raised:
        search_chunks(call.pop("query"), config=indexed, embedder=embedder, **call)  # type: ignore[arg-type]
    assert "\n" not in str(raised.value)


def test_a_missing_lexical_index_is_rebuilt_not_used(tmp_path: Path, sample_corpus: Path, embedder: Embedder) -> None:
    config = Config(home=tmp_path / "home", batch_size=32)
    run_pipeline([sample_corpus], config=config, embedder=embedder, jobs=())
    index_store = IndexStore.from_config(config)
    version = index_store.current_version()
    shutil.rmtree(index_store.versions_dir / f"{version:06d}" / LEXICAL_DIR)
    with open_store(config) as store, pytest.raises(IndexOutOfSyncError, match="lexical index"):
        reconcile(store, index_store, index_store.load().model_id)
    hits = search_chunks("governing law", k=2, mode="lexical", config=config, embedder=embedder)
    assert hits and index_store.current_version() == version + 1
    assert index_store.load_lexical() is not None


def test_the_lexical_index_follows_removed_and_added_documents(
    tmp_path: Path, sample_corpus: Path, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    config = Config(home=tmp_path / "home", batch_size=32)
    run_pipeline([corpus], config=config, embedder=embedder, jobs=())
    removed = next(p for p in sorted(corpus.iterdir()) if p.suffix == ".txt")
    with open_store(config) as store, store.session() as s:
        document_id = s.scalar(select(SourceRow.document_id).where(SourceRow.path == str(removed.resolve())))
        gone = set(s.scalars(select(ChunkRow.id).where(ChunkRow.document_id == document_id)))
    removed.unlink()
    (corpus / "added-note.txt").write_text(
        "PROGRESS NOTE\n\nThe patient reports zymoglossia after starting quetiapine.\n"
    )
    run_pipeline([corpus], config=config, embedder=embedder, jobs=(), sync=True)
    lexical = IndexStore.from_config(config).load_lexical()
    assert lexical is not None and not gone & set(lexical.chunk_ids.tolist())
    hits = search_chunks("zymoglossia", k=1, mode="lexical", config=config, embedder=embedder)
    assert hits and hits[0].source_path.endswith("added-note.txt")
    with open_store(config) as store:
        assert lexical.holds_exactly(store.embedded_chunk_ids(IndexStore.from_config(config).load().model_id))


def test_filtered_search_is_exact_on_an_approximate_index(
    tmp_path: Path, sample_corpus: Path, embedder: Embedder
) -> None:
    """Above the exact-search size the index is IVF; a one-document filter still returns all its chunks."""
    config = Config(home=tmp_path / "home", batch_size=32, index_exact_max_vectors=10, index_nprobe=1)
    run_pipeline([sample_corpus], config=config, embedder=embedder, jobs=())
    assert IndexStore.from_config(config).load().kind == "ivf"
    chunk = _chunks(config, doc_type="discharge_summary")[0]
    everything = {c.id for c in _chunks(config, id=chunk.document_id)}
    hits = search_chunks("x-ray", k=500, document=chunk.document_id, mode="dense", config=config, embedder=embedder)
    assert {h.chunk_id for h in hits} == everything
    assert np.all(np.diff([h.score for h in hits]) <= 1e-6), "ranked by similarity"


def test_a_saved_search_keeps_its_filters(indexed: Config, embedder: Embedder) -> None:
    hits = search_chunks(
        "allergies",
        k=2,
        doc_type="discharge_summary",
        section="allerg",
        since=date(2000, 1, 1),
        per_document=1,
        save=True,
        config=indexed,
        embedder=embedder,
    )
    with open_store(indexed) as store, store.session() as s:
        saved = s.execute(
            text("SELECT filters, chunk_id FROM search_results ORDER BY search_id DESC, rank LIMIT 2")
        ).all()
    filters = saved[0][0] if isinstance(saved[0][0], dict) else json.loads(saved[0][0])
    assert filters == {
        "doc_type": "discharge_summary",
        "section": "allerg",
        "since": "2000-01-01",
        "mode": "hybrid",
        "per_document": 1,
    }
    assert [row[1] for row in saved] == [h.chunk_id for h in hits]
