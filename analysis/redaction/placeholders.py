"""What a redaction produces, and one document's consistent mapping from identifiers to placeholders."""

from __future__ import annotations

import contextvars
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# The Safe Harbor identifiers that occur in text, as placeholder types (docs/privacy.md has the table).
ENTITY_TYPES = (
    "PERSON",
    "LOCATION",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "AGE",
    "MRN",
    "SSN",
    "ID",
    "PHONE",
    "EMAIL",
    "URL",
)
PLACEHOLDER = re.compile(r"<(" + "|".join(ENTITY_TYPES) + r")_(\d+)>")
_LOOSE_PLACEHOLDER = re.compile(r"<?\b(" + "|".join(ENTITY_TYPES) + r")_(\d+)\b>?")
_NUMERIC = frozenset({"MRN", "SSN", "ID", "PHONE"})
TITLES = frozenset(
    "mr mrs ms miss mx dr prof fr sgt ptl rev dep det cllr esq hon atty shri smt sri adv chief pharm".split()
)
# Capitalised words that are names too often to be trusted alone (a name's first token is not
# spread through the document when it is one of these).
COMMON_WORDS = frozenset(
    "will may june april august grace hope faith joy mark bill sue pat art ray don guy rose dawn "
    "patient doctor nurse daughter son wife husband mother father sister brother the".split()
)
# Spans at least this sure (pattern recognizers, names seen in full) spread to the document's other
# occurrences; a guess below it is redacted where found but never copied.
SPREAD_SCORE = 0.86


@dataclass(frozen=True)
class Entity:
    """An identifier found in a text: offsets into the original text, and what replaced it."""

    type: str
    start: int
    end: int
    text: str
    placeholder: str
    score: float


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the identifiers taken out of it (in order)."""

    text: str
    entities: tuple[Entity, ...]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entity in self.entities:
            out[entity.type] = out.get(entity.type, 0) + 1
        return out


@dataclass(eq=False)
class Placeholders:
    """One document's mapping between identifiers and placeholders (same string, same placeholder).

    It holds the originals, so it lives in memory only and is never stored.
    """

    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    _original: dict[str, str] = field(default_factory=dict)
    _surfaces: dict[str, str] = field(default_factory=dict)  # surface -> type, to spread through texts
    _next: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reserve(self, text: str) -> None:
        """Never hand out a placeholder that ``text`` already contains (text redacted before)."""
        with self._lock:
            for m in PLACEHOLDER.finditer(text):
                self._next[m.group(1)] = max(self._next.get(m.group(1), 0), int(m.group(2)))

    def placeholder(self, entity_type: str, surface: str, score: float = 1.0) -> str:
        """The placeholder for ``surface``; a new one the first time it is seen.

        Only a span scored at least ``SPREAD_SCORE`` is remembered for the document's other
        occurrences: one wrong guess ('Employee') must not be copied everywhere.
        """
        key = (_group(entity_type), _normalise(entity_type, surface))
        with self._lock:
            found = self._by_key.get(key) or self._linked_name(key)
            if found is None:
                number = self._next.get(entity_type, 0) + 1
                self._next[entity_type] = number
                found = f"<{entity_type}_{number}>"
                self._original[found] = surface
            self._by_key[key] = found
            if score >= SPREAD_SCORE:
                self._learn(entity_type, surface)
            return found

    def restore(self, text: str) -> str:
        """``text`` with this document's placeholders replaced by the originals (others are left)."""

        def original(m: re.Match[str]) -> str:
            return self._original.get(f"<{m.group(1)}_{m.group(2)}>", m.group(0))

        return _LOOSE_PLACEHOLDER.sub(original, text)

    def surfaces(self) -> dict[str, str]:
        with self._lock:
            return dict(self._surfaces)

    def _linked_name(self, key: tuple[str, str]) -> str | None:
        """A part of a name seen before (a surname alone, 'Mr. Crowley') takes that full name's placeholder.

        Only this way round: 'Maria Crowley' does not take the placeholder of 'Crowley'.
        """
        group, norm = key
        if group != "NAME":
            return None
        tokens = set(norm.split()) - TITLES
        if not tokens:
            return None
        for (other_group, other), placeholder in self._by_key.items():
            other_tokens = set(other.split()) - TITLES
            if other_group == group and tokens < other_tokens:
                return placeholder
        return None

    def _learn(self, entity_type: str, surface: str) -> None:
        self._surfaces.setdefault(surface, entity_type)
        if entity_type == "PERSON":
            for word in name_parts(surface):
                self._surfaces.setdefault(word, entity_type)


def name_parts(surface: str) -> list[str]:
    """The given name and surname of a full name, as they may recur alone ('Okafor', 'OKAFOR, Margaret A.')."""
    words = [w.strip(",") for w in re.split(r"\s+", surface.strip())]
    words = [w for w in words if w and w.rstrip(".").lower() not in TITLES]
    if len(words) < 2:
        return []
    if surface.count(",") == 1:  # 'Last, First M.': the surname comes first
        words = [w.strip(",") for w in surface.split(",", 1)[1].split()] + [surface.split(",", 1)[0].split()[-1]]
    return [
        w
        for w in (words[0], words[-1])
        if not (w.isupper() and len(w) <= 4)  # 'PCP', 'MD': never spread a capitalised abbreviation
        if len(w) >= 3
        and w[0].isupper()
        and w.replace("'", "").replace("-", "").isalpha()
        and w.lower() not in COMMON_WORDS
    ]


_SCOPE: contextvars.ContextVar[Placeholders | None] = contextvars.ContextVar("redaction_scope", default=None)


@contextmanager
def document_scope(placeholders: Placeholders | None = None) -> Iterator[Placeholders]:
    """Everything redacted inside this block shares one document's placeholders.

    The outbound LLM wrapper reads the scope, so all calls made for one document (a summary's
    map and reduce calls, one sentiment call per chunk) see the same placeholder for a name.
    """
    placeholders = placeholders or Placeholders()
    token = _SCOPE.set(placeholders)
    try:
        yield placeholders
    finally:
        _SCOPE.reset(token)


def current_scope() -> Placeholders | None:
    return _SCOPE.get()


def _group(entity_type: str) -> str:
    """Types that name the same kind of thing share placeholders (a place found as LOCATION or ADDRESS)."""
    return "NAME" if entity_type == "PERSON" else entity_type


def _normalise(entity_type: str, surface: str) -> str:
    if entity_type in _NUMERIC:
        return re.sub(r"\W+", "", surface).casefold()
    words = re.findall(r"[\w'@.-]+", surface.casefold())
    return " ".join(w.rstrip(".") if w.rstrip(".") in TITLES else w for w in words)
