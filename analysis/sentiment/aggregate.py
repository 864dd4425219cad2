"""A document's sentiment from its chunks' results.

Two rules are offered; ``"probabilities"`` is the default because it measured as well
as or better than the polarity mean on held-out druglib reviews split into chunks (figures
in analysis/sentiment/train.py), and because it needs no thresholds: the polarity mean
has to be cut at backend-specific points, and a document of one strongly positive and one
strongly negative chunk averages to a "neutral" that neither chunk said.

* ``"probabilities"``: each result is turned back into class probabilities (exactly for
  the embedding head, whose ``score`` is p(positive) - p(negative) and ``confidence`` is
  p(label); approximately for the other backends), these are averaged with the weights,
  and the largest wins.
* ``"polarity"``: the weighted mean of ``score``, cut at ``±neutral_band``.

Weights are usually the chunks' token counts, so a heading chunk does not outvote a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.sentiment import LABELS, SentimentResult

METHODS = ("probabilities", "polarity")
_NEG, _NEU, _POS = range(3)


def class_probabilities(result: SentimentResult) -> np.ndarray:
    """p(negative), p(neutral), p(positive) consistent with label, score and confidence.

    Solves p[label] = confidence, p_pos - p_neg = score, sum = 1; clips and renormalises
    when a backend's numbers are not a probability vector (lexicon, llm).
    """
    c, s = result.confidence, result.score
    if result.label == "positive":
        p = np.array([c - s, 1.0 - 2.0 * c + s, c])
    elif result.label == "negative":
        p = np.array([c, 1.0 - 2.0 * c - s, c + s])
    else:
        p = np.array([(1.0 - c - s) / 2.0, c, (1.0 - c + s) / 2.0])
    p = np.clip(p, 0.0, 1.0)
    index = LABELS.index(result.label)
    p[index] = max(p[index], p.max())  # the stated label stays the most likely
    total = p.sum()
    return p / total if total > 0 else np.full(3, 1.0 / 3.0)


def aggregate_document(
    results: Sequence[SentimentResult],
    weights: Sequence[float] | None = None,
    *,
    method: str = "probabilities",
    neutral_band: float = 0.05,
) -> SentimentResult:
    """One result for the document: weighted class probabilities (default) or weighted mean polarity.

    No chunks gives neutral with confidence 0: nothing was said either way.
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; valid: {', '.join(METHODS)}")
    if weights is not None and len(weights) != len(results):
        raise ValueError(f"got {len(weights)} weights for {len(results)} results")
    if not results:
        return SentimentResult(label="neutral", score=0.0, confidence=0.0)
    w = np.ones(len(results)) if weights is None else np.asarray(weights, dtype=np.float64)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    w = w / w.sum()
    if method == "polarity":
        mean = float(np.clip(np.dot(w, [r.score for r in results]), -1.0, 1.0))
        if mean > neutral_band:
            label = "positive"
        elif mean < -neutral_band:
            label = "negative"
        else:
            label = "neutral"
        agreeing = float(sum(wi for wi, r in zip(w, results) if r.label == label))
        return SentimentResult(label=label, score=mean, confidence=float(np.clip(agreeing, 0.0, 1.0)))
    probs = w @ np.stack([class_probabilities(r) for r in results])
    best = int(np.argmax(probs))
    score = float(np.clip(probs[_POS] - probs[_NEG], -1.0, 1.0))
    return SentimentResult(label=LABELS[best], score=score, confidence=float(np.clip(probs[best], 0.0, 1.0)))
