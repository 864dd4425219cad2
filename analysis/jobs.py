"""The analysis jobs that run after indexing: summaries and sentiment for every document.

Results are keyed by (document sha256, model id, prompt hash): a re-run skips what is
done, and a new model or prompt adds a new version beside the old one.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from analysis.config import Config
from analysis.embeddings import Embedder, embedding_model_id
from analysis.errors import first_line
from analysis.grounding import SourceChunk, ground_summary, summary_sentences
from analysis.provenance import ModelInfo, file_sha256, package_license
from analysis.redaction import document_scope
from analysis.sentiment import SentimentScorer
from analysis.store import DocumentSelection, Store
from analysis.store.schema import DocumentRow, SentimentRow, SummaryRow
from analysis.summarize import DocumentForSummary, ExtractiveSummarizer, LLMSummarizer, Summarizer

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What every job needs: the store, settings, the embedder (lazily) and the run."""

    store: Store
    config: Config
    embedder: Callable[[], Embedder]
    run_id: int
    counts: Counter[str]
    force: bool = False
    show_progress: bool = False
    only: DocumentSelection | None = None


def run_jobs(context: JobContext, jobs: Sequence[str]) -> None:
    """Run the selected jobs in a fixed order, each over the documents it has not done yet."""
    if "summarize" in jobs:
        summarize_documents(context, build_summarizer(context.config, context.embedder))
    if "sentiment" in jobs:
        score_documents(context, *build_sentiment_scorer(context.config))


def build_summarizer(config: Config, embedder: Callable[[], Embedder]) -> Summarizer:
    if config.summary_backend == "extractive":
        return ExtractiveSummarizer(
            embedder,
            embedding_model_id=embedding_model_id(config),
            sentences=config.summary_sentences,
            budget_tokens=config.summary_input_tokens,
        )
    from analysis.llm import LlamaCppChatModel, make_chat_model

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


def summarize_documents(context: JobContext, summarizer: Summarizer) -> None:
    """Summarise, ground and store every document without a summary of this model and prompt."""
    store, config = context.store, context.config
    model_id, prompt_hash = summarizer.model_info.model_id, summarizer.prompt_hash
    todo = _documents_to_do(context, SummaryRow, model_id, prompt_hash, [summarizer.model_info], "summarize")
    for document, chunks in todo:
        embedder = context.embedder()  # loaded once, on first use
        try:
            draft = summarizer.summarize(
                DocumentForSummary(
                    document.id, document.sha256, document.domain, document.doc_type, document.text, chunks
                )
            )
        except Exception as exc:
            if not _endpoint_unavailable(exc):
                raise
            _leave_pending(context, "summaries", SummaryRow, model_id, prompt_hash, exc)
            return
        if config.redact_stored:  # before grounding, so the stored sentences are redacted too
            from analysis.redaction import load_redactor, redact_summary

            text = redact_summary(draft.text, document_text=document.text, redactor=load_redactor())
            draft = dataclasses.replace(draft, text=text)
        sentences = summary_sentences(draft.text)
        grounding = ground_summary(
            draft.text,
            chunks,
            embedder.encode(sentences) if sentences else embedder.encode(["-"])[:0],
            source_text=document.text,
            threshold=config.grounding_threshold,
        )
        store.save_summary(
            SummaryRow(
                document_id=document.id,
                document_sha256=document.sha256,
                run_id=context.run_id,
                backend=summarizer.backend,
                model_id=model_id,
                prompt_hash=prompt_hash,
                strategy=draft.strategy,
                text=grounding.text(drop_unsupported=config.drop_unsupported) or draft.text,
                sentences=[s.as_dict() for s in grounding.sentences],
                supporting_chunk_ids=grounding.supporting_chunk_ids,
                groundedness=grounding.groundedness,
                n_unsupported=grounding.n_unsupported,
                tokens_in=draft.tokens_in,
                tokens_out=draft.tokens_out,
                latency_s=draft.latency_s,
            ),
            replace=context.force,
        )
        context.counts["summaries_written"] += 1
        context.counts["summary_tokens_in"] += draft.tokens_in
        context.counts["summary_tokens_out"] += draft.tokens_out


def _endpoint_unavailable(exc: BaseException) -> bool:
    from analysis.llm import endpoint_unavailable

    return endpoint_unavailable(exc)


def _leave_pending(
    context: JobContext,
    what: str,
    table: type[SummaryRow] | type[SentimentRow],
    model_id: str,
    prompt_hash: str,
    exc: BaseException,
) -> None:
    """The endpoint is down even after the client's retries: stop asking it, and leave every
    document still to do pending (no row), so the next run picks them up."""
    pending = context.store.count_documents_needing(table, model_id, prompt_hash, force=False, only=context.only)
    context.counts[f"{what}_pending"] += pending
    log.warning(
        "the LLM endpoint is unavailable after %d retries (%s): %d documents left pending for the next run",
        context.config.llm_retries,
        first_line(exc),
        pending,
    )


def _documents_to_do(
    context: JobContext,
    table: type[SummaryRow] | type[SentimentRow],
    model_id: str,
    prompt_hash: str,
    models: Sequence[ModelInfo],
    desc: str,
) -> Iterator[tuple[DocumentRow, list[SourceChunk]]]:
    """Stream the documents a job still has to do, with their embedded chunks, under a progress bar."""
    store = context.store
    pending = store.count_documents_needing(table, model_id, prompt_hash, force=context.force, only=context.only)
    if not pending:
        return
    embedding_model_id = context.embedder().model_id
    for info in models:
        store.record_model(info)
    with tqdm(total=pending, desc=desc, unit="doc", disable=not context.show_progress) as bar:
        for batch in store.documents_needing(table, model_id, prompt_hash, force=context.force, only=context.only):
            for document_id, _sha in batch:
                document, chunks = store.document_for_jobs(document_id, embedding_model_id)
                if chunks:
                    with document_scope():  # LLM requests for this document share its placeholders
                        yield document, chunks
                bar.update(1)


def build_sentiment_scorer(config: Config) -> tuple[SentimentScorer, list[ModelInfo]]:
    """The configured scorer and the models behind it, for the ``models`` table."""
    from analysis.sentiment import make_scorer

    if config.sentiment_backend == "llm":
        from analysis.llm import make_chat_model

        chat_model, llm_info = make_chat_model(config)
        scorer = make_scorer("llm", chat_model=chat_model, model_id=llm_info.model_id)
        return scorer, [llm_info]
    scorer = make_scorer(config.sentiment_backend)
    return scorer, [_sentiment_model_info(scorer)]


def score_documents(context: JobContext, scorer: SentimentScorer, models: Sequence[ModelInfo]) -> None:
    """Score every chunk of every document not yet scored by this model, and the document."""
    from analysis.sentiment import aggregate_document

    store = context.store
    model_id, prompt_hash = scorer.model_id, scorer.prompt_hash
    for document, chunks in _documents_to_do(context, SentimentRow, model_id, prompt_hash, models, "sentiment"):
        started = time.perf_counter()
        try:
            results = scorer.score([c.text for c in chunks], vectors=np.vstack([c.vector for c in chunks]))
        except Exception as exc:
            if not _endpoint_unavailable(exc):
                raise
            _leave_pending(context, "sentiments", SentimentRow, model_id, prompt_hash, exc)
            return
        overall = aggregate_document(results, weights=[c.n_tokens for c in chunks])
        latency = (time.perf_counter() - started) / (len(chunks) + 1)
        common = dict(
            document_id=document.id,
            document_sha256=document.sha256,
            run_id=context.run_id,
            backend=scorer.backend,
            model_id=model_id,
            prompt_hash=prompt_hash,
            latency_s=latency,
        )
        rows = [
            SentimentRow(
                chunk_id=c.id,
                chunk_ordinal=c.ordinal,
                label=r.label,
                score=r.score,
                confidence=r.confidence,
                **common,
            )
            for c, r in zip(chunks, results)
        ]
        rows.append(
            SentimentRow(
                chunk_id=None,
                chunk_ordinal=-1,
                label=overall.label,
                score=overall.score,
                confidence=overall.confidence,
                **common,
            )
        )
        store.save_sentiments(rows, replace=context.force)
        context.counts["sentiments_written"] += len(rows)


def _sentiment_model_info(scorer: SentimentScorer) -> ModelInfo:
    if scorer.backend == "embedding":
        from analysis.sentiment.head import DEFAULT_HEAD_PATH

        return ModelInfo(
            model_id=scorer.model_id,
            kind="sentiment",
            name="linear head over MiniLM vectors, VADER and TF-IDF (trained on druglib, train split)",
            path=str(DEFAULT_HEAD_PATH),
            sha256=file_sha256(DEFAULT_HEAD_PATH),
            license="Apache-2.0",
            package="docanalysis",
            package_version=package_license("docanalysis")[0],
        )
    version, license_text = package_license("vaderSentiment")
    return ModelInfo(
        model_id=scorer.model_id,
        kind="sentiment",
        name="VADER lexicon with clinical negation",
        path=None,
        sha256=None,
        license=license_text,
        package="vaderSentiment",
        package_version=version,
    )
