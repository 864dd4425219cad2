"""Section detection: exact headings on small inline documents, invariants on the eval sets."""

from __future__ import annotations

import time

import pytest
from conftest import eval_text_files as _eval_files

from analysis.ingest.structure import Heading, detect_headings, split_into_sections
from analysis.records import Section

CONTRACT = """MASTER SERVICES AGREEMENT

This Master Services Agreement (the "Agreement") is entered into by and between Acme Corp. and Beta LLC.

TABLE OF CONTENTS
1. Definitions ........................ 1
5. Termination ........................ 4

ARTICLE 1. DEFINITIONS

1.1 "Affiliate" means any entity that controls a Party.

ARTICLE 5. TERMINATION

5.1 Term. This Agreement begins on the Effective Date and continues for two years.

5.2 Termination for Cause. Either party may terminate if the other party fails to cure, as set forth in
Section 5.3 below.

(a) Fees. All fees accrued before termination remain payable.

(b) the return of all Confidential Information within ten days.

Section 6.1 Governing Law. This Agreement is governed by the laws of Delaware.
"""

STATUTE = """CHAPTER I
GENERAL PROVISIONS

§ 1 Scope
This Act applies to every contract of sale.

§ 2 Definitions
(a) "Buyer" means a person who buys goods.

Article 3
Payment is due on delivery, subject to Article 44 of the Convention and to
Article 45 of the same.
"""

SOAP = """SUBJECTIVE:  The patient returns for follow-up of hypertension.  No chest pain.

OBJECTIVE:
VITAL SIGNS:  Blood pressure 132/84, pulse 72.
HEENT:  Normocephalic.
Lungs:  Clear to auscultation bilaterally.

ASSESSMENT:  Hypertension, controlled.

PLAN:  Continue lisinopril 10 mg daily.
"""

RADIOLOGY = """EXAM:  CT of the head without contrast.

CLINICAL HISTORY:  Headache.

TECHNIQUE:  Axial images were obtained from the skull base to the vertex.

FINDINGS:  No acute intracranial hemorrhage.

IMPRESSION:  No acute intracranial abnormality.
"""

DISCHARGE = """DISCHARGE SUMMARY

HOSPITAL COURSE:  The patient was admitted with fever and cough and treated with ceftriaxone.

DISCHARGE MEDICATIONS:
1.  Lisinopril 10 mg daily.
2.  Amoxicillin 875 mg twice daily for 5 days.
3. Acetaminophen 650 mg every 6 hours as needed.

CONDITION AT DISCHARGE:  Stable.
"""

OPINION = """OPINION

BACKGROUND

The plaintiff sued the defendant for breach of contract.

DISCUSSION

We review de novo.

CONCLUSION

The judgment is AFFIRMED.
"""


def _shape(headings: list[Heading]) -> list[tuple[str, int]]:
    return [(h.title, h.level) for h in headings]


def assert_partition(text: str, sections: list[Section]) -> None:
    """Sections cover the whole text, contiguously, in order, without empty spans."""
    if not text:
        assert sections == []
        return
    assert sections, "a non-empty text has at least one section"
    assert sections[0].start == 0
    assert sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:], strict=False):
        assert a.end == b.start
    assert all(s.start < s.end for s in sections)


def assert_heading_order(text: str, headings: list[Heading]) -> None:
    """Headings are sorted, inside the text, non-overlapping, and titles are bounded."""
    for h in headings:
        assert 0 <= h.start < h.end <= len(text)
        assert h.title and len(h.title) <= 120
    for a, b in zip(headings, headings[1:], strict=False):
        assert a.end <= b.start


def test_contract_headings_levels_and_titles() -> None:
    headings = detect_headings(CONTRACT, domain="legal")
    assert _shape(headings) == [
        ("MASTER SERVICES AGREEMENT", 1),
        ("TABLE OF CONTENTS", 1),
        ("ARTICLE 1. DEFINITIONS", 1),
        ('1.1 "Affiliate" means any entity that controls a Party', 2),
        ("ARTICLE 5. TERMINATION", 1),
        ("5.1 Term", 2),
        ("5.2 Termination for Cause", 2),
        ("(a) Fees", 3),
        ("(b) the return of all Confidential Information within ten days", 3),
        ("Section 6.1 Governing Law", 2),
    ]
    assert_heading_order(CONTRACT, headings)
    term = next(h for h in headings if h.title == "5.2 Termination for Cause")
    # The label ends where the clause text starts on the same line.
    assert CONTRACT[term.start : term.end] == "5.2 Termination for Cause."


def test_contract_sections_carry_heading_paths() -> None:
    sections = split_into_sections(CONTRACT, domain="legal")
    assert_partition(CONTRACT, sections)
    titles = [s.title for s in sections]
    assert titles == [
        "MASTER SERVICES AGREEMENT",
        "TABLE OF CONTENTS",
        "ARTICLE 1. DEFINITIONS",
        'ARTICLE 1. DEFINITIONS > 1.1 "Affiliate" means any entity that controls a Party',
        "ARTICLE 5. TERMINATION",
        "ARTICLE 5. TERMINATION > 5.1 Term",
        "ARTICLE 5. TERMINATION > 5.2 Termination for Cause",
        "ARTICLE 5. TERMINATION > Section 6.1 Governing Law",
    ]
    # The wrapped cross-reference "Section 5.3 below." stays inside 5.2.
    clause = sections[titles.index("ARTICLE 5. TERMINATION > 5.2 Termination for Cause")]
    assert "Section 5.3 below." in CONTRACT[clause.start : clause.end]
    assert [s.level for s in sections][-1] == 2


def test_sub_clauses_split_only_when_asked() -> None:
    sections = split_into_sections(CONTRACT, domain="legal", max_level=3)
    assert_partition(CONTRACT, sections)
    assert "ARTICLE 5. TERMINATION > 5.2 Termination for Cause > (a) Fees" in [s.title for s in sections]


def test_statute_paragraphs_and_article_on_its_own_line() -> None:
    headings = detect_headings(STATUTE, domain="legal")
    assert _shape(headings) == [
        ("CHAPTER I GENERAL PROVISIONS", 1),
        ("§ 1 Scope", 2),
        ("§ 2 Definitions", 2),
        ('(a) "Buyer" means a person who buys goods', 3),
        ("Article 3", 1),
    ]
    sections = split_into_sections(STATUTE, domain="legal")
    assert_partition(STATUTE, sections)
    assert sections[1].title == "CHAPTER I GENERAL PROVISIONS > § 1 Scope"


def test_court_opinion_upper_case_headings() -> None:
    headings = detect_headings(OPINION, domain="legal")
    assert _shape(headings) == [("OPINION", 1), ("BACKGROUND", 1), ("DISCUSSION", 1), ("CONCLUSION", 1)]


def test_toc_and_page_footer_lines_are_not_headings() -> None:
    text = (
        "TABLE OF CONTENTS\n\n"
        "1.  Definitions.............................................1\n"
        "2.  Term of Agreement.......................................4\n"
        "Article 1   Definitions . . . . . . . . . . . 1\n\n"
        "The parties agree to the terms below, and each of them acknowledges receipt of a copy\n"
        "12.3 hereof, which governs.\n"
        "2000  $850,000\n"
        "7\n"
    )
    assert _shape(detect_headings(text, domain="legal")) == [("TABLE OF CONTENTS", 1)]


def test_soap_note_with_exam_sub_labels() -> None:
    headings = detect_headings(SOAP, domain="medical")
    assert _shape(headings) == [
        ("SUBJECTIVE", 1),
        ("OBJECTIVE", 1),
        ("VITAL SIGNS", 2),
        ("HEENT", 2),
        ("Lungs", 2),
        ("ASSESSMENT", 1),
        ("PLAN", 1),
    ]
    first = headings[0]
    assert SOAP[first.start : first.end] == "SUBJECTIVE:"
    sections = split_into_sections(SOAP, domain="medical")
    assert_partition(SOAP, sections)
    assert [s.title for s in sections][2:5] == ["OBJECTIVE > VITAL SIGNS", "OBJECTIVE > HEENT", "OBJECTIVE > Lungs"]
    assert [s.title for s in split_into_sections(SOAP, domain="medical", max_level=1)] == [
        "SUBJECTIVE",
        "OBJECTIVE",
        "ASSESSMENT",
        "PLAN",
    ]


def test_radiology_report() -> None:
    headings = detect_headings(RADIOLOGY, domain="medical")
    assert _shape(headings) == [
        ("EXAM", 1),
        ("CLINICAL HISTORY", 1),
        ("TECHNIQUE", 1),
        ("FINDINGS", 1),
        ("IMPRESSION", 1),
    ]
    assert_partition(RADIOLOGY, split_into_sections(RADIOLOGY, domain="medical"))


def test_discharge_medication_list_is_not_headings() -> None:
    headings = detect_headings(DISCHARGE, domain="medical")
    assert _shape(headings) == [
        ("DISCHARGE SUMMARY", 1),
        ("HOSPITAL COURSE", 1),
        ("DISCHARGE MEDICATIONS", 1),
        ("CONDITION AT DISCHARGE", 1),
    ]
    sections = split_into_sections(DISCHARGE, domain="medical")
    assert_partition(DISCHARGE, sections)
    meds = next(s for s in sections if s.title == "DISCHARGE MEDICATIONS")
    assert "3. Acetaminophen" in DISCHARGE[meds.start : meds.end]


def test_other_domain_is_conservative() -> None:
    # Known clinical labels and ARTICLE/Section headings still count ...
    assert ("ASSESSMENT", 1) in _shape(detect_headings(SOAP, domain="other"))
    assert ("ARTICLE 5. TERMINATION", 1) in _shape(detect_headings(CONTRACT, domain="other"))
    # ... but sub-clauses, exam-system labels and sentence-like numbered items do not.
    other = _shape(detect_headings(CONTRACT + DISCHARGE, domain="other"))
    assert not any(title.startswith(("(a)", "(b)", "1.1", "1.  Lisinopril")) for title, _ in other)
    assert ("HEENT", 2) not in _shape(detect_headings(SOAP, domain="other"))
    recipe = "Pancakes\n\nMix the flour and the eggs.\n1. Heat the pan.\n2. Pour the batter.\n"
    assert detect_headings(recipe, domain="other") == []


def test_leading_text_and_edge_cases() -> None:
    assert split_into_sections("", domain="legal") == []
    assert split_into_sections("no headings here", domain="medical") == [Section(0, 16, None, 0)]
    # Leading whitespace merges into the first section; leading text is an untitled section.
    text = "\n\n  \nIMPRESSION:  Normal.\n"
    sections = split_into_sections(text, domain="medical")
    assert sections == [Section(0, len(text), "IMPRESSION", 1)]
    text = "Patient seen today.\n\nIMPRESSION:  Normal.\n"
    sections = split_into_sections(text, domain="medical")
    assert [(s.title, s.start) for s in sections] == [(None, 0), ("IMPRESSION", 21)]
    with pytest.raises(ValueError):
        detect_headings("x", domain="finance")


def test_long_sentence_titles_are_truncated() -> None:
    clause = (
        "4.2 The Supplier shall deliver the Products to the Purchaser at the Delivery Point on the dates set out in "
        "the Schedule and shall bear all risk until delivery is complete in accordance with the Incoterms.\n"
    )
    (heading,) = detect_headings(clause, domain="legal")
    assert heading.title.startswith("4.2 The Supplier shall deliver")
    assert len(heading.title) <= 85
    assert clause[heading.start : heading.end].startswith("4.2 The Supplier")


def test_large_document_is_fast() -> None:
    text = (CONTRACT + ("This Agreement binds the parties and their successors and assigns. " * 10 + "\n\n") * 3) * 250
    assert len(text) > 500_000
    started = time.perf_counter()
    sections = split_into_sections(text, domain="legal")
    elapsed = time.perf_counter() - started
    assert_partition(text, sections)
    assert elapsed < 1.0, f"{elapsed:.2f}s for {len(text)} chars"


# --------------------------------------------------------------------------- #
# Real evaluation documents (read in place, never copied)
# --------------------------------------------------------------------------- #


@pytest.mark.eval
def test_mtsamples_headings_and_partitions() -> None:
    files = _eval_files("medical_mtsamples/txt")
    without: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        headings = detect_headings(text, domain="medical")
        assert_heading_order(text, headings)
        if not headings:
            without.append(path.name)
        assert_partition(text, split_into_sections(text, domain="medical"))
    # A few notes are pure narrative (a progress note without any label) and have no heading.
    assert len(without) <= max(1, len(files) // 50), without


@pytest.mark.eval
@pytest.mark.parametrize("sub", ["legal_cuad_pdfs/txt", "legal_court_opinions_india/judgment_reports/Judgment"])
def test_legal_eval_partitions(sub: str) -> None:
    files = _eval_files(sub)
    with_headings = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        headings = detect_headings(text, domain="legal")
        assert_heading_order(text, headings)
        with_headings += bool(headings)
        for level in (1, 2, 3):
            assert_partition(text, split_into_sections(text, domain="legal", max_level=level))
    assert with_headings >= 0.9 * len(files)
