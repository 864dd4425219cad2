"""Airflow really loads the plugin from plugins/, and its settings map Airflow's connection
and variable onto the library's configuration."""

from __future__ import annotations

import json
import uuid
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


def test_the_index_connection_holds_the_object_store_credentials(
    s3_environment: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ``aws`` connection named docanalysis_index (login: key id, password: secret, extra: endpoint
    and region) reaches the object store with no AWS variable set, and its secret never shows."""
    import fsspec
    import numpy as np

    from analysis.index import IndexStore, VectorIndex
    from docanalysis_airflow.settings import docanalysis_config

    secret = "conn-SECRET-5e0d2a"
    for name, value in s3_environment.items():
        monkeypatch.setenv(name, value)
    bucket = f"airflow-{uuid.uuid4().hex[:8]}"
    fsspec.filesystem("s3", skip_instance_cache=True).mkdir(bucket)
    for name in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    connection = {
        "conn_type": "aws",
        "login": "docanalysis-airflow",
        "password": secret,
        "extra": {"endpoint_url": s3_environment["AWS_ENDPOINT_URL"], "region_name": "us-east-1"},
    }
    monkeypatch.setenv("AIRFLOW_CONN_DOCANALYSIS_INDEX", json.dumps(connection))
    monkeypatch.delenv("AIRFLOW_CONN_DOCANALYSIS_DB", raising=False)
    settings = {"home": str(tmp_path / "home"), "index_url": f"s3://{bucket}/index"}
    monkeypatch.setenv("AIRFLOW_VAR_DOCANALYSIS_SETTINGS", json.dumps(settings))
    config = docanalysis_config(metastore=False)
    assert config.index_storage == {
        "key": "docanalysis-airflow",
        "secret": secret,
        "endpoint_url": s3_environment["AWS_ENDPOINT_URL"],
        "client_kwargs": {"region_name": "us-east-1"},
    }
    assert secret not in repr(config) and secret not in str(config.model_dump())
    index = VectorIndex.empty(model_id="m", dimension=4)
    index.add(np.arange(3), np.eye(3, 4, dtype=np.float32))
    assert IndexStore.from_config(config).publish(index) == 1
    loaded = IndexStore.from_config(config.replace(home=tmp_path / "other-host")).load()
    assert loaded is not None and loaded.count == 3


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
