"""GPU check: embed chunks in half precision on CUDA, build and search a GPU FAISS index.

Run through benchmarks/gpu_check.sh on a CUDA machine with the project installed (extra
``gpu``); nothing is installed or downloaded. ``--allow-cpu --chunks 2000`` runs the same
steps on the CPU, to check the script itself where there is no GPU.

Besides speed it checks that half precision does not change what search finds: the same
chunks embedded in fp32 on the same device, searched exactly, against the fp16 vectors.
Where the installed faiss has no GPU support (faiss-cpu), the GPU search is an exact
inner-product search in torch, and the table says so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from _results import RESULTS, print_rows, timed


def chunk_texts(n: int) -> list[str]:
    """n chunk-sized passages from the generated corpus (sentences of the sample documents)."""
    from analysis.samples import make_document
    from analysis.sentences import split_sentences

    kinds = ["lease", "nda", "services_agreement", "court_opinion", "discharge_summary", "radiology_report"]
    texts: list[str] = []
    seed = 0
    while len(texts) < n:
        sentences = split_sentences(make_document(kinds[seed % len(kinds)], seed=seed).text)
        texts += [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        seed += 1
    return texts[:n]


def top_k_overlap(a: np.ndarray, b: np.ndarray) -> float:
    k = a.shape[1]
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(a, b, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--allow-cpu", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for gpu_check.json")
    args = parser.parse_args()

    import faiss
    import torch

    from analysis.embed import load_embedder

    cuda = torch.cuda.is_available()
    if not cuda and not args.allow_cpu:
        sys.exit("no CUDA GPU here: nothing to check (use --allow-cpu to run the steps on the CPU)")
    device = "cuda" if cuda else "cpu"
    gpus = faiss.get_num_gpus() if hasattr(faiss, "get_num_gpus") else 0
    rows: dict[str, object] = {"torch": torch.__version__, "faiss": faiss.__version__, "faiss_gpus": gpus}
    if cuda:
        rows["gpu"] = torch.cuda.get_device_name(0)

    texts, seconds = timed(chunk_texts, args.chunks)
    rows["chunks"] = len(texts)
    rows["chunk_text_generation_s"] = seconds
    embedder = load_embedder(device=device, batch_size=args.batch_size)
    rows["precision"] = str(next(embedder.model.parameters()).dtype).removeprefix("torch.")
    embedder.encode(texts[:512])  # warm-up: kernels, allocator
    vectors, seconds = timed(embedder.encode, texts)
    rows["embed_fp16_chunks_per_s" if cuda else "embed_chunks_per_s"] = len(texts) / seconds
    if cuda:
        embedder.model.float()
        embedder.encode(texts[:512])
        vectors32, seconds = timed(embedder.encode, texts)
        rows["embed_fp32_chunks_per_s"] = len(texts) / seconds
        rows["fp16_speedup_over_fp32"] = rows["embed_fp16_chunks_per_s"] / rows["embed_fp32_chunks_per_s"]  # type: ignore[operator]
        rows["fp16_vs_fp32_mean_cosine"] = float(np.mean(np.sum(vectors * vectors32, axis=1)))

    query_rows = np.random.default_rng(0).choice(len(vectors), args.queries, replace=False)
    queries = vectors[query_rows]
    cpu_index = faiss.IndexFlatIP(vectors.shape[1])
    _, seconds = timed(cpu_index.add, vectors)
    rows["cpu_flat_build_s"] = seconds
    (_, cpu_ids), seconds = timed(cpu_index.search, queries, 10)
    rows["cpu_exact_qps"] = args.queries / seconds
    if cuda:
        reference = faiss.IndexFlatIP(vectors.shape[1])
        reference.add(vectors32)
        _, ids32 = reference.search(vectors32[query_rows], 10)
        rows["fp16_vs_fp32_top10_overlap"] = top_k_overlap(cpu_ids, ids32)
        rows["fp16_vs_fp32_top1_agreement"] = float(np.mean(cpu_ids[:, 0] == ids32[:, 0]))
    if gpus:
        rows["gpu_search"] = "faiss GpuIndexFlatIP"
        gpu_index, seconds = timed(faiss.index_cpu_to_all_gpus, cpu_index)
        rows["gpu_index_build_s"] = seconds
        gpu_index.search(queries[:10], 10)
        (_, gpu_ids), seconds = timed(gpu_index.search, queries, 10)
    elif cuda:
        rows["gpu_search"] = "torch exact matmul+topk (installed faiss has no GPU support)"
        start = time.perf_counter()
        matrix = torch.from_numpy(vectors).to("cuda", torch.float16)
        torch.cuda.synchronize()
        rows["gpu_index_build_s"] = time.perf_counter() - start

        def search(q: np.ndarray) -> np.ndarray:
            scores = torch.from_numpy(q).to("cuda", torch.float16) @ matrix.T
            ids = torch.topk(scores.float(), 10, dim=1).indices
            return ids.cpu().numpy()

        search(queries[:10])
        gpu_ids, seconds = timed(search, queries)
    else:
        gpu_ids = None
    if gpu_ids is not None:
        rows["gpu_exact_qps"] = args.queries / seconds
        rows["gpu_vs_cpu_qps_ratio"] = rows["gpu_exact_qps"] / rows["cpu_exact_qps"]  # type: ignore[operator]
        rows["gpu_vs_cpu_top10_overlap"] = top_k_overlap(gpu_ids, cpu_ids)
    print_rows(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / ("gpu_check.json" if cuda else "gpu_check_cpu.json")
    path.write_text(json.dumps(rows, indent=2))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
