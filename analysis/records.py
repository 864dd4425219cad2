"""Typed records that the pipeline stages hand to each other.

Every stage takes and returns these dataclasses rather than dicts, so a reader can
follow one document from discovery to its chunks by type alone.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DOMAINS = ("legal", "medical", "other")


@dataclass(frozen=True)
class SourceFile:
    """A file found under a source root; its identity is the sha256 of its bytes."""

    path: Path
    sha256: str
    size: int
    mtime_ns: int
    kind: str  # "pdf" or "text"


TEXT_LAYER = "text_layer"  # pages.text_source of a page read from the PDF's own text
PLAIN_TEXT = "text"  # pages.text_source of a text file's one page
NO_TEXT = "none"  # a page neither the text layer nor OCR could read
NOT_OCR_SOURCES = (TEXT_LAYER, PLAIN_TEXT, NO_TEXT)  # every other pages.text_source names an OCR engine


@dataclass(frozen=True)
class Page:
    """One page of extracted text; numbers start at 1 (text files are one page).

    ``text_source`` says where the text came from: ``text_layer`` (the PDF's own text), ``text``
    (a text file), an OCR engine and its version (``tesseract 5.3.0``), or ``none``; ``flag`` is
    the one-line reason a person should look at the page (low OCR confidence, not read).
    """

    number: int
    text: str
    text_source: str = "text_layer"
    ocr_confidence: float | None = None
    flag: str | None = None


@dataclass(frozen=True)
class Classification:
    """What a document is about (domain) and what kind of document it is (doc_type)."""

    domain: str
    doc_type: str
    language: str | None = None  # ISO 639-1 code, None when the text is too short or mixed to tell


@dataclass(frozen=True)
class Section:
    """A contiguous span of the document text under one heading.

    ``start``/``end`` are character offsets into the document text; ``title`` is the
    heading path in effect (``None`` before the first heading).
    """

    start: int
    end: int
    title: str | None
    level: int = 0


@dataclass
class ParsedDocument:
    """A document's text and pages; ``text`` is the pages joined by ``PAGE_SEPARATOR``."""

    source: SourceFile
    pages: list[Page]
    parser: str
    text: str = ""
    page_spans: list[tuple[int, int]] = field(default_factory=list)

    PAGE_SEPARATOR = "\n\n"

    def __post_init__(self) -> None:
        if not self.text:
            parts: list[str] = []
            offset = 0
            for i, page in enumerate(self.pages):
                if i:
                    parts.append(self.PAGE_SEPARATOR)
                    offset += len(self.PAGE_SEPARATOR)
                self.page_spans.append((offset, offset + len(page.text)))
                parts.append(page.text)
                offset += len(page.text)
            self.text = "".join(parts)

    def page_at(self, offset: int) -> int:
        """The page number holding character ``offset`` (separators belong to the page before)."""
        number = self.pages[0].number if self.pages else 1
        for page, (start, _end) in zip(self.pages, self.page_spans):
            if start <= offset:
                number = page.number
            else:
                break
        return number


def page_at(spans: Sequence[tuple[int, int, int]], offset: int) -> int | None:
    """The page of ``(page, char_start, char_end)`` spans (ordered by start) that holds character
    ``offset``; a separator between pages belongs to the page before. None before the first page."""
    at = bisect.bisect_right([start for _, start, _ in spans], offset) - 1
    return spans[at][0] if at >= 0 else None


@dataclass(frozen=True)
class Chunk:
    """A token-bounded slice of a document, with its provenance.

    ``text == document_text[char_start:char_end]`` always holds.
    """

    ordinal: int
    text: str
    char_start: int
    char_end: int
    page_start: int
    page_end: int
    section: str | None
    n_tokens: int


@dataclass(frozen=True)
class KnownSource:
    """A path the store already holds, and the content (sha256) and document it held last time."""

    path: str
    sha256: str
    document_id: int


@dataclass(frozen=True)
class QuarantinedFile:
    """A file the pipeline could not use, with a one-line reason."""

    path: Path
    sha256: str | None
    reason: str
    stage: str


@dataclass(frozen=True)
class DocumentListing:
    """One stored path with its document (``docanalysis documents``): enough to pick an id for an
    erasure or a request, and to see whether the pipeline is done with it."""

    path: str
    document_id: int | None  # None: a quarantined file, never stored
    doc_type: str | None = None
    domain: str | None = None
    n_pages: int | None = None
    chunks_unembedded: int = 0
    jobs_pending: tuple[str, ...] = ()
    jobs_failed: tuple[str, ...] = ()
    quarantine_reason: str | None = None

    @property
    def status(self) -> str:
        """``done``, or what is left: quarantined, a job that failed on it, chunks without vectors, jobs to run."""
        if self.document_id is None:
            return f"quarantined: {self.quarantine_reason}"
        if self.jobs_failed:
            return f"failed: {', '.join(self.jobs_failed)}"
        if self.chunks_unembedded:
            return f"not embedded ({self.chunks_unembedded} chunks)"
        if self.jobs_pending:
            return f"pending: {', '.join(self.jobs_pending)}"
        return "done"


@dataclass(frozen=True)
class SearchHit:
    """One semantic-search result, traceable to its document, page and section."""

    rank: int
    score: float
    chunk_id: int
    document_id: int
    source_path: str
    domain: str
    doc_type: str
    page_start: int
    page_end: int
    section: str | None
    text: str
    char_start: int = 0  # where the chunk lies in the document's text
    char_end: int = 0


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an answer and the source that backs it.

    ``page`` is the page of the best-matching source span (``char_start``/``char_end``, offsets into
    the document's text), not just the chunk's first page; ``supported`` is the grounding check's verdict.
    """

    text: str
    supported: bool
    similarity: float
    chunk_id: int | None
    document_id: int | None
    source_path: str | None
    page: int | None
    char_start: int | None
    char_end: int | None

    @property
    def citation(self) -> str:
        return f"[p. {self.page}]" if self.supported and self.page is not None else "[unsupported]"


@dataclass(frozen=True)
class Answer:
    """A question answered from the retrieved chunks, every sentence grounded and cited.

    ``reason`` says in one line why there is no answer (nothing retrieved); ``question_id`` is the
    stored question (None with ``save=False``).
    """

    question: str
    backend: str  # "extractive", "llama_cpp" or "openai"
    model_id: str
    sentences: list[AnswerSentence]
    hits: list[SearchHit]
    groundedness: float
    reason: str | None = None
    question_id: int | None = None
    answer_id: int | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def sources(self) -> list[tuple[str, list[int]]]:
        """(path, pages cited) of each document a supported sentence cites, in order of first citation."""
        pages: dict[str, set[int]] = {}
        for sentence in self.sentences:
            if sentence.supported and sentence.source_path is not None and sentence.page is not None:
                pages.setdefault(sentence.source_path, set()).add(sentence.page)
        return [(path, sorted(numbers)) for path, numbers in pages.items()]


@dataclass(frozen=True)
class SourceChunk:
    """A stored chunk as the jobs see it: its id, pages, text and stored vector."""

    id: int
    ordinal: int
    text: str
    page_start: int
    page_end: int
    section: str | None
    n_tokens: int
    vector: np.ndarray
    char_start: int = 0  # where the chunk lies in the document text (the extract job's evidence)
    char_end: int = 0


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
