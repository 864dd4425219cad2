"""
### On-demand document analysis (compliance)

Runs the pipeline for named files or folders (`paths`, inside the configured source
roots), named `document_ids`, or documents stored or changed `since` a date. `jobs`
picks the steps; `force` recomputes summaries and sentiment even when this model and
prompt already made them. `requested_by` and `reason` are required and go into the
audit row. An invalid request fails the first task before any work, saying what is wrong.
"""

from __future__ import annotations

from airflow.sdk import Param, dag

from analysis.run_request import RUN_STEPS
from docanalysis_airflow.tasks import DAG_DEFAULTS, document_pipeline, start_requested_run


@dag(
    dag_id="document_analysis_on_demand",
    schedule=None,
    # Nothing runs by itself (no schedule), so it need not start paused: a request triggered
    # on a fresh install would otherwise wait `queued`, with no error, until someone unpauses it.
    is_paused_upon_creation=False,
    **DAG_DEFAULTS,
    tags=["docanalysis", "compliance"],
    doc_md=__doc__,
    params={
        "requested_by": Param(type="string", minLength=1, description="Who asks for this run (recorded)."),
        "reason": Param(type="string", minLength=1, description="Why, e.g. a ticket number (recorded)."),
        "paths": Param(
            [],
            type="array",
            items={"type": "string", "minLength": 1},
            description="Files or folders inside the configured source roots; relative ones start at the first root.",
        ),
        "document_ids": Param(
            [], type="array", items={"type": "integer", "minimum": 1}, description="Stored document ids."
        ),
        "since": Param(
            None,
            type=["null", "string"],
            description="Documents stored or changed at or after this ISO date or time, e.g. 2026-11-01.",
        ),
        "jobs": Param(
            list(RUN_STEPS),
            type="array",
            items={"type": "string", "enum": list(RUN_STEPS)},
            uniqueItems=True,
            description="Steps to run.",
        ),
        "force": Param(False, type="boolean", description="Recompute summaries and sentiment even if cached."),
    },
)
def document_analysis_on_demand() -> None:
    document_pipeline(start_requested_run(), sync=False)


document_analysis_on_demand()
