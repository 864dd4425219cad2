"""The nightly pipeline on generated corpora: documents per minute with a per-stage breakdown,
incremental re-runs (unchanged, and with 1% of the files changed) as a share of the first run,
and peak memory as the corpus grows.

    .venv/bin/python benchmarks/nightly_scale.py [--docs 1000] [--memory-docs 1000 5000] [--jobs]

Each corpus size runs in its own process so that its peak RSS is its own. Writes JSON to
benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _results import save

from analysis.config import Config
from analysis.pipeline import RunReport, run_pipeline
from analysis.samples import generate_corpus, make_document, write_pdf, write_text

REPO = Path(__file__).resolve().parents[1]


def timed_run(corpus: Path, config: Config, jobs: tuple[str, ...]) -> tuple[float, RunReport]:
    start = time.perf_counter()
    report = run_pipeline([corpus], config=config, sync=True, jobs=jobs)
    return time.perf_counter() - start, report


def change_files(paths: list[Path], share: float) -> int:
    """Rewrite every 1/share-th file with a different document of the same kind and format."""
    step = max(1, round(1 / share))
    changed = 0
    for index, path in enumerate(sorted(paths)):
        if index % step:
            continue
        kind = path.stem.split("-")[1]
        document = make_document(kind, seed=10_000 + index)
        (write_pdf if path.suffix == ".pdf" else write_text)(document, path)
        changed += 1
    return changed


def one_size(n: int, jobs: tuple[str, ...], changed_share: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        paths = generate_corpus(corpus, n=n, seed=1)
        config = Config(home=Path(tmp) / "home")
        first_s, first = timed_run(corpus, config, jobs)
        again_s, _ = timed_run(corpus, config, jobs)
        n_changed = change_files(paths, changed_share)
        changed_s, changed = timed_run(corpus, config, jobs)
    stages = dict(first.seconds)
    return {
        "documents": n,
        "jobs": list(jobs),
        "first_run_s": first_s,
        "documents_per_minute": n / first_s * 60,
        "stage_seconds": stages,
        "stage_seconds_sum": sum(stages.values()),
        "slowest_stage": max(stages, key=stages.get),
        "chunks": first.counts["chunks_added"],
        "unchanged_rerun_s": again_s,
        "unchanged_rerun_share": again_s / first_s,
        "changed_files": n_changed,
        "changed_rerun_s": changed_s,
        "changed_rerun_share": changed_s / first_s,
        "changed_rerun_new_or_changed": changed.counts["documents_changed"] + changed.counts["documents_new"],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--memory-docs", type=int, nargs="*", default=[])
    parser.add_argument("--jobs", action="store_true", help="also run the extractive summarizer and sentiment")
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    jobs = ("summarize", "sentiment") if args.jobs else ()
    if args.child:
        print(json.dumps(one_size(args.docs, jobs, args.changed)))
        return
    sizes = sorted({args.docs, *args.memory_docs})
    results = {}
    for n in sizes:
        command = [sys.executable, __file__, "--child", "--docs", str(n), "--changed", str(args.changed)]
        done = subprocess.run(command + (["--jobs"] if args.jobs else []), capture_output=True, text=True, check=True)
        results[n] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[n]
        print(
            f"{n:6d} docs: {r['documents_per_minute']:7.1f} docs/min, stages "
            + ", ".join(f"{k} {v:.1f}s" for k, v in r["stage_seconds"].items())
            + f" (sum {r['stage_seconds_sum']:.1f}s of {r['first_run_s']:.1f}s; slowest {r['slowest_stage']}); "
            f"unchanged re-run {r['unchanged_rerun_share']:.1%}, "
            f"{args.changed:.0%} changed {r['changed_rerun_share']:.1%}; "
            f"peak RSS {r['peak_rss_mb']:.0f} MB"
        )
    if len(sizes) > 1:
        small, large = results[sizes[0]], results[sizes[-1]]
        growth = large["peak_rss_mb"] / small["peak_rss_mb"]
        print(f"peak RSS grows {growth:.2f}x from {sizes[0]} to {sizes[-1]} documents")
        results["rss_growth"] = {"from": sizes[0], "to": sizes[-1], "factor": growth}
    save("nightly_scale_jobs.json" if args.jobs else "nightly_scale.json", results)


if __name__ == "__main__":
    main()
