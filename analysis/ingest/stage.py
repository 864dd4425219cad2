"""The ingest stage: triage each found file against the store, parse the new and changed ones in
worker processes, then section, chunk and store them (or quarantine them, with the reason).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import DataError, SQLAlchemyError
from tqdm import tqdm

from analysis.config import Config
from analysis.embed import LazyEmbedder
from analysis.errors import DocAnalysisError, FileTooLargeError, first_line
from analysis.ingest.chunking import chunk_document
from analysis.ingest.discover import VANISHED, FoundFile, discover_files, fingerprint, path_problem, stored_path
from analysis.ingest.ocr import OcrOptions
from analysis.ingest.parse import ParsedSource, ParseFailure, ParsePool, parse_workers
from analysis.ingest.structure import split_into_sections
from analysis.ingest.title import document_title
from analysis.records import ParsedDocument, QuarantinedFile, RunReport, SourceFile
from analysis.store import Store
from analysis.store.shared import storable

log = logging.getLogger(__name__)

UNREADABLE_BY_MODEL = "no text the embedding model can read (its tokenizer finds no tokens)"
_FAILED = {"redact": "redaction failed", "chunk": "chunking failed", "store": "the database refused it"}


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
    found = discover_sources(roots, report)
    ingest_found(store, found, lazy, config=config, report=report, show_progress=show_progress)
    return {stored_path(item.path) for item in found}


def discover_sources(roots: Iterable[Path], report: RunReport) -> list[FoundFile]:
    """Every file under ``roots``, counting what was seen and what was skipped (hidden files)."""
    skipped: Counter[str] = Counter()
    found = list(discover_files(list(roots), skipped=skipped))
    report.counts["files_seen"] = len(found)
    for what, n in skipped.items():
        report.counts[f"skipped_{what}"] += n
    return found


def files_to_ingest(store: Store, roots: Iterable[Path], report: RunReport, *, sync: bool) -> list[str]:
    """Paths whose content is not yet stored (hashing each file), for a scheduler to batch;
    with ``sync`` files that disappeared are forgotten."""
    roots = list(roots)
    found = discover_sources(roots, report)
    todo = []
    for item in found:
        if item.problem is not None and path_problem(item.path) is not None:
            # a path no database holds cannot travel to an ingest task either: quarantine it here
            _quarantine_unread(store, item.path, item.problem, size=0, report=report)
            continue
        known = store.known_source(str(item.path))
        if known is not None and item.kind is not None and item.problem is None:
            try:
                if fingerprint(item.path, item.kind).sha256 == known.sha256:
                    report.counts["documents_unchanged"] += 1
                    continue
            except OSError:
                pass  # ingest quarantines it with the reason
        todo.append(str(item.path))
    if sync:
        remove_missing_sources(store, roots, {stored_path(item.path) for item in found}, report=report)
    return todo


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
        ocr=OcrOptions.from_config(config, workers=workers),
    ) as pool:
        for result in pool.parse(to_parse()):
            source = result.source if isinstance(result, ParseFailure) else result.document.source
            copies = in_flight.pop(source.sha256, [])
            if isinstance(result, ParseFailure):
                for failed in (source, *copies):
                    item = QuarantinedFile(failed.path, failed.sha256, result.reason, "parse")
                    _quarantine(store, item, size=failed.size, report=report)
            else:
                stored = _store_parsed(store, result, lazy, config=config, report=report, changed=changed)
                for copy in copies:
                    if isinstance(stored, QuarantinedFile):
                        item = QuarantinedFile(copy.path, copy.sha256, stored.reason, stored.stage)
                        _quarantine(store, item, size=copy.size, report=report)
                        continue
                    store.attach_source(copy, document_id=stored, run_id=report.run_id)
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
        _quarantine_unread(store, path, problem, size=size, report=report)
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
) -> int | QuarantinedFile:
    """Chunk and store one parsed file: its document id, or the quarantine row it got instead.

    One document never fails the run: whatever it makes redaction or chunking raise, or a value
    of it the database refuses, quarantines it with a one-line reason and the run goes on. Errors
    that are not about the document (a setting, a model that will not load, the database down or
    locked) still fail the run.
    """
    source = parsed.document.source
    embedder = lazy.get()
    parsed = storable_text(parsed)
    stage = "redact"
    try:
        if config.redact_stored:  # before chunking, so chunk text, vectors and offsets all follow the redacted text
            parsed = redact_parsed(parsed)
        stage = "chunk"
        document = parsed.document
        chunks = chunk_document(
            document,
            parsed.sections,
            embedder.tokenizer,
            max_tokens=config.chunk_tokens,
            overlap=config.chunk_overlap,
            model_max_length=embedder.max_seq_length,
        )
        title = document_title(document.text)
    except (DocAnalysisError, SQLAlchemyError):
        raise
    except Exception as exc:
        return _document_failed(store, source, stage, exc, report)
    if not chunks:  # nothing the model can read: no vector, no job could say anything of it
        item = QuarantinedFile(source.path, source.sha256, UNREADABLE_BY_MODEL, "chunk")
        _quarantine(store, item, size=source.size, report=report)
        return item
    try:
        document_id = store.save_document(document, parsed.classification, chunks, title=title, run_id=report.run_id)
    except (DataError, UnicodeEncodeError) as exc:  # this document's values, not the database's state
        return _document_failed(store, source, "store", exc, report)
    report.counts["documents_changed" if str(source.path) in changed else "documents_new"] += 1
    report.counts["pages_parsed"] += len(document.pages)
    report.counts["pages_ocr"] += sum(1 for page in document.pages if page.ocr_confidence is not None)
    report.counts["pages_flagged"] += sum(1 for page in document.pages if page.flag)
    report.counts["chunks_added"] += len(chunks)
    return document_id


def _document_failed(
    store: Store, source: SourceFile, stage: str, exc: Exception, report: RunReport
) -> QuarantinedFile:
    """Quarantine the one document a stage failed on, with the error as its one-line reason."""
    log.warning("%s: %s", source.path, _FAILED[stage], exc_info=True)
    item = QuarantinedFile(
        source.path, source.sha256, f"{_FAILED[stage]}: {type(exc).__name__}: {first_line(exc)}", stage
    )
    _quarantine(store, item, size=source.size, report=report)
    return item


def storable_text(parsed: ParsedSource) -> ParsedSource:
    """``parsed`` with every character no database stores (NUL, a lone UTF-16 surrogate) replaced by
    U+FFFD, one for one, so every page, section and chunk offset still holds.

    pypdf decodes a font's ToUnicode entry ``<D800>`` to a lone surrogate: the tokenizer raises
    TypeError on it and SQLite and PostgreSQL refuse it, yet the text around it is readable.
    """
    document = parsed.document
    if storable(document.text) is document.text:
        return parsed
    pages = [replace(page, text=storable(page.text)) for page in document.pages]
    sections = [
        replace(section, title=storable(section.title)) if section.title else section for section in parsed.sections
    ]
    cleaned = ParsedDocument(source=document.source, pages=pages, parser=document.parser)
    return ParsedSource(cleaned, parsed.classification, sections)


def _quarantine_unread(store: Store, path: Path, problem: str, *, size: int, report: RunReport) -> None:
    """Quarantine a file that is not read (no content hash), under a path the store can hold; a
    re-run finds it known for the same reason and leaves it."""
    stored = Path(stored_path(path))
    if store.is_quarantined(str(stored), "", reason=problem):
        report.counts["quarantined_known"] += 1
    else:
        _quarantine(store, QuarantinedFile(stored, None, problem, "discover"), size=size, report=report)


def _quarantine(store: Store, item: QuarantinedFile, *, size: int, report: RunReport) -> None:
    log.info("quarantined %s: %s", item.path, item.reason)
    store.quarantine(item, size=size, run_id=report.run_id)
    report.quarantined.append(item)
    report.counts["quarantined_new"] += 1


def remove_missing_sources(store: Store, roots: Iterable[Path], seen: set[str], *, report: RunReport) -> None:
    """Forget files that disappeared from under the roots (documents and quarantine rows)."""
    for path in sorted(store.paths_under(str(r) for r in roots) - seen):
        if store.remove_source(path) is not None:
            report.counts["documents_removed"] += 1
        report.counts["sources_removed"] += 1


def redact_parsed(parsed: ParsedSource) -> ParsedSource:
    """A parsed document with its pages redacted, before it is chunked, embedded and stored.

    Redacting before chunking keeps the stored invariants: chunk text, vectors and the
    document text agree, and every offset (pages, sections, chunks) points into the redacted
    text, which is the only text stored. Sections are found again on the redacted text.
    """
    from analysis.redaction import Placeholders, load_redactor

    document = parsed.document
    redactions = load_redactor().redact_many([page.text for page in document.pages], placeholders=Placeholders())
    pages = [replace(page, text=r.text) for page, r in zip(document.pages, redactions)]
    redacted = ParsedDocument(source=document.source, pages=pages, parser=document.parser)
    sections = split_into_sections(redacted.text, domain=parsed.classification.domain)
    return ParsedSource(redacted, parsed.classification, sections)
