"""Document summaries: extractive (no LLM) or abstractive through a LangChain chat model.

Cost per document is bounded by default (extract-then-abstract: the most salient chunks
within a token budget, then one LLM call); map-reduce covers every chunk when asked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage

from analysis.embed import Embedder
from analysis.jobs.prompts import Prompt, combined_hash, load_prompt
from analysis.provenance import ModelInfo
from analysis.records import SourceChunk
from analysis.sentences import sentence_spans

EXTRACTIVE_VERSION = "extractive-mmr-v1"


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


class LLMSummarizer:
    """Abstractive summaries from a chat model, with domain prompts kept as versioned files."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        model_info: ModelInfo,
        *,
        backend: str,
        strategy: str = "extract_abstract",
        budget_tokens: int = 1024,
        sentences: int = 5,
        max_concurrency: int = 4,
        context_tokens: int | None = None,
        max_tokens: int = 256,
    ) -> None:
        if strategy not in ("extract_abstract", "map_reduce"):
            raise ValueError(f"strategy must be extract_abstract or map_reduce, got {strategy!r}")
        self.chat_model = chat_model
        self.model_info = model_info
        self.backend = backend
        self.strategy = strategy
        self.budget_tokens = budget_tokens
        self.sentences = sentences
        self.max_concurrency = max_concurrency
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        prompts = [load_prompt(f"summary_{d}_v1") for d in ("legal", "medical", "other")]
        if strategy == "map_reduce":
            prompts.append(load_prompt("summary_reduce_v1"))
        self.prompt_hash = combined_hash(*prompts)

    def summarize(self, document: DocumentForSummary) -> SummaryDraft:
        started = time.perf_counter()
        prompt = load_prompt(f"summary_{document.domain if document.domain in ('legal', 'medical') else 'other'}_v1")
        if self.strategy == "extract_abstract":
            chunks = select_salient_chunks(document.chunks, budget_tokens=self.budget_tokens)
            replies = [self._ask(prompt, document, chunks)]
        else:
            groups = _consecutive_groups(document.chunks, self.budget_tokens)
            messages = [self._message(prompt, document, group) for group in groups]
            replies = self.chat_model.batch(messages, config={"max_concurrency": self.max_concurrency})
            if len(replies) > 1:
                reduce = load_prompt("summary_reduce_v1")
                partial = "\n\n".join(f"Part {i + 1}: {clean_reply(r.content)}" for i, r in enumerate(replies))
                text = reduce.render(
                    domain=document.domain, doc_type=document.doc_type, max_sentences=self.sentences, excerpts=partial
                )
                replies = [*replies, self.chat_model.invoke([HumanMessage(text)])]
        tokens_in = sum(_usage(r, "input_tokens") for r in replies)
        tokens_out = sum(_usage(r, "output_tokens") for r in replies)
        return SummaryDraft(
            clean_reply(replies[-1].content), self.strategy, tokens_in, tokens_out, time.perf_counter() - started
        )

    def _ask(self, prompt: Prompt, document: DocumentForSummary, chunks: list[SourceChunk]) -> AIMessage:
        return self.chat_model.invoke(self._message(prompt, document, chunks))

    def _message(self, prompt: Prompt, document: DocumentForSummary, chunks: list[SourceChunk]) -> list[HumanMessage]:
        chunks = list(chunks)
        while True:
            excerpts = "\n\n".join(f"[page {c.page_start}] {' '.join(c.text.split())}" for c in chunks)
            text = prompt.render(max_sentences=self.sentences, doc_type=document.doc_type, excerpts=excerpts)
            if len(chunks) <= 1 or not self._too_long(text):
                return [HumanMessage(text)]
            chunks = chunks[:-1]  # the model's own tokenizer says it will not fit: drop the last excerpt

    def _too_long(self, text: str) -> bool:
        if self.context_tokens is None:
            return False
        return self.chat_model.get_num_tokens(text) > self.context_tokens - self.max_tokens - 32


def _consecutive_groups(chunks: Sequence[SourceChunk], budget: int) -> list[list[SourceChunk]]:
    groups: list[list[SourceChunk]] = [[]]
    used = 0
    for chunk in chunks:
        if groups[-1] and used + chunk.n_tokens > budget:
            groups.append([])
            used = 0
        groups[-1].append(chunk)
        used += chunk.n_tokens
    return [g for g in groups if g]


def _usage(message: AIMessage, key: str) -> int:
    usage = getattr(message, "usage_metadata", None) or {}
    return int(usage.get(key, 0))


_PREAMBLE = re.compile(r"^\s*(?:here(?:'s| is) (?:a|the) summary[^:]*:|summary:)\s*", re.IGNORECASE)
# Lines where a small model echoes the prompt instead of summarising.
_ECHO = re.compile(r"^\s*(?:excerpts?:|document type:|partial summaries:|\[page \d+\])", re.IGNORECASE)
_PART_LABEL = re.compile(r"^\s*part \d+:\s*", re.IGNORECASE)


def clean_reply(content: object) -> str:
    """The model's summary without a preamble, echoed prompt lines or repeated sentences.

    Echoed excerpts would otherwise pass grounding (they are copied from the source) while
    saying nothing.
    """
    text = _PREAMBLE.sub("", (content if isinstance(content, str) else str(content)).strip())
    lines = [_PART_LABEL.sub("", line) for line in text.splitlines() if not _ECHO.match(line)] or [text]
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(" ".join(lines).split())):
        if sentence and sentence not in kept:
            kept.append(sentence)
    return " ".join(kept).strip()
