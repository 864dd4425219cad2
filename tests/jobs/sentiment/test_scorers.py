"""make_scorer, and the llm backend: its reply parsing, and a real local model when one is installed."""

from __future__ import annotations

import hashlib
import importlib.util
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel

from analysis.jobs.sentiment import BACKENDS, DEFAULT_BACKEND, LABELS, SentimentScorer, make_scorer
from analysis.jobs.sentiment.llm import DEFAULT_PROMPT_PATH, parse_label


def test_unknown_backend_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="embedding, lexicon, llm"):
        make_scorer("bert")


def test_llm_needs_a_chat_model() -> None:
    with pytest.raises(ValueError, match="chat model"):
        make_scorer("llm")


def test_default_backend_and_lexicon_factory() -> None:
    assert DEFAULT_BACKEND in BACKENDS
    scorer = make_scorer("lexicon")
    assert isinstance(scorer, SentimentScorer) and scorer.backend == "lexicon"


@pytest.mark.parametrize(
    ("reply", "label", "confidence"),
    [
        ("positive", "positive", 1.0),
        ("Negative.", "negative", 1.0),
        ("  NEUTRAL\n", "neutral", 1.0),
        ("The sentiment of this text is positive.", "positive", 1.0),
        ("negative, not positive", "negative", 0.5),
        ("I cannot tell.", "neutral", 0.0),
        ("", "neutral", 0.0),
        ("positively unclear", "neutral", 0.0),
    ],
)
def test_parse_label(reply: str, label: str, confidence: float) -> None:
    result = parse_label(reply)
    assert (result.label, result.confidence) == (label, confidence)
    assert result.score == {"negative": -1, "neutral": 0, "positive": 1}[label] * confidence


def _local_chat_model() -> tuple[BaseChatModel, Any]:
    """The configured local llama.cpp model and its identity, or a skip with the reason."""
    if importlib.util.find_spec("analysis.jobs.llm") is None:
        pytest.skip("analysis.jobs.llm is not importable")
    try:
        from analysis.config import Config
        from analysis.jobs.llm import make_chat_model

        return make_chat_model(Config(llm_backend="llama_cpp"))
    except Exception as exc:  # a missing GGUF package or llama_cpp raises several types
        pytest.skip(f"no local GGUF chat model available: {exc}")


@pytest.mark.slow
def test_llm_backend_with_a_real_local_model() -> None:
    chat_model, info = _local_chat_model()
    scorer = make_scorer("llm", chat_model=chat_model, model_id=info.model_id)
    assert scorer.backend == "llm" and scorer.model_id == info.model_id
    assert scorer.prompt_hash == hashlib.sha256(DEFAULT_PROMPT_PATH.read_bytes()).hexdigest()
    results = scorer.score(["I love this medicine, it works great.", "Awful drug, it made me sick."])
    assert len(results) == 2
    # SmolLM2-135M's answers are not reliable enough to assert labels: only that they are valid.
    for r in results:
        assert r.label in LABELS and -1 <= r.score <= 1 and 0 <= r.confidence <= 1
    assert scorer.score([]) == []
