"""The FAISS index: a derived, versioned artifact rebuilt from the store at will.

Each change is written to a fresh version folder and published by atomically replacing
the ``CURRENT`` pointer, so a reader never loads a half-written index. Vector ids are
chunk ids.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis.errors import IndexStateError
from analysis.filelock import exclusive_flock
from analysis.index.lexical import TOKENIZER, LexicalIndex

if TYPE_CHECKING:
    from analysis.config import Config

log = logging.getLogger(__name__)

INDEX_FILE = "index.faiss"
MANIFEST_FILE = "manifest.json"
CURRENT_FILE = "CURRENT"


@dataclass
class VectorIndex:
    """Inner product over normalised vectors (cosine), with chunk ids as vector ids.

    Two kinds, chosen by corpus size (``choose_kind``): ``flat`` (exact search, an
    IndexIDMap2 over IndexFlatIP) and, above ``exact_max`` vectors, ``ivf`` (IndexIVFFlat:
    approximate, many times faster, trained on a sample of the vectors; it stores the ids
    itself and removes them natively, so deletions need no tombstones).
    """

    faiss_index: object
    model_id: str
    dimension: int
    version: int = 0
    nprobe: int = 16
    trained_for: int = 0  # vectors in the index when an IVF index was trained

    @classmethod
    def empty(cls, *, model_id: str, dimension: int) -> VectorIndex:
        import faiss

        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dimension)), model_id, dimension)

    @classmethod
    def trained_ivf(cls, *, model_id: str, sample: np.ndarray, expected: int, nprobe: int = 16) -> VectorIndex:
        """An empty IVF index, its coarse quantizer trained on ``sample``, sized for ``expected`` vectors."""
        import faiss

        nlist = ivf_lists(expected)
        dimension = int(sample.shape[1])
        index = faiss.index_factory(dimension, f"IVF{nlist},Flat", faiss.METRIC_INNER_PRODUCT)
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
        return cls(index, model_id, dimension, nprobe=nprobe, trained_for=expected)

    @property
    def kind(self) -> str:
        return "ivf" if hasattr(self.faiss_index, "nprobe") else "flat"

    @property
    def count(self) -> int:
        return int(self.faiss_index.ntotal)  # type: ignore[attr-defined]

    def ids(self) -> np.ndarray:
        import faiss

        if self.kind == "flat":
            return faiss.vector_to_array(self.faiss_index.id_map).astype(np.int64)  # type: ignore[attr-defined]
        invlists = self.faiss_index.invlists  # type: ignore[attr-defined]
        parts = [
            faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
            for i in range(invlists.nlist)
            if invlists.list_size(i)
        ]
        return np.concatenate(parts).astype(np.int64) if parts else np.empty(0, dtype=np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            self.faiss_index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))  # type: ignore[attr-defined]

    def remove(self, ids: np.ndarray) -> int:
        import faiss

        if not len(ids):
            return 0
        selector = faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64))
        return int(self.faiss_index.remove_ids(selector))  # type: ignore[attr-defined]

    def search(
        self, queries: np.ndarray, k: int, *, allowed_ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query; ``allowed_ids`` restricts the candidates."""
        import faiss

        k = max(1, min(k, self.count)) if self.count else 1
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        selector = None if allowed_ids is None else faiss.IDSelectorBatch(np.asarray(allowed_ids, dtype=np.int64))
        if self.kind == "ivf":
            params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)
        else:
            params = None if selector is None else faiss.SearchParameters(sel=selector)
        index = _maybe_on_gpu(self.faiss_index)
        return index.search(queries, k, params=params)  # type: ignore[attr-defined]


def ivf_lists(n_vectors: int) -> int:
    """About 4 sqrt(N) inverted lists, the usual choice, within [64, 65536]."""
    return int(min(65536, max(64, 4 * round(n_vectors**0.5))))


def choose_kind(n_vectors: int, *, exact_max: int) -> str:
    return "flat" if n_vectors <= exact_max else "ivf"


def _maybe_on_gpu(index: object) -> object:
    """Search on the GPU when faiss reports one; the CPU copy stays the artifact."""
    import faiss

    if not hasattr(faiss, "get_num_gpus") or faiss.get_num_gpus() == 0:
        return index
    try:
        return faiss.index_cpu_to_all_gpus(index)
    except Exception as exc:  # an index type without GPU support: search on the CPU
        log.warning("GPU search unavailable, using CPU: %s", exc)
        return index


class IndexStore:
    """The folder of published index versions."""

    def __init__(self, root: Path, *, keep_versions: int = 3) -> None:
        self.root = root
        self.versions_dir = root / "versions"
        self.keep_versions = keep_versions

    @classmethod
    def from_config(cls, config: Config) -> IndexStore:
        """The configured index folder, keeping ``index_keep_versions`` published versions."""
        return cls(config.index_dir, keep_versions=config.index_keep_versions)

    def current_version(self) -> int:
        pointer = self.root / CURRENT_FILE
        if not pointer.exists():
            return 0
        try:
            return int(pointer.read_text().strip())
        except ValueError:
            raise IndexStateError(f"index pointer {pointer} is corrupt; run `docanalysis index rebuild`") from None

    def load(self) -> VectorIndex | None:
        """The latest published index, or None when nothing has been published yet."""
        import faiss

        version = self.current_version()
        if version == 0:
            return None
        folder = self._folder(version)
        try:
            manifest = json.loads((folder / MANIFEST_FILE).read_text())
            raw = faiss.read_index(str(folder / INDEX_FILE))
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexStateError(
                f"index version {version} cannot be read ({exc}); run `docanalysis index rebuild`"
            ) from None
        if raw.ntotal != manifest["count"]:
            raise IndexStateError(
                f"index version {version} holds {raw.ntotal} vectors, manifest says {manifest['count']}"
            )
        return VectorIndex(
            raw,
            manifest["model_id"],
            manifest["dimension"],
            version,
            nprobe=int(manifest.get("nprobe", 16)),
            trained_for=int(manifest.get("trained_for", 0)),
        )

    def load_lexical(self, version: int | None = None) -> LexicalIndex | None:
        """The lexical index published with ``version`` (default: the current one), if it has one."""
        version = self.current_version() if version is None else version
        return LexicalIndex.load(self._folder(version)) if version else None

    def publish(self, index: VectorIndex, lexical: LexicalIndex | None = None) -> int:
        """Write ``index`` (and the lexical index over the same chunks) as a new version, then
        switch readers to it atomically: both are complete before ``CURRENT`` names them."""
        import faiss

        self.versions_dir.mkdir(parents=True, exist_ok=True)
        version = max(self.current_version(), self._latest_folder()) + 1
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.versions_dir))
        faiss.write_index(index.faiss_index, str(staging / INDEX_FILE))
        if lexical is not None:
            lexical.save(staging)
        manifest = {
            "version": version,
            "model_id": index.model_id,
            "dimension": index.dimension,
            "count": index.count,
            "index_type": type(index.faiss_index).__name__,
            "kind": index.kind,
            "nprobe": index.nprobe,
            "trained_for": index.trained_for,
            "lexical": None if lexical is None else {"count": lexical.count, "tokenizer": TOKENIZER},
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
        for path in staging.rglob("*"):
            if path.is_file():
                _fsync(path)
        staging.rename(self._folder(version))
        _fsync_dir(self.versions_dir)
        _atomic_write(self.root / CURRENT_FILE, f"{version}\n")
        index.version = version
        self._prune(version)
        log.info("published index version %d with %d vectors", version, index.count)
        return version

    @contextlib.contextmanager
    def writer_lock(self, timeout_s: float = 600.0) -> Iterator[None]:
        """Only one process changes the index at a time."""
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive_flock(self.root / ".writer.lock", "index writer", timeout_s):
            yield

    def drop_old_versions(self) -> int:
        """Delete every version but the current one (after an erasure: old ones hold its vectors)."""
        current = self.current_version()
        dropped = 0
        if self.versions_dir.exists():
            for path in self.versions_dir.iterdir():
                if path.name != f"{current:06d}":
                    shutil.rmtree(path, ignore_errors=True)
                    dropped += 1
        return dropped

    def _folder(self, version: int) -> Path:
        return self.versions_dir / f"{version:06d}"

    def _latest_folder(self) -> int:
        if not self.versions_dir.exists():
            return 0
        numbers = [int(p.name) for p in self.versions_dir.iterdir() if p.name.isdigit()]
        return max(numbers, default=0)

    def _prune(self, current: int) -> None:
        """Keep the newest versions; drop older ones and staging folders left by crashes."""
        for path in self.versions_dir.iterdir():
            stale_staging = path.name.startswith(".staging-") and time.time() - path.stat().st_mtime > 3600
            too_old = path.name.isdigit() and int(path.name) <= current - self.keep_versions
            if stale_staging or too_old:
                shutil.rmtree(path, ignore_errors=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(content)
    _fsync(tmp)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
