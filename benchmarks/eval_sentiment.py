"""Sentiment backends against the druglib reviews' test split, with the two baselines beside them.

    .venv/bin/python benchmarks/eval_sentiment.py [--backends lexicon,embedding,llm] [--llm-limit 100]
        [--candidate-head HEAD.json ...]

Every text is embedded once with ``load_embedder()`` (the embedding head and the LR baseline
share those vectors, as the pipeline's stored chunk vectors would be shared). Baselines:
plain VADER (no clinical negation, ±0.05 cut) and scikit-learn's LogisticRegression with
default settings over the raw MiniLM vectors, fitted on the train split. The llm backend
runs when ``analysis.jobs.llm`` is importable, on the first ``--llm-limit`` test records (a
135M local model on CPU takes about a second per review). Prints a table and writes JSON
to benchmarks/results/eval_sentiment.json. ``seconds`` is scoring time; the shared
embedding time is reported once.

When a fine-tuned copy of MiniLM has been trained into the home folder (``python -m
analysis.jobs.sentiment.train --fine-tune``), the embedding backend is run twice: with the
shipped head alone (``embedding``) and with the fine-tuned copy (``embedding-fine-tuned``,
whose time includes its extra forward pass). Each ``--candidate-head`` (a head file written by
``python -m analysis.jobs.sentiment.train --out FILE``, e.g. the character n-gram candidate)
is scored beside the shipped head on the same vectors, as ``embedding-candidate-<file stem>``.
``ms_per_review`` is each row's scoring time per review, and ``ms_per_review_with_embedding``
adds the cost of embedding the review (measured on the test texts), which is the whole
per-text cost of the embedding backends.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

from analysis.config import Config
from analysis.embed import load_embedder
from analysis.jobs.sentiment import LABELS, SentimentResult, make_scorer
from analysis.jobs.sentiment.fine_tuned import FINE_TUNED_NAME, fine_tuned_dir, is_fine_tuned_dir
from analysis.jobs.sentiment.lexicon import LexiconScorer
from analysis.jobs.sentiment.train import DEFAULT_DATA, LABEL_FIELD, TEXT_FIELD, load_records

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "eval_sentiment.json"
BACKENDS = ("lexicon", "embedding", "llm")


def metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    per_class = f1_score(truth, predicted, average=None, labels=list(LABELS), zero_division=0)
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", labels=list(LABELS), zero_division=0)), 4),
        "f1_per_class": {label: round(float(v), 4) for label, v in zip(LABELS, per_class)},
    }


def timed(run: Callable[..., list[SentimentResult]], *args: Any, **kwargs: Any) -> tuple[list[str], float]:
    """The labels ``run`` gives and the seconds it took."""
    started = time.perf_counter()
    results = run(*args, **kwargs)
    return [r.label for r in results], time.perf_counter() - started


def torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backends", default=",".join(BACKENDS), help=f"comma-separated subset of {BACKENDS}")
    parser.add_argument("--llm-limit", type=int, default=100, help="test records for the llm backend (0: all)")
    parser.add_argument("--no-baselines", action="store_true", help="skip the baselines (no train-split embedding)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--fine-tuned",
        type=Path,
        default=None,
        help="folder of a fine-tuned copy (default: DOCANALYSIS_HOME/models/" + FINE_TUNED_NAME + ")",
    )
    parser.add_argument(
        "--candidate-head",
        type=Path,
        action="append",
        default=[],
        help="a head file to score beside the shipped one (repeatable)",
    )
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        parser.error(f"unknown backends {unknown}; valid: {', '.join(BACKENDS)}")
    if not args.data.is_file():
        parser.error(f"no data at {args.data}")

    test = load_records(args.data, "test")
    train = [] if args.no_baselines else load_records(args.data, "train")
    texts = [r[TEXT_FIELD] for r in test]
    truth = [r[LABEL_FIELD] for r in test]
    embedder = load_embedder(batch_size=args.batch_size)
    started = time.perf_counter()
    test_vectors = embedder.encode(texts)
    embed_s = time.perf_counter() - started
    embed_ms = 1000 * embed_s / len(texts)
    train_vectors = embedder.encode([r[TEXT_FIELD] for r in train]) if train else test_vectors[:0]
    fine_tuned = args.fine_tuned if args.fine_tuned is not None else fine_tuned_dir(Config.load().home)

    rows: list[dict[str, Any]] = []

    def record(name: str, kind: str, labels: list[str], seconds: float, n_truth: list[str], **extra: Any) -> None:
        ms = 1000 * seconds / max(1, len(n_truth))
        timing = {"seconds": round(seconds, 2), "ms_per_review": round(ms, 2)}
        if name.startswith("embedding"):
            timing["ms_per_review_with_embedding"] = round(ms + embed_ms, 2)
        rows.append({"name": name, "kind": kind, **metrics(n_truth, labels), **timing, **extra})

    if not args.no_baselines:
        plain = LexiconScorer(clinical_negation=False)
        labels, s = timed(plain.score, texts)
        record("vader-plain", "baseline", labels, s, truth, model_id=plain.model_id)

        started = time.perf_counter()
        model = LogisticRegression(max_iter=1000).fit(train_vectors, [r[LABEL_FIELD] for r in train])
        labels = [str(v) for v in model.predict(test_vectors)]
        s = time.perf_counter() - started
        record("lr-raw-embedding", "baseline", labels, s, truth, model_id=f"sklearn-lr-default@{embedder.model_id}")

    for backend in backends:
        if backend == "llm":
            if importlib.util.find_spec("analysis.jobs.llm") is None:
                print("llm: skipped, analysis.jobs.llm is not importable", file=sys.stderr)
                continue
            from analysis.jobs.llm import make_chat_model

            config = Config.load()
            chat_model, info = make_chat_model(config)
            scorer = make_scorer("llm", chat_model=chat_model, model_id=info.model_id)
            n = len(texts) if args.llm_limit <= 0 else min(args.llm_limit, len(texts))
            labels, s = timed(scorer.score, texts[:n])
            record("llm", "backend", labels, s, truth[:n], model_id=scorer.model_id, prompt_hash=scorer.prompt_hash)
            continue
        scorer = make_scorer(backend)
        labels, s = timed(scorer.score, texts, vectors=test_vectors)
        record(backend, "backend", labels, s, truth, model_id=scorer.model_id, prompt_hash=scorer.prompt_hash)
        if backend == "embedding" and is_fine_tuned_dir(fine_tuned):
            tuned = make_scorer("embedding", fine_tuned=fine_tuned)
            tuned.score(texts[:8], vectors=test_vectors[:8])  # load and warm up, as a long-running worker is
            labels, s = timed(tuned.score, texts, vectors=test_vectors)
            record("embedding-fine-tuned", "backend", labels, s, truth, model_id=tuned.model_id, prompt_hash="")
        elif backend == "embedding":
            print(f"embedding-fine-tuned: skipped, no fine-tuned copy in {fine_tuned}", file=sys.stderr)
        if backend == "embedding":
            for path in args.candidate_head:
                candidate = make_scorer("embedding", head_path=path)
                candidate.score(texts[:8], vectors=test_vectors[:8])  # warm up, as the shipped head already is
                labels, s = timed(candidate.score, texts, vectors=test_vectors)
                name = f"embedding-candidate-{path.stem}"
                record(name, "candidate", labels, s, truth, model_id=candidate.model_id, prompt_hash="")

    print(
        f"druglib test split: {len(test)} reviews; embedded once with {embedder.model_id} in {embed_s:.1f}s "
        f"({embed_ms:.1f} ms per review)"
    )
    header = f"{'backend':<30} {'kind':<9} {'n':>5} {'accuracy':>9} {'macro-F1':>9} {'seconds':>8} {'ms/review':>10}"
    print(header + f" {'+embedding':>11}")
    for row in rows:
        with_embedding = row.get("ms_per_review_with_embedding")
        print(
            f"{row['name']:<30} {row['kind']:<9} {row['n']:>5} {row['accuracy']:>9.3f} "
            f"{row['macro_f1']:>9.3f} {row['seconds']:>8.2f} {row['ms_per_review']:>10.2f} "
            + (f"{with_embedding:>11.2f}" if with_embedding is not None else f"{'':>11}")
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "data": os.path.relpath(args.data, REPO),
        "split": "test",
        "embedding_model": embedder.model_id,
        "embedding_seconds": round(embed_s, 2),
        "embedding_ms_per_review": round(embed_ms, 2),
        "embedded_texts": len(texts) + len(train),
        "torch_threads": torch_threads(),
        "llm_limit": args.llm_limit,
        "rows": rows,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
