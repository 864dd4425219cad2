"""Writes one audit row per docanalysis DAG run, on Airflow's DAG-run state changes.

Listeners run inside Airflow's own processes (the scheduler, the API server), so a
failure here is logged and never raised: an audit hiccup must not stop the scheduler.
For the same reason the store's settings come from the environment only, never from a
metastore lookup that would share (and close) the scheduler's database session.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.listeners import hookimpl

from analysis.store import Store, open_store
from docanalysis_airflow.settings import docanalysis_config

log = logging.getLogger(__name__)

DAG_PREFIX = "document_analysis_"


def _requested_by(dag_run: Any, conf: dict[str, Any]) -> str | None:
    """The person named in the request, else the Airflow user who triggered it, else the scheduler."""
    who = conf.get("requested_by") or getattr(dag_run, "triggering_user_name", None)
    if who:
        return str(who)
    return "scheduler" if run_type(dag_run) == "scheduled" else None


def run_type(dag_run: Any) -> str:
    """Airflow's run type as its value (``scheduled``, ``manual``), never the enum's name
    (``DagRunType.SCHEDULED``, which ``str()`` or an f-string gives): the audit row and the run's
    trigger (``airflow:<run type>``) both read it from here, so they agree."""
    value = getattr(dag_run.run_type, "value", dag_run.run_type)
    return str(value)


def open_audit_row(dag_run: Any, store: Store) -> None:
    """Open the run's audit row unless it exists (the listener, or a task that got there first)."""
    conf = dict(dag_run.conf or {})
    store.open_audit(
        dag_id=dag_run.dag_id,
        dag_run_id=dag_run.run_id,
        run_type=run_type(dag_run),
        requested_by=_requested_by(dag_run, conf),
        reason=conf.get("reason"),
        params=conf,
        started_at=dag_run.start_date,
    )


@hookimpl
def on_dag_run_running(dag_run: Any, msg: str) -> None:
    if not dag_run.dag_id.startswith(DAG_PREFIX):
        return
    try:
        with open_store(docanalysis_config(metastore=False)) as store:
            open_audit_row(dag_run, store)
    except Exception:
        log.exception("could not write the audit row for %s %s", dag_run.dag_id, dag_run.run_id)


def _close(dag_run: Any, outcome: str, msg: str | None) -> None:
    if not dag_run.dag_id.startswith(DAG_PREFIX):
        return
    error = msg if outcome != "success" else None
    try:
        with open_store(docanalysis_config(metastore=False)) as store:
            for attempt in range(2):
                closed = store.close_audit(
                    dag_id=dag_run.dag_id,
                    dag_run_id=dag_run.run_id,
                    outcome=outcome,
                    finished_at=dag_run.end_date,
                    error=error,
                )
                if closed is not None or attempt:
                    break
                open_audit_row(dag_run, store)  # the 'running' notification was missed: open it now
    except Exception:
        log.exception("could not finish the audit row for %s %s", dag_run.dag_id, dag_run.run_id)


@hookimpl
def on_dag_run_success(dag_run: Any, msg: str) -> None:
    _close(dag_run, "success", msg)


@hookimpl
def on_dag_run_failed(dag_run: Any, msg: str) -> None:
    _close(dag_run, "failed", msg)
