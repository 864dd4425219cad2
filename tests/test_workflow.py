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
