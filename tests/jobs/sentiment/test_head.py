"""The embedding backend: the shipped head file, on real MiniLM vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.embed import Embedder
from analysis.jobs.sentiment import LABELS, SentimentScorer, make_scorer
from analysis.jobs.sentiment.head import DEFAULT_HEAD_PATH, FORMAT_V1, Head, HeadScorer, TfidfFeatures

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
    assert data["format"] == FORMAT_V1 and "char_tfidf" not in data["features"]
    assert data["classes"] == list(LABELS)
    assert data["training"]["split"] == "train" and data["training"]["records"] > 1000
    assert data["training"]["data"].endswith("druglib_labeled.jsonl")
    assert 0.5 < data["cross_validation"]["macro_f1"] < 1
    assert {"C", "class_weight"} <= set(data["hyperparameters"])


def test_identity(head: HeadScorer) -> None:
    assert isinstance(head, SentimentScorer)
    assert head.backend == "embedding" and head.prompt_hash == ""
    assert head.model_id.startswith("head_v1@") and len(head.model_id) == len("head_v1@") + 12
    assert head.head.char_tfidf is None and head.head.n_features == head.head.n_dense + 5000


ODD_TEXTS = [
    "Took it   for 3 weeks.\n\nNo  change; I'd say 5/10 -- meh!!",
    "Café au lait spots?  Naïve question: ÉNORME headache, ok",
    "a I x",
    "",
    "   ",
    "don't can't won't: side-effects, side effects & SIDE EFFECTS",
]


@pytest.mark.parametrize(("analyzer", "ngram_range"), [("word", (1, 2)), ("char_wb", (2, 5)), ("char_wb", (1, 3))])
def test_tfidf_blocks_match_scikit_learn(analyzer: str, ngram_range: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = ODD_TEXTS + [POSITIVE, NEGATIVE]
    reference = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True).fit(corpus)
    ours = TfidfFeatures(
        {term: int(i) for term, i in reference.vocabulary_.items()},
        reference.idf_,
        ngram_max=ngram_range[1],
        sublinear_tf=True,
        analyzer=analyzer,
        ngram_min=ngram_range[0],
    )
    expected = reference.transform(corpus).toarray()
    assert expected.any(axis=1)[:2].all()  # the vocabulary covers the odd texts, so a mismatch would show
    assert np.allclose(ours.transform(corpus), expected, atol=1e-12)
    assert ours.transform_sparse(corpus).shape == expected.shape


def test_unknown_analyzer_is_refused() -> None:
    with pytest.raises(ValueError, match="analyzer"):
        TfidfFeatures({"ab": 0}, np.ones(1), analyzer="char")


def test_head_survives_a_json_round_trip(head: HeadScorer, embedder: Embedder) -> None:
    texts = [POSITIVE, NEGATIVE] + ODD_TEXTS
    vectors = embedder.encode(texts)
    again = Head.from_json(json.loads(json.dumps(head.head.to_json())))
    assert again.tfidf is not None and head.head.tfidf is not None
    assert again.tfidf.vocabulary == head.head.tfidf.vocabulary and again.to_json()["format"] == FORMAT_V1
    assert np.allclose(again.probabilities(again.features(texts, vectors)), head.probabilities(texts, vectors))


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
    data = json.loads(DEFAULT_HEAD_PATH.read_text())
    data["features"]["tfidf"]["idf"] = data["features"]["tfidf"]["idf"][:-1]
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="differ in length"):
        HeadScorer.load(broken)


def test_head_fitted_on_other_vader_rules_is_refused(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_HEAD_PATH.read_text())
    data["features"]["vader_model_id"] = "vader-3.3.2+clinical-negation-v0"
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="retrain"):
        HeadScorer.load(stale)
