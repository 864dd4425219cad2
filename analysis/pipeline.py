"""The stages of a run, wired in data-flow order: discover, ingest, embed, index, reconcile.

Each stage streams through the store, so memory does not grow with the corpus, and each
is idempotent: a re-run over unchanged input parses, embeds and writes nothing.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from analysis.chunking import chunk_document
from analysis.config import Config
from analysis.embeddings import Embedder, embedding_model_id, load_embedder_for
from analysis.errors import DocAnalysisError, FileTooLargeError, IndexOutOfSyncError, IndexStateError
from analysis.index import IndexStore, VectorIndex, choose_kind, ivf_lists
from analysis.ingest.discover import VANISHED, FoundFile, discover_files, fingerprint, validate_sources
from analysis.ingest.parse import ParsedSource, ParseFailure, ParsePool, parse_workers
from analysis.records import QuarantinedFile, SourceFile
from analysis.store import Shard, Store, open_store

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run did; ``counts`` is also stored on the run's row."""

    run_id: int
    status: str
    counts: Counter[str] = field(default_factory=Counter)
    index_version: int = 0
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage, in run order

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


class LazyEmbedder:
    """Loads the model on first use, so an unchanged re-run never loads it at all."""

    def __init__(self, config: Config, embedder: Embedder | None = None) -> None:
        self.config = config
        self._embedder = embedder

    def get(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder_for(self.config)
        return self._embedder

    @property
    def model_id(self) -> str:
        """The model's identity, from the weights' hash when it is not loaded yet."""
        return self._embedder.model_id if self._embedder else embedding_model_id(self.config)


def run_pipeline(
    paths: Sequence[Path | str],
    *,
    config: Config | None = None,
    sync: bool = False,
    trigger: str = "manual",
    params: dict[str, Any] | None = None,
    show_progress: bool = False,
    embedder: Embedder | None = None,
    jobs: Sequence[str] | None = None,
    force: bool = False,
) -> RunReport:
    """Ingest, chunk, embed and index everything under ``paths``, run the jobs; record the run.

    With ``sync`` a file that disappeared from under ``paths`` is removed from the store and
    the index. Raises IndexOutOfSyncError when store and index disagree after indexing.
    ``jobs`` defaults to the configured jobs (summarize, sentiment); ``force`` recomputes
    their results even when a version for the same model and prompt exists.
    """
    config = config or Config.load()
    jobs = config.job_list if jobs is None else tuple(jobs)
    roots = validate_sources([Path(p) for p in paths])
    store = open_store(config)
    lazy = LazyEmbedder(config, embedder)
    run_params = {"paths": [str(r) for r in roots], "sync": sync, "jobs": list(jobs), "force": force, **(params or {})}
    report = RunReport(run_id=store.start_run(trigger=trigger, params=run_params), status="running")
    try:
        with store.writer_lock("pipeline", config.lock_timeout_s):  # one run writes at a time
            interrupted = store.mark_interrupted_runs(report.run_id)
            if interrupted:
                log.warning("%d earlier run(s) had stopped mid-run; marked interrupted", interrupted)
                report.counts["runs_interrupted"] += interrupted
            with report.stage("ingest"):
                seen = ingest_sources(store, roots, lazy, config=config, report=report, show_progress=show_progress)
                if sync:
                    remove_missing_sources(store, roots, seen, report=report)
                report.counts["documents_purged"] += len(store.purge_orphans())
            model_id = lazy.model_id
            with report.stage("embed"):
                embed_pending_chunks(
                    store, lazy, model_id, run_id=report.run_id, show_progress=show_progress, report=report
                )
            with report.stage("index"):
                report.index_version = update_index(
                    store,
                    IndexStore(config.index_dir, keep_versions=config.index_keep_versions),
                    model_id,
                    **index_options(config),
                    report=report,
                )
            if jobs:
                from analysis.jobs import JobContext, run_jobs  # LLM libraries load only when jobs run

                context = JobContext(
                    store, config, lazy.get, report.run_id, report.counts, force=force, show_progress=show_progress
                )
                for job in jobs:
                    with report.stage(job):
                        run_jobs(context, [job])
        report.status = "succeeded"
    except BaseException as exc:
        report.status = "failed"
        message = str(exc) if isinstance(exc, DocAnalysisError) else f"{type(exc).__name__}: {exc}"
        store.finish_run(
            report.run_id,
            status="failed",
            counts=dict(report.counts),
            index_version=report.index_version or None,
            error=message[:2000],
        )
        raise
    finally:
        if report.status == "succeeded":
            store.finish_run(
                report.run_id,
                status="succeeded",
                counts=dict(report.counts),
                index_version=report.index_version or None,
            )
        store.close()
    return report


def ingest_sources(
    store: Store,
    roots: list[Path],
    lazy: LazyEmbedder,
    *,
    config: Config,
    report: RunReport,
    show_progress: bool = False,
) -> set[str]:
    """Discover, fingerprint, parse, classify, section and chunk each new or changed file."""
    skipped: Counter[str] = Counter()
    found = list(discover_files(roots, skipped=skipped))
    report.counts["files_seen"] = len(found)
    for what, n in skipped.items():
        report.counts[f"skipped_{what}"] += n
    ingest_found(store, found, lazy, config=config, report=report, show_progress=show_progress)
    return {str(item.path) for item in found}


def ingest_found(
    store: Store,
    found: Sequence[FoundFile],
    lazy: LazyEmbedder,
    *,
    config: Config,
    report: RunReport,
    show_progress: bool = False,
) -> None:
    """Triage each file against the store, parse the new and changed ones in worker processes,
    then chunk and store them in order, while the workers parse the next ones."""
    changed: set[str] = set()
    in_flight: dict[str, list[SourceFile]] = {}  # sha256 -> later paths with the same content
    bar = tqdm(total=len(found), desc="ingest", unit="file", disable=not show_progress)

    def to_parse() -> Iterator[SourceFile]:
        for item in found:
            source = _triage(store, item, report, changed, max_bytes=config.max_file_mb * 2**20)
            if source is None:
                bar.update(1)
            elif source.sha256 in in_flight:  # same content twice in one run: parse it once
                in_flight[source.sha256].append(source)
            else:
                in_flight[source.sha256] = []
                yield source

    workers = parse_workers(config.parse_workers) if len(found) >= 8 else 1
    with ParsePool(
        workers=workers,
        timeout_s=config.parse_timeout_s,
        pdf_engine=config.pdf_engine,
        memory_mb=config.parse_memory_mb,
    ) as pool:
        for result in pool.parse(to_parse()):
            source = result.source if isinstance(result, ParseFailure) else result.document.source
            copies = in_flight.pop(source.sha256, [])
            if isinstance(result, ParseFailure):
                for failed in (source, *copies):
                    item = QuarantinedFile(failed.path, failed.sha256, result.reason, "parse")
                    _quarantine(store, item, size=failed.size, report=report)
            else:
                document_id = _store_parsed(store, result, lazy, config=config, report=report, changed=changed)
                for copy in copies:
                    store.attach_source(copy, document_id=document_id, run_id=report.run_id)
                    report.counts["documents_duplicate"] += 1
            bar.update(1 + len(copies))
    bar.close()


def _triage(
    store: Store, item: FoundFile, report: RunReport, changed: set[str], *, max_bytes: int
) -> SourceFile | None:
    """The file's fingerprint if it must be parsed; None when it is unchanged, known bad or a copy.

    A file with a problem found by discovery (a link out of the source folder, a pipe) or above
    ``max_bytes`` is quarantined without being read, under an empty fingerprint.
    """
    path, kind = item.path, item.kind
    problem, size = item.problem, 0
    if problem is None:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            problem = VANISHED
        except OSError as exc:
            problem = f"cannot read file: {exc.strerror or exc}"
        else:
            if size > max_bytes:
                problem = FileTooLargeError(size, max_bytes // 2**20).reason
    if problem is not None:
        if store.is_quarantined(str(path), "", reason=problem):
            report.counts["quarantined_known"] += 1
        else:
            _quarantine(store, QuarantinedFile(path, None, problem, "discover"), size=size, report=report)
        return None
    try:
        source = fingerprint(path, kind or "unsupported")
    except OSError as exc:
        reason = VANISHED if isinstance(exc, FileNotFoundError) else f"cannot read file: {exc.strerror or exc}"
        _quarantine(store, QuarantinedFile(path, None, reason, "discover"), size=0, report=report)
        return None
    known = store.known_source(str(path))
    if known is not None and known.sha256 == source.sha256:
        report.counts["documents_unchanged"] += 1
        return None
    if store.is_erased(source.sha256):
        log.info("skipped %s: its content was erased on request", path)
        report.counts["erased_skipped"] += 1
        return None
    if store.is_quarantined(str(path), source.sha256):
        report.counts["quarantined_known"] += 1
        return None
    if kind is None:
        reason = f"unsupported file type {path.suffix or '(no extension)'!r}"
        _quarantine(store, QuarantinedFile(path, source.sha256, reason, "discover"), size=source.size, report=report)
        return None
    existing = store.document_id_for(source.sha256)
    if existing is not None:
        store.attach_source(source, document_id=existing, run_id=report.run_id)
        report.counts["documents_duplicate"] += 1
        return None
    if known is not None:
        changed.add(str(path))
    return source


def _store_parsed(
    store: Store, parsed: ParsedSource, lazy: LazyEmbedder, *, config: Config, report: RunReport, changed: set[str]
) -> int:
    if config.redact_stored:  # before chunking, so chunk text, vectors and offsets all follow the redacted text
        from analysis.redaction import load_redactor, redact_parsed

        parsed = redact_parsed(parsed, load_redactor())
    document = parsed.document
    embedder = lazy.get()
    chunks = chunk_document(
        document,
        parsed.sections,
        embedder.tokenizer,
        max_tokens=config.chunk_tokens,
        overlap=config.chunk_overlap,
        model_max_length=embedder.max_seq_length,
    )
    document_id = store.save_document(
        document, parsed.classification, chunks, title=_title(document.text), run_id=report.run_id
    )
    report.counts["documents_changed" if str(document.source.path) in changed else "documents_new"] += 1
    report.counts["pages_parsed"] += len(document.pages)
    report.counts["chunks_added"] += len(chunks)
    return document_id


def _quarantine(store: Store, item: QuarantinedFile, *, size: int, report: RunReport) -> None:
    log.info("quarantined %s: %s", item.path, item.reason)
    store.quarantine(item, size=size, run_id=report.run_id)
    report.quarantined.append(item)
    report.counts["quarantined_new"] += 1


def _title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return None


def remove_missing_sources(store: Store, roots: Iterable[Path], seen: set[str], *, report: RunReport) -> None:
    """Forget files that disappeared from under the roots (documents and quarantine rows)."""
    for path in sorted(store.paths_under(str(r) for r in roots) - seen):
        if store.remove_source(path) is not None:
            report.counts["documents_removed"] += 1
        report.counts["sources_removed"] += 1


def embed_pending_chunks(
    store: Store,
    lazy: LazyEmbedder,
    model_id: str,
    *,
    run_id: int,
    report: RunReport,
    show_progress: bool = False,
    shard: Shard | None = None,
) -> None:
    """Embed every chunk that has no vector for this model yet, in streamed batches.

    With ``shard`` only that part of the chunks, so several workers can embed at once.
    """
    pending = store.count_chunks_to_embed(model_id, shard=shard)
    if not pending:
        return
    embedder = lazy.get()
    store.record_model(embedder.model_info)
    with tqdm(total=pending, desc="embed", unit="chunk", disable=not show_progress) as bar:
        for batch in store.chunks_to_embed(model_id, batch=max(256, embedder.batch_size * 8), shard=shard):
            ids = [i for i, _ in batch]
            vectors = embedder.encode([t for _, t in batch])
            store.save_embeddings(model_id, ids, vectors, run_id=run_id)
            report.counts["vectors_added"] += len(ids)
            bar.update(len(ids))


def update_index(
    store: Store,
    index_store: IndexStore,
    model_id: str,
    *,
    lock_timeout_s: float = 600.0,
    rebuild: bool = False,
    report: RunReport | None = None,
    exact_max: int = 200_000,
    nprobe: int = 16,
) -> int:
    """Make the published index hold exactly the store's vectors for ``model_id``.

    The change is computed as a difference of ids, so a crash at any point heals on the
    next run. The index kind follows the corpus size: exact up to ``exact_max`` vectors,
    IVF above (retrained when the corpus has grown fourfold since it was trained).
    Returns the published version (0 when there is nothing to index).
    """
    with store.writer_lock("index", lock_timeout_s), index_store.writer_lock(lock_timeout_s):
        index = None if rebuild else index_store.load()
        if index is not None and index.model_id != model_id:
            log.info("index was built with %s; rebuilding for %s", index.model_id, model_id)
            index = None
        wanted = store.embedded_chunk_ids(model_id)
        kind = choose_kind(len(wanted), exact_max=exact_max)
        if index is not None and (index.kind != kind or (kind == "ivf" and len(wanted) > 4 * index.trained_for)):
            log.info("%d vectors: rebuilding the index as %s", len(wanted), kind)
            index = None
        if index is None:
            if not len(wanted) and index_store.current_version() == 0:
                return 0
            if kind == "ivf":
                index = VectorIndex.trained_ivf(
                    model_id=model_id,
                    sample=_sample_vectors(store, model_id, wanted),
                    expected=len(wanted),
                    nprobe=nprobe,
                )
            else:
                index = VectorIndex.empty(model_id=model_id, dimension=_dimension(store, model_id, wanted))
        if kind == "ivf":
            index.nprobe = nprobe
        present = index.ids()
        to_remove = np.setdiff1d(present, wanted, assume_unique=True)
        to_add = np.setdiff1d(wanted, present, assume_unique=True)
        if index.version and not len(to_remove) and not len(to_add):
            version = index.version
            store.mark_unrecorded_indexed(model_id, version)
        else:
            index.remove(to_remove)
            for ids, vectors in store.vectors(model_id, to_add):
                index.add(ids, vectors)
            version = index_store.publish(index)
            store.mark_indexed(model_id, to_add, version)
        if report is not None:
            report.counts["index_added"] += len(to_add)
            report.counts["index_removed"] += len(to_remove)
        reconcile(store, index_store, model_id)
        return version


def index_options(config: Config) -> dict[str, Any]:
    """The settings ``update_index`` takes from the configuration."""
    return {
        "lock_timeout_s": config.lock_timeout_s,
        "exact_max": config.index_exact_max_vectors,
        "nprobe": config.index_nprobe,
    }


def _sample_vectors(store: Store, model_id: str, ids: np.ndarray, *, per_list: int = 40) -> np.ndarray:
    """A random sample of the stored vectors to train IVF lists on (about 40 per list)."""
    n = min(len(ids), per_list * ivf_lists(len(ids)))
    chosen = np.sort(np.random.default_rng(0).choice(ids, size=n, replace=False))
    return np.vstack([vectors for _, vectors in store.vectors(model_id, chosen)])


def _dimension(store: Store, model_id: str, ids: np.ndarray) -> int:
    for _, vectors in store.vectors(model_id, ids[:1]):
        return int(vectors.shape[1])
    raise IndexStateError("no stored vectors to take the index dimension from")


def reconcile(store: Store, index_store: IndexStore, model_id: str) -> None:
    """Fail loudly unless the published index holds exactly the store's embedded chunks."""
    index = index_store.load()
    index_ids = index.ids() if index is not None else np.empty(0, dtype=np.int64)
    store_ids = store.embedded_chunk_ids(model_id)
    if len(index_ids) != len(store_ids) or not np.array_equal(np.sort(index_ids), np.sort(store_ids)):
        raise IndexOutOfSyncError(len(index_ids), len(store_ids))


def rebuild_index(config: Config | None = None) -> int:
    """Rebuild the index from the stored vectors, without re-embedding anything."""
    config = config or Config.load()
    store = open_store(config)
    try:
        return update_index(
            store,
            IndexStore(config.index_dir, keep_versions=config.index_keep_versions),
            embedding_model_id(config),
            **index_options(config),
            rebuild=True,
        )
    finally:
        store.close()
