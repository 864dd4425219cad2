"""What Airflow adds to a night: the nightly DAG run with ``dag.test()`` against ``docanalysis run``
on the same generated corpus, each in a fresh process and a fresh home (cold model loads for both).

    .venv/bin/python benchmarks/dag_overhead.py [-n DOCS] [--repeat 2] [--live]

The DAG runs twice per repeat: with its shards sized to the backlog (``plan_embed_shards`` and
``plan_job_shards``, as shipped) and with every sharded step fanned out to ``DOCANALYSIS_SHARDS``
(4) tasks, as before sizing (one shard per chunk and per document, capped). ``dag.test()`` runs the
tasks one after another in its own process, so a model loads once per process, not once per task as
under an executor: the fan-out costs more there than here. Airflow's metadata database (SQLite) is
migrated once, before the timings. ``--live`` also runs the nightly DAG under ``make airflow``
(LocalExecutor, a process per task, as an operator runs it), both ways, timed by Airflow from the
run's start to its end. Prints a table and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

from _results import print_rows, save

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _dag_child() -> None:
    """In a fresh process: parse the DAG folder, run the nightly DAG once, print its timings."""
    started = time.perf_counter()
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(str(REPO / "dags")).get_dag("document_analysis_nightly")
    parsed = time.perf_counter()
    dag_run = dag.test()
    finished = time.perf_counter()
    tasks = [ti for ti in dag_run.get_task_instances()]
    print(
        json.dumps(
            {
                "state": str(dag_run.state),
                "import_parse_s": parsed - started,
                "dag_test_s": finished - parsed,
                "task_instances": len(tasks),
                "embed_shards": sum(1 for ti in tasks if ti.task_id == "embed_chunks"),
                "summarize_shards": sum(1 for ti in tasks if ti.task_id == "summarize_documents"),
                "task_seconds": {
                    task_id: round(sum(ti.duration or 0 for ti in tasks if ti.task_id == task_id), 2)
                    for task_id in sorted({ti.task_id for ti in tasks})
                },
            }
        )
    )


def _environment(airflow_home: Path, home: Path, corpus: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_", "AIRFLOW__", "DOCANALYSIS_"))}
    env.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__DAGS_FOLDER=str(REPO / "dags"),
        AIRFLOW__CORE__PLUGINS_FOLDER=str(REPO / "plugins"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__LOGGING__LOGGING_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "plugins")]),
        DOCANALYSIS_HOME=str(home),
        DOCANALYSIS_SOURCES=str(corpus),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        **extra,
    )
    return env


def _cli_run(work: Path, corpus: Path, airflow_home: Path) -> float:
    home = Path(tempfile.mkdtemp(dir=work, prefix="cli-"))
    env = _environment(airflow_home, home, corpus)
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "docanalysis"), "--home", str(home), "run", "--no-progress", str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"docanalysis run failed: {done.stdout}{done.stderr}")
    return seconds


def _dag_run(work: Path, corpus: Path, airflow_home: Path, *, fan_out: bool) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(dir=work, prefix="dag-"))
    extra = {"DOCANALYSIS_EMBED_SHARD_CHUNKS": "1", "DOCANALYSIS_JOB_SHARD_DOCUMENTS": "1"} if fan_out else {}
    env = _environment(airflow_home, home, corpus, **extra)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--dag-child"], env=env, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        sys.exit(f"the DAG run failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    if result["state"] != "success":
        sys.exit(f"the DAG run ended {result['state']}:\n{done.stderr[-3000:]}")
    return {**result, "process_s": seconds}


def _request(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError:
        return 0, None


def _until(predicate: Any, timeout_s: float) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(2)
    sys.exit("timed out")


def _live_run(work: Path, corpus: Path, *, fan_out: bool) -> dict[str, Any]:
    """The nightly DAG under `make airflow` (LocalExecutor: one process per task, as in production):
    unpausing it creates the run of its latest interval at once; its duration comes from Airflow."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run_dir = Path(tempfile.mkdtemp(dir=work, prefix="live-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "DOCANALYSIS_", "MAKE", "MFLAGS"))}
    if fan_out:
        env.update(DOCANALYSIS_EMBED_SHARD_CHUNKS="1", DOCANALYSIS_JOB_SHARD_DOCUMENTS="1")
    variables = {
        "VENV": sys.prefix,
        "AIRFLOW_HOME": run_dir / "airflow",
        "AIRFLOW_PORT": port,
        "DOCANALYSIS_HOME": run_dir / "home",
        "DOCANALYSIS_SOURCES": corpus,
    }
    log = (run_dir / "make.log").open("wb")
    make = subprocess.Popen(
        ["make", "airflow", *(f"{k}={v}" for k, v in variables.items())],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base, dag = f"http://127.0.0.1:{port}", "/api/v2/dags/document_analysis_nightly"
    try:
        passwords = run_dir / "airflow" / "simple_auth_manager_passwords.json.generated"
        _until(lambda: passwords.is_file() and _request(base, "GET", "/api/v2/monitor/health")[0] == 200, 300)
        password = json.loads(passwords.read_text())["admin"]
        token = _request(base, "POST", "/auth/token", {"username": "admin", "password": password})[1]["access_token"]
        _until(lambda: _request(base, "GET", dag, token=token)[0] == 200, 300)
        _request(base, "PATCH", dag, {"is_paused": False}, token)

        def finished() -> Any:
            runs = (_request(base, "GET", f"{dag}/dagRuns", token=token)[1] or {}).get("dag_runs", [])
            return runs if runs and runs[0]["state"] in ("success", "failed") else None

        (run,) = _until(finished, 1800)
        if run["state"] != "success":
            sys.exit(f"the live DAG run failed; see {run_dir}")
        tasks = _request(base, "GET", f"{dag}/dagRuns/{run['dag_run_id']}/taskInstances", token=token)[1]
        durations = [t["duration"] or 0 for t in tasks["task_instances"]]
        start, end = (datetime.fromisoformat(run[k].replace("Z", "+00:00")) for k in ("start_date", "end_date"))
        return {
            "run_s": (end - start).total_seconds(),
            "task_instances": len(durations),
            "task_seconds_sum": sum(durations),
            "embed_shards": sum(1 for t in tasks["task_instances"] if t["task_id"] == "embed_chunks"),
        }
    finally:
        make.send_signal(signal.SIGTERM)
        try:
            make.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=None, help="documents (default: the demo set)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the median is reported")
    parser.add_argument("--live", action="store_true", help="also run the DAG under `make airflow` (LocalExecutor)")
    parser.add_argument("--dag-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dag_child:
        _dag_child()
        return
    from analysis.cli import DEMO_SCANNED
    from analysis.samples import generate_corpus

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        files = generate_corpus(corpus, n=args.n, seed=0, include_bad=False, scanned=DEMO_SCANNED)
        airflow_home = work / "airflow"
        airflow_home.mkdir()
        subprocess.run(
            [str(BIN / "airflow"), "db", "migrate"],
            env=_environment(airflow_home, work / "unused", corpus),
            check=True,
            capture_output=True,
        )
        cli, sized, fanned, live_sized, live_fanned = [], [], [], [], []
        for _ in range(args.repeat):
            cli.append(_cli_run(work, corpus, airflow_home))
            sized.append(_dag_run(work, corpus, airflow_home, fan_out=False))
            fanned.append(_dag_run(work, corpus, airflow_home, fan_out=True))
            if args.live:
                live_sized.append(_live_run(work, corpus, fan_out=False))
                live_fanned.append(_live_run(work, corpus, fan_out=True))

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    cli_s = statistics.median(cli)
    rows = {
        "files": len(files),
        "docanalysis run (process), s": cli_s,
        "DAG, sized shards (process), s": median(sized, "process_s"),
        "  of which import + parse, s": median(sized, "import_parse_s"),
        "  of which dag.test(), s": median(sized, "dag_test_s"),
        "  task instances": sized[0]["task_instances"],
        "  embed / summarize shards": f"{sized[0]['embed_shards']} / {sized[0]['summarize_shards']}",
        "  ratio to docanalysis run": median(sized, "process_s") / cli_s,
        "DAG, 4 shards per step (process), s": median(fanned, "process_s"),
        "  of which dag.test(), s ": median(fanned, "dag_test_s"),
        "  task instances ": fanned[0]["task_instances"],
        "  embed / summarize shards ": f"{fanned[0]['embed_shards']} / {fanned[0]['summarize_shards']}",
        "  ratio to docanalysis run ": median(fanned, "process_s") / cli_s,
    }
    for name, runs in (("sized shards", live_sized), ("4 shards per step", live_fanned)):
        if runs:
            rows[f"make airflow, {name}: DAG run, s"] = median(runs, "run_s")
            rows[f"  task instances ({name})"] = runs[0]["task_instances"]
            rows[f"  ratio to docanalysis run ({name})"] = median(runs, "run_s") / cli_s
    print(f"nightly DAG against docanalysis run, {len(files)} files, median of {args.repeat}:")
    print_rows(rows, width=46)
    save(
        "dag_overhead.json",
        {
            "files": len(files),
            "repeat": args.repeat,
            "cli_s": cli,
            "dag_sized": sized,
            "dag_fan_out": fanned,
            "live_sized": live_sized,
            "live_fan_out": live_fanned,
        },
    )


if __name__ == "__main__":
    main()
