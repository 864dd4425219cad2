"""Summarizers on a real embedded document: extractive, and the local LLM in both strategies."""

from __future__ import annotations

import pytest

from analysis.config import Config
from analysis.embed import Embedder
from analysis.jobs import build_summarizer
from analysis.jobs.summarize.extractive import ExtractiveSummarizer
from analysis.jobs.summarize.summarizers import DocumentForSummary, select_salient_chunks


def test_salient_chunks_fit_the_budget_in_reading_order(lease: DocumentForSummary) -> None:
    picked = select_salient_chunks(lease.chunks, budget_tokens=400)
    assert picked and sum(c.n_tokens for c in picked) <= 400
    assert [c.ordinal for c in picked] == sorted(c.ordinal for c in picked)
    assert len(select_salient_chunks(lease.chunks, budget_tokens=10**6)) == len(lease.chunks)


def test_extractive_summary_quotes_the_source_deterministically(lease: DocumentForSummary, embedder: Embedder) -> None:
    summarizer = ExtractiveSummarizer(lambda: embedder, embedding_model_id=embedder.model_id, sentences=4)
    first = summarizer.summarize(lease)
    assert first.text == summarizer.summarize(lease).text
    assert first.strategy == "extractive" and first.tokens_in == 0
    normalised_source = " ".join(lease.text.split())
    sentences = [s for s in first.text.split(". ") if s]
    assert 1 <= len(sentences) <= 4 + 2
    assert all(s.rstrip(".") in normalised_source for s in sentences)
    assert summarizer.model_info.model_id.startswith("extractive-mmr-v1+" + embedder.model_id)


@pytest.mark.parametrize("strategy", ["extract_abstract", "map_reduce"])
def test_llm_summary_with_the_local_model(lease: DocumentForSummary, embedder: Embedder, strategy: str) -> None:
    config = Config(
        summary_backend="llm",
        llm_backend="llama_cpp",
        summary_strategy=strategy,
        summary_input_tokens=1000,
        llm_max_tokens=48,
    )
    summarizer = build_summarizer(config, lambda: embedder)
    draft = summarizer.summarize(lease)
    assert draft.text and draft.strategy == strategy
    assert draft.tokens_in > 100 and draft.tokens_out > 0
    if strategy == "map_reduce":
        groups = -(-sum(c.n_tokens for c in lease.chunks) // 1000)
        assert groups > 1
        assert draft.tokens_out > 48, "several map calls and a reduce call"
    assert len(summarizer.prompt_hash) == 64


def test_prompt_hash_changes_with_the_strategy(embedder: Embedder) -> None:
    one = build_summarizer(Config(summary_backend="llm", summary_strategy="extract_abstract"), lambda: embedder)
    two = build_summarizer(Config(summary_backend="llm", summary_strategy="map_reduce"), lambda: embedder)
    assert one.prompt_hash != two.prompt_hash
    assert one.model_info.model_id == two.model_info.model_id
