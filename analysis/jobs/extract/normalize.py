"""Values as analysts query them: ISO dates, ISO 8601 periods, jurisdictions from a fixed list."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# --------------------------------------------------------------------------- periods

_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD = "|".join(sorted([*_SMALL, *_TENS, "hundred", "a", "an"], key=len, reverse=True))
_NUMBER_WORDS = rf"(?:(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_WORD}))*)"
_PERIOD = re.compile(
    rf"(?<![\w.])(?:(?P<digits>\d{{1,4}})|(?P<words>{_NUMBER_WORDS}))"  # 30, thirty, one hundred twenty
    r"(?:\s*\(\s*(?P<paren>\d{1,4})\s*\))?"  # "thirty (30)": the figure in brackets wins
    r"[\s-]*(?P<qual>calendar[\s-]+|business[\s-]+|working[\s-]+|full[\s-]+|consecutive[\s-]+)?"
    r"(?P<unit>day|week|month|year)s?\b",
    re.IGNORECASE,
)
_TO_PERIOD = re.compile(r"\b(year|month|week)[\s-]+to[\s-]+\1\b", re.IGNORECASE)  # "year-to-year", "month to month"


def iso_duration(text: str) -> str | None:
    """The first period written in ``text`` as an ISO 8601 duration ("thirty (30) days" -> P30D,
    "successive 6-month periods" -> P6M, "24 months" -> P2Y: whole years are written as years, so
    one period has one form), or None. Business or working days have no ISO form
    and give None rather than a wrong calendar period."""
    periods = find_periods(text[:10_000])
    return periods[0].value if periods else None


@dataclass(frozen=True)
class Found:
    """A normalised value and where in the searched text it was written."""

    value: str | None  # None: a period with no ISO form (business days)
    start: int
    end: int


def find_periods(text: str) -> list[Found]:
    """Every period written in ``text``, in order, with its offsets; "year-to-year" is one year."""
    found = []
    for match in _PERIOD.finditer(text):
        amount = _amount(match)
        if amount is None or amount <= 0:
            continue
        business = (match["qual"] or "").lower().startswith(("business", "working"))
        unit = _UNITS[match["unit"].lower()]
        if unit == "M" and amount % 12 == 0:
            amount, unit = amount // 12, "Y"
        value = None if business else f"P{amount}{unit}"
        found.append(Found(value, match.start(), match.end()))
    for match in _TO_PERIOD.finditer(text):
        found.append(Found(f"P1{_UNITS[match[1].lower()]}", match.start(), match.end()))
    found.sort(key=lambda f: f.start)
    return found


def _amount(match: re.Match[str]) -> int | None:
    if match["paren"]:
        return int(match["paren"])
    if match["digits"]:
        return int(match["digits"])
    return _words_to_int(match["words"])


def _words_to_int(words: str) -> int | None:
    """Number words up to the hundreds ("one hundred twenty" -> 120); "a"/"an" count as one."""
    total, current = 0, 0
    parts = [p for p in re.split(r"[\s-]+", words.lower()) if p and p != "and"]
    for part in parts:
        if part in ("a", "an"):
            if current or total:
                return None  # "two a year" is not a number
            current = 1
        elif part in _SMALL:
            current += _SMALL[part]
        elif part in _TENS:
            current += _TENS[part]
        elif part == "hundred":
            total += max(current, 1) * 100
            current = 0
    total += current
    return total or None


# --------------------------------------------------------------------------- jurisdictions

US_STATES: tuple[str, ...] = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska",
    "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
)  # fmt: skip

# Canonical name -> other ways contracts write it (the canonical name itself always matches).
_OTHER_JURISDICTIONS: dict[str, tuple[str, ...]] = {
    "England and Wales": ("England", "Wales", "English law", "laws of England"),
    "Scotland": (),
    "Northern Ireland": (),
    "United Kingdom": ("U.K.", "UK", "Great Britain"),
    "Ireland": ("Republic of Ireland",),
    "Ontario": (), "British Columbia": (), "Alberta": (), "Quebec": ("Québec",), "Nova Scotia": (),
    "Manitoba": (), "Saskatchewan": (), "New Brunswick": (), "Newfoundland and Labrador": (),
    "Canada": (),
    "New South Wales": (), "Victoria": (), "Queensland": (), "Western Australia": (), "South Australia": (),
    "Australia": (),
    "New Zealand": (),
    "People's Republic of China": ("PRC", "P.R.C.", "P. R. China", "PR China", "China", "Beijing", "Shanghai"),
    "Hong Kong": ("HKSAR",),
    "Macau": ("Macao",),
    "Taiwan": ("Republic of China",),
    "Japan": (), "South Korea": ("Republic of Korea", "Korea"), "Singapore": (), "India": (), "Israel": (),
    "Malaysia": (), "Thailand": (), "Philippines": (), "Indonesia": (), "Vietnam": ("Viet Nam",),
    "United Arab Emirates": ("UAE", "U.A.E.", "Dubai"),
    "Germany": ("Federal Republic of Germany",), "France": (), "Netherlands": ("Holland",),
    "Belgium": (), "Luxembourg": (), "Switzerland": (), "Austria": (), "Italy": (), "Spain": (),
    "Portugal": (), "Sweden": (), "Norway": (), "Denmark": (), "Finland": (), "Poland": (),
    "Czech Republic": (), "Hungary": (), "Greece": (), "Cyprus": (), "Malta": (), "Russia": ("Russian Federation",),
    "Kazakhstan": ("Republic of Kazakhstan",), "Turkey": ("Türkiye",),
    "South Africa": ("Republic of South Africa",), "Nigeria": (), "Kenya": (), "Egypt": (),
    "Mexico": (), "Brazil": (), "Argentina": (), "Chile": (), "Colombia": (), "Peru": (),
    "Papua New Guinea": (),
    "Cayman Islands": (), "British Virgin Islands": ("BVI",), "Bermuda": (), "Bahamas": (), "Puerto Rico": (),
    "United States": ("United States of America", "U.S.A.", "USA"),
}  # fmt: skip

JURISDICTIONS: tuple[str, ...] = US_STATES + tuple(_OTHER_JURISDICTIONS)


def _jurisdiction_patterns() -> list[tuple[re.Pattern[str], str]]:
    names: list[tuple[str, str]] = [(state, state) for state in US_STATES]
    names += [("Washington, D.C.", "District of Columbia"), ("Washington D.C.", "District of Columbia")]
    names += [("D.C.", "District of Columbia")]
    for canonical, aliases in _OTHER_JURISDICTIONS.items():
        names += [(canonical, canonical), *((alias, canonical) for alias in aliases)]
    names.sort(key=lambda pair: len(pair[0]), reverse=True)  # "West Virginia" before "Virginia"
    compiled = []
    for surface, canonical in names:
        body = r"\s+".join(re.escape(word) for word in surface.split()).replace("'", "[’']")
        flags = 0 if surface.isupper() else re.IGNORECASE  # abbreviations ("UK", "PRC") in capitals only
        compiled.append((re.compile(rf"(?<![\w.]){body}(?![\w])", flags), canonical))
    return compiled


_JURISDICTION_PATTERNS = _jurisdiction_patterns()
_COUNTRIES_WITH_LOCAL_LAW = frozenset({"United States", "Canada", "Australia", "United Kingdom"})


def jurisdiction(text: str) -> str | None:
    """The jurisdiction first named in ``text``, as one of ``JURISDICTIONS`` ("the laws of the State
    of New York" -> "New York", "Province of Ontario, Canada" -> "Ontario", "PRC" -> "People's
    Republic of China"), or None. Where a state or province is named with its country, the state
    or province wins: it is the narrower law."""
    found = find_jurisdiction(text[:5_000])
    return found.value if found else None


def find_jurisdiction(text: str) -> Found | None:
    """Like ``jurisdiction``, with where the name is written in ``text``."""
    best: tuple[int, int, str] | None = None  # (start, -length, canonical)
    for pattern, canonical in _JURISDICTION_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        key = (match.start(), match.start() - match.end(), canonical)
        if best is None or key < best:
            best = key
    if best is None:
        return None
    start, negative_length, canonical = best
    end = start - negative_length
    if canonical in _COUNTRIES_WITH_LOCAL_LAW:  # "Canada, Province of Ontario": the province is the law
        narrower = [
            (m.start(), m.end(), c)
            for p, c in _JURISDICTION_PATTERNS
            if c not in _COUNTRIES_WITH_LOCAL_LAW and (m := p.search(text, end, end + 80))
        ]
        if narrower:
            n_start, n_end, n_value = min(narrower)
            return Found(n_value, n_start, n_end)
    return Found(canonical, start, end)
