"""docker-compose.yml describes the cluster users run; `docker compose config` validates it
where a docker CLI with compose is installed (no engine is needed, or started)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
AIRFLOW_SERVICES = {
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker-cpu",
    "airflow-worker-gpu",
}


def _compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    """The file as compose resolves it (anchors, variables, defaults)."""
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose CLI here (neither the docker plugin nor docker-compose)")
    env = {**os.environ, "AIRFLOW_JWT_SECRET": "test-secret"}
    done = subprocess.run(
        [*command, "-f", str(REPO / "docker-compose.yml"), "config"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_compose_config_accepts_the_file(resolved: dict[str, Any]) -> None:
    assert {"postgres", "redis"} | AIRFLOW_SERVICES <= set(resolved["services"])


def test_the_cluster_runs_celery_with_a_gpu_worker_on_its_own_queue(resolved: dict[str, Any]) -> None:
    services = resolved["services"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("/airflow"), name  # metadata database
        assert env["DOCANALYSIS_DB_URL"].endswith("/docanalysis"), name  # results database
    gpu = services["airflow-worker-gpu"]
    assert gpu["command"][-4:] == ["--queues", "gpu", "--concurrency", "1"]
    (device,) = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and "gpu" in device["capabilities"]
    assert services["airflow-worker-cpu"]["environment"]["DOCANALYSIS_EMBED_QUEUE"] == "gpu"
    assert "default" in services["airflow-worker-cpu"]["command"]


def test_volumes_hold_the_inbox_and_the_index(resolved: dict[str, Any]) -> None:
    for name in AIRFLOW_SERVICES:
        targets = {_target(v) for v in resolved["services"][name]["volumes"]}
        assert {"/data/inbox", "/data/state"} <= targets, name


def test_the_init_step_migrates_both_databases_and_creates_the_pools(resolved: dict[str, Any]) -> None:
    script = " ".join(resolved["services"]["airflow-init"]["command"])
    assert "airflow db migrate" in script and "airflow pools import" in script and "docanalysis db upgrade" in script
    init_sql = (REPO / "sql" / "compose-init.sql").read_text()
    assert "CREATE DATABASE airflow" in init_sql


def test_a_jwt_secret_is_required_not_defaulted() -> None:
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose CLI here")
    env = {k: v for k, v in os.environ.items() if k != "AIRFLOW_JWT_SECRET"}
    done = subprocess.run([*command, "-f", str(REPO / "docker-compose.yml"), "config"], capture_output=True, env=env)
    assert done.returncode != 0


def _target(volume: Any) -> str:
    return volume["target"] if isinstance(volume, dict) else str(volume).split(":")[1]


def test_the_executor_the_cluster_names_loads_here() -> None:
    """The installed Celery provider and celery must agree (celery 5.7 broke the provider's import),
    read from the file itself so it holds without the docker CLI too."""
    from importlib import import_module

    from airflow.executors.executor_loader import ExecutorLoader

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    executor = compose["x-airflow-common"]["environment"]["AIRFLOW__CORE__EXECUTOR"]
    module, _, name = ExecutorLoader.executors[executor].rpartition(".")
    assert getattr(import_module(module), name).__name__ == executor
