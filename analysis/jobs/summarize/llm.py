"""Abstractive summaries through a LangChain chat model.

Cost per document is bounded by default (extract-then-abstract: the most salient chunks
within a token budget, then one LLM call); map-reduce covers every chunk when asked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage

from analysis.jobs.prompts import Prompt, combined_hash, load_prompt
from analysis.jobs.summarize.extractive import ExtractiveSummarizer
from analysis.jobs.summarize.summarizers import DocumentForSummary, SummaryDraft, select_salient_chunks
from analysis.provenance import ModelInfo
from analysis.records import SourceChunk

REPAIR_PROMPT = "summary_repair_v2"
DRAFT_PROMPT = "summary_{domain}_v2"  # domain: legal, medical or other
# extract_abstract: the salient chunks within the budget, one call; salient_sentences: the document's most
# central sentences (the extractive summarizer's pick, three times the summary's length) in reading order,
# one call; map_reduce: every chunk, then a call that merges the partial summaries.
STRATEGIES = ("extract_abstract", "salient_sentences", "map_reduce")


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
        verify: bool = False,
        central: ExtractiveSummarizer | None = None,
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got {strategy!r}")
        if strategy == "salient_sentences" and central is None:
            raise ValueError("the salient_sentences strategy needs a sentence picker (the extractive summarizer)")
        self.central = central
        self.chat_model = chat_model
        self.model_info = model_info
        self.backend = backend
        self.strategy = strategy
        self.budget_tokens = budget_tokens
        self.sentences = sentences
        self.max_concurrency = max_concurrency
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        prompts = [load_prompt(DRAFT_PROMPT.format(domain=d)) for d in ("legal", "medical", "other")]
        if strategy == "map_reduce":
            prompts.append(load_prompt("summary_reduce_v1"))
        if verify:  # a verified summary is another result than an unverified one of the same draft
            prompts.append(load_prompt(REPAIR_PROMPT))
        self.verify = verify
        self.prompt_hash = combined_hash(*prompts)

    def summarize(self, document: DocumentForSummary) -> SummaryDraft:
        started = time.perf_counter()
        domain = document.domain if document.domain in ("legal", "medical") else "other"
        prompt = load_prompt(DRAFT_PROMPT.format(domain=domain))
        if self.strategy == "extract_abstract":
            chunks = select_salient_chunks(document.chunks, budget_tokens=self.budget_tokens)
            replies = [self._ask(prompt, document, chunks)]
        elif self.strategy == "salient_sentences":
            assert self.central is not None
            picked = self.central.central_sentences(document, 3 * self.sentences, in_reading_order=True)
            replies = [self.chat_model.invoke(self._sentences_message(prompt, document, picked))]
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

    def rewrite_sentence(self, sentence: str, excerpt: str) -> tuple[str, int, int]:
        """One summary sentence rewritten from one source excerpt (verify-and-repair, repair.py)."""
        prompt = load_prompt(REPAIR_PROMPT)
        reply = self.chat_model.invoke(
            [HumanMessage(prompt.render(excerpt=" ".join(excerpt.split()), sentence=sentence))]
        )
        return str(reply.content), _usage(reply, "input_tokens"), _usage(reply, "output_tokens")

    def _sentences_message(
        self, prompt: Prompt, document: DocumentForSummary, sentences: list[str]
    ) -> list[HumanMessage]:
        """The document's most central sentences, in reading order, one per line."""
        while True:
            text = prompt.render(
                max_sentences=self.sentences, doc_type=document.doc_type, excerpts="\n".join(sentences)
            )
            if len(sentences) <= 1 or not self._too_long(text):
                return [HumanMessage(text)]
            sentences = sentences[:-1]

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
