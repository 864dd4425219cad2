"""A loaded embedding model: its tokenizer and limits (for chunking) and an encoder (for vectors)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.config import DEFAULT_EMBEDDING_MODEL, Config, Device, EmbeddingBackend
from analysis.embed.encoder import Encoder, TorchEncoder
from analysis.embed.model import (
    PACKAGED_MODELS,
    model_card_license,
    model_id,
    model_id_for,
    pick_device,
    resolve_model_path,
    weights_fingerprint,
)
from analysis.errors import ModelLoadError
from analysis.provenance import ModelInfo, package_license

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
log = logging.getLogger(__name__)


@dataclass
class Embedder:
    """The model (tokenizer, limits, weights) and the encoder that runs it."""

    name: str
    path: Path
    device: str
    model: SentenceTransformer
    weights_sha256: str
    encoder: Encoder
    batch_size: int = 64
    backend: EmbeddingBackend = "torch"

    @property
    def model_id(self) -> str:
        """Stable identity of the model: its name, a prefix of its weights' hash, and the backend."""
        return model_id(self.name, self.weights_sha256, self.backend)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_seq_length(self) -> int:
        return int(self.model.max_seq_length)

    @property
    def tokenizer(self) -> Any:
        return self.model.tokenizer

    @property
    def model_info(self) -> ModelInfo:
        """What compliance needs to know of this model: file, weights hash, package, license."""
        package = self.name if self.name in PACKAGED_MODELS else None
        version, package_license_text = package_license(package) if package else (None, None)
        return ModelInfo(
            model_id=self.model_id,
            kind="embedding",
            name=self.name if self.backend == "torch" else f"{self.name} ({self.backend})",
            path=str(self.encoder.path),
            sha256=self.encoder.sha256,
            license=model_card_license(self.path) or package_license_text,
            package=package,
            package_version=version,
        )

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        return self.encoder.encode(texts, self.batch_size, show_progress=show_progress)


def load_embedder(
    name: str = DEFAULT_EMBEDDING_MODEL,
    *,
    device: Device = "auto",
    batch_size: int = 64,
    backend: EmbeddingBackend = "torch",
    cache_dir: Path | None = None,
) -> Embedder:
    """Load a sentence-transformers model from a local folder; half precision on CUDA.

    ``backend="openvino"`` encodes with an ONNX export run by OpenVINO (bf16), built from the same
    weights (once, into ``cache_dir``); the tokenizer and limits stay the model's own.
    """
    path = resolve_model_path(name)
    chosen = pick_device(device)
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        model = SentenceTransformer(str(path), device=chosen, local_files_only=True)
    except Exception as exc:  # torch and transformers raise many types on a broken folder
        raise ModelLoadError(name, " ".join(str(exc).split())[:200]) from None
    if chosen == "cuda":
        model.half()
    log.info("loaded embedding model %s from %s on %s", name, path, chosen)
    weights_sha256 = weights_fingerprint(path)
    encoder: Encoder
    if backend == "openvino":
        from analysis.embed.openvino_encoder import OpenVinoEncoder, export_onnx

        onnx_path = export_onnx(path, cache_dir or Path(".docanalysis") / "models", weights_sha256=weights_sha256)
        encoder = OpenVinoEncoder(onnx_path, model.tokenizer, int(model.max_seq_length))
    else:
        encoder = TorchEncoder(model, path, weights_sha256)
    return Embedder(
        name=name,
        path=path,
        device=chosen,
        model=model,
        weights_sha256=weights_sha256,
        encoder=encoder,
        batch_size=batch_size,
        backend=backend,
    )


def load_embedder_for(config: Config) -> Embedder:
    """The embedder the configuration names (model, device, batch size, backend)."""
    return load_embedder(
        config.embedding_model,
        device=config.device,
        batch_size=config.batch_size,
        backend=config.embedding_backend,
        cache_dir=config.home / "models",
    )


def embedding_model_id(config: Config) -> str:
    """The configured embedder's id, without loading it."""
    return model_id_for(config.embedding_model, backend=config.embedding_backend)


_SHARED: dict[tuple[object, ...], Embedder] = {}


def shared_embedder(config: Config) -> Embedder:
    """One model per process for callers that run many short steps (a scheduler's tasks)."""
    key = (config.embedding_model, config.device, config.batch_size, config.embedding_backend, config.home)
    if key not in _SHARED:
        _SHARED[key] = load_embedder_for(config)
    return _SHARED[key]
