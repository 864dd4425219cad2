"""Expiration dates that contracts state as a term, not a date: "an initial term of two (2)
years" from the Effective Date, or "the last day of the 84th full calendar month thereafter".

CUAD answers "Expiration Date" the same way (the Effective Date plus the term). Such a value is
derived, so its fact carries what it was derived from (``start``, ``term``, ``rule``) and
``verify`` recomputes it from them; the term must be what the evidence says, and the start a
date stored for the same contract.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

AFTER = "after"  # the start plus the term
MONTH_END = "month_end"  # the last day of the n-th full calendar month after the start

_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_NTH_FULL_MONTH = re.compile(r"last\s+day\s+of\s+the\s+(\d{1,3})(?:st|nd|rd|th)\s+full\s+(?:calendar\s+)?month", re.I)


def add_term(start: date, term: str, rule: str = AFTER) -> date | None:
    """``start`` plus the ISO 8601 ``term`` under ``rule``; None for a term it cannot add."""
    match = _PERIOD.match(term)
    if not match or term == "P":
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    if rule == MONTH_END:
        if years or weeks or days or not months:
            return None
        # a term starting on the 1st counts its first month as the first full one
        return _month_end(start, months - 1 if start.day == 1 else months)
    if rule != AFTER:
        return None
    total_months = start.month - 1 + 12 * years + months
    year, month = start.year + total_months // 12, total_months % 12 + 1
    try:
        day = min(start.day, calendar.monthrange(year, month)[1])  # 29 February + 1 year: the 28th
        from datetime import timedelta

        return date(year, month, day) + timedelta(weeks=weeks, days=days)
    except (ValueError, OverflowError):
        return None


def nth_full_month(text: str) -> tuple[str, int, int] | None:
    """("P84M", start, end) of "the last day of the 84th full calendar month" in ``text``."""
    found = _NTH_FULL_MONTH.search(text)
    return (f"P{int(found.group(1))}M", found.start(), found.end()) if found else None


def _month_end(start: date, months: int) -> date | None:
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    if not 1 <= year <= 9999:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])
