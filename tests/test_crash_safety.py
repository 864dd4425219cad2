"""SIGKILL in every stage, then run again: no duplicates, no half-written index, exact reconcile.

The pipeline runs as a real CLI process; the test reads its progress bars and kills it with
SIGKILL once the stage it wants is under way.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.index import IndexStore, VectorIndex
from analysis.pipeline import run_pipeline
from analysis.samples import generate_corpus
from analysis.store import Store
from analysis.store.schema import ChunkRow, DocumentRow, EmbeddingRow, RunRow, SummaryRow

pytestmark = pytest.mark.slow  # every test here runs the pipeline or kills a process


def _kill_during(config: Config, corpus: Path, stage: str, after: int) -> None:
    """Start `docanalysis run`, SIGKILL it once ``stage`` has done ``after`` units of work
    (``after=0``: once the stage has done all of them, so the kill lands in the next stage)."""
    env = {
        **os.environ,
        "DOCANALYSIS_HOME": str(config.home),
        "DOCANALYSIS_BATCH_SIZE": "8",  # small embedding batches: progress shows early
        "DOCANALYSIS_JOBS": "summarize",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "run", "--progress", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    seen = b""
    pattern = re.compile(rb"%s:[^\r\n]*?\| *(\d+)/(\d+)" % stage.encode())
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        data = os.read(process.stderr.fileno(), 65536)
        if not data:
            break
        seen = (seen + data)[-4096:]
        progress = [(int(m.group(1)), int(m.group(2))) for m in pattern.finditer(seen)]
        if progress and (max(progress)[0] >= after > 0 or (after == 0 and max(progress)[0] == progress[-1][1])):
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"the run ended before reaching {stage}: {seen[-500:]!r}"


def _assert_index_is_whole(config: Config, store: Store) -> None:
    """Whatever version readers load is complete, and holds only vectors the store has."""
    index = IndexStore(config.index_dir).load()  # raises on a half-written version
    if index is None:
        return
    stored = set(store.embedded_chunk_ids(index.model_id).tolist())
    assert set(index.ids().tolist()) <= stored


def test_sigkill_in_each_stage_then_rerun_reconciles(tmp_path: Path, embedder: Embedder) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, n=24, seed=7)
    config = Config(home=tmp_path / "home", batch_size=8, jobs="summarize")
    # the last embedding batch done: the kill lands while the index is being built and published
    for stage, after in (("ingest", 3), ("embed", 64), ("embed", 0), ("summarize", 2)):
        _kill_during(config, corpus, stage, after)
        with Store(config.database_url) as store:
            _assert_index_is_whole(config, store)

    report = run_pipeline([corpus], config=config, embedder=embedder)  # reconciles or raises
    assert report.status == "succeeded" and report.counts["runs_interrupted"] == 1  # the last one killed
    with Store(config.database_url) as store, store.session() as s:
        documents = s.scalar(select(func.count()).select_from(DocumentRow))
        chunks = s.scalar(select(func.count()).select_from(ChunkRow))
        vectors = s.scalar(select(func.count()).select_from(EmbeddingRow))
        summaries = s.scalar(select(func.count()).select_from(SummaryRow))
        distinct_summarized = s.scalar(select(func.count(SummaryRow.document_sha256.distinct())))
        unrecorded = s.scalar(
            select(func.count()).select_from(EmbeddingRow).where(EmbeddingRow.index_version.is_(None))
        )
        statuses = list(s.scalars(select(RunRow.status).order_by(RunRow.id)))
        store_ids = store.embedded_chunk_ids(embedder.model_id)
    assert documents == 24
    assert vectors == chunks, "every chunk has exactly one vector"
    assert summaries == distinct_summarized == documents, "every document has exactly one summary"
    assert unrecorded == 0
    assert statuses == ["interrupted"] * 4 + ["succeeded"]
    index = IndexStore(config.index_dir).load()
    assert index is not None and np.array_equal(np.sort(index.ids()), np.sort(store_ids))


_PUBLISH_FOREVER = """
import sys
import numpy as np
from pathlib import Path
from analysis.index import IndexStore, VectorIndex
store = IndexStore(Path(sys.argv[1]), keep_versions=2)
rng = np.random.default_rng(0)
n = 0
while True:
    n += 20000
    index = VectorIndex.empty(model_id="m", dimension=384)
    vectors = rng.standard_normal((n, 384)).astype(np.float32)
    index.add(np.arange(n, dtype=np.int64), vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    print(store.publish(index), flush=True)
"""


def test_sigkill_while_publishing_never_leaves_a_half_written_version(tmp_path: Path) -> None:
    root = tmp_path / "index"
    for attempt in range(4):
        process = subprocess.Popen(
            [sys.executable, "-c", _PUBLISH_FOREVER, str(root)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        process.stdout.readline()  # one version is out; the next is being written
        time.sleep(0.05 * attempt)
        process.send_signal(signal.SIGKILL)
        process.wait()
        index = IndexStore(root).load()
        assert index is not None
        assert index.count == len(np.unique(index.ids())) and index.count % 20000 == 0
    leftovers = [p for p in (root / "versions").iterdir() if not p.name.isdigit()]
    assert all(p.name.startswith(".staging-") for p in leftovers)
    survivor = VectorIndex.empty(model_id="m", dimension=384)
    survivor.add(np.arange(3, dtype=np.int64), np.eye(3, 384, dtype=np.float32))
    before = IndexStore(root).current_version()
    assert IndexStore(root).publish(survivor) == before + 1
    reloaded = IndexStore(root).load()
    assert reloaded is not None and reloaded.count == 3
