"""What every summarizer shares: the document it reads, the draft it returns, the salient chunks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from analysis.provenance import ModelInfo
from analysis.records import SourceChunk


@dataclass(frozen=True)
class DocumentForSummary:
    """What a summarizer needs of a document: its kind, text and embedded chunks."""

    document_id: int
    sha256: str
    domain: str
    doc_type: str
    text: str
    chunks: list[SourceChunk]


@dataclass(frozen=True)
class SummaryDraft:
    text: str
    strategy: str
    tokens_in: int
    tokens_out: int
    latency_s: float


class Summarizer(Protocol):
    backend: str
    model_info: ModelInfo
    prompt_hash: str

    def summarize(self, document: DocumentForSummary) -> SummaryDraft: ...


def select_salient_chunks(
    chunks: Sequence[SourceChunk], *, budget_tokens: int, diversity: float = 0.3
) -> list[SourceChunk]:
    """Chunks closest to the document's centroid, kept diverse (MMR), within a token budget.

    Returned in document order so the model reads them as written.
    """
    if not chunks:
        return []
    vectors = np.vstack([c.vector for c in chunks])
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    relevance = vectors @ centroid
    chosen: list[int] = []
    used = 0
    candidates = set(range(len(chunks)))
    while candidates:
        redundancy = (vectors[list(candidates)] @ vectors[chosen].T).max(axis=1) if chosen else 0.0
        scores = (1 - diversity) * relevance[list(candidates)] - diversity * redundancy
        best = list(candidates)[int(np.argmax(scores))]
        candidates.discard(best)
        if used + chunks[best].n_tokens > budget_tokens and chosen:
            continue
        chosen.append(best)
        used += chunks[best].n_tokens
    return [chunks[i] for i in sorted(chosen)]
