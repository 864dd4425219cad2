"""The embedders: the packaged model on torch, and the fast CPU backend (openvino) built from it locally."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.config import Config
from analysis.embed import ONNX_RECIPE, Embedder, embedding_model_id, load_embedder
from analysis.pipeline import run_pipeline
from analysis.search import search_chunks
from analysis.store import open_store


def test_the_openvino_backend_is_built_locally_and_agrees_with_fp32(tmp_path: Path, embedder: Embedder) -> None:
    fast = load_embedder(backend="openvino", cache_dir=tmp_path / "models", batch_size=32)
    assert fast.model_id == f"{embedder.model_id}+openvino.{ONNX_RECIPE}"  # never mixed with fp32 vectors
    assert fast.model_info.path.endswith(f"-{ONNX_RECIPE}.onnx") and len(fast.model_info.sha256) == 64
    texts = [
        "The tenant shall pay the base rent monthly in advance.",
        "CT of the chest shows no acute cardiopulmonary abnormality.",
        "Either party may terminate this agreement for convenience on thirty days' notice.",
        "The patient was discharged home in stable condition on oral antibiotics.",
    ]
    fast_vectors, reference = fast.encode(texts), embedder.encode(texts)
    assert fast_vectors.shape == reference.shape and fast_vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast_vectors, axis=1), 1.0, atol=1e-4)
    assert np.all(np.sum(fast_vectors * reference, axis=1) > 0.9)
    # same nearest neighbour for every text
    assert np.array_equal(np.argmax(fast_vectors @ reference.T, axis=1), np.arange(len(texts)))
    rebuilt = load_embedder(backend="openvino", cache_dir=tmp_path / "models")
    assert rebuilt.model_info.sha256 == fast.model_info.sha256  # cached, not rebuilt


def test_a_run_with_the_openvino_backend(tmp_path: Path, sample_corpus: Path) -> None:
    config = Config(home=tmp_path / "home", embedding_backend="openvino", batch_size=32)
    report = run_pipeline([sample_corpus], config=config, jobs=())
    assert report.counts["vectors_added"] == report.counts["chunks_added"] > 0
    store = open_store(config)
    try:
        assert len(store.embedded_chunk_ids(embedding_model_id(config))) == report.counts["vectors_added"]
    finally:
        store.close()
    hits = search_chunks("monthly base rent and security deposit", k=3, config=config)
    assert hits and hits[0].doc_type == "lease"
