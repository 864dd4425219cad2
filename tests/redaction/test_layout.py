"""Speakers of a transcript and initials in a form's boxes: names only the layout marks."""

from __future__ import annotations

from analysis.redaction.layout import (
    boxed_initials,
    initials_in_columns,
    initials_legend,
    initials_of_named_people,
    speaker_labels,
)

_ENGLISH = frozenset("plan patient officer nurse by no addr".split())


def _is_english(word: str) -> bool:
    return word.lower() in _ENGLISH


def _found(text: str, spans: list) -> list[str]:
    return [text[s:e] for _t, s, e, _score in spans]


TRANSCRIPT = """\
  OFC. MONTGOMERY-DALE: Can you tell me what happened tonight?
  HALVORSEN: He come up to the door asking for money again.
  OFC. MONTGOMERY-DALE: Who is he?
  HALVORSEN: Dee. He used to date my daughter.
  PLAN: rest and fluids
  PLAN: review in the morning
Addr: 5902 Libby Rd
Addr: RR 1 Box 44
  SOLO: said once only
"""


def test_speakers_named_twice_are_found_and_headings_fields_and_single_labels_are_not() -> None:
    found = _found(TRANSCRIPT, speaker_labels(TRANSCRIPT, _is_english))
    assert found == ["MONTGOMERY-DALE", "HALVORSEN", "MONTGOMERY-DALE", "HALVORSEN"]


FORM = """\
ARTICLE II - SUPERIOR POWERS (initialed by Principal)
 BRF  Create, amend or revoke a trust
 BRF  Make gifts (limited to $18,000 per donee per year)
   ___LK___ Mental health   ______ HIV/AIDS   ___LK___ Genetic testing
 MD   Physician's orders
"""


def test_initials_in_boxes_where_the_form_asks_for_initials() -> None:
    assert _found(FORM, boxed_initials(FORM, _is_english)) == ["BRF", "BRF", "LK", "LK"]


def test_no_initials_where_nothing_is_initialled() -> None:
    text = FORM.replace("(initialed by Principal)", "")
    assert boxed_initials(text, _is_english) == []


def test_initials_in_a_column_headed_for_them() -> None:
    text = (
        "| Time  | BP     | UF vol | Initials |\n| 07:15 | 152/84 | 0.00   | KD       |\n"
        "| 08:00 | 141/80 | 0.65   | M.J.     |\n| 09:00 | 141/80 | 0.65   | 12       |\n\n"
        "| Test | Result | Flag |\n| Hb   | 120    | L    |\n| WBC  | 11.2   | HH   |\n"
    )
    assert [text[s:e] for _, s, e, _ in initials_in_columns(text)] == ["KD", "M.J."]  # no flag column


def test_initials_a_document_defines_for_a_person() -> None:
    text = "Key: JH = Jodie Holt (ACT)   RP = Rhys Pritchard   Seen by Mary Ann Lee (MAL). BP = Blood Pressure"
    english = {"blood", "pressure"}
    found = [text[s:e] for _, s, e, _ in initials_legend(text, lambda w: w.lower() in english)]
    assert found == ["JH", "RP", "MAL"]


LOG = """\
Treating dentist: Dr Sarah Kim      Nurse: Mary-Claire Gagnon     Driver: Ben Peters
11/03/2024  Exam and radiograph x2          78.00  SK
05/01/2023 MCG  Pre-vaccination check, no reaction.
12:29  Adrenaline 0.3 mg IM, anterolateral thigh.     [MCG]
| 12:40 | obs stable | SK |
12:45  BP 120/80  HR 88   BP
SK is the abbreviation in the middle of a sentence. Seen by JT.   JT
"""


def test_initials_of_people_the_document_names_where_a_row_is_signed() -> None:
    people = [
        ("PERSON", LOG.index(n), LOG.index(n) + len(n), 0.9) for n in ("Sarah Kim", "Mary-Claire Gagnon", "Ben Peters")
    ]
    found = _found(LOG, initials_of_named_people(LOG, people))
    assert found == ["SK", "MCG", "MCG", "SK"]  # never 'BP' (a vital sign), 'JT' (no one named so), mid-sentence 'SK'
