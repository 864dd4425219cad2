"""The LLM endpoint goes down mid-run: documents stay pending, the next run picks them up.

A real llama.cpp server (OpenAI-compatible) is stopped while the summarize job is running.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.llm.local_server import free_port, serve_gguf
from analysis.pipeline import RunReport, run_pipeline
from analysis.samples import make_document, write_text
from analysis.store import Store
from analysis.store.schema import RunRow, SummaryRow

KINDS = ("nda", "lease", "discharge_summary", "progress_note", "radiology_report", "services_agreement")
N_DOCUMENTS = 3  # enough to stop part-way: one written, the others pending


def _summaries(config: Config) -> int:
    with Store(config.database_url) as store, store.session() as s:
        return int(s.scalar(select(func.count()).select_from(SummaryRow)) or 0)


def test_an_endpoint_that_stops_mid_run_leaves_documents_pending(
    gguf_path: Path, tmp_path: Path, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in range(N_DOCUMENTS):
        kind = KINDS[seed % len(KINDS)]
        write_text(make_document(kind, seed=40 + seed), corpus / f"{kind}-{seed}.txt")
    port = free_port()
    config = Config(
        home=tmp_path / "home",
        jobs="summarize",
        summary_backend="llm",
        summary_strategy="map_reduce",
        summary_input_tokens=400,
        llm_backend="openai",
        llm_base_url=f"http://127.0.0.1:{port}/v1",
        llm_model="local",
        llm_max_tokens=48,
        llm_retries=1,
        llm_timeout_s=30,
    )
    run_pipeline([corpus], config=config, embedder=embedder, jobs=[])  # ingest and index first
    outcome: dict[str, RunReport | BaseException] = {}

    def run() -> None:
        try:
            outcome["report"] = run_pipeline([corpus], config=config, embedder=embedder)
        except BaseException as exc:  # surfaced by the assertions below
            outcome["error"] = exc

    with serve_gguf(gguf_path, port=port, log_path=tmp_path / "server.log"):
        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 300
        while _summaries(config) == 0 and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
    # the server is stopped here, with the job part-way through
    worker.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert isinstance(report, RunReport)
    written = report.counts["summaries_written"]
    assert report.status == "succeeded"
    assert 1 <= written < N_DOCUMENTS, "the server must stop while documents are still to do"
    assert report.counts["summaries_pending"] == N_DOCUMENTS - written
    assert _summaries(config) == written, "no failed or partial summary rows"

    with serve_gguf(gguf_path, port=port, log_path=tmp_path / "server2.log"):
        again = run_pipeline([corpus], config=config, embedder=embedder)
    assert again.counts["summaries_written"] == N_DOCUMENTS - written
    assert again.counts["summaries_pending"] == 0
    assert _summaries(config) == N_DOCUMENTS
    with Store(config.database_url) as store, store.session() as s:
        assert list(s.scalars(select(RunRow.status))) == ["succeeded"] * 3
