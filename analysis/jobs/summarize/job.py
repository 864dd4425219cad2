"""The summarize job: a summary per document, each sentence checked against the source chunks."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from analysis.config import Config
from analysis.embed import Embedder, embedding_model_id
from analysis.jobs.base import JobDocument
from analysis.jobs.summarize.choice import choose_summary_backend
from analysis.jobs.summarize.extractive import ExtractiveSummarizer
from analysis.jobs.summarize.grounding import (
    GroundedSentence,
    GroundingResult,
    ground_sentences,
    ground_summary,
    summary_sentences,
)
from analysis.jobs.summarize.llm import LLMSummarizer
from analysis.jobs.summarize.repair import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    CheckedSentence,
    RepairOutcome,
    same_sentence,
    verify_and_repair,
)
from analysis.jobs.summarize.summarizers import DocumentForSummary, Summarizer, SummaryDraft
from analysis.store.schema import SummaryRow

VERIFIED = "+verified"  # appended to a verified summary's strategy


@dataclass(frozen=True)
class Summary:
    """One document's summary before it is stored: what the job writes, and what a benchmark scores."""

    draft: SummaryDraft  # strategy, tokens and seconds of the whole summary, verification included
    text: str  # the stored text: with verification, supported sentences only
    sentences: list[dict[str, object]]  # per drafted sentence: grounding, and with verification its action
    grounding: GroundingResult  # of the stored sentences
    draft_text: str | None  # the model's draft, when verification may have changed it
    counts: Counter[str]  # tokens; sentences drafted, kept, repaired, replaced, dropped; repair errors


def build_summarizer(config: Config, embedder: Callable[[], Embedder]) -> Summarizer:
    """The summarizer the configuration selects (``choose_summary_backend`` says which, and why)."""
    choice = choose_summary_backend(config)
    if not choice.uses_llm:
        return _extractive(config, embedder)
    from analysis.jobs.llm import LlamaCppChatModel, make_chat_model

    chat_model, info = make_chat_model(config, backend=choice.backend)
    return LLMSummarizer(
        chat_model,
        info,
        backend=choice.backend,
        strategy=config.summary_strategy,
        budget_tokens=config.summary_input_tokens,
        sentences=config.summary_sentences,
        max_concurrency=config.llm_max_concurrency,
        context_tokens=config.llm_context_tokens if isinstance(chat_model, LlamaCppChatModel) else None,
        max_tokens=config.llm_max_tokens,
        verify=config.summary_verify,
        central=_extractive(config, embedder) if config.summary_strategy == "salient_sentences" else None,
    )


def _extractive(config: Config, embedder: Callable[[], Embedder]) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(
        embedder,
        embedding_model_id=embedding_model_id(config),
        sentences=config.summary_sentences,
        budget_tokens=config.summary_input_tokens,
    )


class SummarizeJob:
    """Summarise, verify and repair (LLM), (optionally) redact, and keep the per-sentence evidence."""

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
        # The LLM's own picker where it has one: it has already embedded this document's sentences.
        self._fallback: ExtractiveSummarizer | None = getattr(summarizer, "central", None)

    @classmethod
    def from_config(cls, config: Config, embedder: Callable[[], Embedder]) -> SummarizeJob:
        return cls(build_summarizer(config, embedder), config, embedder)

    def process(self, document: JobDocument, counts: Counter[str]) -> list[SummaryRow]:
        row = document.row
        for_summary = DocumentForSummary(row.id, row.sha256, row.domain, row.doc_type, row.text, document.chunks)
        summary = self.summarize(for_summary)
        counts.update(summary.counts)
        return [self._row(document, summary)]

    def summarize(self, document: DocumentForSummary) -> Summary:
        """Draft, verify and repair (an LLM with ``summary_verify``), redact if asked, and ground."""
        draft = self.summarizer.summarize(document)
        if isinstance(self.summarizer, LLMSummarizer) and self.summarizer.verify:
            return self.verify(document, draft)
        counts = Counter({"summary_tokens_in": draft.tokens_in, "summary_tokens_out": draft.tokens_out})
        if self.config.redact_stored:  # before grounding, so the stored sentences are redacted too
            draft = dataclasses.replace(draft, text=self._redact(draft.text, document.text))
        sentences = summary_sentences(draft.text)
        embedder = self.embedder()
        grounding = ground_summary(
            draft.text,
            document.chunks,
            embedder.encode(sentences) if sentences else embedder.encode(["-"])[:0],
            source_text=document.text,
            threshold=self.config.grounding_threshold,
        )
        text = grounding.text(drop_unsupported=self.config.drop_unsupported) or draft.text
        return Summary(draft, text, [s.as_dict() for s in grounding.sentences], grounding, None, counts)

    def verify(self, document: DocumentForSummary, draft: SummaryDraft) -> Summary:
        """Only sentences the source supports are kept; the draft and every change stay on the result."""
        started = time.perf_counter()
        encode = self.embedder().encode
        drafted = summary_sentences(draft.text) if draft.text.strip() else []
        asked = self.config.summary_sentences  # a longer draft is cut: each extra sentence costs a repair
        outcome = verify_and_repair(
            drafted[:asked],
            document.chunks,
            encode=encode,
            source_text=document.text,
            rewriter=self.summarizer if isinstance(self.summarizer, LLMSummarizer) else None,
            threshold=self.config.grounding_threshold,
        )
        beyond = [
            CheckedSentence(d, "dropped", GroundedSentence(d, False, 0.0, [], [], []), f"beyond the {asked} asked for")
            for d in drafted[asked:]
        ]
        checked = [*outcome.sentences, *beyond]
        missing = asked - sum(s.stored for s in checked)
        if missing > 0:  # a slot whose draft did not hold gets one of the document's most central sentences
            checked = [*checked, *self._central_sentences(document, encode, checked, missing)]
        if self.config.redact_stored:
            checked = [self._redacted(s, document.text) for s in checked]
        counts: Counter[str] = Counter()
        for action, n in RepairOutcome(checked, outcome.repair_errors).counts().items():
            counts[f"summary_sentences_{action}"] += n
        draft = dataclasses.replace(
            draft,
            text=self._redact(draft.text, document.text) if self.config.redact_stored else draft.text,
            strategy=draft.strategy + VERIFIED,
            tokens_in=draft.tokens_in + outcome.tokens_in,
            tokens_out=draft.tokens_out + outcome.tokens_out,
            latency_s=draft.latency_s + time.perf_counter() - started,
        )
        counts["summary_tokens_in"] += draft.tokens_in
        counts["summary_tokens_out"] += draft.tokens_out
        stored = [s.grounded for s in checked if s.stored]
        grounding = GroundingResult(stored, sum(s.supported for s in stored) / len(stored) if stored else 0.0)
        text = " ".join(s.text for s in stored)
        return Summary(draft, text, [s.as_dict() for s in checked], grounding, draft.text, counts)

    def _central_sentences(
        self, document: DocumentForSummary, encode: Callable, checked: list[CheckedSentence], most: int
    ) -> list[CheckedSentence]:
        """Up to ``most`` of the extractive summary's sentences not already stored, quoted: marked ``added``."""
        if self._fallback is None:
            self._fallback = _extractive(self.config, self.embedder)
        # Most central first, so a single empty slot gets the document's most central sentence.
        sentences = self._fallback.central_sentences(document, 2 * self.config.summary_sentences)
        if not sentences:
            return []
        grounding = ground_sentences(
            sentences,
            document.chunks,
            encode(sentences),
            source_text=document.text,
            threshold=self.config.grounding_threshold,
        )
        taken = [s.grounded.text for s in checked if s.stored]
        added: list[CheckedSentence] = []
        for grounded in grounding.sentences:
            if len(added) == most:
                break
            if grounded.supported and not any(same_sentence(grounded.text, t) for t in taken):
                quoted = dataclasses.replace(grounded, text=f"{QUOTE_OPEN}{grounded.text}{QUOTE_CLOSE}")
                added.append(CheckedSentence("", "added", quoted, "one of the document's most central sentences"))
                taken.append(grounded.text)
        return added

    def _redact(self, text: str, document_text: str) -> str:
        from analysis.redaction import load_redactor, redact_summary

        return redact_summary(text, document_text=document_text, redactor=load_redactor())

    def _redacted(self, sentence: CheckedSentence, document_text: str) -> CheckedSentence:
        grounded = dataclasses.replace(sentence.grounded, text=self._redact(sentence.grounded.text, document_text))
        draft = self._redact(sentence.draft, document_text) if sentence.draft else ""
        return dataclasses.replace(sentence, grounded=grounded, draft=draft)

    def _row(self, document: JobDocument, summary: Summary) -> SummaryRow:
        draft, grounding = summary.draft, summary.grounding
        return SummaryRow(
            document_id=document.row.id,
            document_sha256=document.row.sha256,
            backend=self.summarizer.backend,
            model_id=self.model_id,
            prompt_hash=self.prompt_hash,
            strategy=draft.strategy,
            text=summary.text,
            draft_text=summary.draft_text,
            sentences=summary.sentences,
            supporting_chunk_ids=grounding.supporting_chunk_ids,
            groundedness=grounding.groundedness,
            n_unsupported=grounding.n_unsupported,
            tokens_in=draft.tokens_in,
            tokens_out=draft.tokens_out,
            latency_s=draft.latency_s,
        )
