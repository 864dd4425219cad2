"""An exclusive file lock with a deadline, for writers that share one machine's disk."""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.errors import LockTimeoutError


@contextlib.contextmanager
def exclusive_flock(path: Path, what: str, timeout_s: float) -> Iterator[None]:
    """Hold an flock on ``path``, polling until ``timeout_s``; the kernel drops it if we die."""
    deadline = time.monotonic() + timeout_s
    with path.open("a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeoutError(what, timeout_s) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
