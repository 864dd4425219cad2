"""Extractive summaries: the document's most central sentences, no LLM, deterministic."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import numpy as np

from analysis.embed import Embedder
from analysis.jobs.summarize.summarizers import DocumentForSummary, SummaryDraft, select_salient_chunks
from analysis.provenance import ModelInfo
from analysis.sentences import looks_like_header, segment_sentences, strip_marker

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
        self._memo: tuple[tuple[object, ...], list[str], np.ndarray] | None = None
        self.model_info = ModelInfo.of_project(
            version=EXTRACTIVE_VERSION, kind="summarizer", embedding_model_id=embedding_model_id
        )

    def summarize(self, document: DocumentForSummary) -> SummaryDraft:
        started = time.perf_counter()
        text = " ".join(self.central_sentences(document, self.sentences, in_reading_order=True))
        return SummaryDraft(text, "extractive", 0, 0, time.perf_counter() - started)

    def central_sentences(self, document: DocumentForSummary, k: int, *, in_reading_order: bool = False) -> list[str]:
        """Up to ``k`` sentences, the most central first, or as the document orders them (a summary)."""
        candidates, vectors = self._candidates(document)
        if not candidates:
            return []
        picked = _mmr(vectors, np.vstack([c.vector for c in document.chunks]).mean(axis=0), k)
        return [candidates[i] for i in (sorted(picked) if in_reading_order else picked)]

    def _candidates(self, document: DocumentForSummary) -> tuple[list[str], np.ndarray]:
        """The sentences a summary may quote, and their vectors; kept for the last document, because an
        LLM summary asks for them twice (the sentences it is drafted from, then the ones that fill its gaps)."""
        key = (document.document_id, document.sha256, tuple(c.id for c in document.chunks))
        memo = self._memo
        if memo is not None and memo[0] == key:
            return memo[1], memo[2]
        pool = select_salient_chunks(document.chunks, budget_tokens=self.budget_tokens * 3)
        spans = [s for c in pool for s in chunk_statements(c.text)]
        # Prefer whole readable sentences; a short clause or a note without punctuation still gets a
        # summary, but never from a header, a field line or page furniture.
        candidates = list(dict.fromkeys(s for s in spans if _good_summary_sentence(s)))
        candidates = candidates or list(dict.fromkeys(s for s in spans if _length(s) >= 3)) or spans[:1]
        vectors = self._embedder().encode(candidates) if candidates else np.zeros((0, 0), dtype=np.float32)
        self._memo = (key, candidates, vectors)  # one assignment: safe when documents run in threads
        return candidates, vectors


def chunk_statements(text: str) -> list[str]:
    """The sentences of a chunk, white space collapsed and clause numbers cut ("2.4.3 Provided ..."
    reads "Provided ..."); headings, run-in labels, field lines and page furniture left out."""
    out = []
    for span in segment_sentences(text):
        sentence = strip_marker(" ".join(text[span.start : span.end].split()))
        if span.kind == "sentence" and sentence and not looks_like_header(sentence):
            out.append(sentence)
    return out


def _good_summary_sentence(text: str) -> bool:
    """A whole sentence of readable length: not a heading, a clause fragment or a list stub."""
    ending = text.rstrip("\"'”’)]」』")[-1:]
    opening = text[:1].isalnum() or (text[:1] in "\"“'‘(「" and text[1:2].isalnum())
    return 8 <= _length(text) <= 80 and ending in _ENDINGS and opening and not looks_like_header(text)


_ENDINGS = (".", "!", "?", "\u3002", "\uff01", "\uff1f", "\u0964")  # and the Chinese/Japanese and Devanagari stops
# Scripts written without spaces between words: two characters count as one word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _length(text: str) -> int:
    """Words, where two characters of a script written without spaces count as one."""
    unspaced = len(_UNSPACED.findall(text))
    return len(_UNSPACED.sub(" ", text).split()) + unspaced // 2


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
