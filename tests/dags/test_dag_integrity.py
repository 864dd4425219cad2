"""Every DAG file imports, and each DAG has the tasks, pools, schedule and params it promises."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DAG_FILES = sorted((REPO / "dags").glob("*.py"))
PIPELINE_TASKS = {
    "discover_changes",
    "ingest_files",
    "plan_embed_shards",
    "plan_job_shards",
    "embed_chunks",
    "update_faiss_index",
    "summarize_documents",
    "score_sentiment",
    "extract_facts",
    "reconcile_and_report",
}


def test_every_dag_file_imports_without_errors(dagbag: Any) -> None:
    assert DAG_FILES
    assert dagbag.import_errors == {}
    assert {Path(d.fileloc).name for d in dagbag.dags.values()} == {p.name for p in DAG_FILES}


def test_the_three_dags_exist(dagbag: Any) -> None:
    assert set(dagbag.dag_ids) == {
        "document_analysis_nightly",
        "document_analysis_on_demand",
        "document_analysis_maintenance",
    }


def test_nightly_schedule_and_run_limits(dagbag: Any) -> None:
    dag = dagbag.get_dag("document_analysis_nightly")
    assert dag.timetable.expression == "0 2 * * *"
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert {t.task_id for t in dag.tasks} == PIPELINE_TASKS | {"start_scheduled_run"}
    for task in dag.tasks:
        assert task.retries >= 1, task.task_id
        assert task.retry_exponential_backoff, task.task_id
        assert task.retry_delay == timedelta(seconds=30)


@pytest.mark.parametrize("dag_id", ["document_analysis_nightly", "document_analysis_on_demand"])
def test_pools_mapping_and_the_index_asset(dagbag: Any, dag_id: str) -> None:
    dag = dagbag.get_dag(dag_id)
    tasks = {t.task_id: t for t in dag.tasks}
    assert tasks["embed_chunks"].pool == "gpu"
    assert tasks["update_faiss_index"].pool == "faiss_index"
    assert tasks["summarize_documents"].pool == "llm"
    assert tasks["score_sentiment"].pool == "llm"
    assert tasks["extract_facts"].pool == "llm"
    assert {"update_faiss_index"} <= tasks["extract_facts"].upstream_task_ids
    for mapped in ("ingest_files", "embed_chunks", "summarize_documents", "score_sentiment", "extract_facts"):
        assert tasks[mapped].is_mapped, mapped
    assert [a.name for a in tasks["update_faiss_index"].outlets] == ["docanalysis_faiss_index"]
    for plan in ("plan_embed_shards", "plan_job_shards"):
        assert "ingest_files" in tasks[plan].upstream_task_ids, plan
    assert "plan_embed_shards" in tasks["embed_chunks"].upstream_task_ids  # sized to the backlog
    for job in ("summarize_documents", "score_sentiment", "extract_facts"):
        assert "plan_job_shards" in tasks[job].upstream_task_ids, job


def test_only_the_on_demand_dag_is_unpaused_at_creation(dagbag: Any) -> None:
    """On-demand has no schedule: unpaused, a triggered request runs instead of waiting `queued`.
    The scheduled DAGs start paused: unpausing one creates the run of its latest interval."""
    assert dagbag.get_dag("document_analysis_on_demand").is_paused_upon_creation is False
    for dag_id in ("document_analysis_nightly", "document_analysis_maintenance"):
        assert dagbag.get_dag(dag_id).is_paused_upon_creation is True, dag_id


def test_every_pool_a_task_uses_is_defined_for_the_init_step(dagbag: Any) -> None:
    pools = json.loads((REPO / "dags" / "pools.json").read_text())
    used = {t.pool for d in dagbag.dags.values() for t in d.tasks} - {"default_pool"}
    assert used <= set(pools)
    assert pools["faiss_index"]["slots"] == 1


def test_on_demand_params_require_who_and_why(dagbag: Any) -> None:
    dag = dagbag.get_dag("document_analysis_on_demand")
    assert dag.schedule is None
    params = dag.params
    assert set(params) == {"requested_by", "reason", "paths", "document_ids", "since", "jobs", "force"}
    for required in ("requested_by", "reason"):
        assert not params.get_param(required).has_value, required
    assert params.get_param("jobs").schema["items"]["enum"] == ["ingest", "embed", "summarize", "sentiment", "extract"]
    assert params.get_param("force").value is False


def test_maintenance_dag(dagbag: Any) -> None:
    dag = dagbag.get_dag("document_analysis_maintenance")
    assert {t.task_id for t in dag.tasks} == {
        "plan_maintenance",
        "erase_documents",
        "vacuum_store",
        "rebuild_faiss_index",
        "reconcile_and_report",
    }
    assert dag.max_active_runs == 1
    assert set(dag.params) == {"erase_document_ids", "reason", "requested_by", "rebuild_index"}


def test_the_documented_trigger_examples_are_valid_requests(dagbag: Any) -> None:
    """The copyable CLI and REST examples pass the DAG's own parameter schema."""
    import copy
    import re

    readme = (REPO / "docs" / "airflow.md").read_text()
    confs = [json.loads(raw) for raw in re.findall(r"--conf '(\{.*?\})'", readme)]
    (body,) = re.findall(r"-d '(\{\"logical_date\".*?\})'", readme)
    confs.append(json.loads(body)["conf"])
    assert len(confs) == 2
    dag = dagbag.get_dag("document_analysis_on_demand")
    for conf in confs:
        params = copy.deepcopy(dag.params)
        for key, value in conf.items():
            assert key in params, key
            params[key] = value
        validated = params.validate()
        assert validated["requested_by"] and validated["reason"]


def test_airflow_side_settings_are_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "plugins"))
    from docanalysis_airflow.settings import DeploymentSettings

    readme = (REPO / "docs" / "airflow.md").read_text()
    names = {f"DOCANALYSIS_{name.upper()}" for name in DeploymentSettings.model_fields}
    assert names
    missing = [n for n in sorted(names) if f"| `{n}` |" not in readme]
    assert not missing, f"undocumented: {missing}"
