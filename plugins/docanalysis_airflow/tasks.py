"""The TaskFlow tasks the docanalysis DAGs wire together: one library call each.

XCom carries only ids and counts. Bad input (an invalid request, a missing source folder) and
state that needs a repair command (an index out of step, a schema behind) fail the task at once
with the one-line reason; anything else (a database that is briefly down, a lock held, an LLM
endpoint down) is retried with exponential backoff by the DAG's default arguments. A document
a job cannot process is not a task failure: it is recorded in ``job_failures``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import pendulum
from airflow.sdk import Asset, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from analysis import maintenance, workflow
from analysis.errors import BadInputError, DocAnalysisError, StateError
from analysis.index import rebuild_index
from analysis.jobs.registry import REGISTRY
from analysis.run_request import parse_run_request
from analysis.store import open_store
from docanalysis_airflow.audit_listener import open_audit_row, run_type
from docanalysis_airflow.settings import (
    EMBED_QUEUE,
    GPU_POOL,
    INDEX_POOL,
    LLM_POOL,
    SHARDS,
    TASK_RETRIES,
    docanalysis_config,
)

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

FAISS_INDEX = Asset(name="docanalysis_faiss_index", uri="docanalysis://faiss-index")
"""Updated by every index task; schedule a downstream DAG on it to run after new vectors land."""

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "docanalysis",
    "retries": TASK_RETRIES,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
}

DAG_DEFAULTS: dict[str, Any] = {
    "start_date": pendulum.datetime(2026, 1, 1, tz="UTC"),
    "catchup": False,
    "default_args": DEFAULT_ARGS,
}
"""What every docanalysis DAG shares; each DAG file says its own schedule, params and limits."""


def _fail_fast(func: F) -> F:
    """Bad input, or state that needs a repair command, will not get better on a retry: fail the
    task with the one-line reason (``TransientError`` and anything unexpected are retried).

    Every task wears it, so the rule is the error group, never a list of classes per task.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (BadInputError, StateError) as exc:
            _note_refusal(str(exc), kwargs.get("dag_run") or get_current_context()["dag_run"])
            raise AirflowFailException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _note_refusal(message: str, dag_run: Any) -> None:
    """Put the reason on the run's audit row, where compliance reads it with SQL."""
    try:
        store = open_store(docanalysis_config())
    except DocAnalysisError:
        return  # the store itself is the problem; the task log has the message
    with store:
        open_audit_row(dag_run, store)  # the scheduler's listener may not have opened it yet
        store.note_audit_error(dag_id=dag_run.dag_id, dag_run_id=dag_run.run_id, error=message)


def _dag_run(dag_run: Any) -> tuple[str, str, str]:
    """(dag id, run id, trigger) of the running task's DAG run; the trigger is ``airflow:<run type>``."""
    return dag_run.dag_id, dag_run.run_id, f"airflow:{run_type(dag_run)}"


# planning ------------------------------------------------------------------
@task(multiple_outputs=True)
@_fail_fast
def start_scheduled_run(*, dag_run: Any = None) -> dict[str, Any]:
    """Open the run's row; fails at once when a configured source folder is missing."""
    dag_id, dag_run_id, trigger = _dag_run(dag_run)
    return workflow.start_scheduled_run(
        docanalysis_config(), trigger=trigger, dag_id=dag_id, dag_run_id=dag_run_id
    ).as_dict()


@task(multiple_outputs=True, retries=0)
@_fail_fast
def start_requested_run(*, dag_run: Any = None, params: Any = None) -> dict[str, Any]:
    """Check the request (paths inside the source roots, known document ids) before any work."""
    dag_id, dag_run_id, trigger = _dag_run(dag_run)
    config = docanalysis_config()
    request = parse_run_request(params, roots=config.source_roots)
    start = workflow.start_requested_run(config, request, trigger=trigger, dag_id=dag_id, dag_run_id=dag_run_id)
    log.info("run %s for %s (%s): steps %s", start.run_id, request.requested_by, request.reason, start.steps)
    return start.as_dict()


@task
@_fail_fast
def discover_changes(analysis_run_id: int, paths: list[str], steps: list[str], sync: bool) -> list[list[str]]:
    """Batches of new and changed files (at most max_mapped_tasks); removed files are forgotten with ``sync``."""
    if "ingest" not in steps:
        return [[]]
    return workflow.discover_changes(docanalysis_config(), analysis_run_id, paths, sync=sync)


@task
@_fail_fast
def plan_embed_shards(analysis_run_id: int, steps: list[str]) -> list[dict[str, int]]:
    """After ingest: ``embed_chunks``' (shard, shards), one per ``embed_shard_chunks`` chunks, at most SHARDS."""
    return workflow.plan_embed_shards(docanalysis_config(), analysis_run_id, steps, max_shards=SHARDS)


@task
@_fail_fast
def plan_job_shards(
    analysis_run_id: int, steps: list[str], scope: dict[str, Any] | None, force: bool
) -> list[dict[str, int]]:
    """After ingest: each job's (shard, shards), one per ``job_shard_documents`` documents, at most SHARDS."""
    return workflow.plan_job_shards(
        docanalysis_config(), analysis_run_id, steps, max_shards=SHARDS, scope=scope, force=force
    )


# stages --------------------------------------------------------------------
@task
@_fail_fast
def ingest_files(analysis_run_id: int, paths: list[str]) -> dict[str, int]:
    if not paths:
        return {}
    return workflow.ingest_batch(docanalysis_config(), analysis_run_id, paths)


@task(pool=GPU_POOL)
@_fail_fast
def embed_chunks(analysis_run_id: int, shard: int, shards: int, steps: list[str]) -> dict[str, int]:
    if "embed" not in steps:
        return {}
    return workflow.embed_shard(docanalysis_config(), analysis_run_id, shard, shards)


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
@_fail_fast
def update_faiss_index(analysis_run_id: int, steps: list[str]) -> dict[str, int]:
    if "embed" not in steps:
        return {}
    return workflow.publish_index(docanalysis_config(), analysis_run_id)


@task(pool=LLM_POOL)
@_fail_fast
def run_analysis_job(
    analysis_run_id: int, job: str, shard: int, shards: int, steps: list[str], scope: dict[str, Any] | None, force: bool
) -> dict[str, int]:
    """One shard of one registered job; a document it cannot process is recorded, not a task failure."""
    if job not in steps:
        return {}
    return workflow.run_job_shard(docanalysis_config(), analysis_run_id, job, shard, shards, scope=scope, force=force)


@task
@_fail_fast
def reconcile_and_report(
    analysis_run_id: int, *step_results: Sequence[Mapping[str, int]] | Mapping[str, int]
) -> dict[str, int]:
    """Fail the run if store and index disagree; record and log the run's counts."""
    counts: list[Mapping[str, int]] = []
    for result in step_results:
        # a mapped task's results: index by length, so no lookup runs past the end
        counts.extend([result] if isinstance(result, Mapping) else [result[i] for i in range(len(result))])
    return workflow.finish_run(docanalysis_config(), analysis_run_id, counts)


# maintenance ---------------------------------------------------------------
@task(retries=0)
@_fail_fast
def plan_maintenance(*, dag_run: Any = None, params: Any = None) -> int:
    dag_id, dag_run_id, trigger = _dag_run(dag_run)
    return workflow.plan_maintenance(
        docanalysis_config(),
        erase_document_ids=params.get("erase_document_ids") or [],
        reason=params.get("reason"),
        requested_by=params.get("requested_by"),
        trigger=trigger,
        dag_id=dag_id,
        dag_run_id=dag_run_id,
    )


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
@_fail_fast
def erase_documents(analysis_run_id: int, *, dag_run: Any = None, params: Any = None) -> dict[str, int]:
    """Remove the named documents from the store, the index and every index version."""
    ids = params.get("erase_document_ids") or []
    if not ids:
        return {}
    return maintenance.erase_documents(
        docanalysis_config(), ids, reason=params["reason"], requested_by=params["requested_by"], run_id=analysis_run_id
    )


@task
@_fail_fast
def vacuum_store(analysis_run_id: int) -> dict[str, int]:
    return maintenance.vacuum_store(docanalysis_config())


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
@_fail_fast
def rebuild_faiss_index(analysis_run_id: int, *, params: Any = None) -> dict[str, int]:
    """Write a fresh, compact index from the stored vectors (no re-embedding)."""
    if not params.get("rebuild_index", True):
        return {}
    return {"index_version": rebuild_index(docanalysis_config())}


# wiring --------------------------------------------------------------------
def document_pipeline(run: Any, *, sync: bool) -> None:
    """The stages after a run has started, shared by the nightly and on-demand DAGs::

    discover_changes -> ingest_files[batch] -> plan_embed_shards -> embed_chunks[shard] -> update_faiss_index
        -> one mapped task per registered job (summarize_documents[shard], ...) -> reconcile_and_report

    The plans (``plan_job_shards`` beside ``plan_embed_shards``) size the mapped steps to their
    backlog, so a small night runs one task per step. Airflow maps over a task's return value only,
    hence two plan tasks rather than one returning both.
    """
    run_id, steps, scope, force = run["run_id"], run["steps"], run["scope"], run["force"]
    batches = discover_changes(analysis_run_id=run_id, paths=run["paths"], steps=steps, sync=sync)
    ingested = ingest_files.partial(analysis_run_id=run_id).expand(paths=batches)
    embed_plan = plan_embed_shards(analysis_run_id=run_id, steps=steps)
    job_plan = plan_job_shards(analysis_run_id=run_id, steps=steps, scope=scope, force=force)
    embedded = (
        embed_chunks.override(queue=EMBED_QUEUE).partial(analysis_run_id=run_id, steps=steps).expand_kwargs(embed_plan)
    )
    indexed = update_faiss_index(analysis_run_id=run_id, steps=steps)
    job_args = dict(analysis_run_id=run_id, steps=steps, scope=scope, force=force)
    jobs = [
        run_analysis_job.override(task_id=job.task_id).partial(job=job.name, **job_args).expand_kwargs(job_plan)
        for job in REGISTRY
    ]
    ingested >> [embed_plan, job_plan]
    embedded >> indexed >> jobs
    reconcile_and_report(run_id, ingested, embedded, indexed, *jobs)
