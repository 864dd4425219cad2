"""The DAGs run end to end with ``dag.test()`` on the generated corpus, on SQLite and PostgreSQL.

Each task calls the real library (real model, real FAISS, real store); the audit rows
come from the plugin's listener, which Airflow loads from plugins/.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import pytest
from hostile_files import lone_surrogate_pdf
from sqlalchemy import create_engine, text

from analysis.config import Config
from analysis.embed import model_id_for
from analysis.index import INDEX_FILE, IndexStore
from analysis.store import open_store


def _run(dagbag: Any, dag_id: str, conf: dict[str, Any] | None = None) -> Any:
    """One run of a freshly parsed DAG, as a worker would parse it.

    ``dag.test`` runs tasks in this process and writes the conf into the DAG's Param objects,
    so a DAG object reused across runs would carry one run's conf into the next.
    """
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dagbag.dag_folder).get_dag(dag_id).test(run_conf=conf)


def _failed_tasks(dag_run: Any) -> set[str]:
    return {ti.task_id for ti in dag_run.get_task_instances() if ti.state == "failed"}


def _mapped_tasks(dag_run: Any, task_id: str) -> int:
    return sum(1 for ti in dag_run.get_task_instances() if ti.task_id == task_id)


def _index_ids(config: Config) -> np.ndarray:
    index = IndexStore(config.index_dir).load()
    assert index is not None
    return np.sort(index.ids())


def test_nightly_processes_the_corpus_then_does_no_work(dagbag: Any, docanalysis_env: Config) -> None:
    config = docanalysis_env
    first = _run(dagbag, "document_analysis_nightly")
    assert first.state == "success", _failed_tasks(first)
    # a small night: one task per sharded step, so each model loads once (not DOCANALYSIS_SHARDS times)
    for sharded in ("embed_chunks", "summarize_documents", "score_sentiment", "extract_facts"):
        assert _mapped_tasks(first, sharded) == 1, sharded

    store = open_store(config)
    try:
        counts = store.counts()
        assert counts["documents"] == 14
        assert counts["quarantined"] >= 4  # encrypted, corrupt, empty, image-only, unsupported
        assert counts["summaries"] == 14
        assert counts["sentiments"] > counts["chunks"]  # one per chunk plus one per document
        model_id = model_id_for(config.embedding_model)
        assert np.array_equal(_index_ids(config), np.sort(store.embedded_chunk_ids(model_id)))
        version = IndexStore(config.index_dir).current_version()

        second = _run(dagbag, "document_analysis_nightly")
        assert second.state == "success", _failed_tasks(second)
        latest = store.run_for_dag_run("document_analysis_nightly", second.run_id)
        assert latest is not None and latest.status == "succeeded"
        assert latest.counts["documents_unchanged"] == 14
        for work in ("documents_new", "vectors_added", "index_added", "summaries_written", "sentiments_written"):
            assert latest.counts.get(work, 0) == 0, work
        assert IndexStore(config.index_dir).current_version() == version
        assert store.counts()["documents"] == 14

        with store.session() as s:  # lineage reaches the DAG run that produced each result
            dag_runs = set(s.scalars(text("SELECT DISTINCT dag_run_id FROM result_lineage")))
        assert dag_runs == {first.run_id}

        audit = store.audit_rows("document_analysis_nightly")
        assert [a.dag_run_id for a in audit] == [first.run_id, second.run_id]
        # the run's trigger names Airflow's run type as the audit row does (not `airflow:DagRunType.MANUAL`)
        assert {a.run_type for a in audit} == {"manual"}  # dag.test() makes manual runs
        assert latest.trigger == "airflow:manual"
        assert all(a.outcome == "success" and a.finished_at and a.requested_by for a in audit)
        assert audit[0].counts["documents_new"] == 14
        assert audit[1].run_id == latest.id
    finally:
        store.close()


@pytest.mark.parametrize("any_config", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_nightly_forgets_a_removed_file(dagbag: Any, docanalysis_env: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """With small shards the backlog spreads over several tasks (at most DOCANALYSIS_SHARDS, 4), and
    the sharded steps still leave store and index in agreement. On PostgreSQL only, the store of
    the cluster's sharded runs: test_workflow.py runs the shards on SQLite too."""
    monkeypatch.setenv("DOCANALYSIS_EMBED_SHARD_CHUNKS", "10")
    monkeypatch.setenv("DOCANALYSIS_JOB_SHARD_DOCUMENTS", "5")
    first = _run(dagbag, "document_analysis_nightly")
    assert first.state == "success", _failed_tasks(first)
    assert _mapped_tasks(first, "embed_chunks") == 4  # far more than 40 chunks, capped
    assert _mapped_tasks(first, "summarize_documents") == 3  # 14 documents, 5 per shard
    inbox = docanalysis_env.source_roots[0]
    (inbox / "legal-lease-0004.pdf").unlink()
    second = _run(dagbag, "document_analysis_nightly")
    assert second.state == "success", _failed_tasks(second)
    assert _mapped_tasks(second, "embed_chunks") == 1  # nothing left to embed
    store = open_store(docanalysis_env)
    try:
        assert store.counts()["documents"] == 13
        run = store.run_for_dag_run("document_analysis_nightly", second.run_id)
        assert run is not None and run.counts["documents_removed"] == 1
        model_id = model_id_for(docanalysis_env.embedding_model)
        assert np.array_equal(_index_ids(docanalysis_env), np.sort(store.embedded_chunk_ids(model_id)))
    finally:
        store.close()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
def test_on_demand_runs_a_request_and_records_who_and_why(dagbag: Any, docanalysis_env: Config) -> None:
    conf = {"paths": ["legal-nda-0002.pdf"], "requested_by": "c.lee", "reason": "TICKET-123"}
    first = _run(dagbag, "document_analysis_on_demand", conf)
    assert first.state == "success", _failed_tasks(first)
    store = open_store(docanalysis_env)
    try:
        assert store.counts()["documents"] == 1
        assert store.counts()["summaries"] == 1
        (audit,) = store.audit_rows("document_analysis_on_demand")
        assert (audit.requested_by, audit.reason, audit.outcome) == ("c.lee", "TICKET-123", "success")
        assert audit.params["paths"] == ["legal-nda-0002.pdf"]
        assert audit.counts["documents_new"] == 1
        (document_id,) = store.existing_document_ids(range(1, 100))

        # force: recompute the summary of one named document, replacing it rather than adding a copy
        forced = _run(
            dagbag,
            "document_analysis_on_demand",
            {
                "document_ids": [document_id],
                "jobs": ["summarize"],
                "force": True,
                "requested_by": "c.lee",
                "reason": "re-run",
            },
        )
        assert forced.state == "success", _failed_tasks(forced)
        run = store.run_for_dag_run("document_analysis_on_demand", forced.run_id)
        assert run is not None and run.counts["summaries_written"] == 1
        assert "sentiments_written" not in run.counts
        assert store.counts()["summaries"] == 1
    finally:
        store.close()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("conf", "why"),
    [
        ({"paths": ["/etc/passwd"], "requested_by": "c.lee", "reason": "T-9"}, "outside the source roots"),
        ({"paths": ["../../etc"], "requested_by": "c.lee", "reason": "T-9"}, "outside the source roots"),
        ({"paths": ["no-such-file.pdf"], "requested_by": "c.lee", "reason": "T-9"}, "does not exist"),
        ({"requested_by": "c.lee", "reason": "T-9"}, "name at least one of paths, document_ids or since"),
        ({"document_ids": [999], "requested_by": "c.lee", "reason": "T-9"}, "no such document: 999"),
    ],
    ids=["outside-roots", "dot-dot", "missing-path", "nothing-named", "unknown-id"],
)
def test_on_demand_refuses_an_invalid_request_before_any_work(
    dagbag: Any, docanalysis_env: Config, conf: dict[str, Any], why: str
) -> None:
    dag_run = _run(dagbag, "document_analysis_on_demand", conf)
    assert dag_run.state == "failed"
    assert _failed_tasks(dag_run) == {"start_requested_run"}
    store = open_store(docanalysis_env)
    try:
        assert store.counts()["documents"] == 0
        assert store.recent_runs() == []
        (audit,) = store.audit_rows("document_analysis_on_demand")
        assert audit.outcome == "failed"
        assert why in audit.error  # the one-line reason, for compliance to read in SQL
    finally:
        store.close()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "conf",
    [
        {"paths": ["legal-nda-0002.pdf"], "reason": "TICKET-9"},  # who is missing
        {"paths": ["legal-nda-0002.pdf"], "requested_by": "c.lee", "reason": ""},  # empty reason
        {"paths": ["legal-nda-0002.pdf"], "requested_by": "c.lee", "reason": "x", "jobs": ["translate"]},
        {"document_ids": ["seven"], "requested_by": "c.lee", "reason": "x"},
    ],
    ids=["no-requester", "empty-reason", "unknown-job", "bad-id-type"],
)
def test_on_demand_params_schema_rejects_bad_conf(dagbag: Any, docanalysis_env: Config, conf: dict[str, Any]) -> None:
    from airflow.sdk.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        _run(dagbag, "document_analysis_on_demand", conf)
    store = open_store(docanalysis_env)
    try:
        assert store.counts()["documents"] == 0
    finally:
        store.close()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
def test_maintenance_erases_a_document_everywhere(dagbag: Any, docanalysis_env: Config) -> None:
    assert _run(dagbag, "document_analysis_nightly").state == "success"
    store = open_store(docanalysis_env)
    try:
        inbox = Path(docanalysis_env.source_roots[0])
        (victim,) = store.document_ids_at([str(inbox / "medical-discharge_summary-0008.pdf")])
        _, chunks = store.document_for_jobs(victim, model_id_for(docanalysis_env.embedding_model))
        victim_chunks = [c.id for c in chunks]
        refused = _run(dagbag, "document_analysis_maintenance", {"erase_document_ids": [victim]})
        assert refused.state == "failed"  # an erasure needs a reason and a requester
        assert victim in store.existing_document_ids([victim])

        erased = _run(
            dagbag,
            "document_analysis_maintenance",
            {"erase_document_ids": [victim], "reason": "GDPR-42", "requested_by": "dpo"},
        )
        assert erased.state == "success", _failed_tasks(erased)
        assert store.existing_document_ids([victim]) == set()
        model_id = model_id_for(docanalysis_env.embedding_model)
        assert np.array_equal(_index_ids(docanalysis_env), np.sort(store.embedded_chunk_ids(model_id)))
        # no index version left on disk holds the erased vectors (older ones are deleted)
        versions = [p for p in (docanalysis_env.index_dir / "versions").iterdir() if p.name.isdigit()]
        assert versions
        for folder in versions:
            ids = faiss.vector_to_array(faiss.read_index(str(folder / INDEX_FILE)).id_map)
            assert not set(victim_chunks) & set(ids.tolist()), folder.name
        (audit,) = [a for a in store.audit_rows("document_analysis_maintenance") if a.outcome == "success"]
        assert audit.reason == "GDPR-42" and audit.counts["documents_erased"] == 1
    finally:
        store.close()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
def test_a_database_behind_the_code_is_refused_without_retries(dagbag: Any, docanalysis_env: Config) -> None:
    from analysis.store.migrate import upgrade

    docanalysis_env.home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(docanalysis_env.database_url)
    try:
        upgrade(engine, "0002")
        dag_run = _run(dagbag, "document_analysis_nightly")
        assert dag_run.state == "failed"
        (start,) = [ti for ti in dag_run.get_task_instances() if ti.task_id == "start_scheduled_run"]
        assert start.state == "failed" and start.try_number == 1  # bad state, not a transient error
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM runs")).scalar_one() == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("any_config", ["sqlite"], indirect=True)
def test_documents_that_cannot_be_used_fail_neither_a_task_nor_the_run(
    dagbag: Any, docanalysis_env: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of these failed its task (and so the DAG run) before: a file whose name is not UTF-8 (at
    planning), a PDF whose text layer holds a lone surrogate (in ingest_files). The third is the
    chunking guard, made to raise for one named document. The run's counts and audit row show them."""
    import analysis.ingest.stage as stage

    inbox = docanalysis_env.source_roots[0]
    (inbox / os.fsdecode(b"caf\xe9.txt")).write_text("A note about the lease; the tenant pays the rent monthly.")
    (inbox / "surrogate.pdf").write_bytes(lone_surrogate_pdf())
    (inbox / "chunker-raises.txt").write_text("Services agreement. The supplier delivers monthly.")
    chunk_document = stage.chunk_document

    def chunker_raising_for_one_document(document: Any, *args: Any, **kwargs: Any) -> Any:
        if document.source.path.name == "chunker-raises.txt":
            raise RuntimeError("chunker bug")
        return chunk_document(document, *args, **kwargs)

    monkeypatch.setattr(stage, "chunk_document", chunker_raising_for_one_document)

    dag_run = _run(dagbag, "document_analysis_nightly")

    assert dag_run.state == "success", _failed_tasks(dag_run)
    store = open_store(docanalysis_env)
    try:
        quarantined = {Path(row.path).name: (row.stage, row.reason) for row in store.quarantine_rows()}
        assert quarantined["caf\\xe9.txt"] == ("discover", "name is not valid UTF-8 (rename it)")
        assert quarantined["chunker-raises.txt"] == ("chunk", "chunking failed: RuntimeError: chunker bug")
        assert "surrogate.pdf" not in quarantined
        assert store.counts()["documents"] == 15 and store.counts()["summaries"] == 15  # 14 samples and the PDF
        run = store.run_for_dag_run("document_analysis_nightly", dag_run.run_id)
        assert run is not None and run.status == "succeeded"
        assert run.counts["quarantined_new"] == len(quarantined) and run.counts["documents_new"] == 15
        (audit,) = store.audit_rows("document_analysis_nightly")
        assert audit.outcome == "success" and audit.counts["quarantined_new"] == len(quarantined)
    finally:
        store.close()
