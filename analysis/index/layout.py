"""What every published index version holds, in a folder or on an object store, and how it is checked.

A version is ``versions/NNNNNN/``: ``index.faiss``, the lexical index under ``lexical/`` and a
``manifest.json`` that lists every other file with its size and sha256, so a copy (an upload,
a download) can be checked file by file. ``CURRENT`` names the published version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath
from typing import Any

INDEX_FILE = "index.faiss"
MANIFEST_FILE = "manifest.json"
CURRENT_FILE = "CURRENT"
VERSIONS_DIR = "versions"

FileEntries = dict[str, dict[str, Any]]  # relative path -> {"size": bytes, "sha256": hex}


def version_name(version: int) -> str:
    return f"{version:06d}"


def pointer_text(version: int, publish_id: str | None = None) -> str:
    """What ``CURRENT`` holds: the version, and on an object store the publish id of its manifest."""
    return f"{version} {publish_id}\n" if publish_id else f"{version}\n"


def parse_pointer(text: str) -> tuple[int, str | None]:
    """(version, publish id or None) from ``CURRENT``; ValueError when it is not a pointer."""
    parts = text.split()
    if not parts or len(parts) > 2 or not parts[0].isdigit():
        raise ValueError("not an index pointer")
    return int(parts[0]), parts[1] if len(parts) == 2 else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: Path) -> FileEntries:
    """Every file under ``folder`` but the manifest, with its size and sha256."""
    return {
        path.relative_to(folder).as_posix(): {"size": path.stat().st_size, "sha256": sha256_of(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST_FILE
    }


def entry_problem(path: Path, entry: dict[str, Any]) -> str | None:
    """Why the file at ``path`` is not the one the manifest ``entry`` describes (None: it is)."""
    if not path.is_file():
        return "is missing"
    size = path.stat().st_size
    if size != entry["size"]:
        return f"has {size} bytes, the manifest says {entry['size']}"
    if sha256_of(path) != entry["sha256"]:
        return "does not match its sha256 in the manifest"
    return None


def safe_relative(name: str) -> bool:
    """A manifest's file name that stays inside the version folder (no absolute path, no ``..``)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name
