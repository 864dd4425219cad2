"""What the live tests share: a REST API v2 client holding a JWT, waiting with the logs on
failure, and stopping a process with everything it started."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


class AirflowApi:
    """Requests to a live api-server; ``log_in`` gets a JWT from ``/auth/token`` for later requests."""

    def __init__(self, base_url: str, logs: Path) -> None:
        self.base_url = base_url
        self.logs = logs
        self.token: str | None = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        return self.request("POST", path, body)

    def patch(self, path: str, body: Any) -> tuple[int, Any]:
        return self.request("PATCH", path, body)

    def log_in(self, username: str, password: str) -> None:
        status, body = self.post("/auth/token", {"username": username, "password": password})
        assert status in (200, 201), body
        self.token = body["access_token"]

    def log_tail(self) -> str:
        tails = (f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.logs.glob("*.log")))
        return "\n".join(tails)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    predicate: Callable[[], T | None], timeout_s: float, what: str, logs: AirflowApi | Callable[[], str] | None = None
) -> T:
    """The predicate's first truthy value; fails with the components' log tails after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except (OSError, urllib.error.URLError, ValueError):
            result = None
        if result:
            return result
        time.sleep(2)
    tail = logs.log_tail() if isinstance(logs, AirflowApi) else logs() if logs else ""
    pytest.fail(f"timed out waiting for {what}\n{tail}")


def stop_process_groups(processes: list[subprocess.Popen[bytes]], timeout_s: float = 30) -> None:
    """SIGTERM each process's group (each was started in its own session), then SIGKILL what is left."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # children that outlived their parent
            os.killpg(process.pid, signal.SIGKILL)
