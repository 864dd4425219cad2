"""One writer at a time: two real processes against the same store (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
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
from analysis.errors import LockTimeoutError
from analysis.index import IndexStore
from analysis.pipeline import run_pipeline
from analysis.store import Store, open_store
from analysis.store.schema import DocumentRow, EmbeddingRow, RunRow


def _cli(config: Config, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DOCANALYSIS_HOME": str(config.home), "DOCANALYSIS_DB_URL": config.database_url}
    return subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _hold_lock(url: str, name: str) -> subprocess.Popen[str]:
    """A process that takes the store's writer lock, says so, and keeps it until killed."""
    code = (
        "import sys, time\n"
        "from analysis.store import Store\n"
        f"with Store({url!r}).writer_lock({name!r}, 30):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(600)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_two_runs_at_once_leave_one_copy_of_everything(any_config: Config, sample_corpus: Path) -> None:
    first, second = _cli(any_config, "run", "--jobs", "none", str(sample_corpus)), None
    time.sleep(1.0)  # both start while the other is working: one waits for the lock
    second = _cli(any_config, "run", "--jobs", "none", str(sample_corpus))
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs

    with Store(any_config.database_url) as store, store.session() as s:
        model_ids = list(s.scalars(select(EmbeddingRow.model_id).distinct()))
        assert len(model_ids) == 1
        documents = s.scalar(select(func.count()).select_from(DocumentRow))
        vectors = s.scalar(select(func.count()).select_from(EmbeddingRow))
        distinct_chunks = s.scalar(select(func.count(EmbeddingRow.chunk_id.distinct())))
        runs = list(s.scalars(select(RunRow).order_by(RunRow.id)))
        store_ids = store.embedded_chunk_ids(model_ids[0])
    assert vectors == distinct_chunks, "a chunk was embedded twice"
    assert [r.status for r in runs] == ["succeeded", "succeeded"]
    assert sum(r.counts.get("documents_new", 0) for r in runs) == documents
    assert min(r.counts.get("documents_new", 0) for r in runs) == 0, "the runs interleaved instead of queueing"
    index = IndexStore(any_config.index_dir).load()
    assert index is not None and np.array_equal(np.sort(index.ids()), np.sort(store_ids))


@pytest.mark.postgres
def test_the_postgres_lock_excludes_a_process_that_shares_only_the_database(
    postgres_url: str, tmp_path: Path, embedder: Embedder
) -> None:
    """Two 'machines': different home folders (no shared file to lock), one PostgreSQL database."""
    holder = _hold_lock(postgres_url, "pipeline")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("Discharge summary. The patient recovered well and went home.\n")
    elsewhere = Config(home=tmp_path / "other-machine", db_url=postgres_url, lock_timeout_s=1)
    try:
        with pytest.raises(LockTimeoutError, match="another run holds the pipeline lock"):
            run_pipeline([corpus], config=elsewhere, embedder=embedder, jobs=[])
    finally:
        holder.send_signal(signal.SIGKILL)  # a holder that dies releases the lock with its connection
        holder.wait()
    report = run_pipeline([corpus], config=elsewhere, embedder=embedder, jobs=[])
    assert report.status == "succeeded" and report.counts["documents_new"] == 1
    with Store(postgres_url) as store, store.session() as s:
        statuses = list(s.scalars(select(RunRow.status).order_by(RunRow.id)))
    assert statuses == ["failed", "succeeded"]


def test_the_sqlite_lock_excludes_a_second_process(config: Config, tmp_path: Path, embedder: Embedder) -> None:
    open_store(config).close()  # create the home folder and the database
    holder = _hold_lock(config.database_url, "index")
    try:
        with (
            Store(config.database_url) as store,
            pytest.raises(LockTimeoutError, match="index lock"),
            store.writer_lock("index", timeout_s=0.5),
        ):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    with Store(config.database_url) as store, store.writer_lock("index", timeout_s=5):
        pass
