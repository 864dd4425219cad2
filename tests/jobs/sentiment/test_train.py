"""The training recipe of the v2 head: the character block and its weight, on a small made-up set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from analysis.jobs.sentiment.head import FORMAT, FORMAT_V1, Head, HeadScorer
from analysis.jobs.sentiment.train import Settings, check_against_sklearn, fit_head

WORDS = {
    0: ["awful", "nausea", "stopped", "worst", "headaches", "useless"],
    1: ["okay", "some", "mild", "average", "sometimes", "unsure"],
    2: ["wonderful", "works", "great", "relief", "recommend", "miracle"],
}


def _data(n: int = 90, dim: int = 8) -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.arange(n) % 3
    texts = [" ".join(rng.choice(WORDS[int(label)], size=6)) + " the drug" for label in y]
    dense = np.hstack([rng.normal(size=(n, dim)), rng.normal(size=(n, 4))])  # "embedding" + 4 VADER scores
    return texts, dense, y


@pytest.mark.parametrize("char_weight", [1.0, 0.5])
def test_character_block_is_fitted_and_its_weight_folded_into_the_layer(char_weight: float) -> None:
    texts, dense, y = _data()
    settings = Settings(C=1.0, embedding_weight=0.03, vocabulary=50, char_vocabulary=40, char_weight=char_weight)
    head = fit_head(texts, dense, y, settings, seed=0)
    assert head.char_tfidf is not None and len(head.char_tfidf.vocabulary) == 40
    assert head.char_tfidf.analyzer == "char_wb" and (head.char_tfidf.ngram_min, head.char_tfidf.ngram_max) == (2, 5)
    assert check_against_sklearn(head, texts) < 1e-12
    features = head.assemble(dense, texts)
    # The same regression fitted on explicitly scaled columns gives the probabilities the head gives unscaled.
    scale = np.ones(head.n_features)
    scale[-40:] = char_weight
    reference = LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000).fit(features.multiply(scale), y)
    assert np.allclose(head.probabilities(features), reference.predict_proba(features.multiply(scale)), atol=1e-6)
    assert (head.probabilities(features).argmax(axis=1) == y).mean() > 0.9


def test_format_follows_the_blocks() -> None:
    texts, dense, y = _data()
    v1 = fit_head(texts, dense, y, Settings(C=1.0, embedding_weight=0.03, vocabulary=50), seed=0)
    assert v1.char_tfidf is None and v1.to_json()["format"] == FORMAT_V1
    v2 = fit_head(texts, dense, y, Settings(C=1.0, embedding_weight=0.03, vocabulary=50, char_vocabulary=30), seed=0)
    data = json.loads(json.dumps(v2.to_json()))
    assert data["format"] == FORMAT and data["features"]["order"][-2:] == ["tfidf", "char_tfidf"]
    again = Head.from_json(data)
    assert np.allclose(again.probabilities(again.assemble(dense, texts)), v2.probabilities(v2.assemble(dense, texts)))


def test_a_v2_head_file_loads_scores_and_refuses_damage(tmp_path: Path) -> None:
    texts, dense, y = _data(dim=384)
    head = fit_head(texts, dense, y, Settings(C=1.0, embedding_weight=0.03, vocabulary=50, char_vocabulary=30), seed=0)
    path = tmp_path / "head_v2.json"
    path.write_text(json.dumps(head.to_json()))
    scorer = HeadScorer.load(path)
    assert scorer.model_id.startswith("head_v2@") and scorer.head.char_tfidf is not None
    vectors = dense[:, :384]
    assert np.allclose(scorer.probabilities(texts, vectors), head.probabilities(head.features(texts, vectors)))
    data = json.loads(path.read_text())
    data["features"]["char_tfidf"]["idf"] = data["features"]["char_tfidf"]["idf"][:-1]
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="differ in length"):
        HeadScorer.load(path)
    data = head.to_json()
    data["format"] = FORMAT_V1  # a v1 reader would ignore the character block and score wrongly
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="needs format v2"):
        HeadScorer.load(path)
