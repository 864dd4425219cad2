"""The embed stage: chunk vectors from a sentence-transformers model, loaded from local files only.

    model.py            which model, where its files are, its identity (no load)
    encoder.py          the Encoder protocol and the torch encoder; openvino_encoder.py the fast CPU one
    embedder.py         a loaded model: tokenizer and limits for chunking, an encoder for vectors
    stage.py            embed_pending_chunks, the stage function

Names load on first use, so a GPU worker that only embeds never imports the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.lazy import lazy_exports

if TYPE_CHECKING:
    from analysis.embed.embedder import (
        Embedder,
        embedding_model_id,
        load_embedder,
        load_embedder_for,
        shared_embedder,
    )
    from analysis.embed.encoder import Encoder
    from analysis.embed.model import ONNX_RECIPE, model_id_for, pick_device, resolve_model_path
    from analysis.embed.stage import LazyEmbedder, SharedLazyEmbedder, embed_pending_chunks

_PUBLIC = {
    "Embedder": "analysis.embed.embedder",
    "embedding_model_id": "analysis.embed.embedder",
    "load_embedder": "analysis.embed.embedder",
    "load_embedder_for": "analysis.embed.embedder",
    "shared_embedder": "analysis.embed.embedder",
    "Encoder": "analysis.embed.encoder",
    "ONNX_RECIPE": "analysis.embed.model",
    "model_id_for": "analysis.embed.model",
    "pick_device": "analysis.embed.model",
    "resolve_model_path": "analysis.embed.model",
    "LazyEmbedder": "analysis.embed.stage",
    "SharedLazyEmbedder": "analysis.embed.stage",
    "embed_pending_chunks": "analysis.embed.stage",
}
__all__ = [
    "Embedder",
    "Encoder",
    "LazyEmbedder",
    "ONNX_RECIPE",
    "SharedLazyEmbedder",
    "embed_pending_chunks",
    "embedding_model_id",
    "load_embedder",
    "load_embedder_for",
    "model_id_for",
    "pick_device",
    "resolve_model_path",
    "shared_embedder",
]

__getattr__ = lazy_exports(__name__, _PUBLIC)
