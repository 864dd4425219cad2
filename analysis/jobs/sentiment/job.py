"""The sentiment job: a label per chunk, and one per document weighted by the chunks' tokens."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import ClassVar

import numpy as np

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs.base import JobDocument
from analysis.jobs.sentiment import SentimentScorer, aggregate_document, make_scorer
from analysis.provenance import ModelInfo, file_sha256, package_license
from analysis.store.schema import SentimentRow


def build_sentiment_scorer(config: Config) -> tuple[SentimentScorer, list[ModelInfo]]:
    """The configured scorer and the models behind it, for the ``models`` table."""
    if config.sentiment_backend == "llm":
        from analysis.jobs.llm import make_chat_model

        chat_model, llm_info = make_chat_model(config)
        scorer = make_scorer("llm", chat_model=chat_model, model_id=llm_info.model_id)
        return scorer, [llm_info]
    if config.sentiment_backend == "embedding":
        from analysis.jobs.sentiment.fine_tuned import fine_tuned_dir

        scorer = make_scorer("embedding", fine_tuned=fine_tuned_dir(config.home))
    else:
        scorer = make_scorer(config.sentiment_backend)
    return scorer, [_sentiment_model_info(scorer)]


class SentimentJob:
    """Score every chunk (reusing its stored vector where the backend can) and the whole document."""

    name: ClassVar[str] = "sentiment"
    result_table: ClassVar[type[SentimentRow]] = SentimentRow
    needs_pages: ClassVar[bool] = False

    def __init__(self, scorer: SentimentScorer, models: Sequence[ModelInfo]) -> None:
        self.scorer = scorer
        self.models = list(models)
        self.model_id = scorer.model_id
        self.prompt_hash = scorer.prompt_hash

    @classmethod
    def from_config(cls, config: Config, embedder: Callable[[], Embedder]) -> SentimentJob:
        return cls(*build_sentiment_scorer(config))

    def process(self, document: JobDocument, counts: Counter[str]) -> list[SentimentRow]:
        chunks = document.chunks
        started = time.perf_counter()
        results = self.scorer.score([c.text for c in chunks], vectors=np.vstack([c.vector for c in chunks]))
        overall = aggregate_document(results, weights=[c.n_tokens for c in chunks])
        common = dict(
            document_id=document.row.id,
            document_sha256=document.row.sha256,
            backend=self.scorer.backend,
            model_id=self.model_id,
            prompt_hash=self.prompt_hash,
            latency_s=(time.perf_counter() - started) / (len(chunks) + 1),
        )
        rows = [
            SentimentRow(
                chunk_id=c.id, chunk_ordinal=c.ordinal, label=r.label, score=r.score, confidence=r.confidence, **common
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
        return rows


def _sentiment_model_info(scorer: SentimentScorer) -> ModelInfo:
    from analysis.jobs.sentiment.fine_tuned import HEAD_FILE, FineTunedScorer

    if isinstance(scorer, FineTunedScorer):
        return ModelInfo(
            model_id=scorer.model_id,
            kind="sentiment",
            name=(
                f"fine-tuned copy of {scorer.manifest.get('base_model', 'MiniLM')} with a linear head, blended "
                f"with the shipped head (weight {scorer.blend:.2f}); trained on druglib, train split"
            ),
            path=str(scorer.path),
            sha256=file_sha256(scorer.path / HEAD_FILE),
            license="Apache-2.0",
            package="docanalysis",
            package_version=package_license("docanalysis")[0],
        )
    if scorer.backend == "embedding":
        from analysis.jobs.sentiment.head import DEFAULT_HEAD_PATH

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
