"""A small classifier over the MiniLM vectors the pipeline already stores for every chunk.

The head is plain numbers in JSON (no pickle: a pickle can run code when loaded, and JSON
can be read and diffed by a person); inference is a few numpy matrix products. It is
trained by ``python -m analysis.sentiment.train`` and shipped as ``head_v1.json``.

The scorer never embeds: ``score`` takes the texts' vectors from the caller (the pipeline
has them), and raises ValueError without them, so sentiment never loads a second copy of
the embedding model or silently embeds with a different one than the store used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.sentiment import LABELS, SentimentResult

DEFAULT_HEAD_PATH = Path(__file__).with_name("head_v1.json")
FORMAT = "analysis.sentiment.head/v1"
ACTIVATIONS = ("relu", "tanh", "linear")


@dataclass(frozen=True)
class Layer:
    """``activation(x @ weights + bias)``; the last layer's output are the class logits."""

    weights: np.ndarray  # (inputs, outputs)
    bias: np.ndarray  # (outputs,)
    activation: str = "linear"


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass
class Head:
    """Feature recipe, standardisation and layers: everything needed to turn vectors into probabilities."""

    classes: tuple[str, ...]
    embedding_dim: int
    vader_features: bool
    mean: np.ndarray
    scale: np.ndarray
    layers: list[Layer]
    log_prior_shift: np.ndarray  # added to the logits; decision-threshold adjustment chosen by CV
    meta: dict[str, Any]

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    def features(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """The head's input: the vectors, plus VADER's four scores of each text when the head was trained so."""
        parts = [np.asarray(vectors, dtype=np.float32)]
        if self.vader_features:
            parts.append(_vader().features(texts))
        return np.hstack(parts)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities (n, classes) after the prior shift; rows sum to 1."""
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        for layer in self.layers:
            x = x @ layer.weights + layer.bias
            if layer.activation == "relu":
                x = np.maximum(x, 0.0)
            elif layer.activation == "tanh":
                x = np.tanh(x)
        return softmax(x + self.log_prior_shift)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "classes": list(self.classes),
            "features": {
                "embedding_dim": self.embedding_dim,
                "vader_features": self.vader_features,
                "order": ["embedding"] + (["vader_neg", "vader_neu", "vader_pos", "vader_compound"] * 1)[
                    : 4 if self.vader_features else 0
                ],
                "standardize_mean": _floats(self.mean),
                "standardize_scale": _floats(self.scale),
            },
            "layers": [
                {"activation": layer.activation, "weights": _floats(layer.weights), "bias": _floats(layer.bias)}
                for layer in self.layers
            ],
            "log_prior_shift": _floats(self.log_prior_shift),
            **self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a sentiment head file: format is {data.get('format')!r}, expected {FORMAT!r}")
        classes = tuple(data["classes"])
        if set(classes) != set(LABELS) or len(classes) != len(LABELS):
            raise ValueError(f"head classes must be {LABELS}, got {classes}")
        feats = data["features"]
        layers = [
            Layer(np.asarray(d["weights"], dtype=np.float64), np.asarray(d["bias"], dtype=np.float64), d["activation"])
            for d in data["layers"]
        ]
        head = cls(
            classes=classes,
            embedding_dim=int(feats["embedding_dim"]),
            vader_features=bool(feats["vader_features"]),
            mean=np.asarray(feats["standardize_mean"], dtype=np.float64),
            scale=np.asarray(feats["standardize_scale"], dtype=np.float64),
            layers=layers,
            log_prior_shift=np.asarray(data.get("log_prior_shift", [0.0] * len(classes)), dtype=np.float64),
            meta={k: v for k, v in data.items() if k not in {"format", "classes", "features", "layers", "log_prior_shift"}},
        )
        head._check()
        return head

    def _check(self) -> None:
        width = self.n_features
        if width != self.embedding_dim + (4 if self.vader_features else 0) or self.scale.shape != (width,):
            raise ValueError("head file is inconsistent: standardisation does not match the feature recipe")
        for layer in self.layers:
            if layer.activation not in ACTIVATIONS:
                raise ValueError(f"unknown activation {layer.activation!r}; valid: {', '.join(ACTIVATIONS)}")
            if layer.weights.shape != (width, layer.bias.shape[0]):
                raise ValueError(f"head file is inconsistent: layer of shape {layer.weights.shape} after {width} inputs")
            width = layer.bias.shape[0]
        if width != len(self.classes):
            raise ValueError(f"head's last layer has {width} outputs for {len(self.classes)} classes")


def _floats(array: np.ndarray) -> Any:
    """Seven significant digits: plenty for float32 features, and keeps the file small."""
    return np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(array).tolist()


_VADER: Any = None


def _vader() -> Any:
    """Plain VADER (no clinical rewrite): the features are defined as what the head was trained on."""
    global _VADER
    if _VADER is None:
        from analysis.sentiment.lexicon import LexiconScorer

        _VADER = LexiconScorer(clinical_negation=False)
    return _VADER


class HeadScorer:
    """The embedding backend: a trained head over the chunk vectors (and VADER scores) of each text."""

    backend = "embedding"
    prompt_hash = ""

    def __init__(self, head: Head, model_id: str) -> None:
        self.head = head
        self.model_id = model_id

    @classmethod
    def load(cls, path: Path = DEFAULT_HEAD_PATH) -> HeadScorer:
        """Read a head file; its identity is its name plus a prefix of the file's sha256."""
        raw = Path(path).read_bytes()
        head = Head.from_json(json.loads(raw))
        return cls(head, f"{Path(path).stem}@{hashlib.sha256(raw).hexdigest()[:12]}")

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities in ``LABELS`` order."""
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[1] != self.head.embedding_dim:
            model = self.head.meta.get("training", {}).get("embedding_model", "the embedding model")
            raise ValueError(
                f"the sentiment head expects vectors of dimension {self.head.embedding_dim} from {model}, "
                f"got an array of shape {vectors.shape}"
            )
        if vectors.shape[0] != len(texts):
            raise ValueError(f"got {vectors.shape[0]} vectors for {len(texts)} texts")
        probs = self.head.probabilities(self.head.features(texts, vectors))
        return probs[:, [self.head.classes.index(label) for label in LABELS]]

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> list[SentimentResult]:
        """Label each text from its vector: argmax class, score p(pos) - p(neg), confidence p(label)."""
        if vectors is None:
            raise ValueError(
                "the embedding sentiment backend needs the texts' MiniLM vectors: score(texts, vectors=...) "
                "(the pipeline stores them with each chunk; or embed with analysis.embeddings.load_embedder())"
            )
        if len(texts) == 0:
            return []
        probs = self.probabilities(texts, vectors)
        results = []
        for row in probs:
            best = int(np.argmax(row))
            score = float(np.clip(row[2] - row[0], -1.0, 1.0))
            results.append(SentimentResult(label=LABELS[best], score=score, confidence=float(row[best])))
        return results
