"""Parse one file: its text, what it is, and its sections. Pure CPU work on one file, so it
runs in worker processes while the main process chunks and writes the previous files.

``ParsePool`` keeps the results in submission order (document ids stay deterministic), bounds
the files in flight (memory stays flat), and survives a worker that dies (a parser crash in
native code): that file is quarantined and the pool is started again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from analysis.errors import DocAnalysisError, ExtractionError
from analysis.ingest.classify import classify_document
from analysis.ingest.extract import extract_document
from analysis.records import Classification, ParsedDocument, Section, SourceFile
from analysis.structure import split_into_sections

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ParsedSource:
    document: ParsedDocument
    classification: Classification
    sections: list[Section]


@dataclass(frozen=True)
class ParseFailure:
    source: SourceFile
    reason: str


def parse_source(source: SourceFile, *, timeout_s: float, pdf_engine: str) -> ParsedSource | ParseFailure:
    """Text, classification and sections of one file, or the one-line reason it cannot be used."""
    try:
        document = extract_document(source, timeout_s=timeout_s, pdf_engine=pdf_engine)
    except ExtractionError as exc:
        return ParseFailure(source, exc.reason)
    classification = classify_document(document.text[:20000], filename=source.path.name)
    sections = split_into_sections(document.text, domain=classification.domain)
    return ParsedSource(document, classification, sections)


def parse_workers(configured: int) -> int:
    """0 means one per core."""
    return configured or os.cpu_count() or 1


class ParserWorkersError(DocAnalysisError):
    def __init__(self, count: int) -> None:
        super().__init__(
            f"parser worker processes died on {count} files in a row, each retried alone: the workers cannot "
            "run here (set parse_workers = 1 to parse in-process)"
        )


def _worker_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (Linux): workers start at once and never re-import ``__main__`` (a script
    without a main guard, or code from stdin, would break spawn and forkserver); spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform == "linux" and "fork" in methods else "spawn")


def _die_with_parent() -> None:
    """Worker initializer: a worker outlives nothing. When the run is killed (SIGKILL leaves no
    chance to shut the pool down) the kernel kills its workers too, instead of leaving them
    blocked on a queue no one will write to."""
    if sys.platform == "linux":
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class ParsePool:
    """``parse_source`` over many files, in worker processes when ``workers`` > 1."""

    def __init__(self, *, workers: int, timeout_s: float, pdf_engine: str) -> None:
        self.workers = workers
        self.timeout_s = timeout_s
        self.pdf_engine = pdf_engine
        self._executor: ProcessPoolExecutor | None = None
        self._crashes_in_a_row = 0

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None

    def parse(self, sources: Iterable[SourceFile]) -> Iterator[ParsedSource | ParseFailure]:
        """Results in the order of ``sources``; at most 2 x workers files in flight."""
        if self.workers <= 1:
            for source in sources:
                yield parse_source(source, timeout_s=self.timeout_s, pdf_engine=self.pdf_engine)
            return
        window: deque[tuple[SourceFile, Future[ParsedSource | ParseFailure]]] = deque()
        pending = iter(sources)
        while True:
            while len(window) < 2 * self.workers:
                source = next(pending, None)
                if source is None:
                    break
                window.append((source, self._submit(source)))
            if not window:
                return
            source, future = window.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                # a worker died (a crash in native code, or killed for memory) and took the pool down:
                # retry this file alone to learn whether it was the culprit, then resubmit the others
                self._restart()
                yield self._parse_alone(source)
                window = deque((s, self._submit(s)) for s, _ in window)

    def _submit(self, source: SourceFile) -> Future[ParsedSource | ParseFailure]:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=_worker_context(), initializer=_die_with_parent
            )
        return self._executor.submit(parse_source, source, timeout_s=self.timeout_s, pdf_engine=self.pdf_engine)

    def _parse_alone(self, source: SourceFile) -> ParsedSource | ParseFailure:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_die_with_parent) as alone:
            try:
                return alone.submit(parse_source, source, timeout_s=self.timeout_s, pdf_engine=self.pdf_engine).result()
            except BrokenProcessPool:
                log.warning("%s: the parser process died on this file", source.path)
                return ParseFailure(source, "the parser crashed on this file (its process died)")

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None
