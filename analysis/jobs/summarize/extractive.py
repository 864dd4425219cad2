"""Extractive summaries: the document's most central sentences, no LLM, deterministic."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from analysis.embed import Embedder
from analysis.jobs.summarize.summarizers import DocumentForSummary, SummaryDraft, select_salient_chunks
from analysis.provenance import ModelInfo
from analysis.sentences import sentence_spans

EXTRACTIVE_VERSION = "extractive-mmr-v1"


class ExtractiveSummarizer:
    """The most central sentences of the document, by embedding similarity; deterministic."""

    backend = "extractive"
    prompt_hash = ""

    def __init__(
        self,
        embedder: Callable[[], Embedder],
        *,
        embedding_model_id: str,
        sentences: int = 5,
        budget_tokens: int = 1024,
    ) -> None:
        self._embedder = embedder  # loaded on first use: a run with nothing to summarise never loads it
        self.sentences = sentences
        self.budget_tokens = budget_tokens
        self.model_info = ModelInfo.of_project(
            version=EXTRACTIVE_VERSION, kind="summarizer", embedding_model_id=embedding_model_id
        )

    def summarize(self, document: DocumentForSummary) -> SummaryDraft:
        started = time.perf_counter()
        pool = select_salient_chunks(document.chunks, budget_tokens=self.budget_tokens * 3)
        spans = [" ".join(c.text[a:b].split()) for c in pool for a, b in sentence_spans(c.text)]
        # Prefer whole readable sentences; a short clause or a note without punctuation still gets a summary.
        candidates = list(dict.fromkeys(s for s in spans if _good_summary_sentence(s)))
        candidates = candidates or list(dict.fromkeys(s for s in spans if len(s.split()) >= 3)) or spans[:1]
        if not candidates:
            return SummaryDraft("", "extractive", 0, 0, time.perf_counter() - started)
        vectors = self._embedder().encode(candidates)
        picked = _mmr(vectors, np.vstack([c.vector for c in document.chunks]).mean(axis=0), self.sentences)
        text = " ".join(candidates[i] for i in sorted(picked))
        return SummaryDraft(text, "extractive", 0, 0, time.perf_counter() - started)


def _good_summary_sentence(text: str) -> bool:
    """A whole sentence of readable length: not a heading, a clause fragment or a list stub."""
    words = text.split()
    return 8 <= len(words) <= 80 and not text.isupper() and text[0].isalnum() and text.rstrip()[-1] in ".!?"


def _mmr(vectors: np.ndarray, centroid: np.ndarray, k: int, diversity: float = 0.3) -> list[int]:
    centroid = centroid / (np.linalg.norm(centroid) or 1.0)
    relevance = vectors @ centroid
    chosen: list[int] = []
    while len(chosen) < min(k, len(vectors)):
        redundancy = (vectors @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(vectors))
        scores = (1 - diversity) * relevance - diversity * redundancy
        scores[chosen] = -np.inf
        chosen.append(int(np.argmax(scores)))
    return chosen
