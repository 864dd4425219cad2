"""What every sentiment backend returns: one of three labels, a polarity and a confidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from analysis.config import SentimentBackend

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
BACKENDS = get_args(SentimentBackend)
# Measured by benchmarks/eval_sentiment.py on the druglib test split (macro-F1): see train.py.
DEFAULT_BACKEND = "embedding"


@dataclass(frozen=True)
class SentimentResult:
    """One label with a signed polarity in [-1, 1] (negative < 0 < positive) and a confidence in [0, 1]."""

    label: str
    score: float
    confidence: float

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"label must be one of {', '.join(LABELS)}, got {self.label!r}")
        if not -1.0 <= self.score <= 1.0:
            raise ValueError(f"score must be in [-1, 1], got {self.score}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
