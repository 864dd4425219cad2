"""Which model wrote a result, from which file and package, under which license.

Compliance asks these questions of every stored result; the answers go to the ``models`` table.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class ModelInfo:
    """One model the system used: embedding, LLM or sentiment head."""

    model_id: str
    kind: str  # "embedding" | "llm" | "sentiment" | "summarizer"
    name: str
    path: str | None
    sha256: str | None
    license: str | None
    package: str | None
    package_version: str | None

    @classmethod
    def of_project(cls, *, version: str, kind: str, embedding_model_id: str) -> ModelInfo:
        """A method of this project's own (no weights of its own) over an embedding model."""
        return cls(
            model_id=f"{version}+{embedding_model_id}",
            kind=kind,
            name=version,
            path=None,
            sha256=None,
            license="Apache-2.0",
            package="docanalysis",
            package_version=None,
        )


@lru_cache(maxsize=16)
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def package_license(distribution: str) -> tuple[str | None, str | None]:
    """(version, license) of an installed distribution, from its metadata."""
    try:
        meta = importlib.metadata.metadata(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None, None
    license_text = meta.get("License-Expression") or meta.get("License")
    if not license_text or len(license_text) > 80:
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")]
        license_text = classifiers[0] if classifiers else (license_text or "")[:80] or None
    return meta.get("Version"), license_text
