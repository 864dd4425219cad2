"""What a job is: the protocol every registered job follows and the document it is handed.

Kept apart from the runner and the registry so that both, and every job, can name these types
without importing each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from analysis.config import Config
from analysis.embed import Embedder
from analysis.provenance import ModelInfo
from analysis.records import SourceChunk
from analysis.store.schema import DocumentRow, ResultRow


@dataclass(frozen=True)
class JobDocument:
    """A document as a job sees it: its stored row and its embedded chunks in reading order."""

    row: DocumentRow
    chunks: list[SourceChunk]
    pages: list[tuple[int, int, int]] = field(default_factory=list)  # (number, char_start, char_end)


class Job(Protocol):
    """One analysis job: what it writes, the identity of what makes it, and one document's work."""

    name: ClassVar[str]
    result_table: ClassVar[type[ResultRow]]  # a table keyed by (document_sha256, model_id, prompt_hash)
    needs_pages: ClassVar[bool]  # the runner reads the page offsets only for a job that uses them
    model_id: str
    prompt_hash: str
    models: Sequence[ModelInfo]  # recorded in the models table before the first result

    def process(self, document: JobDocument, counts: Counter[str]) -> list[ResultRow]:
        """The result rows for one document (``run_id`` is set by the runner)."""
        ...


class JobFactory(Protocol):
    def from_config(self, config: Config, embedder: Callable[[], Embedder]) -> Job: ...
