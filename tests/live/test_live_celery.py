"""The compose cluster, run live without Docker: the services of ``docker-compose.yml`` started as
separate processes on this machine — api-server, scheduler, dag-processor, triggerer and two
Celery workers, one on queue ``default`` and one on queue ``gpu`` — with the CeleryExecutor, Redis
as the broker and PostgreSQL for Airflow's metadata, the Celery results and the results store
(three fresh databases). The environment and the commands are read from the compose file, so the
two cannot drift apart; only the addresses (service names become 127.0.0.1) and the folders differ.

Each worker runs in its own UTS namespace with its own hostname, as in its own container, so
Airflow's records say which worker ran each task instance. Then, through REST API v2 with a JWT:
a nightly run over 30 documents, an on-demand run during which the ``default`` worker is killed
with SIGKILL and started again, and a maintenance erasure beside it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text

from analysis.config import Config
from analysis.embed import embedding_model_id
from analysis.index import IndexStore
from analysis.index.sync import reconcile
from analysis.samples import generate_corpus
from analysis.store import open_store
from tests.live.airflow_api import AirflowApi, free_port, stop_process_groups, wait_for

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
BIN = Path(sys.executable).parent
ADMIN = "admin"  # the user the compose file configures
WORKERS = {"airflow-worker-cpu": "cpu-worker", "airflow-worker-gpu": "gpu-worker"}
NIGHTLY, ON_DEMAND, MAINTENANCE = (
    "document_analysis_nightly",
    "document_analysis_on_demand",
    "document_analysis_maintenance",
)
INDEX_WRITERS = {"update_faiss_index", "erase_documents", "rebuild_faiss_index"}  # pool faiss_index
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 900
NIGHTLY_DOCUMENTS = 30  # five mapped ingest tasks of DOCANALYSIS_INGEST_BATCH_FILES

# What this test sets on top of the compose file: the timeouts are shortened so that a lost
# worker is noticed in seconds rather than Airflow's default minutes.
TEST_ONLY = {
    "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "120",
    "AIRFLOW__API__WORKERS": "1",
    "DOCANALYSIS_INGEST_BATCH_FILES": "6",  # several mapped ingest tasks, so one can be killed mid-run
    "DOCANALYSIS_BATCH_SIZE": "32",
    "DOCANALYSIS_SHARDS": "2",  # each mapped task loads its model: fewer of them on a 2-core machine
}


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?message}``."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name} must be set: {arg}")
        return arg if op == ":-" else ""

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, str(value))


def compose_environment(service: str, env: dict[str, str]) -> dict[str, str]:
    return {k: interpolate(v, env) for k, v in COMPOSE["services"][service]["environment"].items()}


def compose_command(service: str, env: dict[str, str]) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return [interpolate(part, env).replace("/opt/docanalysis", str(REPO)) for part in command]


@dataclass
class Cluster:
    api: AirflowApi
    env: dict[str, str]  # what every process gets: the folders, the API's address, the secrets
    addresses: dict[str, str]  # the compose services' addresses and folders, as they are here
    inbox: Path
    store_url: str
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def service_environment(self, service: str) -> dict[str, str]:
        env = {**self.env, **compose_environment(service, self.env), **self.addresses, **TEST_ONLY}
        # each service's own log server, on a port of its own: here they share one network
        env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] = str(free_port())
        env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] = str(free_port())
        if service in WORKERS:  # a host of its own: its own local state and index cache
            env["DOCANALYSIS_HOME"] = str(Path(env["DOCANALYSIS_HOME"]).parent / WORKERS[service])
        if env.get("DOCANALYSIS_DEVICE") == "cuda" and not _cuda_available():
            env["DOCANALYSIS_DEVICE"] = "cpu"  # the GPU worker's path, on a machine without a GPU
        return env

    def start(self, service: str) -> None:
        """Start a compose service's command; a worker gets its own hostname, as its container would."""
        env = self.service_environment(service)
        command = compose_command(service, env)
        if service in WORKERS:
            command = ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', WORKERS[service], *command]
        with (self.logs / f"{service}.log").open("ab") as log:
            self.processes[service] = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self, service: str) -> None:
        """SIGKILL the service and everything it started, as when its host dies."""
        process = self.processes.pop(service)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def config(self) -> Config:
        """This test's view of the results: a host of its own, reading the index from the object store."""
        home = Path(self.addresses["DOCANALYSIS_HOME"]).parent / "reader"
        return Config(db_url=self.store_url, home=home, index_url=self.addresses["DOCANALYSIS_INDEX_URL"])


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


@pytest.fixture(scope="module")
def cluster(
    tmp_path_factory: pytest.TempPathFactory, fresh_postgres_database: Any, s3_environment: dict[str, str]
) -> Iterator[Cluster]:
    import fsspec
    import redis

    root = tmp_path_factory.mktemp("celery-cluster")
    home, logs, inbox = root / "airflow", root / "logs", root / "inbox"
    for folder in (home, logs, inbox):
        folder.mkdir()
    generate_corpus(inbox / "nightly", n=NIGHTLY_DOCUMENTS, seed=11)
    password = secrets.token_urlsafe(12)
    (home / "passwords.json").write_text(f'{{"{ADMIN}": "{password}"}}')
    port = free_port()
    redis_db = secrets.randbelow(14) + 2  # not 0, the compose default another process may be using
    broker = redis.Redis(host="127.0.0.1", port=6379, db=redis_db)
    broker.flushdb()
    bucket = f"docanalysis-{secrets.token_hex(6)}"  # the index's object store, shared by every host
    aws = s3_environment
    store = fsspec.filesystem(
        "s3", endpoint_url=aws["AWS_ENDPOINT_URL"], key=aws["AWS_ACCESS_KEY_ID"], secret=aws["AWS_SECRET_ACCESS_KEY"]
    )
    store.mkdir(bucket)

    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        fresh_postgres_database("airflow_meta") as airflow_url,
        fresh_postgres_database("celery_results") as celery_url,
        fresh_postgres_database("docanalysis_results") as results_url,
    ):
        for name, value in s3_environment.items():
            monkeypatch.setenv(name, value)  # this test reads the index from the store too
        base_env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW_JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),  # the image's ENV (Dockerfile)
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(logs / "tasks"),
        }
        # The compose services' addresses, as they are on this machine; the scheme of each must
        # stay the compose file's (same drivers).
        local = {
            "DOCANALYSIS_DB_URL": results_url,
            "DOCANALYSIS_HOME": str(root / "hosts" / "state"),
            "DOCANALYSIS_INDEX_URL": f"s3://{bucket}/index",
            "DOCANALYSIS_SOURCES": str(inbox),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": airflow_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": airflow_url.replace("+psycopg:", "+psycopg_async:"),
            "AIRFLOW__CELERY__BROKER_URL": f"redis://127.0.0.1:6379/{redis_db}",
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{celery_url}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        }
        compose_env = compose_environment("airflow-scheduler", base_env)
        for name, value in local.items():
            assert name in compose_env, f"{name} is no longer in docker-compose.yml: update this test"
            scheme = compose_env[name].split("://")[0] if "://" in compose_env[name] else None
            assert scheme is None or value.startswith(scheme + "://"), (name, compose_env[name], value)

        api = AirflowApi(f"http://127.0.0.1:{port}", logs)
        live = Cluster(api, base_env, local, inbox, results_url, logs)
        init_env = live.service_environment("airflow-init")
        init = subprocess.run(
            compose_command("airflow-init", init_env), env=init_env, capture_output=True, text=True, timeout=600
        )
        assert init.returncode == 0, init.stdout[-2000:] + init.stderr[-3000:]
        try:
            for service in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"):
                live.start(service)
            for service in WORKERS:
                live.start(service)
            wait_for(lambda: api.get("/api/v2/monitor/health")[0] == 200, START_TIMEOUT_S, "the api-server", api)
            api.log_in(ADMIN, password)
            for dag_id in (NIGHTLY, ON_DEMAND, MAINTENANCE):
                wait_for(lambda d=dag_id: api.get(f"/api/v2/dags/{d}")[0] == 200, START_TIMEOUT_S, dag_id, api)
            yield live
        finally:
            stop_process_groups(list(live.processes.values()))
            broker.flushdb()
            broker.close()


def _task_instances(api: AirflowApi, dag_id: str, run_id: str) -> list[dict[str, Any]]:
    status, body = api.get(f"/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=1000")
    assert status == 200, body
    return list(body["task_instances"])


def _runs(api: AirflowApi, dag_id: str) -> list[dict[str, Any]]:
    status, body = api.get(f"/api/v2/dags/{dag_id}/dagRuns?limit=100")
    assert status == 200, body
    return list(body["dag_runs"])


def _wait_until_runs_finish(api: AirflowApi, dag_id: str, expected: int) -> list[dict[str, Any]]:
    def finished() -> list[dict[str, Any]] | None:
        runs = _runs(api, dag_id)
        done = len(runs) >= expected and all(r["state"] in ("success", "failed") for r in runs)
        return runs if done else None

    return wait_for(finished, RUN_TIMEOUT_S, f"the runs of {dag_id} to finish", api)


def _stored(cluster: Cluster) -> dict[str, int]:
    """Row counts, after checking that no document was stored twice and every document's chunks
    are numbered 0..n-1 with none repeated, and that store and both indexes hold the same chunks."""
    config = cluster.config()
    store = open_store(config)
    try:
        with store.engine.connect() as conn:
            gaps = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT document_id FROM chunks GROUP BY document_id "
                    "HAVING max(ordinal) + 1 <> count(*) OR min(ordinal) <> 0) AS broken"
                )
            ).scalar_one()
            assert gaps == 0
            counts = store.counts()
        reconcile(store, IndexStore.from_config(config), embedding_model_id(config))
        return counts
    finally:
        store.close()


def test_the_nightly_dag_runs_on_the_celery_cluster(cluster: Cluster) -> None:
    api = cluster.api
    # It starts paused; unpausing it makes the scheduler start the run of its latest interval, the
    # night's run, at once (a run triggered beside it would only queue behind and find nothing new).
    status, dag = api.patch(f"/api/v2/dags/{NIGHTLY}", {"is_paused": False})
    assert status == 200 and dag["is_paused"] is False, dag
    runs = _wait_until_runs_finish(api, NIGHTLY, expected=1)
    assert {r["state"] for r in runs} == {"success"}, cluster.api.log_tail()
    status, _ = api.patch(f"/api/v2/dags/{NIGHTLY}", {"is_paused": True})  # no 02:00 run during the next test
    assert status == 200

    instances = [ti for run in runs for ti in _task_instances(api, NIGHTLY, run["dag_run_id"])]
    by_task: dict[str, list[dict[str, Any]]] = {}
    for ti in instances:
        by_task.setdefault(ti["task_id"], []).append(ti)
    embedded = [ti for ti in by_task["embed_chunks"] if ti["state"] == "success"]
    ingested = [ti for ti in by_task["ingest_files"] if ti["state"] == "success"]
    assert embedded and len(ingested) >= 5, {k: len(v) for k, v in by_task.items()}
    assert {(ti["queue"], ti["hostname"]) for ti in embedded} == {("gpu", "gpu-worker")}
    assert {(ti["queue"], ti["hostname"]) for ti in ingested} == {("default", "cpu-worker")}
    hosts = {ti["hostname"] for ti in instances if ti["state"] == "success"}
    assert hosts == {"cpu-worker", "gpu-worker"}, hosts

    counts = _stored(cluster)
    assert counts["documents"] == counts["sources"] == counts["summaries"] == NIGHTLY_DOCUMENTS, counts


def test_a_worker_killed_mid_ingest_and_an_erasure_beside_it(cluster: Cluster) -> None:
    api = cluster.api
    before = _stored(cluster)
    batch = generate_corpus(cluster.inbox / "batch2", n=12, seed=12)  # two mapped ingest tasks

    status, dag = api.get(f"/api/v2/dags/{ON_DEMAND}")
    assert status == 200 and dag["is_paused"] is False, dag  # it has no schedule: it starts unpaused
    conf = {"paths": ["batch2"], "requested_by": "c.lee", "reason": "TICKET-2077"}
    status, created = api.post(f"/api/v2/dags/{ON_DEMAND}/dagRuns", {"logical_date": None, "conf": conf})
    assert status == 200, created
    run_id = created["dag_run_id"]

    def ingest_running() -> bool:
        return any(
            ti["task_id"] == "ingest_files" and ti["state"] == "running"
            for ti in _task_instances(api, ON_DEMAND, run_id)
        )

    wait_for(ingest_running, RUN_TIMEOUT_S, "a mapped ingest task to run", api)
    cluster.kill("airflow-worker-cpu")
    time.sleep(3)
    cluster.start("airflow-worker-cpu")

    erased = _first_nightly_document(cluster.store_url)
    erasure = {"erase_document_ids": [erased], "reason": "GDPR request 2026-118", "requested_by": "dpo"}
    status, created = api.post(f"/api/v2/dags/{MAINTENANCE}/dagRuns", {"logical_date": None, "conf": erasure})
    assert status == 200, created
    erasure_run = created["dag_run_id"]
    status, _ = api.patch(f"/api/v2/dags/{MAINTENANCE}", {"is_paused": False})
    assert status == 200

    (on_demand,) = _wait_until_runs_finish(api, ON_DEMAND, expected=1)
    assert on_demand["state"] == "success", cluster.api.log_tail()
    maintenance_runs = _wait_until_runs_finish(api, MAINTENANCE, expected=1)
    assert {r["state"] for r in maintenance_runs} == {"success"}, cluster.api.log_tail()

    ingest = [ti for ti in _task_instances(api, ON_DEMAND, run_id) if ti["task_id"] == "ingest_files"]
    assert max(ti["try_number"] for ti in ingest) >= 2, ingest  # the killed tries were retried by Airflow
    assert {ti["hostname"] for ti in ingest} == {"cpu-worker"}

    counts = _stored(cluster)  # the retried tasks stored nothing twice
    assert counts["documents"] == counts["sources"] == before["documents"] + len(batch) - 1, counts

    # one index writer at a time, over every run of every DAG
    writers = sorted(
        (_time(ti["start_date"]), _time(ti["end_date"]), ti["task_id"])
        for dag_id in (NIGHTLY, ON_DEMAND, MAINTENANCE)
        for run in _runs(api, dag_id)
        for ti in _task_instances(api, dag_id, run["dag_run_id"])
        if ti["task_id"] in INDEX_WRITERS and ti["start_date"] and ti["end_date"]
    )
    assert len(writers) >= 3, writers
    for before, after in zip(writers, writers[1:], strict=False):
        assert after[0] >= before[1], (before, after)

    _check_audit(cluster, run_id, erasure_run, erased)


def _first_nightly_document(store_url: str) -> int:
    store = open_store(Config(db_url=store_url))
    try:
        with store.engine.connect() as conn:
            sql = "SELECT min(document_id) FROM document_sources WHERE path LIKE :nightly"
            return int(conn.execute(text(sql), {"nightly": "%/nightly/%"}).scalar_one())
    finally:
        store.close()


def _check_audit(cluster: Cluster, on_demand_run: str, erasure_run: str, erased: int) -> None:
    store = open_store(Config(db_url=cluster.store_url))
    try:

        def closed(dag_id: str) -> list[Any] | None:
            rows = [r for r in store.audit_rows(dag_id) if r.outcome != "running"]
            return rows or None

        (request,) = wait_for(lambda: closed(ON_DEMAND), 60, "the on-demand audit row", cluster.api)
        assert (request.dag_run_id, request.requested_by, request.reason, request.outcome) == (
            on_demand_run,
            "c.lee",
            "TICKET-2077",
            "success",
        )
        erasures = wait_for(lambda: closed(MAINTENANCE), 60, "the maintenance audit rows", cluster.api)
        (erasure,) = [r for r in erasures if r.dag_run_id == erasure_run]
        assert (erasure.requested_by, erasure.outcome, erasure.run_type) == ("dpo", "success", "manual")
        assert erasure.params["erase_document_ids"] == [erased]
        nightly = wait_for(lambda: closed(NIGHTLY), 60, "the nightly audit rows", cluster.api)
        assert {r.outcome for r in nightly} == {"success"}
        assert {r.run_type for r in nightly} <= {"manual", "scheduled"}
    finally:
        store.close()


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
