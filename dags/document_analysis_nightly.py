"""
### Nightly document analysis

Finds new, changed and removed documents under the configured source roots
(`DOCANALYSIS_SOURCES`), ingests them in mapped batches, embeds the pending chunks
in mapped shards (pool `gpu`, queue `DOCANALYSIS_EMBED_QUEUE`), updates the FAISS
index (pool `faiss_index`, one writer; emits the `docanalysis_faiss_index` asset),
runs the summary and sentiment jobs (pool `llm`), then reconciles store and index and
records the run. A night with nothing new does no model work.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag

from docanalysis_airflow.settings import EMBED_QUEUE, NIGHTLY_SCHEDULE
from docanalysis_airflow.tasks import (
    DEFAULT_ARGS,
    embed_chunks,
    ingest_files,
    plan_scheduled_run,
    reconcile_and_report,
    score_sentiment,
    summarize_documents,
    update_faiss_index,
)


@dag(
    dag_id="document_analysis_nightly",
    schedule=NIGHTLY_SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["docanalysis"],
    doc_md=__doc__,
)
def document_analysis_nightly() -> None:
    plan = plan_scheduled_run()
    run_id, steps, shards = plan["run_id"], plan["steps"], plan["shards"]

    ingested = ingest_files.partial(run_id=run_id, steps=steps).expand(paths=plan["ingest_batches"])
    embedded = embed_chunks.override(queue=EMBED_QUEUE).partial(run_id=run_id, steps=steps).expand(shard=shards)
    indexed = update_faiss_index(run_id=run_id, steps=steps)
    jobs = dict(run_id=run_id, steps=steps, scope=plan["scope"], force=plan["force"])
    summarized = summarize_documents.partial(**jobs).expand(shard=shards)
    scored = score_sentiment.partial(**jobs).expand(shard=shards)

    ingested >> embedded >> indexed >> [summarized, scored]
    reconcile_and_report(run_id, ingested, embedded, indexed, summarized, scored)


document_analysis_nightly()
