"""The `make airflow` launcher: it refuses a PATH whose `airflow` is not this venv's (standalone
would start components that all die while it stays up, silent), and it stops a whole process
group, escalating past members that ignore Ctrl-C and SIGTERM (as LocalExecutor workers did)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_it_refuses_to_start_without_this_venvs_airflow_on_path(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "plugins"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "docanalysis_airflow.standalone"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: `airflow` on PATH is") and "make airflow" in line


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stopping_escalates_until_no_member_of_the_group_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from docanalysis_airflow import standalone

    monkeypatch.setattr(standalone, "GRACE_S", 1.0)
    monkeypatch.setattr(standalone, "TERM_GRACE_S", 1.0)
    stubborn = subprocess.Popen(
        ["bash", "-c", "trap '' INT TERM; sleep 300 & sleep 300 & wait"], start_new_session=True
    )
    try:
        time.sleep(0.5)
        standalone.stop_group(stubborn)
        assert not _group_alive(stubborn.pid)
        assert stubborn.returncode == -signal.SIGKILL
    finally:
        if _group_alive(stubborn.pid):
            os.killpg(stubborn.pid, signal.SIGKILL)


def test_a_group_that_obeys_ctrl_c_stops_at_once() -> None:
    from docanalysis_airflow import standalone

    sleeper = "import time; time.sleep(300)"
    children = f"[subprocess.Popen([sys.executable, '-c', {sleeper!r}]) for _ in range(2)]"
    parent = f"import subprocess, sys, time; {children}; {sleeper}"
    polite = subprocess.Popen([sys.executable, "-c", parent], start_new_session=True)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        standalone.stop_group(polite)
        assert not _group_alive(polite.pid)
        assert time.monotonic() - started < 5
    finally:
        if _group_alive(polite.pid):
            os.killpg(polite.pid, signal.SIGKILL)
