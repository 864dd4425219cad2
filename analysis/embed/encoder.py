"""What turns texts into vectors: the ``Encoder`` protocol and its torch implementation.

The OpenVINO encoder (``openvino_encoder.py``) implements the same protocol; the embedder
picks one by ``embedding_backend``. Vectors are L2-normalised float32 in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class Encoder(Protocol):
    """One way to run the model: the file it runs and that file's hash are its provenance."""

    path: Path
    sha256: str

    def encode(self, texts: Sequence[str], batch_size: int, *, show_progress: bool = False) -> np.ndarray: ...


class TorchEncoder:
    """The sentence-transformers model itself, run by torch (half precision on CUDA)."""

    def __init__(self, model: SentenceTransformer, path: Path, sha256: str) -> None:
        self.model = model
        self.path = path
        self.sha256 = sha256

    def encode(self, texts: Sequence[str], batch_size: int, *, show_progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
