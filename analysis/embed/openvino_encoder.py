"""A faster CPU backend for the embedding model: the ONNX export run by OpenVINO in bf16.

Built locally, once, from the packaged model (no hub): the transformer is exported with
``torch.onnx.export`` (eager attention, dynamic batch and length) and cached beside the other
state; OpenVINO compiles it for the CPU with bf16 inference where the CPU has bf16 (AVX512-BF16
or AMX), f32 elsewhere (then it is only about 1.4x torch). Static int8 (NNCF, per-channel
weights, activations calibrated on the generated sample corpus) ran 3.7x, but its top-1
agreement with fp32 moved between 0.86 and 0.98 with the calibration sample, so it is not used;
see benchmarks/README.md.

Pooling and normalisation are the model's own (mean over tokens, then L2), so vectors stay
comparable; their model id carries the backend and recipe, so they never mix with fp32 vectors.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.embed.model import ONNX_RECIPE

log = logging.getLogger(__name__)

BACKEND = "openvino"


def _feeds(tokenizer: Any, texts: Sequence[str], max_length: int) -> dict[str, np.ndarray]:
    tokens = tokenizer(list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="np")
    ids = tokens["input_ids"]
    return {
        "input_ids": ids.astype(np.int64),
        "attention_mask": tokens["attention_mask"].astype(np.int64),
        "token_type_ids": tokens.get("token_type_ids", np.zeros_like(ids)).astype(np.int64),
    }


def _export_onnx(model_path: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True, attn_implementation="eager").eval()
    sample = tokenizer(["an example sentence to trace the graph", "short"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names}

    class _Transformer(torch.nn.Module):
        """Named inputs in, token states out: the graph OpenVINO will run."""

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
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={**axes, "last_hidden_state": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )


def export_onnx(model_path: Path, out_dir: Path, *, weights_sha256: str) -> Path:
    """Export the transformer at ``model_path`` to ONNX; returns the model file (cached)."""
    target = out_dir / f"{model_path.name}-{weights_sha256[:12]}-{ONNX_RECIPE}.onnx"
    if target.is_file():
        return target
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = target.with_suffix(".partial.onnx")
    _export_onnx(model_path, staging)
    staging.replace(target)  # a crash never leaves a half-written model behind this name
    log.info("built %s", target)
    return target


class OpenVinoEncoder:
    """Mean-pooled, L2-normalised sentence vectors from the exported model, run by OpenVINO on the CPU."""

    def __init__(self, model_path: Path, tokenizer: Any, max_seq_length: int) -> None:
        import openvino as ov

        core = ov.Core()
        # bf16 where the CPU has it (the speed comes from there); f32 elsewhere
        precision = "bf16" if "BF16" in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES") else "f32"
        config = {
            "INFERENCE_PRECISION_HINT": precision,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": os.cpu_count() or 1,
        }
        self.path = model_path
        self.precision = precision
        self.compiled = core.compile_model(core.read_model(str(model_path)), "CPU", config)
        self.request = self.compiled.create_infer_request()
        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        self.sha256 = hashlib.sha256(model_path.read_bytes()).hexdigest()

    def _batches(self, texts: Sequence[str], order: list[int], batch_size: int) -> Iterator[np.ndarray]:
        for start in range(0, len(order), batch_size):
            feeds = _feeds(self.tokenizer, [texts[i] for i in order[start : start + batch_size]], self.max_seq_length)
            hidden = self.request.infer(feeds)[self.compiled.output(0)]
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            yield pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: Sequence[str], batch_size: int, *, show_progress: bool = False) -> np.ndarray:
        # similar lengths together: less padding per batch; the original order is restored below
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = list(self._batches(texts, order, batch_size))
        vectors = np.empty((len(texts), out[0].shape[1] if out else 0), dtype=np.float32)
        if out:
            vectors[order] = np.vstack(out)
        return vectors
