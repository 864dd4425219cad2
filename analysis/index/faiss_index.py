"""The FAISS index: a derived, versioned artifact rebuilt from the store at will.

Each change is written to a fresh version folder and published by atomically replacing
the ``CURRENT`` pointer, so a reader never loads a half-written index. Vector ids are
chunk ids. The versions live in a folder, or on an object store (``index_url``, through
``analysis.index.object_store``) that several hosts share.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from analysis.errors import DocAnalysisError, IndexStateError
from analysis.filelock import exclusive_flock
from analysis.index.layout import (
    CURRENT_FILE,
    INDEX_FILE,
    MANIFEST_FILE,
    VERSIONS_DIR,
    FileEntries,
    file_entries,
    parse_pointer,
    pointer_text,
    version_name,
)
from analysis.index.lexical import TOKENIZER, LexicalIndex

if TYPE_CHECKING:
    from analysis.config import Config
    from analysis.index.object_store import RemoteIndex

log = logging.getLogger(__name__)


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
    """The published index versions: a folder, or an object store (``index_url``) with a local cache.

    Either way a version is first written whole to a local staging folder; locally it is then
    renamed into place, on an object store uploaded and checked. Only then does ``CURRENT``
    name it. Readers of an object store fetch the current version into ``root`` (the cache)
    once, and reuse it while ``CURRENT`` still names it.
    """

    def __init__(self, root: Path, *, keep_versions: int = 3, remote: RemoteIndex | None = None) -> None:
        self.root = root
        self.versions_dir = root / VERSIONS_DIR
        self.keep_versions = keep_versions
        self.remote = remote
        self._publish_ids: dict[int, str] = {}  # versions' publish ids, as CURRENT named them

    @classmethod
    def from_config(cls, config: Config) -> IndexStore:
        """The configured index (``index_url``, else ``home/index``), keeping ``index_keep_versions`` versions."""
        if not config.index_url:
            return cls(config.index_dir, keep_versions=config.index_keep_versions)
        from analysis.index.object_store import RemoteIndex

        remote = RemoteIndex.open(config.index_url, config.index_storage)
        cache = config.index_cache_dir / _cache_name(config.index_url)
        return cls(cache, keep_versions=config.index_keep_versions, remote=remote)

    @property
    def location(self) -> str:
        """Where the versions are published, for messages: the URL, or the folder."""
        return self.remote.url if self.remote is not None else str(self.root)

    def current_version(self) -> int:
        """The published version (0: none yet); on an object store, one small GET of ``CURRENT``."""
        if self.remote is not None:
            version, publish_id = self.remote.current()
            if publish_id:
                self._publish_ids[version] = publish_id
            return version
        pointer = self.root / CURRENT_FILE
        if not pointer.exists():
            return 0
        try:
            return parse_pointer(pointer.read_text())[0]
        except ValueError:
            raise IndexStateError(f"index pointer {pointer} is corrupt; run `docanalysis index rebuild`") from None

    def load(self, version: int | None = None) -> VectorIndex | None:
        """The published index (or ``version``), or None when nothing has been published yet."""
        import faiss

        version = self.current_version() if version is None else version
        if version == 0:
            return None
        folder = self._readable(version)
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
        return LexicalIndex.load(self._readable(version)) if version else None

    def publish(self, index: VectorIndex, lexical: LexicalIndex | None = None) -> int:
        """Write ``index`` (and the lexical index over the same chunks) as a new version, then
        switch readers to it atomically: both are complete before ``CURRENT`` names them.

        On an object store a failed upload raises with ``CURRENT`` still naming the version before
        (its partial files are removed when the store allows); nothing published is touched.
        """
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        version = max(self.current_version(), self._latest_version()) + 1
        publish_id = uuid.uuid4().hex
        staging, files = self._stage(index, lexical, version, publish_id)
        if self.remote is None:
            staging.rename(self._folder(version))
            _fsync_dir(self.versions_dir)
            _atomic_write(self.root / CURRENT_FILE, pointer_text(version))
        else:
            self._upload(staging, version, publish_id, files)
        index.version = version
        self._prune(version)
        log.info("published index version %d with %d vectors to %s", version, index.count, self.location)
        return version

    @contextlib.contextmanager
    def writer_lock(self, timeout_s: float = 600.0) -> Iterator[None]:
        """Only one process on this host changes the index at a time (across hosts: the store's lock)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with exclusive_flock(self.root / ".writer.lock", "index writer", timeout_s):
            yield

    def drop_old_versions(self) -> int:
        """Delete every version but the current one (after an erasure: old ones hold its vectors).

        On an object store the remote versions go, then this host's cached ones; the count is of
        published versions (remote ones, or local folders).
        """
        current = self.current_version()
        if self.remote is None:
            return self._drop_local_except(current)
        dropped = 0
        for number in self.remote.version_numbers():
            if number != current:
                self.remote.delete_version(number)
                dropped += 1
        self._drop_local_except(current)
        return dropped

    def _stage(
        self, index: VectorIndex, lexical: LexicalIndex | None, version: int, publish_id: str
    ) -> tuple[Path, FileEntries]:
        """A whole version in a staging folder: the files, then the manifest that lists them."""
        import faiss

        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.versions_dir))
        faiss.write_index(index.faiss_index, str(staging / INDEX_FILE))
        if lexical is not None:
            lexical.save(staging)
        files = file_entries(staging)
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
            "publish_id": publish_id,
            "files": files,
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2))
        for path in staging.rglob("*"):
            if path.is_file():
                _fsync(path)
        return staging, files

    def _upload(self, staging: Path, version: int, publish_id: str, files: FileEntries) -> None:
        """Upload a staged version, then name it in ``CURRENT``; keep the staged copy as this host's cache."""
        assert self.remote is not None
        try:
            self.remote.upload(staging, version, files)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self._delete_remote(version, why="a failed upload")
            raise
        try:
            self.remote.point_to(version, publish_id)
        except BaseException:
            # the PUT may have landed even so: the version stays whole where CURRENT may name it
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._publish_ids[version] = publish_id
        self._replace_cached(version)
        staging.rename(self._folder(version))

    def _readable(self, version: int) -> Path:
        """The local folder of ``version``; from an object store, fetched into the cache when it lacks
        it (or holds an older publish of that number: a store emptied and filled again)."""
        folder = self._folder(version)
        if self.remote is None:
            return folder
        wanted = self._publish_ids.get(version)
        if (folder / MANIFEST_FILE).is_file() and (wanted is None or _publish_id(folder) == wanted):
            return folder
        self._replace_cached(version)
        self.remote.fetch(version, folder)
        self._prune_cache()
        return folder

    def _replace_cached(self, version: int) -> None:
        """Move a cached folder of ``version`` out of the way (a stale copy), then delete it."""
        folder = self._folder(version)
        if folder.exists():
            stale = folder.with_name(f".stale-{folder.name}-{uuid.uuid4().hex[:8]}")
            with contextlib.suppress(FileNotFoundError):
                folder.rename(stale)
            shutil.rmtree(stale, ignore_errors=True)

    def _folder(self, version: int) -> Path:
        return self.versions_dir / version_name(version)

    def _latest_version(self) -> int:
        """The highest version present, published or not (a crash or failed upload leaves one)."""
        if self.remote is not None:
            return max(self.remote.version_numbers(), default=0)
        if not self.versions_dir.exists():
            return 0
        numbers = [int(p.name) for p in self.versions_dir.iterdir() if p.name.isdigit()]
        return max(numbers, default=0)

    def _prune(self, current: int) -> None:
        """Keep the newest versions; drop older ones and staging folders left by crashes."""
        if self.remote is not None:
            present = set(self._remote_versions())
            for number in sorted(present):
                if number <= current - self.keep_versions and self._delete_remote(number, why="pruning"):
                    present.discard(number)
            self._prune_cache(present)
            return
        for path in self.versions_dir.iterdir():
            too_old = path.name.isdigit() and int(path.name) <= current - self.keep_versions
            if _stale_staging(path) or too_old:
                shutil.rmtree(path, ignore_errors=True)

    def _prune_cache(self, present: set[int] | None = None) -> None:
        """The cache keeps only versions the object store still holds (``present``; erased ones go too)."""
        if present is None:
            try:
                present = set(self._remote_versions())
            except DocAnalysisError as exc:
                log.warning("index cache not pruned: %s", exc)
                return
        for path in self.versions_dir.iterdir():
            gone = path.name.isdigit() and int(path.name) not in present
            if gone or _stale_staging(path):
                shutil.rmtree(path, ignore_errors=True)

    def _remote_versions(self) -> list[int]:
        assert self.remote is not None
        return self.remote.version_numbers()

    def _delete_remote(self, version: int, *, why: str) -> bool:
        """Best effort: a version that cannot be deleted now is left for the next prune (False)."""
        assert self.remote is not None
        try:
            self.remote.delete_version(version)
            return True
        except DocAnalysisError as exc:
            log.warning("index version %d left at %s after %s: %s", version, self.remote.url, why, exc)
            return False

    def _drop_local_except(self, current: int) -> int:
        dropped = 0
        if self.versions_dir.exists():
            for path in self.versions_dir.iterdir():
                if path.name != version_name(current):
                    shutil.rmtree(path, ignore_errors=True)
                    dropped += 1
        return dropped


def _stale_staging(path: Path) -> bool:
    """A staging or download folder a crash left behind (an hour old: no live writer is that slow)."""
    prefixes = (".staging-", ".download-", ".stale-")
    return path.name.startswith(prefixes) and time.time() - path.stat().st_mtime > 3600


def _publish_id(folder: Path) -> str | None:
    try:
        return json.loads((folder / MANIFEST_FILE).read_text()).get("publish_id")
    except (OSError, ValueError):
        return None


def _cache_name(url: str) -> str:
    """A folder name per object store URL, readable and unique: ``s3-bucket-prefix-1a2b3c4d``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-")[:60]
    return f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


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
