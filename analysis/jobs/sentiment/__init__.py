"""Sentiment per chunk and per document, from one of three interchangeable backends.

    scorer = make_scorer("embedding")                # or "lexicon", or "llm" with chat_model=
    results = scorer.score(chunk_texts, vectors=chunk_vectors)
    document = aggregate_document(results, weights=token_counts)

Every result carries a label from ``LABELS``, a signed polarity and a confidence; the
scorer's ``backend``, ``model_id`` and ``prompt_hash`` are the identity a store keeps
next to each result, so a re-run with another model or prompt is never confused with it.

The embedding backend reuses the MiniLM vectors the pipeline already stores for each
chunk: pass them as ``vectors`` (it raises ValueError without them rather than loading
a second copy of the model).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from analysis.jobs.sentiment.aggregate import aggregate_document
from analysis.jobs.sentiment.results import BACKENDS, DEFAULT_BACKEND, LABELS, SentimentResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


@runtime_checkable
class SentimentScorer(Protocol):
    """What every backend offers; ``model_id``/``prompt_hash`` identify the results it makes."""

    backend: str
    model_id: str
    prompt_hash: str

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> list[SentimentResult]: ...


def make_scorer(
    backend: str,
    *,
    chat_model: BaseChatModel | None = None,
    head_path: Path | None = None,
    model_id: str | None = None,
    fine_tuned: Path | None = None,
) -> SentimentScorer:
    """Build a scorer by name; imports each backend only when asked, so "lexicon" never loads torch.

    ``model_id`` names the chat model for "llm" (pass the ``ModelInfo.model_id`` that
    ``analysis.jobs.llm.make_chat_model`` returns). For other settings (thresholds, concurrency)
    construct the backend class directly. For "embedding", ``fine_tuned`` names a folder written by
    ``python -m analysis.jobs.sentiment.train --fine-tune``: when it holds a manifest the fine-tuned
    copy is used, otherwise the shipped head (the returned scorer's ``model_id`` says which).
    """
    if backend == "lexicon":
        from analysis.jobs.sentiment.lexicon import LexiconScorer

        return LexiconScorer()
    if backend == "embedding":
        from analysis.jobs.sentiment.head import HeadScorer

        if fine_tuned is not None and head_path is None:
            from analysis.jobs.sentiment.fine_tuned import FineTunedScorer, is_fine_tuned_dir

            if is_fine_tuned_dir(fine_tuned):
                return FineTunedScorer.load(fine_tuned)

        return HeadScorer.load(head_path) if head_path is not None else HeadScorer.load()
    if backend == "llm":
        if chat_model is None:
            raise ValueError(
                "the llm backend needs a LangChain chat model: make_scorer('llm', chat_model=...) "
                "(e.g. analysis.jobs.llm.make_chat_model(config))"
            )
        from analysis.jobs.sentiment.llm import LLMScorer

        return LLMScorer(chat_model, model_id=model_id)
    raise ValueError(f"unknown sentiment backend {backend!r}; valid backends: {', '.join(BACKENDS)}")


__all__ = [
    "aggregate_document",
    "BACKENDS",
    "DEFAULT_BACKEND",
    "LABELS",
    "SentimentResult",
    "SentimentScorer",
    "make_scorer",
]
