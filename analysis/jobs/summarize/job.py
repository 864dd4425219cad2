"""The summarize job: a summary per document, each sentence checked against the source chunks."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import ClassVar

from analysis.config import Config
from analysis.embed import Embedder, embedding_model_id
from analysis.jobs.base import JobDocument
from analysis.jobs.summarize.grounding import ground_summary, summary_sentences
from analysis.jobs.summarize.extractive import ExtractiveSummarizer
from analysis.jobs.summarize.llm import LLMSummarizer
from analysis.jobs.summarize.summarizers import DocumentForSummary, Summarizer
from analysis.store.schema import SummaryRow


def build_summarizer(config: Config, embedder: Callable[[], Embedder]) -> Summarizer:
    """The configured summarizer: extractive (no LLM) or a chat model with the configured strategy."""
    if config.summary_backend == "extractive":
        return ExtractiveSummarizer(
            embedder,
            embedding_model_id=embedding_model_id(config),
            sentences=config.summary_sentences,
            budget_tokens=config.summary_input_tokens,
        )
    from analysis.jobs.llm import LlamaCppChatModel, make_chat_model

    chat_model, info = make_chat_model(config)
    return LLMSummarizer(
        chat_model,
        info,
        backend=config.llm_backend,
        strategy=config.summary_strategy,
        budget_tokens=config.summary_input_tokens,
        sentences=config.summary_sentences,
        max_concurrency=config.llm_max_concurrency,
        context_tokens=config.llm_context_tokens if isinstance(chat_model, LlamaCppChatModel) else None,
        max_tokens=config.llm_max_tokens,
    )


class SummarizeJob:
    """Summarise, (optionally) redact, ground, and keep the per-sentence evidence."""

    name: ClassVar[str] = "summarize"
    result_table: ClassVar[type[SummaryRow]] = SummaryRow
    needs_pages: ClassVar[bool] = False

    def __init__(self, summarizer: Summarizer, config: Config, embedder: Callable[[], Embedder]) -> None:
        self.summarizer = summarizer
        self.config = config
        self.embedder = embedder
        self.model_id = summarizer.model_info.model_id
        self.prompt_hash = summarizer.prompt_hash
        self.models = [summarizer.model_info]

    @classmethod
    def from_config(cls, config: Config, embedder: Callable[[], Embedder]) -> SummarizeJob:
        return cls(build_summarizer(config, embedder), config, embedder)

    def process(self, document: JobDocument, counts: Counter[str]) -> list[SummaryRow]:
        row, chunks = document.row, document.chunks
        draft = self.summarizer.summarize(
            DocumentForSummary(row.id, row.sha256, row.domain, row.doc_type, row.text, chunks)
        )
        if self.config.redact_stored:  # before grounding, so the stored sentences are redacted too
            from analysis.redaction import load_redactor, redact_summary

            text = redact_summary(draft.text, document_text=row.text, redactor=load_redactor())
            draft = dataclasses.replace(draft, text=text)
        sentences = summary_sentences(draft.text)
        embedder = self.embedder()
        grounding = ground_summary(
            draft.text,
            chunks,
            embedder.encode(sentences) if sentences else embedder.encode(["-"])[:0],
            source_text=row.text,
            threshold=self.config.grounding_threshold,
        )
        counts["summary_tokens_in"] += draft.tokens_in
        counts["summary_tokens_out"] += draft.tokens_out
        return [
            SummaryRow(
                document_id=row.id,
                document_sha256=row.sha256,
                backend=self.summarizer.backend,
                model_id=self.model_id,
                prompt_hash=self.prompt_hash,
                strategy=draft.strategy,
                text=grounding.text(drop_unsupported=self.config.drop_unsupported) or draft.text,
                sentences=[s.as_dict() for s in grounding.sentences],
                supporting_chunk_ids=grounding.supporting_chunk_ids,
                groundedness=grounding.groundedness,
                n_unsupported=grounding.n_unsupported,
                tokens_in=draft.tokens_in,
                tokens_out=draft.tokens_out,
                latency_s=draft.latency_s,
            )
        ]
