"""
### Store and index maintenance

Weekly (`DOCANALYSIS_MAINTENANCE_SCHEDULE`) or on request: erases documents everywhere
when `erase_document_ids` is given (with the required `reason` and `requested_by`,
kept in the `erasures` table without any content), drops orphaned documents and stale
quarantine rows, rebuilds a compact FAISS index from the stored vectors, then checks
that store and index agree.
"""

from __future__ import annotations

from airflow.sdk import Param, dag

from docanalysis_airflow.settings import MAINTENANCE_SCHEDULE
from docanalysis_airflow.tasks import (
    DAG_DEFAULTS,
    erase_documents,
    plan_maintenance,
    rebuild_faiss_index,
    reconcile_and_report,
    vacuum_store,
)


@dag(
    dag_id="document_analysis_maintenance",
    schedule=MAINTENANCE_SCHEDULE,
    max_active_runs=1,
    is_paused_upon_creation=True,  # unpausing creates the run of the latest interval at once
    **DAG_DEFAULTS,
    tags=["docanalysis"],
    doc_md=__doc__,
    params={
        "erase_document_ids": Param(
            [], type="array", items={"type": "integer", "minimum": 1}, description="Documents to erase everywhere."
        ),
        "reason": Param(None, type=["null", "string"], description="Why (required for an erasure)."),
        "requested_by": Param(None, type=["null", "string"], description="Who asks (required for an erasure)."),
        "rebuild_index": Param(True, type="boolean", description="Rebuild a compact index from stored vectors."),
    },
)
def document_analysis_maintenance() -> None:
    run_id = plan_maintenance()
    erased = erase_documents(run_id)
    vacuumed = vacuum_store(run_id)
    rebuilt = rebuild_faiss_index(run_id)
    erased >> vacuumed >> rebuilt
    reconcile_and_report(run_id, erased, vacuumed, rebuilt)


document_analysis_maintenance()
