"""The extract job: key facts per document, each tied to the span of text it was read from.

A backend proposes facts for the document's type (contract terms and clause flags, a
judgment's court, parties and outcome, a clinical note's problems, medications and
allergies); ``verify_facts`` refuses what the evidence does not support; every kept fact is
stored with its chunk, page and character offsets, and every refused or failed field with
its one-line reason (``extraction_problems``).
"""

from __future__ import annotations

import bisect
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.base import JobDocument
from analysis.jobs.extract.facts import DocumentForExtraction, Extraction, Fact
from analysis.jobs.extract.fields import REPEATABLE_FIELDS, extraction_kind, schema_hash
from analysis.jobs.extract.verify import verify_facts
from analysis.provenance import ModelInfo, package_license
from analysis.records import SourceChunk, page_at
from analysis.store.schema import ExtractionProblemRow, ExtractionRow, FactRow

MAX_EVIDENCE_CHARS = 6000  # longer than any clause a person checks in one click


class FactBackend(Protocol):
    """Proposes facts for one document; says which extractor (and version) read it."""

    backend: str
    model_id: str
    prompt_hash: str
    models: Sequence[ModelInfo]

    def extractor_for(self, document: DocumentForExtraction) -> tuple[str, str] | None:
        """(extractor name, version) for the document's type, or None when nothing applies to it."""
        ...

    def extract(self, document: DocumentForExtraction) -> Extraction: ...


class RulesBackend:
    """Offline and fast: section titles and stored vectors find the clauses, patterns read them."""

    backend = "rules"

    def __init__(self, embedder: Callable[[], Embedder]) -> None:
        from analysis.jobs.extract.clinical import CLINICAL_EXTRACTOR
        from analysis.jobs.extract.contracts import ContractRules
        from analysis.jobs.extract.judgments import JUDGMENT_EXTRACTOR

        self.contracts = ContractRules(embedder)
        self.extractors = {
            "contract": (ContractRules.name, ContractRules.version),
            "judgment": JUDGMENT_EXTRACTOR,
            "clinical": CLINICAL_EXTRACTOR,
        }
        versions = ",".join(f"{name}@{version}" for name, version in self.extractors.values())
        self.model_id = f"rules:{versions}"
        self.prompt_hash = schema_hash()
        version, license_text = package_license("docanalysis")
        self.models = [
            ModelInfo(
                model_id=self.model_id,
                kind="extractor",
                name="docanalysis rule extractors (patterns, dateparser, spaCy en_core_web_sm, chunk vectors)",
                path=None,
                sha256=None,
                license=license_text,
                package="docanalysis",
                package_version=version,
            )
        ]

    def extractor_for(self, document: DocumentForExtraction) -> tuple[str, str] | None:
        kind = extraction_kind(document)
        return self.extractors[kind] if kind else None

    def extract(self, document: DocumentForExtraction) -> Extraction:
        kind = extraction_kind(document)
        if kind == "contract":
            return self.contracts.extract(document)
        if kind == "judgment":
            from analysis.jobs.extract.judgments import extract_judgment_facts

            return extract_judgment_facts(document)
        if kind == "clinical":
            from analysis.jobs.extract.clinical import extract_clinical_facts

            return extract_clinical_facts(document)
        return Extraction()


def build_fact_backend(config: Config, embedder: Callable[[], Embedder]) -> FactBackend:
    if config.extract_backend == "llm":
        from analysis.jobs.extract.llm import LLMBackend

        return LLMBackend.from_config(config, embedder)
    return RulesBackend(embedder)


class ExtractJob:
    """Propose, verify, locate (chunk and page) and keep every fact with its evidence."""

    name: ClassVar[str] = "extract"
    result_table: ClassVar[type[ExtractionRow]] = ExtractionRow
    needs_pages: ClassVar[bool] = True  # each fact's page

    def __init__(self, backend: FactBackend) -> None:
        self.backend = backend
        self.model_id = backend.model_id
        self.prompt_hash = backend.prompt_hash
        self.models = list(backend.models)

    @classmethod
    def from_config(cls, config: Config, embedder: Callable[[], Embedder]) -> ExtractJob:
        return cls(build_fact_backend(config, embedder))

    def process(self, document: JobDocument, counts: Counter[str]) -> list[ExtractionRow]:
        row = document.row
        source = DocumentForExtraction(row.text, row.domain, row.doc_type, row.title, document.chunks)
        started = time.perf_counter()
        extractor = self.backend.extractor_for(source)
        extraction = self.backend.extract(source) if extractor else Extraction()
        verified = verify_facts(row.text, [f for f in extraction.facts if _short_enough(f)])
        too_long = [f for f in extraction.facts if not _short_enough(f)]
        problems = extraction.problems + verified.rejected
        facts = sorted(_one_per_single_field(verified.kept), key=_reading_order)
        locate = _Locator(document.chunks, document.pages)
        ordinals: Counter[str] = Counter()
        fact_rows = []
        for fact in facts:
            ordinals[fact.field] += 1
            fact_rows.append(_fact_row(row.id, fact, ordinals[fact.field], row.text, locate))
        problem_rows = [
            ExtractionProblemRow(document_id=row.id, field=p.field, problem=p.kind, reason=p.reason[:512])
            for p in problems
        ] + [
            ExtractionProblemRow(
                document_id=row.id, field=f.field, problem="rejected", reason="evidence too long", value=f.value
            )
            for f in too_long
        ]
        n_rejected = sum(p.problem == "rejected" for p in problem_rows)
        n_failed = len(problem_rows) - n_rejected
        counts["facts_written"] += len(fact_rows)
        counts["facts_rejected"] += n_rejected
        counts["fact_fields_failed"] += n_failed
        name, version = extractor or ("none", "-")
        extraction_row = ExtractionRow(
            document_id=row.id,
            document_sha256=row.sha256,
            backend=self.backend.backend,
            model_id=self.model_id,
            prompt_hash=self.prompt_hash,
            extractor=name,
            extractor_version=version,
            n_facts=len(fact_rows),
            n_rejected=n_rejected,
            n_failed=n_failed,
            latency_s=time.perf_counter() - started,
        )
        extraction_row.facts = fact_rows
        extraction_row.problems = problem_rows
        return [extraction_row]


def _reading_order(fact: Fact) -> tuple[str, str, int]:
    return (fact.kind, fact.field, fact.start if fact.start is not None else -1)


def _one_per_single_field(facts: list[Fact]) -> list[Fact]:
    """A field with one value per document (a date, the governing law) keeps its most confident
    candidate (the first in reading order among equals); repeatable fields keep them all."""
    best: dict[str, Fact] = {}
    kept = []
    for fact in sorted(facts, key=_reading_order):
        if fact.field in REPEATABLE_FIELDS:
            kept.append(fact)
        elif fact.field not in best or fact.confidence > best[fact.field].confidence:
            best[fact.field] = fact
    return kept + list(best.values())


def _short_enough(fact: Fact) -> bool:
    return fact.start is None or fact.end is None or fact.end - fact.start <= MAX_EVIDENCE_CHARS


class _Locator:
    """Maps a character offset to the chunk that holds it and the page it is on."""

    def __init__(self, chunks: Sequence[SourceChunk], pages: Sequence[tuple[int, int, int]]) -> None:
        self.chunks = sorted(chunks, key=lambda c: c.char_start)
        self.chunk_starts = [c.char_start for c in self.chunks]
        self.pages = sorted(pages, key=lambda p: p[1])

    def chunk(self, start: int, end: int) -> int | None:
        """The chunk overlapping [start, end) the most (chunks overlap one another)."""
        best, best_overlap = None, 0
        last = bisect.bisect_right(self.chunk_starts, max(start, end - 1))
        for chunk in self.chunks[max(0, last - 8) : last]:
            overlap = min(end, chunk.char_end) - max(start, chunk.char_start)
            if overlap > best_overlap:
                best, best_overlap = chunk.id, overlap
        return best

    def page(self, offset: int) -> int | None:
        return page_at(self.pages, offset)


def _fact_row(document_id: int, fact: Fact, ordinal: int, text: str, locate: _Locator) -> FactRow:
    located = fact.start is not None and fact.end is not None
    return FactRow(
        document_id=document_id,
        kind=fact.kind,
        field=fact.field,
        ordinal=ordinal,
        value=fact.value,
        raw=fact.raw if located else None,
        evidence=text[fact.start : fact.end] if located else None,
        char_start=fact.start,
        char_end=fact.end,
        page=locate.page(fact.start) if located else None,
        chunk_id=locate.chunk(fact.start, fact.end) if located else None,
        confidence=float(fact.confidence),
        negated=fact.negated,
        uncertain=fact.uncertain,
        historical=fact.historical,
        family=fact.family,
        role=_attribute(fact, "role", 128),
        dose=_attribute(fact, "dose", 64),
        route=_attribute(fact, "route", 64),
        frequency=_attribute(fact, "frequency", 64),
        section=_attribute(fact, "section", 512),
        attributes={str(k): str(v) for k, v in fact.attributes.items()},
    )


def _attribute(fact: Fact, name: str, limit: int) -> str | None:
    value = fact.attributes.get(name)
    return str(value)[:limit] if value else None
