"""A document's sentiment from its chunks' results.

Two rules are offered. The default, ``"polarity"``, is the weighted mean of the chunks'
signed ``score``, cut at ``±neutral_band`` (0.05, VADER's own cut, and for the embedding
head the band that measured best). It was chosen by measurement: druglib train-split
reviews held out of a 3-fold fit of the shipped head's recipe, each split into its three
fields as chunks (1,236 reviews), scored per chunk and aggregated, macro-F1 against the
review's label:

=======================================  ========
rule                                     macro-F1
=======================================  ========
polarity mean, token-weighted, ±0.05     0.532
polarity mean, unweighted, ±0.05         0.522
polarity mean, token-weighted, ±0.02     0.513
polarity mean, token-weighted, ±0.10     0.524
polarity mean, token-weighted, ±0.20     0.491
summed class probabilities, weighted     0.517
summed class probabilities, unweighted   0.515
(the whole review as one vector)         0.530
=======================================  ========

The mean polarity keeps how far each chunk leans, which the probability sum mostly spends
on the dominant "positive" mass; a document whose chunks pull both ways ends near zero,
i.e. neutral, which is what mixed reviews are labelled. Weights are usually the chunks'
token counts, so a heading chunk does not outvote a page.

``"probabilities"`` turns each result back into class probabilities (exactly for the
embedding head, whose ``score`` is p(positive) - p(negative) and ``confidence`` is
p(label); approximately for the other backends), averages them and takes the largest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.jobs.sentiment.results import LABELS, SentimentResult

METHODS = ("polarity", "probabilities")
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
    method: str = "polarity",
    neutral_band: float = 0.05,
) -> SentimentResult:
    """One result for the document: weighted mean polarity (default) or weighted class probabilities.

    ``confidence`` is the weight share of the chunks that agree with the document label
    (polarity) or the winning probability (probabilities). No chunks gives neutral with
    confidence 0: nothing was said either way.
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; valid: {', '.join(METHODS)}")
    if weights is not None and len(weights) != len(results):
        raise ValueError(f"got {len(weights)} weights for {len(results)} results")
    if not results:
        return SentimentResult(label="neutral", score=0.0, confidence=0.0)
    w = np.ones(len(results)) if weights is None else np.asarray(weights, dtype=np.float64)
    if (w < 0).any():
        raise ValueError("weights must be non-negative")
    if w.sum() <= 0:  # every chunk weighs nothing (no tokens): count each chunk once instead
        w = np.ones(len(results))
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
