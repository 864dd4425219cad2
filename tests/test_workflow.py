"""The pipeline as separate steps, as a scheduler runs them: same results as one run,
sharded work splits cleanly, and the number of mapped tasks stays bounded."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis import workflow
from analysis.config import Config
from analysis.embed import Embedder, model_id_for
from analysis.index import IndexStore
from analysis.store import open_store


def _steps(config: Config, shards: int) -> dict[str, int]:
    start = workflow.start_scheduled_run(config, trigger="test")
    batches = workflow.discover_changes(config, start.run_id, start.paths, sync=True)
    results = [workflow.ingest_batch(config, start.run_id, batch) for batch in batches]
    results += [workflow.embed_shard(config, start.run_id, k, shards) for k in range(shards)]
    results.append(workflow.publish_index(config, start.run_id))
    for job in ("summarize", "sentiment"):
        results += [workflow.run_job_shard(config, start.run_id, job, k, shards) for k in range(shards)]
    return workflow.finish_run(config, start.run_id, results)


def test_steps_in_shards_process_everything_once(any_config: Config, sample_corpus: Path, embedder: Embedder) -> None:
    config = Config(home=any_config.home, db_url=any_config.db_url, sources=str(sample_corpus), ingest_batch_files=5)
    counts = _steps(config, shards=3)
    assert counts["documents_new"] == 14
    assert counts["vectors_added"] == counts["chunks_added"] == counts["index_added"]
    assert counts["summaries_written"] == 14
    store = open_store(config)
    try:
        index = IndexStore(config.index_dir).load()
        assert index is not None
        stored = store.embedded_chunk_ids(model_id_for(config.embedding_model))
        assert np.array_equal(np.sort(index.ids()), np.sort(stored))
        assert store.counts()["summaries"] == 14
        assert store.recent_runs(1)[0].status == "succeeded"
    finally:
        store.close()
    again = _steps(config, shards=2)
    assert again["documents_unchanged"] == 14
    assert not again.get("vectors_added") and not again.get("summaries_written")


def test_batches_never_exceed_the_mapped_task_bound(tmp_path: Path) -> None:
    config = Config(home=tmp_path, ingest_batch_files=10, max_mapped_tasks=7)
    paths = [f"/f/{i}" for i in range(1000)]
    batches = workflow._batches(paths, config)
    assert len(batches) <= 7
    assert sum(batches, []) == paths
    assert workflow._batches([], config) == [[]]  # one empty batch: the later steps still run


def test_shards_follow_the_backlog_between_one_and_the_most() -> None:
    assert workflow.shard_count(0, 5000, 4) == 1  # a quiet night still runs the step once
    assert workflow.shard_count(600, 5000, 4) == 1  # a small night: one task, one model load
    assert workflow.shard_count(5001, 5000, 4) == 2
    assert workflow.shard_count(10**6, 5000, 4) == 4
    assert workflow.shards(2) == [{"shard": 0, "shards": 2}, {"shard": 1, "shards": 2}]


def test_the_plans_count_chunks_to_embed_and_documents_the_busiest_job_has_left(
    config: Config, sample_corpus: Path
) -> None:
    config = config.replace(sources=str(sample_corpus), embed_shard_chunks=10, job_shard_documents=4)
    start = workflow.start_scheduled_run(config, trigger="test")
    for batch in workflow.discover_changes(config, start.run_id, start.paths, sync=True):
        workflow.ingest_batch(config, start.run_id, batch)
    assert workflow.plan_embed_shards(config, start.run_id, start.steps, max_shards=3) == workflow.shards(3)  # capped
    assert workflow.plan_embed_shards(config, start.run_id, ["summarize"], max_shards=3) == workflow.shards(1)
    jobs = workflow.plan_job_shards(config, start.run_id, start.steps, max_shards=8)
    assert jobs == workflow.shards(4)  # 14 documents, 4 each
    assert workflow.plan_job_shards(config, start.run_id, ["ingest", "embed"], max_shards=8) == workflow.shards(1)
    # a request naming one document: one shard, whatever else the store holds
    one = {"paths": [str(sample_corpus / "legal-nda-0002.pdf")]}
    assert workflow.plan_job_shards(config, start.run_id, start.steps, max_shards=8, scope=one) == workflow.shards(1)
