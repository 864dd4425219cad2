"""Versioned prompt files; a result stores the sha256 of the prompt text that made it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROMPT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Prompt:
    name: str
    template: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.template.encode("utf-8")).hexdigest()

    def render(self, **values: object) -> str:
        return self.template.format(**values)


@lru_cache(maxsize=32)
def load_prompt(name: str) -> Prompt:
    """A prompt by file stem, e.g. ``summary_legal_v2``."""
    path = PROMPT_DIR / f"{name}.txt"
    if not path.is_file():
        available = sorted(p.stem for p in PROMPT_DIR.glob("*.txt"))
        raise ValueError(f"no prompt named {name!r}; available: {', '.join(available)}")
    return Prompt(name=name, template=path.read_text(encoding="utf-8"))


def combined_hash(*prompts: Prompt) -> str:
    """One hash for a strategy that uses several prompts (map-reduce)."""
    return hashlib.sha256("\0".join(p.sha256 for p in prompts).encode()).hexdigest()
