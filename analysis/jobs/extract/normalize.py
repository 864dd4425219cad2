"""Values as analysts query them: ISO dates, ISO 8601 periods, jurisdictions from a fixed list."""

from __future__ import annotations

import re
from datetime import date

_DATE_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["custom-formats", "absolute-time"],
}
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def parse_date(text: str, *, day_first: bool = False) -> date | None:
    """A full date (day, month and year) written in ``text``, or None; never a date guessed from
    a partial one (a year alone is not a date) and never "today"."""
    import dateparser  # deferred: it compiles its language data on first import

    cleaned = _ORDINAL.sub(r"\1", " ".join(text.split()))
    cleaned = re.sub(r"\bday of\b", "", cleaned, flags=re.IGNORECASE)
    if not cleaned or len(cleaned) > 64:
        return None
    settings = dict(_DATE_SETTINGS, DATE_ORDER="DMY" if day_first else "MDY")
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
