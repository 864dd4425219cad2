"""`make airflow`: ``airflow standalone`` that stops, children included, however it is stopped.

``airflow standalone`` starts the scheduler, dag-processor, api-server and triggerer as
``airflow`` processes found on ``PATH``, and stops them only on Ctrl-C (SIGINT): a SIGTERM (``kill``,
or ``make`` passing one on) kills the parent alone and leaves every component, and the
executor's workers, running. So this launcher runs it in a process group of its own and, on
SIGINT, SIGTERM or SIGHUP, interrupts that whole group as Ctrl-C would, then terminates and at
last kills whatever is left. It refuses to start when ``airflow`` on ``PATH`` is not the one
beside this Python: otherwise every component dies with ``FileNotFoundError: 'airflow'`` while the
parent stays up, printing nothing.

No Airflow import here: Airflow loads plugins/ and must find nothing to run in this module.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

_SUBREAPER = False  # set once orphaned components become our children
GRACE_S = 30.0  # after Ctrl-C, how long the components get to finish their shutdown
TERM_GRACE_S = 10.0


def _airflow_on_path() -> str:
    """The ``airflow`` that standalone will start its components with, checked against this venv."""
    beside = Path(sys.executable).parent / "airflow"
    found = shutil.which("airflow")
    if found is None or Path(found).resolve() != beside.resolve():
        sys.exit(
            f"error: `airflow` on PATH is {found or 'missing'}, not {beside}: airflow standalone starts its "
            f"components by that name. Run `make airflow`, or put {beside.parent} first on PATH."
        )
    return found


def _become_subreaper() -> None:
    """Components orphaned by standalone become our children, so we reap them (a container's
    PID 1 may not, and a zombie still counts as a member of the group). Linux only."""
    global _SUBREAPER
    try:
        import ctypes

        _SUBREAPER = ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _reap(leader: subprocess.Popen[bytes]) -> None:
    """Collect every child that has exited: the leader (its exit code) and, once we are their
    subreaper, orphaned components (never another child of a process that merely calls stop_group)."""
    if not _SUBREAPER:
        leader.poll()
        return
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid == leader.pid:
            leader.returncode = os.waitstatus_to_exitcode(status)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _wait_group(pgid: int, process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Wait until no process of the group is left (reaping the leader); False on time-out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _reap(process)
        if not _group_alive(pgid):
            return True
        time.sleep(0.2)
    return False


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to every process of the group, then SIGTERM, then SIGKILL, until none is left."""
    pgid = process.pid  # the leader of its own session: the group id is its pid
    for sig, wait_s in ((signal.SIGINT, GRACE_S), (signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, 5.0)):
        _signal_group(pgid, sig)
        if _wait_group(pgid, process, wait_s):
            return
        print(f"standalone: components still running after {sig.name}", file=sys.stderr, flush=True)


def main() -> int:
    airflow = _airflow_on_path()
    _become_subreaper()
    process: subprocess.Popen[bytes] | None = None
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print(f"standalone: {signal.Signals(signum).name}, stopping every component", file=sys.stderr, flush=True)
        if process is not None:
            stop_group(process)

    # Handlers before the child starts: it then gets these signals at their defaults. A shell that
    # starts `make airflow &` ignores SIGINT in it, and an ignored SIGINT would be inherited:
    # standalone would shrug off the Ctrl-C it shuts down on.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    process = subprocess.Popen([airflow, "standalone"], start_new_session=True)
    if stopping:  # a signal came while it started
        stop_group(process)
        return 0
    while process.returncode is None:  # not Popen.wait(): orphaned components are reaped here too
        _reap(process)
        time.sleep(0.5)
    if not stopping:  # standalone ended by itself: leave no component behind it
        stopping = True
        stop_group(process)
        return process.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
