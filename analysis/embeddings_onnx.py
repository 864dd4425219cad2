"""A faster CPU backend for the embedding model: ONNX Runtime with int8 weights.

Built locally, once, from the packaged model (no hub): the transformer is exported with
``torch.onnx.export`` (eager attention, dynamic batch and length), its weights quantised to
int8 with ONNX Runtime's dynamic quantisation, and cached beside the other state. Pooling and
normalisation are the model's own (mean over tokens, then L2), so vectors stay comparable;
their model id carries the backend, so they never mix with fp32 vectors in one index.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

BACKEND = "onnx-int8"


def build_onnx_int8(model_path: Path, out_dir: Path, *, weights_sha256: str) -> Path:
    """Export and quantise the transformer at ``model_path``; returns the int8 model file (cached)."""
    from analysis.embeddings import ONNX_RECIPE

    target = out_dir / f"{model_path.name}-{weights_sha256[:12]}-int8-{ONNX_RECIPE}.onnx"
    if target.is_file():
        return target
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True, attn_implementation="eager").eval()
    sample = tokenizer(["an example sentence to trace the graph", "short"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names}
    fp32 = target.with_suffix(".fp32.onnx")

    class _Transformer(torch.nn.Module):
        """Named inputs in, token states out: the graph ONNX Runtime will run."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    with torch.no_grad():
        torch.onnx.export(
            _Transformer().eval(),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(fp32),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={**axes, "last_hidden_state": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
    staging = target.with_suffix(".partial")
    # only products with a weight matrix, one scale per output channel: embeddings, norms and the
    # attention products (activation x activation) stay fp32
    quantize_dynamic(
        str(fp32),
        str(staging),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        extra_options={"MatMulConstBOnly": True},
    )
    fp32.unlink()
    staging.replace(target)  # a crash never leaves a half-written model behind this name
    log.info("built %s", target)
    return target


class OnnxEncoder:
    """Mean-pooled, L2-normalised sentence vectors from the int8 ONNX model."""

    def __init__(self, onnx_path: Path, tokenizer: Any, max_seq_length: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self.path = onnx_path
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        self.sha256 = hashlib.sha256(onnx_path.read_bytes()).hexdigest()

    def encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        out = []
        # similar lengths together: less padding per batch; the original order is restored below
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = [texts[i] for i in order[start : start + batch_size]]
            tokens = self.tokenizer(
                batch, padding=True, truncation=True, max_length=self.max_seq_length, return_tensors="np"
            )
            feeds = {
                "input_ids": tokens["input_ids"].astype(np.int64),
                "attention_mask": tokens["attention_mask"].astype(np.int64),
                "token_type_ids": tokens.get("token_type_ids", np.zeros_like(tokens["input_ids"])).astype(np.int64),
            }
            hidden = self.session.run(None, feeds)[0]
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        vectors = np.empty((len(texts), out[0].shape[1] if out else 0), dtype=np.float32)
        if out:
            vectors[order] = np.vstack(out)
        return vectors
