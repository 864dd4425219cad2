"""One run, the stages in data-flow order: ingest, embed, index, then the analysis jobs.

Each stage streams through the store, so memory does not grow with the corpus, and each
is idempotent: a re-run over unchanged input parses, embeds and writes nothing.
``workflow.py`` runs the same stages as separate scheduler steps.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis.config import Config
from analysis.embed import Embedder, LazyEmbedder, embed_pending_chunks
from analysis.errors import DocAnalysisError
from analysis.index import rebuild_index, sync_index
from analysis.ingest import ingest_sources, remove_missing_sources
from analysis.ingest.discover import validate_sources
from analysis.records import RunReport
from analysis.store import open_store

__all__ = ["RunReport", "rebuild_index", "run_pipeline"]

log = logging.getLogger(__name__)


def run_pipeline(
    paths: Sequence[Path | str],
    *,
    config: Config | None = None,
    sync: bool = False,
    trigger: str = "manual",
    params: dict[str, Any] | None = None,
    show_progress: bool = False,
    embedder: Embedder | None = None,
    jobs: Sequence[str] | None = None,
    force: bool = False,
) -> RunReport:
    """Ingest, chunk, embed and index everything under ``paths``, run the jobs; record the run.

    With ``sync`` a file that disappeared from under ``paths`` is removed from the store and
    the index. Raises IndexOutOfSyncError when store and index disagree after indexing.
    ``jobs`` defaults to the configured jobs; ``force`` recomputes their results even when a
    version for the same model and prompt exists. A document a job cannot process is recorded
    in ``job_failures`` and counted; it does not fail the run.
    """
    config = config or Config.load()
    jobs = config.job_list if jobs is None else tuple(jobs)
    roots = validate_sources([Path(p) for p in paths])
    store = open_store(config)
    lazy = LazyEmbedder(config, embedder)
    run_params = {"paths": [str(r) for r in roots], "sync": sync, "jobs": list(jobs), "force": force, **(params or {})}
    report = RunReport(run_id=store.start_run(trigger=trigger, params=run_params), status="running")
    try:
        with store.writer_lock("pipeline", config.lock_timeout_s):  # one run writes at a time
            interrupted = store.mark_interrupted_runs(report.run_id)
            if interrupted:
                log.warning("%d earlier run(s) had stopped mid-run; marked interrupted", interrupted)
                report.counts["runs_interrupted"] += interrupted
            with report.stage("ingest"):
                seen = ingest_sources(store, roots, lazy, config=config, report=report, show_progress=show_progress)
                if sync:
                    remove_missing_sources(store, roots, seen, report=report)
                report.counts["documents_purged"] += len(store.purge_orphans())
            with report.stage("embed"):
                embed_pending_chunks(
                    store, lazy, lazy.model_id, run_id=report.run_id, show_progress=show_progress, report=report
                )
            with report.stage("index"):
                report.index_version = sync_index(store, config, report=report)
            if jobs:
                from analysis.jobs import JobContext, run_job  # LLM libraries load only when jobs run

                context = JobContext(
                    store, config, lazy.get, report.run_id, report.counts, force=force, show_progress=show_progress
                )
                for job in jobs:
                    with report.stage(job):
                        run_job(context, job)
        report.status = "succeeded"
    except BaseException as exc:
        report.status = "failed"
        message = str(exc) if isinstance(exc, DocAnalysisError) else f"{type(exc).__name__}: {exc}"
        store.finish_run(
            report.run_id,
            status="failed",
            counts=dict(report.counts),
            index_version=report.index_version or None,
            error=message[:2000],
        )
        raise
    finally:
        if report.status == "succeeded":
            store.finish_run(
                report.run_id,
                status="succeeded",
                counts=dict(report.counts),
                index_version=report.index_version or None,
            )
        store.close()
    return report
