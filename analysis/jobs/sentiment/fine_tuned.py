"""The embedding backend with a fine-tuned copy of MiniLM, when one has been trained into the home folder.

``python -m analysis.jobs.sentiment.train --fine-tune`` writes ``DOCANALYSIS_HOME/models/<name>/``:
the copy (sentence-transformers files), ``head.json`` (its classifier, in the head file format)
and ``manifest.json`` (base model and data hashes, settings, held-out score). The scorer runs
the copy on each chunk text (one extra forward pass, the stored vectors stay the untouched
MiniLM's for search) and blends its log-probabilities with the shipped head's over the stored
vectors, by the weight the training command chose on a held-out part of the train split.
Without that folder the shipped head alone is used (``make_scorer`` decides).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.errors import ModelLoadError
from analysis.jobs.sentiment.head import Head, HeadScorer, scored, softmax
from analysis.jobs.sentiment.results import LABELS, SentimentResult

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
FINE_TUNED_NAME = "sentiment-minilm-druglib"
MANIFEST = "manifest.json"
HEAD_FILE = "head.json"
MANIFEST_FORMAT = "analysis.sentiment.fine_tuned/v1"


def fine_tuned_dir(home: Path, name: str = FINE_TUNED_NAME) -> Path:
    """Where the training command writes the copy and where the backend looks for it."""
    return Path(home) / "models" / name


def is_fine_tuned_dir(path: Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


class FineTunedScorer:
    """Fine-tuned MiniLM copy + its linear classifier, blended with the shipped head over the stored vectors."""

    backend = "embedding"
    prompt_hash = ""

    def __init__(
        self,
        model: SentenceTransformer,
        head: Head,
        shipped: HeadScorer | None,
        blend: float,
        model_id: str,
        manifest: dict[str, Any],
        path: Path,
        batch_size: int = 32,
    ) -> None:
        self.model = model
        self.head = head
        self.shipped = shipped
        self.blend = blend  # weight of the fine-tuned log-probabilities; the shipped head gets 1 - blend
        self.model_id = model_id
        self.manifest = manifest
        self.path = path
        self.batch_size = batch_size

    @classmethod
    def load(cls, path: Path, *, device: str = "cpu") -> FineTunedScorer:
        """Read the folder the training command wrote; local files only, never a hub."""
        path = Path(path)
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"format is {manifest.get('format')!r}, expected {MANIFEST_FORMAT!r}")
            head_raw = (path / HEAD_FILE).read_bytes()
            head = Head.from_json(json.loads(head_raw))
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(str(path), device=device, local_files_only=True)
            model.eval()
        except Exception as exc:  # a half-written or hand-edited folder: say which and why
            raise ModelLoadError(str(path), " ".join(str(exc).split())[:200]) from None
        blend = float(manifest.get("blend", 1.0))
        shipped = HeadScorer.load() if blend < 1.0 else None
        digest = hashlib.sha256(head_raw)
        digest.update(str(manifest.get("weights_sha256", "")).encode())
        digest.update(f"{blend}|{shipped.model_id if shipped else ''}".encode())
        model_id = f"{path.name}@{digest.hexdigest()[:12]}"
        log.info("sentiment: fine-tuned model %s from %s (blend %.2f)", model_id, path, blend)
        return cls(model, head, shipped, blend, model_id, manifest, path)

    def fine_tuned_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """The copy's unit vectors of the texts (the extra forward pass)."""
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float64)

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """(n, 3) in ``LABELS`` order: softmax of the blended log-probabilities."""
        own = self.head.probabilities(self.head.assemble(self.fine_tuned_vectors(texts), texts))
        own = own[:, [self.head.classes.index(label) for label in LABELS]]
        if self.shipped is None:
            return own
        shipped = self.shipped.probabilities(texts, vectors)
        logits = self.blend * np.log(own + 1e-12) + (1.0 - self.blend) * np.log(shipped + 1e-12)
        return softmax(logits)

    def score(self, texts: Sequence[str], *, vectors: np.ndarray | None = None) -> list[SentimentResult]:
        """As the shipped head's ``score``: the stored MiniLM vectors are required (for the blend)."""
        if vectors is not None and np.asarray(vectors).shape[0] != len(texts):
            raise ValueError(f"got {np.asarray(vectors).shape[0]} vectors for {len(texts)} texts")
        return scored(texts, vectors, self.probabilities)
