"""Airflow on one machine, started the documented way: the `make airflow` line of docs/airflow.md
("Running the DAGs on one machine"), with its homes and port moved to temporary folders through
the make variables the page names. The admin password is read from the file the page names, a
JWT comes from /auth/token, and the on-demand run is triggered with the page's own curl body
through REST API v2. Then make is stopped as the page says (SIGTERM, as `kill` sends) and no
process of this Airflow may be left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from analysis.config import Config
from analysis.store import open_store
from tests.live.airflow_api import AirflowApi, free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
AIRFLOW_DOC = REPO / "docs" / "airflow.md"
START_TIMEOUT_S = 300
RUN_TIMEOUT_S = 600
STOP_TIMEOUT_S = 90
ON_DEMAND = "/api/v2/dags/document_analysis_on_demand"


def one_machine_section() -> str:
    text = AIRFLOW_DOC.read_text()
    return text.split("## Running the DAGs on one machine", 1)[1].split("\n## ", 1)[0]


def documented_start_command() -> list[str]:
    """The `make airflow` line of the page's first code block, as an argument list."""
    block = one_machine_section().split("```bash\n", 1)[1].split("```", 1)[0]
    (line,) = [line for line in block.splitlines() if line.startswith("make airflow")]
    return shlex.split(line.split("#", 1)[0])


def documented_rest_body() -> dict[str, Any]:
    """The body of the page's curl call that creates an on-demand run."""
    (body,) = re.findall(r"-d '(\{\"logical_date\".*?\})'", AIRFLOW_DOC.read_text())
    return json.loads(body)


@dataclass
class LiveAirflow:
    api: AirflowApi
    airflow_home: Path
    docanalysis_home: Path
    inbox: Path
    log: Path
    make: subprocess.Popen[bytes]

    def log_tail(self) -> str:
        tasks = sorted((self.airflow_home / "logs").rglob("*.log"))[-4:]
        tails = [f"--- {p.relative_to(self.airflow_home)}\n{p.read_text(errors='replace')[-2000:]}" for p in tasks]
        return "\n".join([f"--- make airflow\n{self.log.read_text(errors='replace')[-6000:]}", *tails])


def _wait(predicate: Any, timeout_s: float, what: str, live: LiveAirflow) -> Any:
    """``wait_for``, failing at once if make has exited."""

    def make_alive_and(predicate: Any = predicate) -> Any:
        if live.make.poll() is not None:
            pytest.fail(f"make airflow exited ({live.make.returncode}) while waiting for {what}\n{live.log_tail()}")
        return predicate()

    return wait_for(make_alive_and, timeout_s, what, live.log_tail)


def processes_of(airflow_home: Path) -> list[int]:
    """Every process whose environment has this AIRFLOW_HOME: the components and their workers."""
    marker = f"AIRFLOW_HOME={airflow_home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def _kill_all(make: subprocess.Popen[bytes], airflow_home: Path) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(make.pid, signal.SIGKILL)
    for pid in processes_of(airflow_home):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        make.wait(timeout=10)


def _clean_environment() -> dict[str, str]:
    """A shell's environment: none of this test session's Airflow and docanalysis settings, and no
    outer make's flags (`make test` runs pytest)."""
    drop = ("AIRFLOW_", "AIRFLOW__", "DOCANALYSIS_", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@pytest.fixture
def live_airflow(tmp_path: Path, sample_corpus: Path) -> Iterator[LiveAirflow]:
    airflow_home, docanalysis_home, inbox = tmp_path / "airflow", tmp_path / "docanalysis", tmp_path / "inbox"
    # the file the documented request names, and nothing else: the run processes one document
    lease = inbox / documented_rest_body()["conf"]["paths"][0]
    lease.parent.mkdir(parents=True)
    shutil.copy(sample_corpus / "legal-lease-0004.pdf", lease)
    port = free_port()
    command = documented_start_command()
    assert command == ["make", "airflow"], command
    overrides = [
        f"VENV={Path(sys.prefix)}",  # the environment running these tests (.venv under `make test`)
        f"AIRFLOW_HOME={airflow_home}",
        f"AIRFLOW_PORT={port}",
        f"DOCANALYSIS_HOME={docanalysis_home}",
        f"DOCANALYSIS_SOURCES={inbox}",
    ]
    log = tmp_path / "make-airflow.log"
    with log.open("wb") as out:
        make = subprocess.Popen(
            [*command, *overrides],
            cwd=REPO,
            env=_clean_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own, so the finally below can stop all of it
        )
    api = AirflowApi(f"http://127.0.0.1:{port}", tmp_path)
    live = LiveAirflow(api, airflow_home, docanalysis_home, inbox, log, make)
    try:
        _wait(lambda: api.get("/api/v2/monitor/health")[0] == 200, START_TIMEOUT_S, "the api-server", live)
        yield live
    finally:
        if make.poll() is None or processes_of(airflow_home):
            _kill_all(make, airflow_home)


def test_make_airflow_runs_an_on_demand_request_then_stops_with_every_component(live_airflow: LiveAirflow) -> None:
    live = live_airflow
    passwords = live.airflow_home / "simple_auth_manager_passwords.json.generated"
    password = _wait(lambda: json.loads(passwords.read_text())["admin"], 60, f"the admin password in {passwords}", live)
    api = live.api
    status, denied = api.post("/auth/token", {"username": "admin", "password": "wrong"})
    assert status in (401, 403), denied
    api.log_in("admin", password)

    # the on-demand DAG is not paused at creation (nothing runs by itself); the scheduled ones are
    def parsed() -> Any:
        status, dag = api.get(ON_DEMAND)
        return dag if status == 200 else None

    dag = _wait(parsed, START_TIMEOUT_S, "the DAG to be parsed", live)
    assert dag["is_paused"] is False, dag
    for scheduled in ("document_analysis_nightly", "document_analysis_maintenance"):
        status, other = api.get(f"/api/v2/dags/{scheduled}")
        assert status == 200 and other["is_paused"] is True, other

    # the params' schema refuses a request without a reason before any run exists: no audit row
    refused_conf = {"paths": ["x"], "requested_by": "c.lee"}
    status, refused = api.post(f"{ON_DEMAND}/dagRuns", {"logical_date": None, "conf": refused_conf})
    assert status == 400, refused
    assert "reason" in json.dumps(refused)

    body = documented_rest_body()
    status, created = api.post(f"{ON_DEMAND}/dagRuns", body)
    assert status == 200, created
    run_id = created["dag_run_id"]

    def finished() -> str | None:
        code, run = api.get(f"{ON_DEMAND}/dagRuns/{run_id}")
        return run["state"] if code == 200 and run["state"] in ("success", "failed") else None

    state = _wait(finished, RUN_TIMEOUT_S, "the run to finish", live)
    assert state == "success", live.log_tail()

    # the results database is where the page says: DOCANALYSIS_HOME/docanalysis.db
    assert (live.docanalysis_home / "docanalysis.db").is_file()
    store = open_store(Config(home=live.docanalysis_home))
    try:
        counts = store.counts()
        assert counts["documents"] == 1 and counts["summaries"] == 1
        assert counts["sentiments"] > counts["chunks"] > 0
        run = store.run_for_dag_run("document_analysis_on_demand", run_id)
        assert run is not None and run.status == "succeeded"
        assert run.trigger == "airflow:manual"  # what sql/README.md documents, as audit_trail.run_type says

        def audited() -> Any:
            return [r for r in store.audit_rows("document_analysis_on_demand") if r.outcome != "running"] or None

        (audit,) = _wait(audited, 60, "the audit row to close", live)  # and none for the refused request
        assert audit.dag_run_id == run_id
        conf = body["conf"]
        assert (audit.requested_by, audit.reason, audit.outcome, audit.run_type) == (
            conf["requested_by"],
            conf["reason"],
            "success",
            "manual",
        )
        assert audit.params == conf
        assert audit.counts["documents_new"] == 1
    finally:
        store.close()

    # stopped as the page says: SIGTERM to make (or Ctrl-C); every component goes, workers included
    assert processes_of(live.airflow_home)
    live.make.send_signal(signal.SIGTERM)
    try:
        live.make.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make airflow still running {STOP_TIMEOUT_S} s after SIGTERM\n{live.log_tail()}")
    deadline = time.monotonic() + 10
    while processes_of(live.airflow_home) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_of(live.airflow_home) == [], live.log_tail()
