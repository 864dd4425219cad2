"""The evidence gate: a value its evidence does not support is refused, with the reason."""

from __future__ import annotations

from analysis.jobs.extract.facts import CLAUSE, CLINICAL, CONTRACT, JUDGMENT, Fact
from analysis.jobs.extract.verify import verify_facts

TEXT = (
    'This Supply Agreement is made on March 3, 2021 between Acme Widgets, Inc. (the "Supplier") and '
    "Bolt Retail LLC. This Agreement shall be governed by the laws of the State of Delaware. "
    "Neither party may assign this Agreement without the prior written consent of the other party. "
    "The appeal is dismissed. Patient denies chest pain. Allergies: none known."
)


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _fact(kind: str, field: str, value: str, evidence: str, raw: str | None = None) -> Fact:
    start, end = _span(evidence)
    return Fact(kind, field, value, start, end, raw=raw)


def _reasons(*facts: Fact) -> list[str]:
    result = verify_facts(TEXT, facts)
    return [p.reason for p in result.rejected]


def test_supported_values_are_kept() -> None:
    first = "This Supply Agreement is made on March 3, 2021 between Acme Widgets, Inc."
    facts = [
        _fact(CONTRACT, "agreement_date", "2021-03-03", first, "March 3, 2021"),
        _fact(CONTRACT, "party", "Acme Widgets, Inc.", first, "Acme Widgets, Inc."),
        _fact(CLAUSE, "anti_assignment", "yes", "Neither party may assign this Agreement without the prior"),
        Fact(CLAUSE, "insurance", "no", None, None),
        _fact(JUDGMENT, "outcome", "dismissed", "The appeal is dismissed.", "dismissed"),
        _fact(CLINICAL, "allergy", "NKDA", "Allergies: none known.", "none known"),
    ]
    result = verify_facts(TEXT, facts)
    assert result.rejected == []
    assert result.kept == facts


def test_a_date_that_does_not_parse_from_its_evidence_is_refused() -> None:
    first = "This Supply Agreement is made on March 3, 2021"
    assert _reasons(_fact(CONTRACT, "agreement_date", "2021-03-04", first, "March 3, 2021")) == [
        "the date does not parse from its evidence (value '2021-03-04')"
    ]
    assert "ISO" in _reasons(_fact(CONTRACT, "agreement_date", "3/3/2021", first, "March 3, 2021"))[0]


def test_a_name_or_raw_text_absent_from_the_evidence_is_refused() -> None:
    first = "This Supply Agreement is made on March 3, 2021 between Acme Widgets, Inc."
    (reason,) = _reasons(_fact(CONTRACT, "party", "Globex Corporation", first, "Acme Widgets, Inc."))
    assert reason.startswith("words of the value are not in its evidence: corporation, globex")
    (reason,) = _reasons(_fact(CONTRACT, "party", "Bolt Retail LLC", first, "Bolt Retail LLC"))
    assert reason.startswith("the value as written is not in its evidence")


def test_a_yes_needs_a_clause_and_a_no_has_no_evidence() -> None:
    assert _reasons(Fact(CLAUSE, "insurance", "yes", None, None))[0].startswith("no evidence")
    start, end = _span("Neither party")
    assert _reasons(Fact(CLAUSE, "anti_assignment", "no", start, end))[0].startswith("a clause's 'no' has no")
    assert _reasons(Fact(CLAUSE, "anti_assignment", "maybe", start, end))[0].startswith("a clause flag is yes or no")


def test_offsets_outside_the_document_and_unknown_fields_are_refused() -> None:
    assert _reasons(Fact(CONTRACT, "party", "Acme", len(TEXT) - 2, len(TEXT) + 5))[0].startswith(
        "evidence offsets outside"
    )
    assert _reasons(Fact(CONTRACT, "favourite_colour", "blue", 0, 4))[0].startswith("unknown field")
    assert _reasons(_fact(JUDGMENT, "outcome", "quashed", "The appeal is dismissed.", "dismissed"))[0].startswith(
        "an outcome is one of"
    )


def test_no_known_allergies_needs_a_negative_statement() -> None:
    (reason,) = _reasons(_fact(CLINICAL, "allergy", "NKDA", "Patient denies chest pain.", "chest pain"))
    assert "negative statement" in reason


TERM = "This Agreement commences on the Effective Date and continues for an initial term of two (2) years."


def test_an_expiration_derived_from_a_stated_term_is_recomputed() -> None:
    text = "Effective Date: March 13, 2023. " + TERM
    start = text.index("This Agreement")
    effective = Fact(CONTRACT, "effective_date", "2023-03-13", 0, 31, raw="March 13, 2023")
    derived = {"rule": "after", "term": "P2Y", "start": "2023-03-13"}
    good = Fact(CONTRACT, "expiration_date", "2025-03-13", start, len(text), raw="two (2) years", attributes=derived)
    assert verify_facts(text, [good, effective]).kept == [effective, good]

    wrong_value = Fact(
        CONTRACT, "expiration_date", "2026-03-13", start, len(text), raw="two (2) years", attributes=derived
    )
    assert [p.reason for p in verify_facts(text, [effective, wrong_value]).rejected] == [
        "the date is not the start plus the term (value '2026-03-13')"
    ]
    wrong_term = dict(derived, term="P3Y")
    bad = Fact(CONTRACT, "expiration_date", "2026-03-13", start, len(text), raw="two (2) years", attributes=wrong_term)
    assert "the term is not what its evidence says" in verify_facts(text, [effective, bad]).rejected[0].reason
    alone = verify_facts(text, [good]).rejected  # no stored start to count from
    assert "needs its start" in alone[0].reason


def test_terms_add_like_cuad_and_leases_count_full_months() -> None:
    from datetime import date

    from analysis.jobs.extract.terms import MONTH_END, add_term, nth_full_month

    assert add_term(date(2023, 3, 13), "P2Y") == date(2025, 3, 13)
    assert add_term(date(2024, 2, 29), "P1Y") == date(2025, 2, 28)
    assert add_term(date(2024, 1, 31), "P1M") == date(2024, 2, 29)
    assert add_term(date(2026, 2, 27), "P84M", MONTH_END) == date(2033, 2, 28)
    assert add_term(date(2024, 1, 1), "P12M", MONTH_END) == date(2024, 12, 31)
    assert add_term(date(2024, 1, 1), "P1Y", MONTH_END) is None
    assert add_term(date(9999, 1, 1), "P5Y") is None
    assert nth_full_month("expires on the last day of the 84th full calendar month thereafter")[0] == "P84M"


def test_a_number_is_not_a_clause() -> None:
    text = "The total was 1,101,643 units."
    start = text.index("1,101,643")
    (problem,) = verify_facts(text, [Fact(CLAUSE, "audit_rights", "yes", start, start + 9)]).rejected
    assert problem.reason.startswith("a clause's 'yes' needs the clause")
