"""Airflow really loads the plugin from plugins/, and its settings map Airflow's connection
and variable onto the library's configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def test_airflow_loads_the_plugin_and_its_audit_listener(airflow_db: Path) -> None:
    from airflow import plugins_manager
    from airflow.listeners.listener import get_listener_manager

    plugins_manager.ensure_plugins_loaded()
    names = {p["name"] for p in plugins_manager.get_plugin_info()}
    assert "docanalysis" in names
    hooks = {impl.plugin_name for impl in get_listener_manager().pm.hook.on_dag_run_success.get_hookimpls()}
    assert any("audit_listener" in name for name in hooks), hooks


def test_the_package_is_not_imported_twice_by_the_plugin_loader() -> None:
    """The loader imports every .py under plugins/ as a top-level module; .airflowignore keeps the package out."""
    ignore = (Path(__file__).resolve().parents[2] / "plugins" / ".airflowignore").read_text()
    assert "docanalysis_airflow/" in ignore.splitlines()


@pytest.mark.parametrize("metastore", [True, False], ids=["task", "listener"])
def test_settings_come_from_the_connection_then_the_variable(
    airflow_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, metastore: bool
) -> None:
    from docanalysis_airflow.settings import docanalysis_config

    monkeypatch.setenv(
        "AIRFLOW_CONN_DOCANALYSIS_DB",
        json.dumps(
            {
                "conn_type": "postgres",
                "host": "db.internal",
                "port": 5432,
                "login": "docanalysis",
                "password": "p@ss/word",
                "schema": "results",
                "extra": {"sources": str(tmp_path / "inbox")},
            }
        ),
    )
    monkeypatch.setenv("AIRFLOW_VAR_DOCANALYSIS_SETTINGS", json.dumps({"batch_size": 16, "jobs": "sentiment"}))
    monkeypatch.setenv("DOCANALYSIS_BATCH_SIZE", "8")  # the variable wins over the environment
    config = docanalysis_config(metastore=metastore)
    assert config.database_url == "postgresql+psycopg://docanalysis:p%40ss%2Fword@db.internal:5432/results"
    assert config.source_roots == ((tmp_path / "inbox").resolve(),)
    assert config.batch_size == 16
    assert config.job_list == ("sentiment",)
    assert "p@ss" not in repr(config)


def test_without_a_connection_the_environment_decides(airflow_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docanalysis_airflow.settings import docanalysis_config

    monkeypatch.delenv("AIRFLOW_CONN_DOCANALYSIS_DB", raising=False)
    monkeypatch.delenv("AIRFLOW_VAR_DOCANALYSIS_SETTINGS", raising=False)
    monkeypatch.setenv("DOCANALYSIS_DB_URL", "sqlite:////tmp/elsewhere.db")
    assert docanalysis_config().database_url == "sqlite:////tmp/elsewhere.db"


@pytest.mark.parametrize(
    ("conn", "url"),
    [
        ({"conn_type": "sqlite", "host": "/data/docanalysis.db"}, "sqlite:////data/docanalysis.db"),
        (
            {"conn_type": "generic", "extra": {"sqlalchemy_url": "postgresql+psycopg://u@h/d"}},
            "postgresql+psycopg://u@h/d",
        ),
    ],
)
def test_database_url_from_other_connection_kinds(airflow_db: Path, conn: dict[str, Any], url: str) -> None:
    from airflow.sdk import Connection

    from docanalysis_airflow.settings import database_url_from_connection

    extra = json.dumps(conn.pop("extra", {}))
    assert database_url_from_connection(Connection(conn_id="docanalysis_db", extra=extra, **conn)) == url


@pytest.mark.parametrize(
    ("run_type", "trigger"),
    [("SCHEDULED", "airflow:scheduled"), ("MANUAL", "airflow:manual"), ("BACKFILL_JOB", "airflow:backfill")],
)
def test_a_runs_trigger_is_airflows_run_type_as_the_audit_row_has_it(
    airflow_db: Path, monkeypatch: pytest.MonkeyPatch, run_type: str, trigger: str
) -> None:
    """`airflow:<run type>` as sql/README.md documents it, never `airflow:DagRunType.SCHEDULED`."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "plugins"))
    from airflow.models.dagrun import DagRun
    from airflow.utils.types import DagRunType

    from docanalysis_airflow.audit_listener import run_type as audit_run_type
    from docanalysis_airflow.tasks import _dag_run

    dag_run = DagRun(dag_id="document_analysis_nightly", run_id="r1", run_type=DagRunType[run_type])
    assert _dag_run(dag_run) == ("document_analysis_nightly", "r1", trigger)
    assert f"airflow:{audit_run_type(dag_run)}" == trigger
