"""The TaskFlow tasks the docanalysis DAGs wire together: one library call each.

XCom carries only ids and counts. Bad input (an invalid request, a missing source folder)
fails the task at once; anything else (a database that is briefly down) is retried with
exponential backoff by the DAG's default arguments.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any, TypeVar

from airflow.sdk import Asset, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException

from analysis import maintenance, workflow
from analysis.errors import (
    ConfigError,
    DocumentNotFoundError,
    InvalidRequestError,
    SourceNotFoundError,
)
from analysis.pipeline import rebuild_index
from analysis.run_request import parse_run_request
from docanalysis_airflow.settings import GPU_POOL, INDEX_POOL, LLM_POOL, TASK_RETRIES, docanalysis_config

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

_NOT_RETRYABLE = (ConfigError, InvalidRequestError, SourceNotFoundError, DocumentNotFoundError)


def _fail_fast_on_bad_input(func: F) -> F:
    """Bad input will not get better on a retry: fail the task with the one-line reason."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except _NOT_RETRYABLE as exc:
            raise AirflowFailException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _dag_run() -> tuple[str, str, str]:
    """(dag id, run id, trigger) of the running task's DAG run."""
    dag_run = get_current_context()["dag_run"]
    return dag_run.dag_id, dag_run.run_id, f"airflow:{dag_run.run_type}"


# planning ------------------------------------------------------------------
@task(multiple_outputs=True)
@_fail_fast_on_bad_input
def plan_scheduled_run() -> dict[str, Any]:
    """Find new, changed and removed files under the configured source roots."""
    dag_id, run_id, trigger = _dag_run()
    plan = workflow.plan_scheduled_run(docanalysis_config(), trigger=trigger, dag_id=dag_id, dag_run_id=run_id)
    log.info("run %s: %d ingest batch(es), counts %s", plan.run_id, len(plan.ingest_batches), plan.counts)
    return plan.as_dict()


@task(multiple_outputs=True, retries=0)
@_fail_fast_on_bad_input
def plan_requested_run() -> dict[str, Any]:
    """Check the request (paths inside the source roots, known document ids) before any work."""
    dag_id, run_id, trigger = _dag_run()
    config = docanalysis_config()
    request = parse_run_request(get_current_context()["params"], roots=config.source_roots)
    plan = workflow.plan_requested_run(config, request, trigger=trigger, dag_id=dag_id, dag_run_id=run_id)
    log.info("run %s for %s (%s): steps %s", plan.run_id, request.requested_by, request.reason, plan.steps)
    return plan.as_dict()


# stages --------------------------------------------------------------------
@task
def ingest_files(run_id: int, paths: list[str], steps: list[str]) -> dict[str, int]:
    if "ingest" not in steps or not paths:
        return {}
    return workflow.ingest_batch(docanalysis_config(), run_id, paths)


@task(pool=GPU_POOL)
def embed_chunks(run_id: int, shard: int, steps: list[str]) -> dict[str, int]:
    if "embed" not in steps:
        return {}
    return workflow.embed_shard(docanalysis_config(), run_id, shard)


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
def update_faiss_index(run_id: int, steps: list[str]) -> dict[str, int]:
    if "embed" not in steps:
        return {}
    return workflow.publish_index(docanalysis_config(), run_id)


@task(pool=LLM_POOL)
def summarize_documents(
    run_id: int, shard: int, steps: list[str], scope: dict[str, Any] | None, force: bool
) -> dict[str, int]:
    if "summarize" not in steps:
        return {}
    return workflow.run_job_shard(docanalysis_config(), run_id, "summarize", shard, scope=scope, force=force)


@task(pool=LLM_POOL)
def score_sentiment(
    run_id: int, shard: int, steps: list[str], scope: dict[str, Any] | None, force: bool
) -> dict[str, int]:
    if "sentiment" not in steps:
        return {}
    return workflow.run_job_shard(docanalysis_config(), run_id, "sentiment", shard, scope=scope, force=force)


@task
def reconcile_and_report(run_id: int, *step_results: Iterable[Mapping[str, int]] | Mapping[str, int]) -> dict[str, int]:
    """Fail the run if store and index disagree; record and log the run's counts."""
    counts: list[Mapping[str, int]] = []
    for result in step_results:
        counts.extend([result] if isinstance(result, Mapping) else list(result))
    return workflow.finish_run(docanalysis_config(), run_id, counts)


# maintenance ---------------------------------------------------------------
@task(retries=0)
@_fail_fast_on_bad_input
def plan_maintenance() -> int:
    dag_id, run_id, trigger = _dag_run()
    params = get_current_context()["params"]
    return workflow.plan_maintenance(
        docanalysis_config(),
        erase_document_ids=params.get("erase_document_ids") or [],
        reason=params.get("reason"),
        requested_by=params.get("requested_by"),
        trigger=trigger,
        dag_id=dag_id,
        dag_run_id=run_id,
    )


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
@_fail_fast_on_bad_input
def erase_documents(run_id: int) -> dict[str, int]:
    """Remove the named documents from the store, the index and every index version."""
    params = get_current_context()["params"]
    ids = params.get("erase_document_ids") or []
    if not ids:
        return {}
    return maintenance.erase_documents(
        docanalysis_config(), ids, reason=params["reason"], requested_by=params["requested_by"], run_id=run_id
    )


@task
def vacuum_store(run_id: int) -> dict[str, int]:
    return maintenance.vacuum_store(docanalysis_config())


@task(pool=INDEX_POOL, outlets=[FAISS_INDEX])
def rebuild_faiss_index(run_id: int) -> dict[str, int]:
    """Write a fresh, compact index from the stored vectors (no re-embedding)."""
    if not get_current_context()["params"].get("rebuild_index", True):
        return {}
    return {"index_version": rebuild_index(docanalysis_config())}
