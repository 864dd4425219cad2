"""The real pipeline on the generated corpus, against SQLite and the real PostgreSQL server."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.errors import IndexOutOfSyncError, SourceNotFoundError
from analysis.index import IndexStore
from analysis.pipeline import rebuild_index, run_pipeline
from analysis.samples import make_document, write_text
from analysis.search import search_chunks
from analysis.store import Store
from analysis.store.schema import ChunkRow, DocumentRow, EmbeddingRow, QuarantineRow, RunRow, SourceRow


def _row_counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (DocumentRow, SourceRow, ChunkRow, EmbeddingRow, QuarantineRow)
        }


def test_full_run_then_idempotent_rerun(any_config: Config, sample_corpus: Path, embedder: Embedder) -> None:
    report = run_pipeline([sample_corpus], config=any_config, embedder=embedder, jobs=())
    assert report.status == "succeeded"
    assert report.counts["documents_new"] == 14
    reasons = {item.path.name: item.reason for item in report.quarantined}
    assert set(reasons) == {"encrypted.pdf", "corrupt.pdf", "empty.txt", "scanned.pdf"}
    assert "encrypted" in reasons["encrypted.pdf"] and "corrupt" in reasons["corrupt.pdf"]

    store = Store(any_config.database_url)
    try:
        counts = _row_counts(store)
        assert counts["documents"] == 14 and counts["quarantine"] == 4
        assert counts["chunks"] == counts["embeddings"] == report.counts["chunks_added"] > 14
        with store.session() as s:
            docs = {d.id: d for d in s.scalars(select(DocumentRow))}
            assert {d.domain for d in docs.values()} == {"legal", "medical"}
            for chunk in s.scalars(select(ChunkRow)):
                doc = docs[chunk.document_id]
                assert doc.text[chunk.char_start : chunk.char_end] == chunk.text, "provenance: offsets give the text"
                assert 1 <= chunk.page_start <= chunk.page_end <= doc.n_pages
                assert chunk.n_tokens <= 254
            assert sum(1 for d in docs.values() if d.n_pages > 1) >= 3, "PDFs keep their pages"
        index = IndexStore(any_config.index_dir).load()
        assert index is not None and index.count == counts["embeddings"]

        before = _row_counts(store)
        again = run_pipeline([sample_corpus], config=any_config, embedder=embedder, jobs=())
        assert again.counts["documents_unchanged"] == 14
        assert again.counts["quarantined_known"] == 4
        for key in ("documents_new", "chunks_added", "vectors_added", "pages_parsed", "quarantined_new"):
            assert again.counts[key] == 0, key
        assert _row_counts(store) == before, "a re-run writes no rows"
        assert again.index_version == report.index_version, "an unchanged run publishes no new index"
        with store.session() as s:
            runs = list(s.scalars(select(RunRow).order_by(RunRow.id)))
        assert [r.status for r in runs] == ["succeeded", "succeeded"]
        assert runs[0].counts["documents_new"] == 14
    finally:
        store.close()


def test_search_finds_the_document_a_query_was_written_from(
    config: Config, sample_corpus: Path, embedder: Embedder
) -> None:
    run_pipeline([sample_corpus], config=config, embedder=embedder, jobs=())
    store = Store(config.database_url)
    with store.session() as s:
        lease = s.scalar(select(DocumentRow).where(DocumentRow.doc_type == "lease"))
        lease_path = s.scalar(select(SourceRow.path).where(SourceRow.document_id == lease.id))
    store.close()
    hits = search_chunks(
        "landlord tenant premises monthly base rent security deposit", k=5, config=config, embedder=embedder
    )
    assert hits[0].doc_type == "lease"
    assert lease_path in {h.source_path for h in hits}
    medical = search_chunks(
        "chest x-ray impression no acute cardiopulmonary process",
        k=3,
        domain="medical",
        config=config,
        embedder=embedder,
    )
    assert medical and all(h.domain == "medical" for h in medical)
    assert medical[0].doc_type == "radiology_report"


def _small_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    return [
        write_text(make_document(kind, seed=seed), folder / f"{kind}-{seed}.txt")
        for kind, seed in (("nda", 11), ("discharge_summary", 12), ("progress_note", 13))
    ]


def test_changed_and_removed_files_leave_store_and_index(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    nda, discharge, note = _small_corpus(tmp_path / "src")
    first = run_pipeline([tmp_path / "src"], config=any_config, embedder=embedder, jobs=())
    store = Store(any_config.database_url)
    try:
        with store.session() as s:
            old_doc = s.scalar(select(SourceRow.document_id).where(SourceRow.path == str(nda)))
            old_chunks = set(s.scalars(select(ChunkRow.id).where(ChunkRow.document_id == old_doc)))
        assert old_chunks

        write_text(make_document("nda", seed=99), nda)  # same path, new content
        changed = run_pipeline([tmp_path / "src"], config=any_config, embedder=embedder, jobs=())
        assert changed.counts["documents_changed"] == 1 and changed.counts["documents_unchanged"] == 2
        assert changed.index_version > first.index_version
        index_ids = set(IndexStore(any_config.index_dir).load().ids().tolist())
        assert not old_chunks & index_ids, "the old version's vectors are gone from the index"
        with store.session() as s:
            assert s.scalar(select(DocumentRow).where(DocumentRow.id == old_doc)) is None
            assert not s.scalar(select(func.count()).select_from(ChunkRow).where(ChunkRow.id.in_(old_chunks)))

        note.unlink()
        kept = run_pipeline([tmp_path / "src"], config=any_config, embedder=embedder, jobs=())
        assert kept.counts["documents_removed"] == 0, "without --sync a missing file is kept"
        synced = run_pipeline([tmp_path / "src"], config=any_config, sync=True, embedder=embedder, jobs=())
        assert synced.counts["documents_removed"] == 1
        with store.session() as s:
            live_chunks = set(s.scalars(select(ChunkRow.id)))
            assert s.scalar(select(func.count()).select_from(DocumentRow)) == 2
        assert set(IndexStore(any_config.index_dir).load().ids().tolist()) == live_chunks
    finally:
        store.close()


def test_duplicate_content_at_two_paths_is_one_document(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    nda, _, _ = _small_corpus(tmp_path / "src")
    shutil.copy(nda, tmp_path / "src" / "copy-of-nda.txt")
    report = run_pipeline([tmp_path / "src"], config=config, embedder=embedder, jobs=())
    assert report.counts["documents_new"] == 3 and report.counts["documents_duplicate"] == 1
    (tmp_path / "src" / "copy-of-nda.txt").unlink()
    synced = run_pipeline([tmp_path / "src"], config=config, sync=True, embedder=embedder, jobs=())
    assert synced.counts["documents_removed"] == 0, "the content still lives at its other path"


def test_index_out_of_step_fails_loudly_and_rebuild_heals(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    _small_corpus(tmp_path / "src")
    run_pipeline([tmp_path / "src"], config=config, embedder=embedder, jobs=())
    store = Store(config.database_url)
    index_store = IndexStore(config.index_dir)
    index = index_store.load()
    index.remove(index.ids()[:2])
    index_store.publish(index)  # simulate an index that lost vectors
    from analysis.index import reconcile

    with pytest.raises(IndexOutOfSyncError, match="rebuild"):
        reconcile(store, index_store, embedder.model_id)
    rebuild_index(config)
    reconcile(store, index_store, embedder.model_id)
    assert index_store.load().count == len(store.embedded_chunk_ids(embedder.model_id))
    ids = index_store.load().ids()
    assert np.array_equal(np.sort(ids), np.sort(store.embedded_chunk_ids(embedder.model_id)))
    store.close()


def test_missing_source_is_refused_before_any_work(config: Config, tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError):
        run_pipeline([tmp_path / "nope"], config=config)
    assert not (config.home / "docanalysis.db").exists()


def test_an_unchanged_rerun_loads_no_model(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    """Incremental runs stay cheap: nothing to do means no model is even imported."""
    import subprocess
    import sys

    _small_corpus(tmp_path / "src")
    run_pipeline([tmp_path / "src"], config=config, embedder=embedder)
    script = (
        "import sys; from analysis import Config, run_pipeline; "
        f"r = run_pipeline([{str(tmp_path / 'src')!r}], config=Config(home={str(config.home)!r})); "
        "print(r.counts['documents_unchanged'], 'sentence_transformers' in sys.modules, 'llama_cpp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["3", "False", "False"]
