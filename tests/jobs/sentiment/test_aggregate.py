"""Document sentiment from hand-made chunk results."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.jobs.sentiment import SentimentResult, aggregate_document
from analysis.jobs.sentiment.aggregate import class_probabilities

POS = SentimentResult("positive", 0.8, 0.85)
NEG = SentimentResult("negative", -0.7, 0.8)
NEU = SentimentResult("neutral", 0.0, 0.9)


def test_unanimous_chunks() -> None:
    assert aggregate_document([POS, POS]).label == "positive"
    assert aggregate_document([NEG, NEG, NEU]).label == "negative"


def test_token_weights_decide() -> None:
    assert aggregate_document([POS, NEG], weights=[400, 20]).label == "positive"
    assert aggregate_document([POS, NEG], weights=[20, 400]).label == "negative"


def test_opposite_chunks_cancel_to_neutral() -> None:
    doc = aggregate_document([SentimentResult("positive", 0.7, 0.8), SentimentResult("negative", -0.7, 0.8)])
    assert doc.label == "neutral" and abs(doc.score) < 1e-9


def test_confidence_is_the_agreeing_share() -> None:
    doc = aggregate_document([POS, POS, NEU], weights=[1, 1, 2])
    assert doc.label == "positive" and doc.confidence == pytest.approx(0.5)


def test_probability_method() -> None:
    doc = aggregate_document([POS, NEU, NEU], method="probabilities")
    assert doc.label == "neutral" and -1 <= doc.score <= 1
    assert aggregate_document([NEG, NEG, POS], method="probabilities").label == "negative"


def test_class_probabilities_recover_the_head_output() -> None:
    p = np.array([0.1, 0.2, 0.7])
    result = SentimentResult("positive", float(p[2] - p[0]), float(p[2]))
    assert np.allclose(class_probabilities(result), p)


def test_empty_and_bad_input() -> None:
    empty = aggregate_document([])
    assert (empty.label, empty.confidence) == ("neutral", 0.0)
    with pytest.raises(ValueError, match="weights"):
        aggregate_document([POS], weights=[1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        aggregate_document([POS, NEG], weights=[-1, 2])
    with pytest.raises(ValueError, match="method"):
        aggregate_document([POS], method="vote")


def test_result_validation() -> None:
    with pytest.raises(ValueError, match="label"):
        SentimentResult("happy", 0.5, 0.5)
    with pytest.raises(ValueError, match="score"):
        SentimentResult("positive", 1.5, 0.5)


def test_chunks_that_all_weigh_nothing_count_once_each() -> None:
    # a document whose chunks have no model tokens once failed a whole run here
    doc = aggregate_document([POS, POS, NEG], weights=[0, 0, 0])
    assert doc.label == "positive" and doc.confidence == pytest.approx(2 / 3)
