"""Serve a GGUF file over an OpenAI-compatible HTTP API on loopback.

For single-machine setups without vLLM, and for tests and benchmarks that must talk to a
real server: it starts ``python -m llama_cpp.server`` and stops that process by its id.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import DocAnalysisError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve_gguf(
    model_path: Path,
    *,
    port: int | None = None,
    n_ctx: int = 2048,
    model_alias: str = "local",
    startup_timeout_s: float = 120.0,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Run the server for the duration of the block; yields its base URL (``http://127.0.0.1:N/v1``)."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path),
        "--model_alias", model_alias,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
    ]  # fmt: skip
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(base_url, process, startup_timeout_s)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()  # type: ignore[union-attr]


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DocAnalysisError(f"the llama.cpp server exited with status {process.returncode} while starting")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise DocAnalysisError(f"the llama.cpp server at {base_url} did not start within {timeout_s:.0f}s")
