"""Printing and saving benchmark results, the same way for every script."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def print_rows(rows: dict[str, Any], width: int = 34) -> None:
    for key, value in rows.items():
        print(f"  {key:{width}s} {value:12.3f}" if isinstance(value, float) else f"  {key:{width}s} {value!s:>12}")


def save(name: str, results: dict[Any, Any]) -> Path:
    """Write ``results`` as JSON to benchmarks/results/NAME and say where."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nwrote {path}")
    return path


def timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """``fn(*args)`` and the wall-clock seconds it took."""
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start
