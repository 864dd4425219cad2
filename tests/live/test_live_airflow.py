"""A live Airflow: api-server, scheduler and dag-processor as separate processes, LocalExecutor,
the metadata database and the results store on the real PostgreSQL server. A compliance
user gets a JWT from /auth/token and triggers the on-demand DAG through REST API v2.

Every process is started in its own session and stopped by its id (with its children).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analysis.config import Config
from analysis.store import open_store

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
USER, PASSWORD = "compliance", secrets.token_urlsafe(12)
START_TIMEOUT_S = 240
RUN_TIMEOUT_S = 600


@dataclass
class LiveAirflow:
    base_url: str
    env: dict[str, str]
    logs: Path
    store_url: str
    inbox: Path

    def request(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def log_tail(self) -> str:
        tails = (f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.logs.glob("*.log")))
        return "\n".join(tails)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate: Any, timeout_s: float, what: str, live: LiveAirflow | None = None) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (OSError, urllib.error.URLError):
            result = None
        if result:
            return result
        time.sleep(2)
    pytest.fail(f"timed out waiting for {what}\n{live.log_tail() if live else ''}")


@pytest.fixture
def live_airflow(
    tmp_path: Path, airflow_postgres_url: str, postgres_url: str, sample_corpus: Path
) -> Iterator[LiveAirflow]:
    home, logs, inbox = tmp_path / "airflow", tmp_path / "logs", tmp_path / "inbox"
    home.mkdir()
    logs.mkdir()
    shutil.copytree(sample_corpus, inbox)
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({USER: PASSWORD}))
    port = _free_port()
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": "3",
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",  # the nightly DAG must not start by itself
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": airflow_postgres_url,
        # Airflow would guess asyncpg for its async engine; psycopg 3 (already installed) does both
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": airflow_postgres_url.replace("+psycopg:", "+psycopg_async:"),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(logs / "tasks"),
        "DOCANALYSIS_HOME": str(tmp_path / "docanalysis"),
        "DOCANALYSIS_DB_URL": postgres_url,
        "DOCANALYSIS_SOURCES": str(inbox),
        "DOCANALYSIS_SHARDS": "2",
        "DOCANALYSIS_BATCH_SIZE": "32",
        "HF_HUB_OFFLINE": "1",
    }
    for setup in (["db", "migrate"], ["pools", "import", str(REPO / "dags" / "pools.json")]):
        done = subprocess.run([AIRFLOW, *setup], env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]

    processes: list[subprocess.Popen[bytes]] = []
    live = LiveAirflow(f"http://127.0.0.1:{port}", env, logs, postgres_url, inbox)
    try:
        for component in (["api-server", "--workers", "1"], ["scheduler"], ["dag-processor"]):
            with (logs / f"{component[0]}.log").open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        [AIRFLOW, *component], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
        _wait(lambda: live.request("GET", "/api/v2/monitor/health")[0] == 200, START_TIMEOUT_S, "the api-server", live)
        yield live
    finally:
        for process in processes:  # each leads its own process group: stop it and its children by id
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # the group's children (executor workers) too
                os.killpg(process.pid, signal.SIGKILL)


def test_a_compliance_user_triggers_an_on_demand_run_through_the_rest_api(live_airflow: LiveAirflow) -> None:
    live = live_airflow
    status, denied = live.request("POST", "/auth/token", {"username": USER, "password": "wrong"})
    assert status in (401, 403), denied
    status, body = live.request("POST", "/auth/token", {"username": USER, "password": PASSWORD})
    assert status == 201 or status == 200, body
    token = body["access_token"]
    dag_path = "/api/v2/dags/document_analysis_on_demand"
    _wait(lambda: live.request("GET", dag_path, token=token)[0] == 200, START_TIMEOUT_S, "the DAG to be parsed", live)
    status, dag = live.request("PATCH", dag_path, {"is_paused": False}, token)
    assert status == 200 and dag["is_paused"] is False, dag

    # the params' schema refuses a request without a reason before any run exists
    status, refused = live.request(
        "POST", f"{dag_path}/dagRuns", {"logical_date": None, "conf": {"paths": ["x"], "requested_by": USER}}, token
    )
    assert status == 400, refused
    assert "reason" in json.dumps(refused)

    conf = {"paths": ["legal-lease-0004.pdf"], "requested_by": "c.lee", "reason": "TICKET-2041"}
    status, created = live.request("POST", f"{dag_path}/dagRuns", {"logical_date": None, "conf": conf}, token)
    assert status == 200, created
    run_id = created["dag_run_id"]

    def finished() -> str | None:
        code, run = live.request("GET", f"{dag_path}/dagRuns/{run_id}", token=token)
        return run["state"] if code == 200 and run["state"] in ("success", "failed") else None

    state = _wait(finished, RUN_TIMEOUT_S, "the run to finish", live)
    assert state == "success", live.log_tail()

    store = open_store(Config(db_url=live.store_url))
    try:
        counts = store.counts()
        assert counts["documents"] == 1
        assert counts["summaries"] == 1
        assert counts["sentiments"] > counts["chunks"] > 0
        run = store.run_for_dag_run("document_analysis_on_demand", run_id)
        assert run is not None and run.status == "succeeded"
        assert run.params["requested_by"] == "c.lee"

        def audited() -> Any:
            rows = [r for r in store.audit_rows("document_analysis_on_demand") if r.outcome != "running"]
            return rows or None

        (audit,) = _wait(audited, 60, "the audit row to close", live)
        assert audit.dag_run_id == run_id
        assert (audit.requested_by, audit.reason, audit.outcome, audit.run_type) == (
            "c.lee",
            "TICKET-2041",
            "success",
            "manual",
        )
        assert audit.params == conf
        assert audit.counts["documents_new"] == 1
        assert audit.finished_at >= audit.started_at
    finally:
        store.close()
