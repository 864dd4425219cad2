"""Hostile text through the real redactor: a million characters, no spaces at all, only digits, mixed
scripts, only combining marks, control characters. Each returns without raising, its entities' offsets
point at their text, and redacting the result again finds nothing new.

The texts are redacted in a separate process (hostile_text_worker.py) that is killed when a case
runs past its wall limit: the limits detect a hang, they are no speed requirement.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from run_checks import accounted, one_line
from sqlalchemy import select

from analysis.config import Config
from analysis.embed import Embedder
from analysis.pipeline import run_pipeline
from analysis.store import open_store
from analysis.store.schema import DocumentRow

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("hostile_text_worker.py")
LOAD_LIMIT_S = 180  # the spaCy model loads in about 5 s


class RedactedAgainError(AssertionError):
    """Redacting a redacted text found new identifiers: its placeholders are not a fixed point."""


class _Worker:
    """The worker process, started on first use and again after a case killed it."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()

    def run(self, case: str, limit_s: float) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self._start()
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(case + "\n")
        self.process.stdin.flush()
        return json.loads(self._expect("RESULT ", limit_s, f"redacting {case}"))

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def _start(self) -> None:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=REPO,
            env=env,
        )
        self.lines = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=_pump, args=(self.process.stdout, self.lines), daemon=True).start()
        self._expect("READY", LOAD_LIMIT_S, "loading the redactor")

    def _expect(self, prefix: str, limit_s: float, what: str) -> str:
        deadline = time.monotonic() + limit_s
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.0))
            except queue.Empty:
                self.stop()
                pytest.fail(f"{what} did not finish within {limit_s:.0f} s: a hang (the worker process was killed)")
            if line is None:  # end of output: the process is gone
                status = self.process.wait() if self.process else None
                self.process = None
                pytest.fail(f"the redactor process died while {what} (exit status {status}): a crash, not an exception")
            if line.startswith(prefix):
                return line[len(prefix) :]


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


@pytest.fixture(scope="module")
def worker() -> Iterator[_Worker]:
    worker = _Worker()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.mark.parametrize(
    ("case", "limit_s"),
    [
        pytest.param("ordinary_1m", 400, marks=pytest.mark.slow),  # ~50 s, then ~10 s again on its first 200k
        ("no_spaces_300k", 120),
        ("digits_200k", 120),
        ("mixed_scripts", 60),
        ("combining_marks", 60),
        ("control_chars", 60),
    ],
)
def test_hostile_text_is_redacted_without_raising_and_offsets_hold(worker: _Worker, case: str, limit_s: int) -> None:
    result = worker.run(case, limit_s)
    assert "raised" not in result, f"redacting {case} raised {result['raised']}\n{result['traceback']}"
    assert result["problems"] == [], f"{case}: entities do not match the text"
    assert result["left"] == [], f"{case}: identifiers left in the redacted text"
    if result["again_count"] or not result["again_same_text"]:
        raise RedactedAgainError(
            f"{case}: redacting the redacted text again found {result['again_count']} new entities, "
            f"e.g. {result['again'][:3]} (first pass: {result['counts']})"
        )


NOTE = "Progress note: Harold Crowley was seen today; the wound is healing well. Phone (555) 123-4567."
LEASE = "Lease agreement. The tenant pays the rent on the first day of each month."


def _redacting_run(tmp_path: Path, embedder: Embedder, name: str, text: str) -> tuple[set[str], dict[str, str], str]:
    """One pipeline run with ``redact_stored`` over ``name`` and two ordinary documents: the names
    stored, the quarantined names with their reasons, and every stored document's text."""
    root = tmp_path / "inbox"
    root.mkdir()
    (root / name).write_text(text, encoding="utf-8")
    (root / "note.txt").write_text(NOTE, encoding="utf-8")
    (root / "lease.txt").write_text(LEASE, encoding="utf-8")
    config = Config(home=tmp_path / "home", batch_size=32, redact_stored=True)

    report = run_pipeline([root], config=config, embedder=embedder, jobs=())

    assert report.status == "succeeded"
    with open_store(config) as store, store.session() as s:
        stored_paths, quarantined_paths = accounted(s)
        texts = "\n".join(s.scalars(select(DocumentRow.text)))
    stored = {Path(p).name for p in stored_paths}
    quarantined = {Path(p).name: reason for p, reason in quarantined_paths.items()}
    return stored, quarantined, texts


@pytest.mark.slow
def test_a_document_of_only_combining_marks_does_not_fail_a_redacting_run(tmp_path: Path, embedder: Embedder) -> None:
    stored, quarantined, texts = _redacting_run(tmp_path, embedder, "marks.txt", "\u0301" * 50_000)
    assert {"note.txt", "lease.txt"} <= stored, quarantined
    assert "marks.txt" in stored or one_line(quarantined.get("marks.txt")), (stored, quarantined)
    assert "Harold Crowley" not in texts and "123-4567" not in texts and "<PERSON_1>" in texts


@pytest.mark.slow
def test_a_document_redaction_cannot_finish_in_its_budget_is_quarantined_and_the_run_goes_on(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The budget is shrunk (not mocked): a 60,000-character document has three analysis blocks and
    runs out of time after the first, the short notes fit in theirs."""
    from analysis.redaction import redactor as redactor_module

    monkeypatch.setattr(redactor_module, "_BUDGET_BASE_S", 0.5)
    monkeypatch.setattr(redactor_module, "_BUDGET_CHARS_PER_S", 10**9)
    long_text = (NOTE + "\n\n") * (60_000 // len(NOTE))
    stored, quarantined, texts = _redacting_run(tmp_path, embedder, "long.txt", long_text)
    assert {"note.txt", "lease.txt"} <= stored, quarantined
    assert "long.txt" not in stored
    assert one_line(quarantined["long.txt"]) and "budget" in quarantined["long.txt"], quarantined
    assert "Harold Crowley" not in texts
