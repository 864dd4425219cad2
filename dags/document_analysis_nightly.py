"""
### Nightly document analysis

Finds new, changed and removed documents under the configured source roots
(`DOCANALYSIS_SOURCES`), ingests them in mapped batches, embeds the pending chunks
in mapped shards (pool `gpu`, queue `DOCANALYSIS_EMBED_QUEUE`), updates the FAISS
index (pool `faiss_index`, one writer; emits the `docanalysis_faiss_index` asset),
runs the summary, sentiment and extract jobs (pool `llm`), then reconciles store and index and
records the run. A night with nothing new does no model work.
"""

from __future__ import annotations

from airflow.sdk import dag

from docanalysis_airflow.settings import NIGHTLY_SCHEDULE
from docanalysis_airflow.tasks import DAG_DEFAULTS, document_pipeline, start_scheduled_run


@dag(
    dag_id="document_analysis_nightly",
    schedule=NIGHTLY_SCHEDULE,
    max_active_runs=1,
    is_paused_upon_creation=True,  # unpausing creates the run of the latest interval at once
    **DAG_DEFAULTS,
    tags=["docanalysis"],
    doc_md=__doc__,
)
def document_analysis_nightly() -> None:
    document_pipeline(start_scheduled_run(), sync=True)


document_analysis_nightly()
