"""Parse one file: its text, what it is, and its sections. Pure CPU work on one file, so it
runs in worker processes while the main process chunks and writes the previous files.

Parsers meet hostile files: pypdf can spin for minutes or allocate gigabytes on a small PDF,
and PDFium aborts the process when an allocation fails. So every file is parsed in a worker
process, never in the main one, under two limits per file:

- time: the main process kills a worker still on one file after ``timeout_s`` (wall clock,
  whatever the parser is doing, native code included) and starts a fresh one;
- memory: each worker caps its address space (RLIMIT_AS, Linux) at what it holds before the
  file plus ``memory_mb``; going over raises MemoryError in the parser (or kills PDFium).

``ParsePool`` keeps the results in submission order (document ids stay deterministic), bounds
the files in flight (memory stays flat), and survives a worker that dies: since each worker
holds one file at a time, it knows which file was lost, retries it once in a fresh worker
(with pypdf when PDFium was the engine) and quarantines it if that one dies too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from analysis.errors import (
    ExtractionError,
    ParseMemoryLimitError,
    ParserWorkersError,
    ParseTimeLimitError,
    first_line,
)
from analysis.ingest.classify import classify_document
from analysis.ingest.extract import extract_document
from analysis.ingest.language import detect_language, preload_language_model
from analysis.ingest.ocr import OcrOptions
from analysis.ingest.structure import split_into_sections
from analysis.records import Classification, ParsedDocument, Section, SourceFile

log = logging.getLogger(__name__)

CRASHES_IN_A_ROW = 5  # files in a row whose worker died twice: the workers cannot run here


@dataclass(frozen=True)
class ParsedSource:
    document: ParsedDocument
    classification: Classification
    sections: list[Section]


@dataclass(frozen=True)
class ParseFailure:
    source: SourceFile
    reason: str


def parse_source(
    source: SourceFile,
    *,
    pdf_engine: str,
    timeout_s: float | None = None,
    ocr: OcrOptions | None = None,
    on_ocr_page: Callable[[], None] | None = None,
) -> ParsedSource | ParseFailure:
    """Text, language, classification and sections of one file, or the one-line reason it cannot be used.

    In-process, with only an in-process time limit: use ``ParsePool`` for files that may be hostile.
    """
    try:
        document = extract_document(
            source, timeout_s=timeout_s, pdf_engine=pdf_engine, ocr=ocr, on_ocr_page=on_ocr_page
        )
    except ExtractionError as exc:
        return ParseFailure(source, exc.reason)
    classification = classify_document(document.text[:20000], filename=source.path.name)
    classification = replace(classification, language=detect_language(document.text))
    sections = split_into_sections(document.text, domain=classification.domain)
    return ParsedSource(document, classification, sections)


def parse_workers(configured: int) -> int:
    """0 means one per core."""
    return configured or os.cpu_count() or 1


def _worker_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe (Linux): workers start at once and never re-import ``__main__`` (a script
    without a main guard, or code from stdin, would break spawn and forkserver); spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform == "linux" and "fork" in methods else "spawn")


def _allow_child_processes() -> None:
    """Let this process start parser workers even where it is marked daemonic.

    A task on a Celery worker runs in a process forked from a daemonic pool process (Airflow's
    task runner is forked from one), and multiprocessing refuses children there so that they are
    not orphaned. The parse pool stops and reaps its own workers (themselves daemonic), so the rule
    has nothing to protect here.
    """
    process = multiprocessing.current_process()
    if process.daemon:
        process.daemon = False


@dataclass(frozen=True)
class _Job:
    seq: int
    source: SourceFile
    pdf_engine: str
    attempt: int = 1


class _OcrPage:
    """A worker's message that it starts reading a page by OCR: the page gets its own time limit."""


class _Worker:
    """One parser process, holding at most one file at a time."""

    def __init__(self, context: multiprocessing.context.BaseContext, memory_mb: int) -> None:
        parent_end, child_end = context.Pipe()
        self.process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=_worker_main, args=(child_end, memory_mb), name="docanalysis-parser", daemon=True
        )
        self.process.start()
        child_end.close()
        self.conn: Connection = parent_end
        self.job: _Job | None = None
        self.deadline = 0.0
        self.ocr_pages = 0  # pages of the current file it has started reading by OCR

    def give(self, job: _Job, timeout_s: float, ocr: OcrOptions) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout_s
        self.ocr_pages = 0
        self.conn.send((job.source, job.pdf_engine, ocr))

    def stop(self, *, kill: bool = False) -> None:
        """Ask an idle worker to exit, or kill a busy or stuck one; either way, reap it."""
        if kill or self.job is not None:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        self.conn.close()


class ParsePool:
    """``parse_source`` over many files, each in a worker process under a time and memory limit."""

    def __init__(
        self,
        *,
        workers: int,
        timeout_s: float,
        pdf_engine: str,
        memory_mb: int = 2048,
        ocr: OcrOptions | None = None,
    ) -> None:
        self.workers = max(1, workers)
        self.timeout_s = timeout_s
        self.pdf_engine = pdf_engine
        self.memory_mb = memory_mb
        self.ocr = ocr or OcrOptions(engine="none")
        self._context = _worker_context()
        _allow_child_processes()
        preload_language_model()  # forked workers share it instead of each loading it on its first file
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self._crashes_in_a_row = 0

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._idle + self._busy:
            worker.stop()
        self._idle, self._busy = [], []

    def worker_pids(self) -> list[int]:
        """The processes parsing right now (for tests and diagnostics)."""
        return [w.process.pid for w in self._busy if w.process.pid is not None]

    def parse(self, sources: Iterable[SourceFile]) -> Iterator[ParsedSource | ParseFailure]:
        """Results in the order of ``sources``; at most 2 x workers files in flight."""
        pending = iter(sources)
        todo: deque[_Job] = deque()  # retries go first
        done: dict[int, ParsedSource | ParseFailure] = {}
        submitted = yielded = 0
        exhausted = False
        while True:
            while not exhausted and submitted - yielded < 2 * self.workers:
                source = next(pending, None)
                if source is None:
                    exhausted = True
                else:
                    todo.append(_Job(submitted, source, self.pdf_engine))
                    submitted += 1
            while todo and len(self._busy) < self.workers:
                self._start(todo.popleft())
            if yielded in done:
                yield done.pop(yielded)
                yielded += 1
                continue
            if yielded == submitted and exhausted:
                return
            self._collect(done, todo)

    def _start(self, job: _Job) -> None:
        worker = self._idle.pop() if self._idle else _Worker(self._context, self.memory_mb)
        try:
            worker.give(job, self.timeout_s, self.ocr)
        except OSError:  # it died while idle: start another
            worker.stop(kill=True)
            worker = _Worker(self._context, self.memory_mb)
            worker.give(job, self.timeout_s, self.ocr)
        self._busy.append(worker)

    def _collect(self, done: dict[int, ParsedSource | ParseFailure], todo: deque[_Job]) -> None:
        """Wait for a worker to answer, die or run out of time, and record what happened."""
        now = time.monotonic()
        timeout = max(0.0, min(w.deadline for w in self._busy) - now)
        wait([w.conn for w in self._busy] + [w.process.sentinel for w in self._busy], timeout)
        for worker in list(self._busy):
            job = worker.job
            assert job is not None
            if worker.conn.poll():  # an answer counts even if it arrived just after the deadline
                try:
                    result = worker.conn.recv()
                except (EOFError, OSError):
                    self._died(worker, job, done, todo)
                    continue
                if isinstance(result, _OcrPage):  # each page read by OCR has its own time limit
                    worker.deadline = time.monotonic() + self.ocr.page_timeout_s
                    worker.ocr_pages += 1
                    continue
                self._busy.remove(worker)
                worker.job = None
                if isinstance(result, ParseFailure) and result.reason.startswith("needed more than"):
                    worker.stop()  # its heap may be fragmented: the next file gets a fresh process
                else:
                    self._idle.append(worker)
                self._crashes_in_a_row = 0
                done[job.seq] = result
            elif not worker.process.is_alive():
                self._died(worker, job, done, todo)
            elif time.monotonic() >= worker.deadline:
                log.warning("%s: still parsing after its time limit; killed", job.source.path)
                self._busy.remove(worker)
                worker.stop(kill=True)
                reason = ParseTimeLimitError(self.timeout_s).reason
                if worker.ocr_pages:
                    limit = self.ocr.page_timeout_s
                    reason = f"reading a page by OCR took longer than {limit:g} s (ocr_page_timeout_s)"
                done[job.seq] = ParseFailure(job.source, reason)

    def _died(
        self, worker: _Worker, job: _Job, done: dict[int, ParsedSource | ParseFailure], todo: deque[_Job]
    ) -> None:
        """A worker died on a file (a crash in native code, or killed from outside): retry it once."""
        self._busy.remove(worker)
        worker.stop(kill=True)
        how = _exit_description(worker.process.exitcode)
        if job.attempt == 1:
            log.warning("%s: the parser process %s; trying the file again in a fresh one", job.source.path, how)
            todo.appendleft(_Job(job.seq, job.source, "pypdf", attempt=2))
            return
        log.warning("%s: the parser process %s again; quarantining the file", job.source.path, how)
        self._crashes_in_a_row += 1
        if self._crashes_in_a_row >= CRASHES_IN_A_ROW:
            raise ParserWorkersError(self._crashes_in_a_row)
        done[job.seq] = ParseFailure(job.source, f"the parser crashed on this file (its process {how}, twice)")


def _exit_description(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


def _worker_main(conn: Connection, memory_mb: int) -> None:
    """A worker's life: parse the files it is sent, one at a time, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process, which stops the workers
    _die_with_parent()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        source, pdf_engine, ocr = job
        _limit_memory(memory_mb)
        try:
            result: ParsedSource | ParseFailure = parse_source(
                source, pdf_engine=pdf_engine, ocr=ocr, on_ocr_page=lambda: conn.send(_OcrPage())
            )
        except MemoryError:
            result = ParseFailure(source, ParseMemoryLimitError(memory_mb).reason)
        except RecursionError:
            result = ParseFailure(source, "the parser gave up: the file nests too deeply")
        except Exception as exc:  # a parser bug on one file must not end the run
            log.warning("%s: the parser failed", source.path, exc_info=True)
            result = ParseFailure(source, f"the parser failed: {type(exc).__name__}: {first_line(exc)}")
        try:
            conn.send(result)
        except MemoryError:
            conn.send(ParseFailure(source, ParseMemoryLimitError(memory_mb).reason))


def _die_with_parent() -> None:
    """A run killed with SIGKILL cannot stop its workers, and a forked worker holds copies of the
    run's descriptors (its lock, its database connection, its siblings' pipes): without this it
    would wait forever and keep the lock. Linux kills it with its parent instead."""
    if sys.platform != "linux":
        return
    import ctypes

    parent = os.getppid()
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus ``memory_mb`` (Linux only).

    Relative to the current size because a forked worker inherits the main process's mappings
    (the embedding model, the CUDA runtime), which it never touches but which count.
    """
    try:
        import resource

        with open("/proc/self/status") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        limit = size_kb * 1024 + memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, StopIteration, ValueError):  # not Linux: only the time limit applies
        pass
