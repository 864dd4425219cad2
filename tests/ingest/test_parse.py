"""Parsing in worker processes: results in order, failures as reasons, and a worker killed
mid-file loses nothing."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from analysis.ingest.discover import fingerprint
from analysis.ingest.parse import ParsedSource, ParseFailure, ParsePool
from analysis.samples import make_document, write_pdf


def _sources(tmp_path: Path, n: int) -> list:
    out = []
    for i in range(n):
        kind = ["lease", "nda", "radiology_report", "court_opinion"][i % 4]
        path = write_pdf(make_document(kind, seed=i), tmp_path / f"{i:02d}.pdf")
        out.append(fingerprint(path, "pdf"))
    return out


def test_a_pool_returns_results_in_order_with_failures_as_reasons(tmp_path: Path) -> None:
    sources = _sources(tmp_path, 6)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    sources.insert(3, fingerprint(empty, "text"))
    with ParsePool(workers=2, timeout_s=30, pdf_engine="pypdfium2") as pool:
        results = list(pool.parse(sources))
    paths = [r.source.path if isinstance(r, ParseFailure) else r.document.source.path for r in results]
    assert paths == [s.path for s in sources]
    assert isinstance(results[3], ParseFailure) and "empty" in results[3].reason
    assert all(isinstance(r, ParsedSource) and r.sections for i, r in enumerate(results) if i != 3)


def test_a_worker_killed_mid_file_loses_nothing(tmp_path: Path) -> None:
    """As when the kernel kills a worker for memory: the pool restarts and every file is still parsed."""
    sources = _sources(tmp_path, 8)
    with ParsePool(workers=2, timeout_s=30, pdf_engine="pypdf") as pool:
        killed: list[int] = []

        def kill_a_worker() -> None:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not killed:
                processes = getattr(pool._executor, "_processes", None) or {}
                if processes:
                    pid = next(iter(processes))
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                time.sleep(0.05)

        killer = threading.Thread(target=kill_a_worker)
        killer.start()
        results = list(pool.parse(sources))
        killer.join()
    assert killed
    assert [r.document.source.path for r in results if isinstance(r, ParsedSource)] == [s.path for s in sources]


def test_parsing_in_workers_works_from_code_without_a_main_module(tmp_path: Path, sample_corpus: Path) -> None:
    """Code run from stdin or ``-c`` (no importable ``__main__``) must not make every file look like a crash."""
    import subprocess
    import sys

    code = (
        "from analysis.config import Config\n"
        "from analysis.pipeline import run_pipeline\n"
        f"r = run_pipeline([{str(sample_corpus)!r}], config=Config(home={str(tmp_path / 'home')!r}), jobs=())\n"
        "print(r.counts['documents_new'], r.counts['quarantined_new'])\n"
    )
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    new, quarantined = map(int, done.stdout.split()[-2:])
    assert (new, quarantined) == (14, 4)
