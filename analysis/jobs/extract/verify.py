"""The gate between an extractor and the store: a value the text does not support is never stored.

Whatever proposed it (patterns or an LLM), a fact is kept only if its evidence span lies in
the document, its value as written occurs in that evidence, and its normalised value can be
read back from what was written: a date must parse from it, a period must measure it, a
jurisdiction must be named by it, a name's words must all be there, and a clause's "yes" needs
the clause. Everything refused is returned with its reason, to be counted and kept in SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.jobs.extract.facts import CLAUSE, Fact, FieldProblem
from analysis.jobs.extract.fields import ALL_FIELDS, OUTCOMES

_VALUE_KINDS = {spec.name: spec.value for spec in ALL_FIELDS}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_PERIOD = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
_WORD = re.compile(r"\w+", re.UNICODE)
NKDA = "NKDA"


@dataclass
class Verified:
    kept: list[Fact] = field(default_factory=list)
    rejected: list[FieldProblem] = field(default_factory=list)


def verify_facts(text: str, facts: Sequence[Fact]) -> Verified:
    """Split proposed facts into those the document text supports and the refused, with reasons.

    A derived date (an expiration stated as a term) is checked after the others: its start must
    be a date kept for the same document, and its value that start plus the term its evidence states.
    """
    out = Verified()
    derived = [f for f in facts if f.attributes.get("rule")]
    for fact in [f for f in facts if not f.attributes.get("rule")] + derived:
        reason = _refusal(text, fact)
        if reason is None and fact.attributes.get("rule"):
            reason = _derivation_refusal(fact, {f.value for f in out.kept if _VALUE_KINDS.get(f.field) == "date"})
        if reason is None:
            out.kept.append(fact)
        else:
            out.rejected.append(FieldProblem(fact.field, "rejected", f"{reason} (value {fact.value[:80]!r})"))
    return out


def _derivation_refusal(fact: Fact, kept_dates: set[str]) -> str | None:
    """Why a date derived from a start and a term is not what the contract says, or None."""
    from datetime import date

    from analysis.jobs.extract.normalize import iso_duration
    from analysis.jobs.extract.terms import MONTH_END, add_term, nth_full_month

    rule, term, start = (str(fact.attributes.get(k, "")) for k in ("rule", "term", "start"))
    raw = fact.raw or ""
    stated = (nth_full_month(raw) or (None,))[0] if rule == MONTH_END else iso_duration(raw)
    if stated != term:
        return "the term is not what its evidence says"
    if start not in kept_dates:
        return "a derived date needs its start among the dates kept for the document"
    try:
        derived = add_term(date.fromisoformat(start), term, rule)
    except ValueError:
        return "the start is not an ISO date"
    return (
        None if derived is not None and derived.isoformat() == fact.value else "the date is not the start plus the term"
    )


def _refusal(text: str, fact: Fact) -> str | None:
    """Why ``fact`` must not be stored, or None when its evidence supports it."""
    kind = _VALUE_KINDS.get(fact.field)
    if kind is None:
        return f"unknown field {fact.field!r}"
    if not fact.value or not fact.value.strip():
        return "empty value"
    if fact.kind == CLAUSE:
        if fact.value == "no":
            return None if fact.start is None and fact.end is None else "a clause's 'no' has no evidence"
        if fact.value != "yes":
            return "a clause flag is yes or no"
    if fact.start is None or fact.end is None:
        return "no evidence"
    if not 0 <= fact.start < fact.end <= len(text):
        return "evidence offsets outside the document"
    evidence = text[fact.start : fact.end]
    if not evidence.strip():
        return "blank evidence"
    if fact.kind == CLAUSE:
        wording = [w for w in _WORD.findall(evidence) if any(c.isalpha() for c in w)]
        return None if len(wording) >= 4 else "a clause's 'yes' needs the clause"
    raw = fact.raw if fact.raw is not None else evidence
    if not _contains(evidence, raw):
        return "the value as written is not in its evidence"
    return _value_refusal(kind, fact, raw)


def _value_refusal(kind: str, fact: Fact, raw: str) -> str | None:
    value = fact.value
    if kind == "date":
        from analysis.jobs.extract.normalize import parse_date

        if not _ISO_DATE.match(value):
            return "a date must be ISO (YYYY-MM-DD)"
        if fact.attributes.get("rule"):
            return None  # derived from a start and a term: checked by _derivation_refusal
        read = {parse_date(raw), parse_date(raw, day_first=True)}
        return None if value in {d.isoformat() for d in read if d} else "the date does not parse from its evidence"
    if kind == "period":
        from analysis.jobs.extract.normalize import iso_duration

        if not _ISO_PERIOD.match(value):
            return "a period must be ISO 8601 (P30D, P1Y...)"
        return None if iso_duration(raw) == value else "the period is not what its evidence says"
    if kind == "jurisdiction":
        from analysis.jobs.extract.normalize import jurisdiction

        return None if jurisdiction(raw) == value else "the jurisdiction is not named by its evidence"
    if kind == "outcome":
        return None if value in OUTCOMES else f"an outcome is one of {', '.join(OUTCOMES)}"
    if fact.field == "allergy" and value == NKDA:
        return (
            None
            if re.search(r"\bno\b|\bnone\b|\bnkda\b|\bdenies\b|\bnil\b", raw, re.IGNORECASE)
            else ("'no known drug allergies' needs a negative statement")
        )
    missing = _words(value) - _words(raw)
    if missing and fact.field == "medication" and _generic_of(raw) == value.casefold():
        return None  # a brand written, its generic name stored ("Coumadin" -> warfarin)
    return None if not missing else f"words of the value are not in its evidence: {', '.join(sorted(missing))[:80]}"


def _generic_of(brand: str) -> str | None:
    from analysis.jobs.extract.clinical_lexicon import BRAND_DRUGS

    return BRAND_DRUGS.get(" ".join(brand.casefold().split()))


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack``, ignoring case and runs of whitespace (PDF line breaks)."""
    if needle in haystack:
        return True
    squash = lambda s: " ".join(s.split()).casefold()  # noqa: E731
    return bool(needle.strip()) and squash(needle) in squash(haystack)
