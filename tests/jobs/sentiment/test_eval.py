"""The shipped head re-evaluated on the druglib test split: the backend's acceptance bar."""

from __future__ import annotations

import pytest
from conftest import EVAL_DIR
from sklearn.metrics import f1_score

from analysis.embed import Embedder
from analysis.jobs.sentiment import make_scorer
from analysis.jobs.sentiment.train import LABEL_FIELD, TEXT_FIELD, load_records

DATA = EVAL_DIR / "sentiment_drug_reviews_druglib" / "druglib_labeled.jsonl"
REQUIRED_MACRO_F1 = 0.55


@pytest.mark.eval
def test_head_macro_f1_on_test_split(embedder: Embedder) -> None:
    if not DATA.is_file():
        pytest.skip(f"evaluation data not present at {DATA} (../shared/eval relative to the repo)")
    records = load_records(DATA, "test")
    texts = [r[TEXT_FIELD] for r in records]
    results = make_scorer("embedding").score(texts, vectors=embedder.encode(texts))
    macro_f1 = f1_score([r[LABEL_FIELD] for r in records], [r.label for r in results], average="macro")
    assert macro_f1 >= REQUIRED_MACRO_F1, f"macro-F1 {macro_f1:.3f} on {len(records)} test reviews"
