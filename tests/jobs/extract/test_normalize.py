"""Values as analysts query them: periods in ISO 8601, jurisdictions from the fixed list, full dates."""

from __future__ import annotations

import pytest

from analysis.jobs.extract.normalize import (
    JURISDICTIONS,
    US_STATES,
    find_jurisdiction,
    find_periods,
    iso_duration,
    jurisdiction,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thirty (30) days", "P30D"),
        ("one (1) year", "P1Y"),
        ("successive 12-month periods", "P1Y"),
        ("60 days", "P60D"),
        ("ninety days' prior written notice", "P90D"),
        ("one hundred twenty (120) days", "P120D"),
        ("additional one-year terms", "P1Y"),
        ("a period of three years", "P3Y"),
        ("twenty-four months", "P2Y"),
        ("two (2) weeks", "P2W"),
        ("thirty (30) calendar days", "P30D"),
        ("on a year-to-year basis", "P1Y"),
        ("month to month", "P1M"),
    ],
)
def test_periods(text: str, expected: str) -> None:
    assert iso_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "ten (10) business days", "the year 2020", "no period here", "0 days", "\u0301" * 50]
)
def test_no_period(text: str) -> None:
    assert iso_duration(text) is None


def test_find_periods_gives_offsets_in_order() -> None:
    text = "renews for successive one (1) year terms unless ninety (90) days' notice is given"
    found = find_periods(text)
    assert [f.value for f in found] == ["P1Y", "P90D"]
    assert text[found[0].start : found[0].end] == "one (1) year"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the laws of the State of New York, without regard to conflicts of law", "New York"),
        ("THE LAWS OF THE STATE OF DELAWARE", "Delaware"),
        ("the laws of the Commonwealth of Massachusetts", "Massachusetts"),
        ("the laws of the State of West Virginia", "West Virginia"),
        ("Arkansas law", "Arkansas"),
        ("Washington, D.C.", "District of Columbia"),
        ("the laws of the Province of Ontario and the federal laws of Canada applicable therein", "Ontario"),
        ("the laws of Canada and the Province of British Columbia", "British Columbia"),
        ("Ontario, Canada", "Ontario"),
        ("English law", "England and Wales"),
        ("the laws of England and Wales", "England and Wales"),
        ("the laws of the PRC", "People's Republic of China"),
        ("the laws of the People’s Republic of China", "People's Republic of China"),
        ("the Laws of China", "People's Republic of China"),
        ("the laws of Hong Kong", "Hong Kong"),
        ("Federal Republic of Germany", "Germany"),
        ("New South Wales", "New South Wales"),
        ("the laws of the United States and the State of Illinois", "Illinois"),
        ("the laws of the United States of America", "United States"),
    ],
)
def test_jurisdictions(text: str, expected: str) -> None:
    assert jurisdiction(text) == expected


@pytest.mark.parametrize(
    "text", ["", "[* * *]", "the laws of the place where the restaurant is located", "Indianapolis"]
)
def test_no_jurisdiction(text: str) -> None:
    assert jurisdiction(text) is None


def test_every_canonical_name_reads_back_as_itself() -> None:
    """The list is closed under the function: what we store is what verification reads again."""
    assert len(US_STATES) == 51
    for name in JURISDICTIONS:
        assert jurisdiction(name) == name, name
        assert jurisdiction(f"the laws of {name.upper()}") == name, name


def test_find_jurisdiction_offsets() -> None:
    text = "governed by the laws of the State of New York"
    found = find_jurisdiction(text)
    assert found is not None and text[found.start : found.end] == "New York"


def test_parse_date_full_dates_only() -> None:
    assert parse_date("March 3, 2021").isoformat() == "2021-03-03"  # type: ignore[union-attr]
    assert parse_date("8th day of May 2014").isoformat() == "2014-05-08"  # type: ignore[union-attr]
    assert parse_date("May 2014") is None
    assert parse_date("2014") is None
