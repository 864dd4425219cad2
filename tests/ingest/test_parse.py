"""Parsing in worker processes: results in order, failures as reasons, and a worker killed
mid-file loses nothing."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from hostile_files import bomb_pdf, spinning_pdf, text_pdf

from analysis.ingest.discover import fingerprint
from analysis.ingest.parse import ParsedSource, ParseFailure, ParsePool
from analysis.records import SourceFile
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


def _parse_in_a_daemonic_process(sources: list, out: multiprocessing.queues.Queue) -> None:
    with ParsePool(workers=1, timeout_s=30, pdf_engine="pypdf") as pool:
        out.put([type(r).__name__ for r in pool.parse(sources)])


def test_a_pool_runs_inside_a_daemonic_process(tmp_path: Path) -> None:
    """Where Celery's prefork pool runs an Airflow task: multiprocessing refuses children there."""
    sources = _sources(tmp_path, 2)
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    task = context.Process(target=_parse_in_a_daemonic_process, args=(sources, out), daemon=True)
    task.start()
    try:
        assert out.get(timeout=30) == ["ParsedSource", "ParsedSource"]
    finally:
        task.join(10)
    assert task.exitcode == 0


@pytest.mark.slow
def test_a_worker_killed_mid_file_loses_nothing(tmp_path: Path) -> None:
    """As when the kernel kills a worker for memory: the pool restarts and every file is still parsed."""
    sources = _sources(tmp_path, 8)
    with ParsePool(workers=2, timeout_s=30, pdf_engine="pypdf") as pool:
        killed: list[int] = []

        def kill_a_worker() -> None:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not killed:
                pids = pool.worker_pids()
                if pids:
                    pid = pids[0]
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


def _pdf(tmp_path: Path, name: str, data: bytes) -> SourceFile:
    path = tmp_path / name
    path.write_bytes(data)
    return fingerprint(path, "pdf")


def _outcomes(results: list[ParsedSource | ParseFailure]) -> list[str]:
    return [r.reason if isinstance(r, ParseFailure) else "parsed" for r in results]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_the_parser_spins_on_is_killed_at_the_time_limit(tmp_path: Path, workers: int) -> None:
    """pypdf needs minutes for this 20 KB PDF: its worker is killed, the files after it are parsed."""
    good = _pdf(tmp_path, "good.pdf", text_pdf("A lease between the landlord and the tenant."))
    sources = [_pdf(tmp_path, "spinning.pdf", spinning_pdf()), good, good]
    start = time.monotonic()
    with ParsePool(workers=workers, timeout_s=2, pdf_engine="pypdf") as pool:
        results = list(pool.parse(sources))
    assert _outcomes(results) == ["took longer than 2 s to parse", "parsed", "parsed"]
    assert time.monotonic() - start < 15


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pypdf", "pypdfium2"])
def test_a_file_that_needs_too_much_memory_is_refused_and_the_pool_goes_on(tmp_path: Path, engine: str) -> None:
    """Eight pages of Flate inside Flate: 8 KB that pypdf turns into 560 MB (with PDFium, which finds
    no text in it, pypdf is tried next and runs out the same way)."""
    good = _pdf(tmp_path, "good.pdf", text_pdf("Discharge summary: the patient is stable."))
    sources = [good, _pdf(tmp_path, "bomb.pdf", bomb_pdf(pages=8)), good]
    with ParsePool(workers=1, timeout_s=30, pdf_engine=engine, memory_mb=256) as pool:
        results = list(pool.parse(sources))
    assert _outcomes(results) == ["parsed", "needed more than 256 MB to parse", "parsed"]


@pytest.mark.slow
def test_a_file_whose_worker_dies_twice_is_quarantined(tmp_path: Path) -> None:
    """As when a parser crashes in native code: one retry in a fresh process, then the reason."""
    good = _pdf(tmp_path, "good.pdf", text_pdf("An order of the court."))
    sources = [_pdf(tmp_path, "spinning.pdf", spinning_pdf()), good]
    with ParsePool(workers=1, timeout_s=60, pdf_engine="pypdf") as pool:
        killed: list[int] = []

        def kill_twice() -> None:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(killed) < 2:
                for pid in pool.worker_pids():
                    if pid not in killed:
                        time.sleep(0.3)
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                time.sleep(0.05)

        killer = threading.Thread(target=kill_twice)
        killer.start()
        results = list(pool.parse(sources))
        killer.join()
    assert _outcomes(results) == [
        "the parser crashed on this file (its process was killed by SIGKILL, twice)",
        "parsed",
    ]
