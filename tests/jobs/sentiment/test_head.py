"""The embedding backend: the shipped head file, on real MiniLM vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.embed import Embedder
from analysis.jobs.sentiment import LABELS, SentimentScorer, make_scorer
from analysis.jobs.sentiment.head import DEFAULT_HEAD_PATH, HeadScorer

POSITIVE = (
    "This medication worked wonderfully. My migraines are gone, I have had no side effects at all "
    "and I feel like myself again. I highly recommend it."
)
NEGATIVE = (
    "This drug was horrible. It gave me terrible headaches and constant nausea, did nothing for my "
    "pain, and I stopped taking it after a week. Worst medication I have ever tried."
)


@pytest.fixture(scope="module")
def head() -> HeadScorer:
    return HeadScorer.load()


def test_shipped_file_is_small_json_with_provenance() -> None:
    assert DEFAULT_HEAD_PATH.stat().st_size < 1_000_000
    data = json.loads(DEFAULT_HEAD_PATH.read_text())
    assert data["classes"] == list(LABELS)
    assert data["training"]["split"] == "train" and data["training"]["records"] > 1000
    assert data["training"]["data"].endswith("druglib_labeled.jsonl")
    assert 0.5 < data["cross_validation"]["macro_f1"] < 1
    assert {"C", "class_weight"} <= set(data["hyperparameters"])


def test_identity(head: HeadScorer) -> None:
    assert isinstance(head, SentimentScorer)
    assert head.backend == "embedding" and head.prompt_hash == ""
    assert head.model_id.startswith("head_v1@") and len(head.model_id) == len("head_v1@") + 12


def test_clear_reviews(head: HeadScorer, embedder: Embedder) -> None:
    texts = [POSITIVE, NEGATIVE, "The tablets are white and round."]
    results = head.score(texts, vectors=embedder.encode(texts))
    assert [r.label for r in results[:2]] == ["positive", "negative"]
    assert results[0].score > 0 > results[1].score
    for r in results:
        assert r.label in LABELS and -1 <= r.score <= 1 and 0 <= r.confidence <= 1


def test_probabilities_are_a_distribution(head: HeadScorer, embedder: Embedder) -> None:
    probs = head.probabilities([POSITIVE], embedder.encode([POSITIVE]))
    assert probs.shape == (1, 3) and np.isclose(probs.sum(), 1.0)


def test_vectors_are_required_and_checked(head: HeadScorer) -> None:
    with pytest.raises(ValueError, match="vectors"):
        head.score([POSITIVE])
    with pytest.raises(ValueError, match="dimension 384"):
        head.score([POSITIVE], vectors=np.zeros((1, 768), dtype=np.float32))
    with pytest.raises(ValueError, match="2 vectors for 1 texts"):
        head.score([POSITIVE], vectors=np.zeros((2, 384), dtype=np.float32))
    assert head.score([], vectors=np.zeros((0, 384), dtype=np.float32)) == []


def test_broken_head_file_is_refused(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_HEAD_PATH.read_text())
    data["layers"][0]["bias"] = data["layers"][0]["bias"][:2]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="inconsistent"):
        make_scorer("embedding", head_path=broken)
    broken.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not a sentiment head"):
        HeadScorer.load(broken)


def test_head_fitted_on_other_vader_rules_is_refused(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_HEAD_PATH.read_text())
    data["features"]["vader_model_id"] = "vader-3.3.2+clinical-negation-v0"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="retrain"):
        HeadScorer.load(stale)
