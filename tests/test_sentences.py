from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.sentences import Sentence, looks_like_header, segment_sentences, strip_marker

LABELS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "segmentation"


def _units(text: str, kind: str | None = None) -> list[str]:
    return [" ".join(text[s.start : s.end].split()) for s in segment_sentences(text) if kind in (None, s.kind)]


def test_the_issue_example_is_not_split_after_us_nor_fused_with_the_next_clause() -> None:
    text = (
        "2.4.2 In the event Cargill does not achieve a given Milestone, the total payment due Cargill under this "
        "Development\nAgreement equals One Million Fifty Thousand U.S. Dollars (US $1,050,000.00).\n"
        "2.4.3 Provided that Cargill has achieved the Milestones, Bioamber shall pay the balance."
    )
    units = _units(text)
    assert len(units) == 2
    assert units[0].endswith("One Million Fifty Thousand U.S. Dollars (US $1,050,000.00).")
    assert units[1].startswith("2.4.3 Provided that Cargill")
    assert strip_marker(units[1]).startswith("Provided that Cargill")


def test_abbreviations_initials_and_citations_do_not_end_a_sentence() -> None:
    text = (
        "The Company, Acme Inc. of Delaware, pays Dr. Smith under S. 336(1) of the Act. "
        "It was held by Lord Goddard, C. J. that certiorari lay, e.g. in Rex v. Nat Bell Liquors Ld. in 1922. "
        "The patient saw R. Rajappa, M.D. yesterday."
    )
    assert _units(text) == [
        "The Company, Acme Inc. of Delaware, pays Dr. Smith under S. 336(1) of the Act.",
        "It was held by Lord Goddard, C. J. that certiorari lay, e.g. in Rex v. Nat Bell Liquors Ld. in 1922.",
        "The patient saw R. Rajappa, M.D. yesterday.",
    ]


def test_note_headers_field_lines_and_run_in_labels_are_units_of_their_own() -> None:
    text = (
        "Sample Type / Medical Specialty:  General Medicine\n\n"
        "Sample Name: Discharge Summary - 4 \n"
        "Description: A female with the past medical history of Ewing sarcoma.\n\n"
        "HISTORY OF PRESENT ILLNESS:  Ms. XXX is a pleasant 37-year-old female.  She presented with swelling.\n"
    )
    kinds = [(s.kind, " ".join(text[s.start : s.end].split())) for s in segment_sentences(text)]
    assert kinds == [
        ("heading", "Sample Type / Medical Specialty: General Medicine"),
        ("heading", "Sample Name: Discharge Summary - 4"),
        ("label", "Description:"),
        ("field", "A female with the past medical history of Ewing sarcoma."),
        ("label", "HISTORY OF PRESENT ILLNESS:"),
        ("sentence", "Ms. XXX is a pleasant 37-year-old female."),
        ("sentence", "She presented with swelling."),
    ]


def test_wrapped_pdf_lines_join_and_page_furniture_stands_apart() -> None:
    text = (
        "Customer agrees not to download or otherwise copy, reverse assemble, reverse\n"
        "compile, or otherwise translate the software\n"
        "                                       7\n"
        "portions of the Base Components.\n"
        "12.2  Maintenance of Base Components\n"
        "For Base Components provided hereunder, IBM will provide maintenance.\n"
    )
    units = [(s.kind, " ".join(text[s.start : s.end].split())) for s in segment_sentences(text)]
    assert units == [  # the sentence the page number cut in two: fragments, neither a summary sentence
        (
            "fragment",
            "Customer agrees not to download or otherwise copy, reverse assemble, reverse compile, or "
            "otherwise translate the software",
        ),  # fmt: skip
        ("furniture", "7"),
        ("fragment", "portions of the Base Components."),
        ("heading", "12.2 Maintenance of Base Components"),
        ("sentence", "For Base Components provided hereunder, IBM will provide maintenance."),
    ]


def test_spans_are_ordered_non_overlapping_and_stripped() -> None:
    text = "EXHIBIT 10.11\n\nAFFILIATE OFFICE AGREEMENT\n\nThis Agreement is made today.  It binds both.\n- 2 -\n"
    spans = segment_sentences(text)
    assert all(isinstance(s, Sentence) for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() and s.end > s.start for s in spans)
    assert [s.kind for s in spans] == ["heading", "heading", "sentence", "sentence", "furniture"]


def test_scripts_without_spaces_still_split() -> None:
    assert _units("これはペンです。あれは本です。") == ["これはペンです。", "あれは本です。"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\u0301\u0308\u0301" * 50,
        "nospacesatall" * 2000,
        "1" * 50_000,
        "." * 10_000,
        "A. " * 5_000,
        "x:\n" * 3_000,
        "\x00\ufffd\ud800 text.",
        "(" * 5_000 + " Word. Next.",
    ],  # fmt: skip
)
def test_strange_input_never_raises(text: str) -> None:
    spans = segment_sentences(text)
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    for s in spans:
        looks_like_header(text[s.start : s.end])
        strip_marker(text[s.start : s.end])


@pytest.mark.parametrize(
    "line",
    [
        "EXHIBIT 10.11",
        "Exhibit 10.34",
        "Sample Type / Medical Specialty: General Medicine",
        "Sample Name: Discharge Summary - 4 Description: A female with a history of sarcoma.",
        "Description: A female with the past medical history of Ewing sarcoma.",
        "Medical Specialty: General Medicine",
        "AFFILIATE OFFICE AGREEMENT",
        "CERTAIN PORTIONS OF THIS DOCUMENT HAVE BEEN OMITTED PURSUANT TO A REQUEST.",
        "Page 3 of 12",
        "- 14 -",
        "Source: EXACT SCIENCES CORP, 8-K, 8/22/2018",
        "Indian Kanoon - http://indiankanoon.org/doc/1950190/ 3",
    ],
)
def test_header_lines_look_like_headers(line: str) -> None:
    assert looks_like_header(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Tenant shall pay base rent of $12,500 per month on the first day of each month.",
        "Ms. XXX is a pleasant 37-year-old African-American female with a history of Ewing sarcoma.",
        "Provided that Cargill has achieved the Milestones, Bioamber shall pay the balance: $1,050,000.",
        "The High Court held that the notice under s. 34 of the Act was valid.",
    ],
)
def test_statements_do_not_look_like_headers(sentence: str) -> None:
    assert not looks_like_header(sentence)


def test_the_benchmark_labels_load_and_point_inside_their_passages() -> None:
    for name in ("labels.jsonl", "heldout.jsonl"):
        rows = [json.loads(line) for line in (LABELS / name).read_text().splitlines() if line.strip()]
        assert len(rows) >= 12 and len({r["id"] for r in rows}) == len(rows)
        for row in rows:
            assert row["source"] in {"cuad", "mtsamples", "judgments", "pubmed"} and len(row["sha256"]) == 12
            assert all(0 < b < row["end"] - row["start"] for b in row["boundaries"])
            assert set(row["runin"]) <= set(row["boundaries"]) and row["boundaries"] == sorted(row["boundaries"])
    assert sum(len(r["boundaries"]) for r in map(json.loads, (LABELS / "labels.jsonl").open())) >= 300


def test_a_sentence_cut_by_a_page_break_is_two_fragments_never_a_summary_sentence() -> None:
    text = (
        "CT angiography showed no large vessel occlusion. MRI of the brain\n"
        "CONFIDENTIAL PATIENT INFORMATION    Page 1 of 2\n\n"
        "showed a 1.8 cm acute infarct in the left frontal operculum.\nThe patient was admitted."
    )
    kinds = {text[s.start : s.end]: s.kind for s in segment_sentences(text)}
    assert kinds["MRI of the brain"] == "fragment"
    assert kinds["showed a 1.8 cm acute infarct in the left frontal operculum."] == "fragment"
    assert kinds["CT angiography showed no large vessel occlusion."] == "sentence"
    assert kinds["The patient was admitted."] == "sentence"
    # lower case with no page break between is an ordinary sentence (SumPubMed is all lower case)
    assert {s.kind for s in segment_sentences("the cells grew. they divided twice.")} == {"sentence"}
