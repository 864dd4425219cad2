"""Fine-tune a copy of the packaged MiniLM for sentiment, with a linear classifier on its pooled vector.

The pipeline's stored chunk vectors come from the untouched MiniLM (they feed the FAISS index and
must not change), so the fine-tuned copy is a second model: it is trained by a command
(``python -m analysis.jobs.sentiment.train --fine-tune``), written under
``DOCANALYSIS_HOME/models/<name>`` with a manifest, and never shipped in the repository. Its
classifier is saved as an ordinary head file (``head.json``, the format of ``head_v1.json``) over
the copy's L2-normalised vectors, so inference reuses ``Head`` unchanged.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.jobs.sentiment.head import Head, Layer
from analysis.jobs.sentiment.results import LABELS

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
LOGIT_SCALE = 20.0  # the classifier reads unit vectors; a fixed temperature lets its weights stay small


@dataclass(frozen=True)
class FineTuneSettings:
    """What a fine-tuning run used; recorded in the manifest."""

    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 2e-3
    warmup_fraction: float = 0.1
    weight_decay: float = 0.01
    class_balanced: bool = True
    trainable_layers: int = 2  # of MiniLM-L6's six; the lower four stay the packaged model's
    probe_C: float = 0.01  # the linear probe's regularisation (inputs are unit vectors times LOGIT_SCALE)
    threads: int = 2

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def load_base(path: Path, *, device: str = "cpu") -> SentenceTransformer:
    """A fresh, trainable copy of the sentence-transformers model in ``path`` (local files only)."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(path), device=device, local_files_only=True)


def _class_weights(y: np.ndarray) -> np.ndarray:
    """scikit-learn's ``class_weight="balanced"``: n / (classes * count)."""
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    counts[counts == 0] = 1.0
    return len(y) / (len(LABELS) * counts)


class LowerLayers:
    """The frozen bottom of the copy, run once: each text's token states after its lower layers.

    Only the top ``trainable_layers`` transformer layers (and the classifier) are trained, so the
    lower layers' output never changes and is computed once per text instead of once per epoch;
    an epoch then costs about one forward pass of the top layers plus their backward pass.
    """

    def __init__(self, model: SentenceTransformer, trainable_layers: int) -> None:
        self.model = model
        self.bert = model[0].auto_model
        self.layers = self.bert.encoder.layer
        self.frozen = len(self.layers) - trainable_layers
        if not 0 <= self.frozen < len(self.layers):
            raise ValueError(f"trainable_layers must be 1..{len(self.layers)}, got {trainable_layers}")

    def freeze(self) -> list[Any]:
        """Switch off gradients below the trainable layers; return the parameters that still train."""
        for parameter in self.model.parameters():
            parameter.requires_grad_(False)
        trainable = [p for layer in self.layers[self.frozen :] for p in layer.parameters()]
        for parameter in trainable:
            parameter.requires_grad_(True)
        return trainable

    def _mask(self, attention: Any, states: Any) -> Any:
        return self.bert._create_attention_masks(attention, None, states, None, None)[0]

    def states(self, texts: Sequence[str], batch_size: int = 32) -> list[Any]:
        """Per text, its (tokens, hidden) states after the frozen layers, unpadded."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths share a batch
        out: list[Any] = [None] * len(texts)
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                features = self.model.tokenize([texts[i] for i in batch])
                hidden = self.bert.embeddings(
                    input_ids=features["input_ids"], token_type_ids=features.get("token_type_ids")
                )
                attention = features["attention_mask"]
                mask = self._mask(attention, hidden)
                for layer in self.layers[: self.frozen]:
                    hidden = layer(hidden, mask)
                lengths = attention.sum(dim=1).tolist()
                for row, i in enumerate(batch):
                    out[i] = hidden[row, : int(lengths[row])].clone()
        return out

    def vectors(self, states: Sequence[Any]) -> Any:
        """Run the trainable layers on a batch of cached states; mean-pool and normalise like the model."""
        import torch

        lengths = [int(s.shape[0]) for s in states]
        hidden = torch.nn.utils.rnn.pad_sequence(list(states), batch_first=True)
        attention = (torch.arange(hidden.shape[1])[None, :] < torch.tensor(lengths)[:, None]).long()
        mask = self._mask(attention, hidden)
        for layer in self.layers[self.frozen :]:
            hidden = layer(hidden, mask)
        weights = attention.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


def fine_tune(
    model: SentenceTransformer,
    texts: Sequence[str],
    y: np.ndarray,
    settings: FineTuneSettings,
    *,
    seed: int = 0,
    on_epoch: Callable[[int, SentenceTransformer, np.ndarray, np.ndarray], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Train the copy's top layers in place with a linear softmax layer on its unit vector; return (W, b).

    Cross-entropy, class-balanced when asked; AdamW with linear warmup and decay. ``on_epoch``
    is called after every epoch with the current model and classifier (for choosing epochs by
    a held-out part of the train split).
    """
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(settings.threads)
    model.to("cpu")
    model.eval()  # dropout off in the frozen part; the trained layers switch to train mode below
    lower = LowerLayers(model, settings.trainable_layers)
    started = time.perf_counter()
    cached = lower.states(texts)
    log.info("lower %d layers of %d texts in %.0fs", lower.frozen, len(texts), time.perf_counter() - started)
    trainable = lower.freeze()
    classifier = torch.nn.Linear(model.get_embedding_dimension(), len(LABELS))
    _linear_probe(classifier, lower, cached, y, settings)
    weights = torch.tensor(_class_weights(y) if settings.class_balanced else np.ones(len(LABELS)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    optimizer = torch.optim.AdamW(
        [
            {"params": trainable, "lr": settings.learning_rate},
            {"params": classifier.parameters(), "lr": settings.head_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )
    order = list(range(len(texts)))
    steps_per_epoch = math.ceil(len(order) / settings.batch_size)
    total = steps_per_epoch * settings.epochs
    warmup = max(1, int(total * settings.warmup_fraction))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup)))
    )
    labels = torch.tensor(y, dtype=torch.long)
    try:
        for epoch in range(settings.epochs):
            for layer in lower.layers[lower.frozen :]:
                layer.train()
            random.shuffle(order)
            started, running = time.perf_counter(), 0.0
            for start in range(0, len(order), settings.batch_size):
                batch = order[start : start + settings.batch_size]
                logits = classifier(lower.vectors([cached[i] for i in batch]) * LOGIT_SCALE)
                loss = loss_fn(logits, labels[batch])
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_([*trainable, *classifier.parameters()], 1.0)
                optimizer.step()
                scheduler.step()
                running += float(loss.detach()) * len(batch)
            model.eval()
            log.info(
                "epoch %d/%d: loss %.4f in %.0fs",
                epoch + 1,
                settings.epochs,
                running / len(order),
                time.perf_counter() - started,
            )
            if on_epoch is not None:
                w, b = _classifier_arrays(classifier)
                on_epoch(epoch + 1, model, w, b)
    finally:
        model.eval()
        for parameter in model.parameters():
            parameter.requires_grad_(True)
    return _classifier_arrays(classifier)


def _linear_probe(classifier: Any, lower: LowerLayers, cached: Sequence[Any], y: np.ndarray, settings: Any) -> None:
    """Start the classifier from a logistic regression on the unchanged vectors (linear probe, then fine-tune).

    A randomly started layer sends noisy gradients into the pretrained layers for the first
    epochs; on two cores every epoch costs minutes, so it starts where a linear probe ends.
    """
    import torch
    from sklearn.linear_model import LogisticRegression

    with torch.no_grad():
        vectors = np.vstack([lower.vectors(cached[i : i + 64]).numpy() for i in range(0, len(cached), 64)]).astype(
            np.float64
        )
    probe = LogisticRegression(
        C=settings.probe_C, class_weight="balanced" if settings.class_balanced else None, max_iter=5000
    ).fit(vectors * LOGIT_SCALE, y)
    order = [list(probe.classes_).index(i) for i in range(len(LABELS))]
    with torch.no_grad():
        classifier.weight.copy_(torch.tensor(probe.coef_[order], dtype=torch.float32))
        classifier.bias.copy_(torch.tensor(probe.intercept_[order], dtype=torch.float32))


def _classifier_arrays(classifier: Any) -> tuple[np.ndarray, np.ndarray]:
    """The torch layer as (inputs, outputs) weights and a bias, in float64."""
    weights = classifier.weight.detach().cpu().numpy().astype(np.float64).T.copy()
    bias = classifier.bias.detach().cpu().numpy().astype(np.float64).copy()
    return weights, bias


def classifier_head(weights: np.ndarray, bias: np.ndarray, meta: dict[str, Any] | None = None) -> Head:
    """The trained layer as a ``Head`` over the copy's unit vectors (no VADER, no TF-IDF)."""
    dim = weights.shape[0]
    head = Head(
        classes=LABELS,
        embedding_dim=dim,
        vader="",
        tfidf=None,
        mean=np.zeros(dim),
        scale=np.full(dim, 1.0 / LOGIT_SCALE),
        layers=[Layer(weights, bias, "linear")],
        log_prior_shift=np.zeros(len(LABELS)),
        meta=dict(meta or {}),
    )
    head.check()
    return head


def encode(model: SentenceTransformer, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Unit vectors from the (fine-tuned) model, as the pipeline's encoder makes them."""
    vectors = model.encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.ascontiguousarray(vectors, dtype=np.float32)


def blended(own: np.ndarray, shipped: np.ndarray, weight: float) -> np.ndarray:
    """The fine-tuned probabilities blended log-linearly with the shipped head's (as the scorer does)."""
    from analysis.jobs.sentiment.head import softmax

    return softmax(weight * np.log(own + 1e-12) + (1.0 - weight) * np.log(shipped + 1e-12))


BLEND_GRID = tuple(round(0.1 * i, 1) for i in range(11))


def choose_epochs_and_blend(
    base_path: Path,
    texts: Sequence[str],
    y: np.ndarray,
    shipped_probs: Callable[[np.ndarray, np.ndarray], np.ndarray],
    settings: FineTuneSettings,
    *,
    holdout: float = 0.2,
    seed: int = 0,
    on_best: Callable[[SentenceTransformer, np.ndarray, np.ndarray, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Fine-tune on 80% of the train split, score the other 20% after every epoch, alone and blended.

    ``shipped_probs(fit_rows, held_rows)`` gives the shipped head's recipe, fitted on ``fit_rows``,
    applied to ``held_rows``. One held-out part rather than k folds: a fine-tune costs minutes on
    two cores, and this runs once per training command. Returns the epoch and blend weight with
    the best held-out macro-F1 and the whole grid; ``on_best`` gets the model, classifier and that
    choice whenever an epoch beats the earlier ones (the command saves it then: early stopping).
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(y))
    fit_rows, held_rows = train_test_split(rows, test_size=holdout, stratify=y, random_state=seed)
    shipped = shipped_probs(fit_rows, held_rows)
    held_texts = [texts[i] for i in held_rows]
    grid: list[dict[str, Any]] = []

    def summary() -> dict[str, Any]:
        best = max(grid, key=lambda g: (g["holdout_macro_f1"], g["blend"]))
        return {
            "fit_records": len(fit_rows),
            "holdout_fraction": holdout,
            "holdout_records": len(held_rows),
            "epochs": best["epoch"],
            "blend": best["blend"],
            "holdout_macro_f1": best["holdout_macro_f1"],
            "holdout_macro_f1_fine_tuned_alone": next(
                g["holdout_macro_f1"] for g in grid if g["blend"] == 1.0 and g["epoch"] == best["epoch"]
            ),
            "holdout_macro_f1_shipped_head_alone": next(g["holdout_macro_f1"] for g in grid if g["blend"] == 0.0),
            "grid": list(grid),
        }

    def score(epoch: int, model: SentenceTransformer, weights: np.ndarray, bias: np.ndarray) -> None:
        head = classifier_head(weights, bias)
        own = head.probabilities(head.assemble(encode(model, held_texts).astype(np.float64), held_texts))
        earlier = max((g["holdout_macro_f1"] for g in grid), default=-1.0)
        for weight in BLEND_GRID:
            predicted = blended(own, shipped, weight).argmax(axis=1)
            f1 = float(f1_score(y[held_rows], predicted, average="macro", labels=list(range(len(LABELS)))))
            grid.append({"epoch": epoch, "blend": weight, "holdout_macro_f1": round(f1, 4)})
        mine = grid[-len(BLEND_GRID) :]
        log.info("epoch %d: held-out macro-F1 by blend %s", epoch, {g["blend"]: g["holdout_macro_f1"] for g in mine})
        if on_best is not None and max(g["holdout_macro_f1"] for g in mine) > earlier:
            on_best(model, weights, bias, summary())

    fine_tune(load_base(base_path), [texts[i] for i in fit_rows], y[fit_rows], settings, seed=seed, on_epoch=score)
    return summary()


def save_fine_tuned(
    model: SentenceTransformer, weights: np.ndarray, bias: np.ndarray, out: Path, manifest: dict[str, Any]
) -> Path:
    """Write the copy, its head and the manifest into a fresh folder, then swap it into ``out``."""
    import json
    import shutil

    from analysis.embed.model import weights_fingerprint
    from analysis.jobs.sentiment.fine_tuned import HEAD_FILE, MANIFEST, MANIFEST_FORMAT

    out = Path(out)
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    model.save(str(staging))
    head = classifier_head(weights, bias, {"training": manifest.get("training", {})})
    (staging / HEAD_FILE).write_text(json.dumps(head.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    full = {"format": MANIFEST_FORMAT, **manifest, "weights_sha256": weights_fingerprint(staging)}
    (staging / MANIFEST).write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    previous = out.with_name(f".{out.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)
    return out
