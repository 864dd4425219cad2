"""What an extractor returns: facts tied to the span of document text they were read from.

Every stored value must be checkable in one click: ``document.text[start:end]`` is its
evidence, and ``raw`` (the value as written) lies inside that evidence. Extractors only
propose facts; ``verify.verify_facts`` refuses what the evidence does not support.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from analysis.errors import LLMUnavailableError, first_line
from analysis.records import SourceChunk

# Fact kinds: one per analyst view.
CONTRACT = "contract"  # contract_terms: one value per field (party may repeat)
CLAUSE = "clause"  # clause_flags: value "yes" (with the clause as evidence) or "no" (no evidence)
JUDGMENT = "judgment"  # judgment_facts
CLINICAL = "clinical"  # clinical_facts


@dataclass(frozen=True)
class Fact:
    """One extracted value and where it came from.

    ``value`` is normalised (ISO date, ISO 8601 period, jurisdiction from the fixed list,
    "yes"/"no", a name as written); ``start``/``end`` are character offsets into the
    document text (``None`` only for a clause's "no"); ``raw`` is the text the value was read
    from and must occur inside the evidence. ``attributes`` holds what a field carries
    besides its value: a party's role, a medication's dose/route/frequency, the section.
    """

    kind: str
    field: str
    value: str
    start: int | None
    end: int | None
    raw: str | None = None
    confidence: float = 1.0
    attributes: Mapping[str, str] = field(default_factory=dict)
    negated: bool = False
    uncertain: bool = False
    historical: bool = False
    family: bool = False


@dataclass(frozen=True)
class FieldProblem:
    """Why a field got no value although one was attempted: an error, or a value verification refused."""

    field: str
    kind: str  # "failed" (the extractor raised) or "rejected" (verification refused the value)
    reason: str


@dataclass(frozen=True)
class DocumentForExtraction:
    """What an extractor reads: the document's text, type and its embedded chunks in reading order."""

    text: str
    domain: str
    doc_type: str
    title: str | None
    chunks: Sequence[SourceChunk]


@dataclass
class Extraction:
    """An extractor's output for one document."""

    facts: list[Fact] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)

    def collect(self, name: str, read: Callable[[], Sequence[Fact]]) -> None:
        """Run one field's reader; an exception costs that field only, with a one-line reason."""
        try:
            self.facts.extend(read())
        except LLMUnavailableError:  # the endpoint is down: the runner leaves the document pending
            raise
        except Exception as exc:  # one field never fails the document
            self.problems.append(FieldProblem(name, "failed", f"{type(exc).__name__}: {first_line(exc)}"))
