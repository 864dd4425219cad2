"""Find the files under the source paths and fingerprint them by content."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DocAnalysisError, SourceNotFoundError
from analysis.records import SourceFile

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".text", ".markdown"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES


class UnsupportedFileError(DocAnalysisError):
    def __init__(self, path: Path) -> None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        super().__init__(f"unsupported file type {path.suffix or '(none)'!r}: {path} (supported: {supported})")
        self.path = path


@dataclass(frozen=True)
class FoundFile:
    """A file under a source root; ``kind`` is None when its type is not supported."""

    path: Path
    kind: str | None


def file_kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def validate_sources(paths: list[Path]) -> list[Path]:
    """Fail before any work when a named path is missing or an explicitly named file is unsupported."""
    resolved: list[Path] = []
    for path in paths:
        if not path.exists():
            raise SourceNotFoundError(str(path))
        if path.is_file() and file_kind(path) is None:
            raise UnsupportedFileError(path)
        resolved.append(path.resolve())
    return resolved


def discover_files(paths: list[Path]) -> Iterator[FoundFile]:
    """Yield every regular file under ``paths`` in a stable order, skipping hidden files."""
    seen: set[Path] = set()
    for root in paths:
        candidates = [root] if root.is_file() else _walk(root)
        for path in candidates:
            if path in seen:
                continue
            seen.add(path)
            yield FoundFile(path=path, kind=file_kind(path))


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def fingerprint(path: Path, kind: str) -> SourceFile:
    """Hash the file's bytes: a document's identity is its content, not its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    stat = path.stat()
    return SourceFile(path=path, sha256=digest.hexdigest(), size=stat.st_size, mtime_ns=stat.st_mtime_ns, kind=kind)
