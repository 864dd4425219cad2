"""Pipeline runs and the audit trail of the DAG runs that started them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from analysis.store.engine import Repository
from analysis.store.schema import AuditRow, RunRow
from analysis.store.shared import now, storable


class Runs(Repository):
    """Pipeline runs (started, counted, finished, interrupted) and one audit row per DAG run."""

    # runs -----------------------------------------------------------------
    def start_run(
        self, *, trigger: str, params: dict[str, Any], dag_id: str | None = None, dag_run_id: str | None = None
    ) -> int:
        with self._session() as s, s.begin():
            run = RunRow(
                started_at=now(),
                status="running",
                trigger=trigger,
                params=params,
                counts={},
                dag_id=dag_id,
                dag_run_id=dag_run_id,
            )
            s.add(run)
            s.flush()
            return run.id

    def finish_run(
        self, run_id: int, *, status: str, counts: dict[str, int], index_version: int | None, error: str | None = None
    ) -> None:
        with self._session() as s, s.begin():
            s.execute(
                update(RunRow)
                .where(RunRow.id == run_id)
                .values(
                    finished_at=now(),
                    status=status,
                    counts=counts,
                    index_version=index_version,
                    error=storable(error) if error else error,
                )
            )

    def set_run_counts(self, run_id: int, counts: dict[str, int]) -> None:
        with self._session() as s, s.begin():
            s.execute(update(RunRow).where(RunRow.id == run_id).values(counts=counts))

    def run(self, run_id: int) -> RunRow | None:
        with self._session() as s:
            return s.get(RunRow, run_id)

    def run_for_dag_run(self, dag_id: str, dag_run_id: str) -> RunRow | None:
        """The latest pipeline run an Airflow DAG run started, if any."""
        with self._session() as s:
            return s.scalar(
                select(RunRow)
                .where(RunRow.dag_id == dag_id, RunRow.dag_run_id == dag_run_id)
                .order_by(RunRow.id.desc())
                .limit(1)
            )

    def recent_runs(self, limit: int = 5) -> list[RunRow]:
        with self._session() as s:
            return list(s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(limit)))

    def mark_interrupted_runs(self, current_run_id: int) -> int:
        """Library and CLI runs still 'running' while this one holds the pipeline lock died
        mid-run (killed, power lost): say so instead of leaving them running forever."""
        with self._session() as s, s.begin():
            result = s.execute(
                update(RunRow)
                .where(RunRow.status == "running", RunRow.dag_id.is_(None), RunRow.id != current_run_id)
                .values(status="interrupted", finished_at=now(), error="the process stopped before the run finished")
            )
            return int(result.rowcount or 0)

    # audit -----------------------------------------------------------------
    def open_audit(
        self,
        *,
        dag_id: str,
        dag_run_id: str,
        run_type: str,
        requested_by: str | None,
        reason: str | None,
        params: dict[str, Any],
        started_at: datetime | None,
    ) -> None:
        """Record that a DAG run started; a repeated call (a retried callback) changes nothing."""
        with self._session() as s, s.begin():
            if _audit_row(s, dag_id, dag_run_id) is not None:
                return
            s.add(
                AuditRow(
                    dag_id=dag_id,
                    dag_run_id=dag_run_id,
                    run_type=run_type,
                    requested_by=requested_by,
                    reason=reason,
                    params=params,
                    started_at=started_at or now(),
                    outcome="running",
                    counts={},
                )
            )

    def close_audit(
        self, *, dag_id: str, dag_run_id: str, outcome: str, finished_at: datetime | None, error: str | None = None
    ) -> AuditRow | None:
        """Record how a DAG run ended, with the counts of the pipeline run it started.

        A pipeline run left 'running' by a failed DAG run is marked failed, so no run row lies.
        """
        run = self.run_for_dag_run(dag_id, dag_run_id)
        with self._session() as s, s.begin():
            if run is not None and run.status == "running" and outcome != "success":
                s.execute(
                    update(RunRow)
                    .where(RunRow.id == run.id)
                    .values(finished_at=now(), status="failed", error=error or f"DAG run ended: {outcome}")
                )
            row = _audit_row(s, dag_id, dag_run_id)
            if row is None:
                return None
            row.finished_at = finished_at or now()
            row.outcome = outcome
            row.error = row.error or error  # a refusal's reason, noted by the task, is more useful
            if run is not None:
                row.run_id = run.id
                row.counts = dict(run.counts or {})
            return row

    def note_audit_error(self, *, dag_id: str, dag_run_id: str, error: str) -> None:
        """Keep why a run was refused (e.g. an invalid request) on its audit row."""
        with self._session() as s, s.begin():
            row = _audit_row(s, dag_id, dag_run_id)
            if row is not None:
                row.error = error[:2000]

    def audit_rows(self, dag_id: str | None = None) -> list[AuditRow]:
        with self._session() as s:
            query = select(AuditRow).order_by(AuditRow.id)
            if dag_id is not None:
                query = query.where(AuditRow.dag_id == dag_id)
            return list(s.scalars(query))


def _audit_row(s: Session, dag_id: str, dag_run_id: str) -> AuditRow | None:
    return s.scalar(select(AuditRow).where(AuditRow.dag_id == dag_id, AuditRow.dag_run_id == dag_run_id))
