"""The pipeline cut into steps that a scheduler runs as separate, parallel tasks.

Each step opens the store from the configuration and takes and returns only ids and
counts (all a scheduler should pass between tasks). Each is idempotent, so a retried
task redoes nothing that is done, and embedding and jobs split their work into shards
by id so that several workers can share it without coordination.
"""

from __future__ import annotations

import logging
import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.config import Config
from analysis.embed import SharedLazyEmbedder, embed_pending_chunks, embedding_model_id
from analysis.errors import IndexOutOfSyncError, InvalidRequestError
from analysis.index import IndexStore, reconcile, sync_index
from analysis.ingest import files_to_ingest, ingest_found
from analysis.ingest.discover import found_file, validate_sources
from analysis.records import RunReport
from analysis.run_request import RunRequest
from analysis.store import DocumentSelection, Store, open_store

log = logging.getLogger(__name__)

Counts = dict[str, int]


@dataclass(frozen=True)
class RunStart:
    """A started run: its row id, the steps it runs and the documents its jobs cover.

    ``scope`` None means every document (a scheduled run); otherwise the request's paths,
    document ids and date, resolved to documents when the jobs run (after ingest).
    """

    run_id: int
    steps: list[str]
    scope: dict[str, Any] | None = None
    force: bool = False
    paths: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def start_scheduled_run(
    config: Config, *, trigger: str, dag_id: str | None = None, dag_run_id: str | None = None
) -> RunStart:
    """Start a run over the configured source roots (which must exist)."""
    roots = validate_sources(list(config.source_roots))
    params = {"paths": [str(r) for r in roots], "sync": True, "jobs": list(config.job_list)}
    with open_store(config) as store:
        run_id = _start_or_resume(store, trigger=trigger, params=params, dag_id=dag_id, dag_run_id=dag_run_id)
    return RunStart(run_id=run_id, steps=["ingest", "embed", *config.job_list], paths=[str(r) for r in roots])


def start_requested_run(
    config: Config, request: RunRequest, *, trigger: str, dag_id: str | None = None, dag_run_id: str | None = None
) -> RunStart:
    """Start an on-demand run limited to the documents a request names (which must exist)."""
    with open_store(config) as store:
        store.require_documents(request.document_ids)
        run_id = _start_or_resume(
            store, trigger=trigger, params=request.as_params(), dag_id=dag_id, dag_run_id=dag_run_id
        )
    scope = {k: v for k, v in request.as_params().items() if k in ("paths", "document_ids", "since")}
    return RunStart(
        run_id=run_id,
        steps=list(request.steps),
        scope=scope,
        force=request.force,
        paths=[str(p) for p in request.paths],
    )


def discover_changes(config: Config, run_id: int, paths: Sequence[str], *, sync: bool) -> list[list[str]]:
    """Batches of the files under ``paths`` whose content is not stored yet.

    With ``sync`` files that disappeared are forgotten (documents, vectors, quarantine rows).
    There is always at least one (possibly empty) batch, so the steps after ingest still run
    on a quiet night and finish what an earlier, failed run left pending.
    """
    report = RunReport(run_id=run_id, status="running")
    with open_store(config) as store:
        to_ingest = files_to_ingest(store, [Path(p) for p in paths], report, sync=sync)
        report.counts["documents_purged"] += len(store.purge_orphans())
        store.set_run_counts(run_id, dict(report.counts))
    log.info("run %s: %d file(s) to ingest; %s", run_id, len(to_ingest), dict(report.counts))
    return _batches(to_ingest, config)


def plan_maintenance(
    config: Config,
    *,
    erase_document_ids: Sequence[int],
    reason: str | None,
    requested_by: str | None,
    trigger: str,
    dag_id: str | None = None,
    dag_run_id: str | None = None,
) -> int:
    """Check a maintenance request (an erasure needs a reason and a requester) and start its run."""
    ids = sorted({int(i) for i in erase_document_ids})
    if ids and not ((reason or "").strip() and (requested_by or "").strip()):
        raise InvalidRequestError(["erasing documents needs a reason and requested_by"])
    params = {"erase_document_ids": ids, "reason": reason, "requested_by": requested_by}
    with open_store(config) as store:
        store.require_documents(ids)
        return _start_or_resume(store, trigger=trigger, params=params, dag_id=dag_id, dag_run_id=dag_run_id)


def _start_or_resume(
    store: Store, *, trigger: str, params: dict[str, Any], dag_id: str | None, dag_run_id: str | None
) -> int:
    """A retried planning task keeps the run row its first try started."""
    if dag_id and dag_run_id:
        earlier = store.run_for_dag_run(dag_id, dag_run_id)
        if earlier is not None and earlier.status == "running":
            return earlier.id
    return store.start_run(trigger=trigger, params=params, dag_id=dag_id, dag_run_id=dag_run_id)


def _batches(paths: list[str], config: Config) -> list[list[str]]:
    """Batches of at least ``ingest_batch_files``, never more than ``max_mapped_tasks`` of them."""
    if not paths:
        return [[]]
    size = max(config.ingest_batch_files, math.ceil(len(paths) / config.max_mapped_tasks))
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def ingest_batch(config: Config, run_id: int, paths: Sequence[str]) -> Counts:
    """Parse, classify, section and chunk one batch of files (each hashed again: it may have changed)."""
    report = RunReport(run_id=run_id, status="running")
    found = []
    for path in map(Path, paths):
        if not os.path.lexists(path):  # removed since it was planned; the next scheduled run forgets it
            report.counts["files_vanished"] += 1
            continue
        # checked again against its source folder: it may have become a link out of it since planning
        root = next((r for r in config.source_roots if path.is_relative_to(r)), path.parent)
        found.append(found_file(path, root))
    with open_store(config) as store:
        ingest_found(store, found, SharedLazyEmbedder(config), config=config, report=report)
    return dict(report.counts)


Shards = list[dict[str, int]]
"""The arguments of a step's mapped tasks, one dict each: ``{"shard": k, "shards": n}``."""


def shard_count(work: int, per_shard: int, max_shards: int) -> int:
    """One shard per ``per_shard`` items of work, at least one (a mapped task over nothing would be
    skipped, and the run's last task with it) and at most ``max_shards``."""
    return max(1, min(max_shards, math.ceil(work / per_shard)))


def shards(n: int) -> Shards:
    return [{"shard": k, "shards": n} for k in range(n)]


# Each mapped task loads its model, so a small night runs one task per step instead of
# ``max_shards`` tasks that mostly load models; a large backlog spreads over the workers.
def plan_embed_shards(config: Config, run_id: int, steps: Sequence[str], *, max_shards: int) -> Shards:
    """After ingest: one embedding shard per ``embed_shard_chunks`` chunks without a vector."""
    with open_store(config) as store:
        pending = store.count_chunks_to_embed(embedding_model_id(config)) if "embed" in steps else 0
    n = shard_count(pending, config.embed_shard_chunks, max_shards)
    log.info("run %s: %d chunk(s) to embed in %d shard(s)", run_id, pending, n)
    return shards(n)


def plan_job_shards(
    config: Config,
    run_id: int,
    steps: Sequence[str],
    *,
    max_shards: int,
    scope: Mapping[str, Any] | None = None,
    force: bool = False,
) -> Shards:
    """After ingest: one shard of every job per ``job_shard_documents`` documents that the busiest
    job in ``steps`` has still to do (each job is built for its model and prompt; none is loaded)."""
    from analysis.jobs.registry import JOB_NAMES
    from analysis.jobs.runner import count_documents_to_do

    lazy = SharedLazyEmbedder(config)  # never loaded here
    todo = {}
    with open_store(config) as store:
        only = DocumentSelection(document_ids=documents_in_scope(store, scope))
        for job in (j for j in JOB_NAMES if j in steps):
            todo[job] = count_documents_to_do(store, config, job, lazy.get, force=force, only=only)
    n = shard_count(max(todo.values(), default=0), config.job_shard_documents, max_shards)
    log.info("run %s: documents to do %s; %d shard(s) per job", run_id, todo, n)
    return shards(n)


def embed_shard(config: Config, run_id: int, shard: int, shards: int) -> Counts:
    """Embed the pending chunks of one shard (chunk id modulo ``shards``)."""
    report = RunReport(run_id=run_id, status="running")
    lazy = SharedLazyEmbedder(config)
    with open_store(config) as store:
        embed_pending_chunks(store, lazy, lazy.model_id, run_id=run_id, report=report, shard=(shard, shards))
    return dict(report.counts)


def publish_index(config: Config, run_id: int) -> Counts:
    """Bring the FAISS index in line with the store and publish it (one writer, under a lock)."""
    report = RunReport(run_id=run_id, status="running")
    with open_store(config) as store:
        version = sync_index(store, config, report=report)
    return {**report.counts, "index_version": version}


def run_job_shard(
    config: Config,
    run_id: int,
    job: str,
    shard: int,
    shards: int,
    *,
    scope: Mapping[str, Any] | None = None,
    force: bool = False,
) -> Counts:
    """Run one analysis job over one shard of the documents in scope.

    A document the job cannot process is recorded in ``job_failures`` and counted
    (``<results>_failed``); it never fails the step.
    """
    from analysis.jobs import JobContext, run_job  # LLM libraries load only when jobs run

    counts: Counter[str] = Counter()
    lazy = SharedLazyEmbedder(config)
    with open_store(config) as store:
        only = DocumentSelection(document_ids=documents_in_scope(store, scope), shard=(shard, shards))
        run_job(JobContext(store, config, lazy.get, run_id, counts, force=force, only=only), job)
    return dict(counts)


def documents_in_scope(store: Store, scope: Mapping[str, Any] | None) -> frozenset[int] | None:
    """The documents a request names by path, id or date; None (all) for a scheduled run."""
    if scope is None:
        return None
    ids = set(scope.get("document_ids") or ())
    if scope.get("paths"):
        ids |= store.document_ids_at(scope["paths"])
    if scope.get("since"):
        ids |= store.document_ids_since(datetime.fromisoformat(scope["since"]))
    return frozenset(ids)


def finish_run(config: Config, run_id: int, step_counts: Iterable[Mapping[str, int] | None]) -> Counts:
    """Add up the steps' counts, check that store and index agree, and close the run row.

    Raises IndexOutOfSyncError (and marks the run failed) when they do not agree.
    """
    total: Counter[str] = Counter()
    index_version = None
    for counts in step_counts:
        for key, value in (counts or {}).items():
            if key == "index_version":
                index_version = int(value) or None
            else:
                total[key] += int(value)
    with open_store(config) as store:
        planned = store.run(run_id)
        total.update((planned.counts if planned else None) or {})
        try:
            reconcile(store, IndexStore.from_config(config), embedding_model_id(config))
        except IndexOutOfSyncError as exc:
            store.finish_run(run_id, status="failed", counts=dict(total), index_version=index_version, error=str(exc))
            raise
        store.finish_run(run_id, status="succeeded", counts=dict(total), index_version=index_version)
    log.info("run %s succeeded: %s", run_id, dict(sorted(total.items())))
    return dict(total)
