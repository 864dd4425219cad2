"""A small classifier over the MiniLM vectors the pipeline already stores for every chunk.

The head is plain numbers in JSON (no pickle: a pickle can run code when loaded, and JSON
can be read and diffed by a person); inference is a few numpy matrix products. It is
trained by ``python -m analysis.jobs.sentiment.train`` and shipped as ``head_v1.json``. A head
with a character n-gram TF-IDF block as well (``--char-vocabulary N``) is written in format v2;
both formats load (a v2 head was tried and not shipped: see train.py's table).

The scorer never embeds: ``score`` takes the texts' vectors from the caller (the pipeline
has them), and raises ValueError without them, so sentiment never loads a second copy of
the embedding model or silently embeds with a different one than the store used.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from analysis.jobs.sentiment.results import LABELS, SentimentResult

if TYPE_CHECKING:
    from analysis.jobs.sentiment.lexicon import LexiconScorer

DEFAULT_HEAD_PATH = Path(__file__).with_name("head_v1.json")
FORMAT_V1 = "analysis.sentiment.head/v1"  # the file format's name, kept when the code moved (head_v1.json)
FORMAT = "analysis.sentiment.head/v2"  # v1 plus a character n-gram TF-IDF block (train.py --char-vocabulary)
FORMATS = (FORMAT_V1, FORMAT)
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


_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
ANALYZERS = ("word", "char_wb")


def _word_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    """scikit-learn's ``analyzer="word"``: lowercase ``\\w\\w+`` tokens joined into n-grams."""
    words = _TOKEN.findall(text.lower())
    return [" ".join(words[i : i + n]) for n in range(ngram_min, ngram_max + 1) for i in range(len(words) - n + 1)]


def _char_wb_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    """scikit-learn's ``analyzer="char_wb"``: character n-grams inside space-padded words, lowercased."""
    grams = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(ngram_min, ngram_max + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once, as scikit-learn does
                break
    return grams


@dataclass(frozen=True)
class TfidfFeatures:
    """A fixed-vocabulary TF-IDF of the text, computed exactly as scikit-learn's TfidfVectorizer.

    ``analyzer="word"``: lowercase, ``\\w\\w+`` tokens, word n-grams; ``"char_wb"``: character
    n-grams inside space-padded words. Both with sublinear tf and l2-normalised rows. train.py
    checks that each block agrees with scikit-learn on the training texts, so the shipped
    weights see the features they were fitted on.
    """

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngram_max: int = 2
    sublinear_tf: bool = True
    analyzer: str = "word"
    ngram_min: int = 1

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"unknown tf-idf analyzer {self.analyzer!r}; valid: {', '.join(ANALYZERS)}")

    def grams(self, text: str) -> list[str]:
        if self.analyzer == "char_wb":
            return _char_wb_ngrams(text, self.ngram_min, self.ngram_max)
        return _word_ngrams(text, self.ngram_min, self.ngram_max)

    def transform_sparse(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """(n, vocabulary) rows as a sparse matrix: a character vocabulary is tens of thousands wide."""
        indptr, indices, values = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in self.grams(text):
                column = self.vocabulary.get(gram)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            row = ((1.0 + np.log(tf)) if self.sublinear_tf else tf) * self.idf[columns]
            norm = np.linalg.norm(row)
            indices.append(columns)
            values.append(row / norm if norm > 0 else row)
            indptr.append(indptr[-1] + len(columns))
        return sparse.csr_matrix(
            (
                np.concatenate(values) if values else np.zeros(0),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                np.asarray(indptr),
            ),
            shape=(len(texts), len(self.vocabulary)),
        )

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.transform_sparse(texts).toarray()

    def to_json(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        out: dict[str, Any] = {
            "terms": terms,
            "idf": _floats(self.idf),
            "ngram_max": self.ngram_max,
            "sublinear_tf": self.sublinear_tf,
        }
        if self.analyzer != "word" or self.ngram_min != 1:  # head_v1.json's block has neither key
            out.update(analyzer=self.analyzer, ngram_min=self.ngram_min)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TfidfFeatures:
        terms = list(data["terms"])
        idf = np.asarray(data["idf"], dtype=np.float64)
        if idf.shape != (len(terms),):
            raise ValueError("head file is inconsistent: tf-idf terms and idf differ in length")
        return cls(
            {t: i for i, t in enumerate(terms)},
            idf,
            int(data["ngram_max"]),
            bool(data["sublinear_tf"]),
            str(data.get("analyzer", "word")),
            int(data.get("ngram_min", 1)),
        )


VADER_KINDS = ("", "plain", "clinical")


@dataclass
class Head:
    """Feature recipe, standardisation and layers: everything needed to turn vectors into probabilities.

    Features, in order: the embedding, then VADER's neg/neu/pos/compound (when ``vader``
    names a kind), both standardised by ``mean``/``scale``; then the word TF-IDF block as is;
    then (format v2) the character n-gram TF-IDF block as is.
    """

    classes: tuple[str, ...]
    embedding_dim: int
    vader: str
    tfidf: TfidfFeatures | None
    mean: np.ndarray
    scale: np.ndarray
    layers: list[Layer]
    log_prior_shift: np.ndarray  # added to the logits; a decision-threshold adjustment chosen by CV
    meta: dict[str, Any] = field(default_factory=dict)
    char_tfidf: TfidfFeatures | None = None

    @property
    def blocks(self) -> list[TfidfFeatures]:
        return [block for block in (self.tfidf, self.char_tfidf) if block is not None]

    @property
    def n_dense(self) -> int:
        return self.embedding_dim + (4 if self.vader else 0)

    @property
    def n_features(self) -> int:
        return self.n_dense + sum(len(block.vocabulary) for block in self.blocks)

    def dense_features(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """The vectors, plus VADER's four scores of each text when the head was trained with them."""
        parts = [np.asarray(vectors, dtype=np.float64)]
        if self.vader:
            parts.append(_vader(self.vader).features(texts).astype(np.float64))
        return np.hstack(parts)

    def features(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """The head's full input row for each text (dense block standardised)."""
        return self.assemble(self.dense_features(texts, vectors), texts)

    def assemble(self, dense: np.ndarray, texts: Sequence[str]) -> np.ndarray | sparse.csr_matrix:
        """Standardise the dense block and append the TF-IDF blocks (train.py reuses this, so both agree).

        With TF-IDF blocks the rows are a sparse matrix (a character vocabulary is tens of
        thousands of columns wide); without, a dense array.
        """
        standardised = (np.asarray(dense, dtype=np.float64) - self.mean) / self.scale
        if not self.blocks:
            return standardised
        parts = [sparse.csr_matrix(standardised), *(block.transform_sparse(texts) for block in self.blocks)]
        return sparse.hstack(parts, format="csr")

    def probabilities(self, features: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Class probabilities (n, classes) in ``classes`` order, after the prior shift; rows sum to 1."""
        x = features.astype(np.float64) if sparse.issparse(features) else np.asarray(features, dtype=np.float64)
        for layer in self.layers:
            x = np.asarray(x @ layer.weights) + layer.bias
            if layer.activation == "relu":
                x = np.maximum(x, 0.0)
            elif layer.activation == "tanh":
                x = np.tanh(x)
        return softmax(x + self.log_prior_shift)

    def to_json(self) -> dict[str, Any]:
        order = ["embedding"] + (["vader_neg", "vader_neu", "vader_pos", "vader_compound"] if self.vader else [])
        return {
            "format": FORMAT if self.char_tfidf is not None else FORMAT_V1,
            "classes": list(self.classes),
            "features": {
                "description": self.meta.get("feature_description", ""),
                "order": order
                + (["tfidf"] if self.tfidf is not None else [])
                + (["char_tfidf"] if self.char_tfidf is not None else []),
                "embedding_dim": self.embedding_dim,
                "vader": self.vader,
                "vader_model_id": _vader(self.vader).model_id if self.vader else "",
                "standardize_mean": _floats(self.mean),
                "standardize_scale": _floats(self.scale),
                "tfidf": self.tfidf.to_json() if self.tfidf is not None else None,
                **({"char_tfidf": self.char_tfidf.to_json()} if self.char_tfidf is not None else {}),
            },
            "layers": [
                {"activation": layer.activation, "weights": _floats(layer.weights), "bias": _floats(layer.bias)}
                for layer in self.layers
            ],
            "log_prior_shift": _floats(self.log_prior_shift),
            **{k: v for k, v in self.meta.items() if k != "feature_description"},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Head:
        if data.get("format") not in FORMATS:
            raise ValueError(
                f"not a sentiment head file: format is {data.get('format')!r}, expected one of {', '.join(FORMATS)}"
            )
        if data["format"] == FORMAT_V1 and data["features"].get("char_tfidf"):
            raise ValueError("head file is inconsistent: a character n-gram block needs format v2")
        classes = tuple(data["classes"])
        if sorted(classes) != sorted(LABELS):
            raise ValueError(f"head classes must be {LABELS}, got {classes}")
        feats = data["features"]
        if feats["vader"] not in VADER_KINDS:
            raise ValueError(f"unknown VADER feature kind {feats['vader']!r}; valid: {VADER_KINDS}")
        if feats["vader"] and feats.get("vader_model_id") != _vader(feats["vader"]).model_id:
            # The rewrite rules feed the head: a head fitted on other rules would score quietly wrong.
            raise ValueError(
                f"head was trained on VADER features from {feats.get('vader_model_id')!r} but this code computes "
                f"{_vader(feats['vader']).model_id!r}; retrain with python -m analysis.jobs.sentiment.train"
            )
        layers = [
            Layer(np.asarray(d["weights"], dtype=np.float64), np.asarray(d["bias"], dtype=np.float64), d["activation"])
            for d in data["layers"]
        ]
        meta = {
            k: v for k, v in data.items() if k not in {"format", "classes", "features", "layers", "log_prior_shift"}
        }
        meta["feature_description"] = feats.get("description", "")
        head = cls(
            classes=classes,
            embedding_dim=int(feats["embedding_dim"]),
            vader=feats["vader"],
            tfidf=TfidfFeatures.from_json(feats["tfidf"]) if feats.get("tfidf") else None,
            mean=np.asarray(feats["standardize_mean"], dtype=np.float64),
            scale=np.asarray(feats["standardize_scale"], dtype=np.float64),
            layers=layers,
            log_prior_shift=np.asarray(data.get("log_prior_shift", [0.0] * len(classes)), dtype=np.float64),
            meta=meta,
            char_tfidf=TfidfFeatures.from_json(feats["char_tfidf"]) if feats.get("char_tfidf") else None,
        )
        head.check()
        return head

    def check(self) -> None:
        """Refuse a head whose shapes do not chain: a truncated or hand-edited file fails here, not mid-run."""
        if self.mean.shape != (self.n_dense,) or self.scale.shape != (self.n_dense,) or (self.scale <= 0).any():
            raise ValueError("head file is inconsistent: standardisation does not match the feature recipe")
        width = self.n_features
        for layer in self.layers:
            if layer.activation not in ACTIVATIONS:
                raise ValueError(f"unknown activation {layer.activation!r}; valid: {', '.join(ACTIVATIONS)}")
            if layer.weights.ndim != 2 or layer.weights.shape != (width, layer.bias.shape[0]):
                raise ValueError(
                    f"head file is inconsistent: layer of shape {layer.weights.shape} after {width} inputs"
                )
            width = layer.bias.shape[0]
        if width != len(self.classes) or self.log_prior_shift.shape != (width,):
            raise ValueError(f"head's last layer has {width} outputs for {len(self.classes)} classes")


def _floats(array: np.ndarray) -> Any:
    """Seven significant digits: plenty for float32 features, and keeps the file small."""
    return np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(array).tolist()


@functools.lru_cache(maxsize=2)
def _vader(kind: str) -> LexiconScorer:
    """The VADER variant the head was trained with (its features must match exactly)."""
    from analysis.jobs.sentiment.lexicon import LexiconScorer

    return LexiconScorer(clinical_negation=kind == "clinical")


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
        return scored(texts, vectors, self.probabilities)


def scored(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    probabilities: Callable[[Sequence[str], np.ndarray], np.ndarray],
) -> list[SentimentResult]:
    """Results from (n, 3) probabilities in ``LABELS`` order; the stored vectors are required."""
    if vectors is None:
        raise ValueError(
            "the embedding sentiment backend needs the texts' MiniLM vectors: score(texts, vectors=...) "
            "(the pipeline stores them with each chunk; or embed with analysis.embed.load_embedder())"
        )
    if len(texts) == 0:
        return []
    results = []
    for row in probabilities(texts, vectors):
        best = int(np.argmax(row))
        score = float(np.clip(row[2] - row[0], -1.0, 1.0))
        results.append(SentimentResult(label=LABELS[best], score=score, confidence=float(row[best])))
    return results
