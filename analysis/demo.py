"""What `docanalysis demo` shows beyond the run itself: one verified LLM summary and a few facts.

Library code, so the CLI only prints: each function reads the store the demo run has just filled
and returns data, never echoes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from analysis.config import Config

if TYPE_CHECKING:
    from analysis.jobs.summarize.job import Summary

_FIRST_DISCHARGE_SUMMARY = text(
    "SELECT d.id, MIN(s.path) FROM documents d JOIN document_sources s ON s.document_id = d.id "
    "WHERE d.doc_type = 'discharge_summary' GROUP BY d.id ORDER BY d.id LIMIT 1"
)
_FIRST_OF_KIND = text("SELECT document_id, path FROM document_facts WHERE kind = :kind ORDER BY document_id LIMIT 1")


@dataclass(frozen=True)
class VerifiedSummaryDemo:
    """One clinical note summarised by the packaged local model, verified, beside its extractive summary."""

    file_name: str
    model_id: str
    verified: Summary
    extractive_text: str


@dataclass(frozen=True)
class FactsDemo:
    """The first facts of one document of a kind (``contract`` or ``clinical``)."""

    kind: str
    document_id: int
    file_name: str
    rows: list[Any]


def verified_summary_demo(config: Config) -> VerifiedSummaryDemo | None:
    """Shown, not stored: the night's summaries stay what `summary_backend` chose. None without a note."""
    from analysis.embed import load_embedder_for
    from analysis.jobs.summarize.job import SummarizeJob
    from analysis.jobs.summarize.summarizers import DocumentForSummary
    from analysis.store import open_store

    embedder = load_embedder_for(config)
    store = open_store(config)
    try:
        with store.engine.connect() as conn:
            found = conn.execute(_FIRST_DISCHARGE_SUMMARY).first()
        if found is None:
            return None
        row, chunks = store.document_for_jobs(found[0], embedder.model_id)
    finally:
        store.close()
    document = DocumentForSummary(row.id, row.sha256, row.domain, row.doc_type, row.text, chunks)
    local = config.replace(summary_backend="llm", llm_backend="llama_cpp", summary_verify=True, redact_stored=False)
    extractive = SummarizeJob.from_config(config.replace(summary_backend="extractive"), lambda: embedder)
    llm = SummarizeJob.from_config(local, lambda: embedder)
    return VerifiedSummaryDemo(
        Path(found[1]).name, llm.model_id, llm.summarize(document), extractive.summarize(document).text
    )


def facts_demo(config: Config, *, per_field: int = 3) -> list[FactsDemo]:
    """One contract's and one clinical note's facts, the first ``per_field`` values of each field."""
    from analysis.store import open_store

    shown = []
    store = open_store(config)
    try:
        for kind in ("contract", "clinical"):
            with store.engine.connect() as conn:
                found = conn.execute(_FIRST_OF_KIND, {"kind": kind}).first()
            if found is None:
                continue
            document_id, path = found
            rows = store.facts_for_document(document_id)  # ordinal: 1, 2, ... within each field
            shown.append(FactsDemo(kind, document_id, Path(path).name, [r for r in rows if r.ordinal <= per_field]))
    finally:
        store.close()
    return shown
