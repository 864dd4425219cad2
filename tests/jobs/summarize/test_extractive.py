"""Which sentences the extractive summarizer may quote: never a header, a field line or page furniture."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.embed import Embedder
from analysis.jobs.summarize.extractive import ExtractiveSummarizer, _good_summary_sentence, chunk_statements
from analysis.jobs.summarize.summarizers import DocumentForSummary

NOTE = (
    "Sample Type / Medical Specialty:  General Medicine\n\n"
    "Sample Name: Discharge Summary - 4 \n"
    "Description: A female with the past medical history of Ewing sarcoma, iron deficiency anemia, and obesity.\n\n"
    "(Medical Transcription Sample Report)\n\n-----\n\n"
    "HISTORY OF PRESENT ILLNESS:  Ms. XXX is a pleasant 37-year-old female with the past medical history of "
    "Ewing sarcoma.  She presented initially with a left frontal orbital swelling to Dr. XYZ on MM/DD/YYYY.\n"
)
CONTRACT = (
    "EXHIBIT 10.34\n\nDEVELOPMENT AGREEMENT\n\n"
    "2.4.2 In the event Cargill does not achieve a given Milestone, the total payment due Cargill under this "
    "Development\nAgreement equals One Million Fifty Thousand U.S. Dollars (US $1,050,000.00).\n"
    "2.4.3 Provided that Cargill has achieved the Milestones, Bioamber shall pay the balance within thirty days.\n"
    "- 7 -\n"
)


def test_a_note_gives_its_sentences_not_its_headers() -> None:
    statements = chunk_statements(NOTE)
    assert statements == [
        "Ms. XXX is a pleasant 37-year-old female with the past medical history of Ewing sarcoma.",
        "She presented initially with a left frontal orbital swelling to Dr. XYZ on MM/DD/YYYY.",
    ]
    assert not any("Sample" in s or "Description" in s or "Specialty" in s for s in statements)


def test_a_contract_sentence_keeps_its_abbreviation_and_loses_its_clause_number() -> None:
    statements = chunk_statements(CONTRACT)
    assert statements[0].startswith("In the event Cargill") and statements[0].endswith("(US $1,050,000.00).")
    assert statements[1].startswith("Provided that Cargill")
    assert len(statements) == 2 and all(_good_summary_sentence(s) for s in statements)


@pytest.mark.parametrize(
    "text",
    [
        "Sample Name: Discharge Summary - 4 Description: A female with the past medical history of sarcoma.",
        "EXHIBIT 10.11 AFFILIATE OFFICE AGREEMENT BETWEEN THE PARTIES NAMED BELOW AND THEIR SUCCESSORS.",
        "Description: A female with the past medical history of Ewing sarcoma, anemia and obesity.",
        "CERTAIN PORTIONS OF THIS DOCUMENT HAVE BEEN OMITTED PURSUANT TO A CONFIDENTIAL TREATMENT REQUEST.",
        "too short.",
        "and the Company shall pay the amount due without any set-off or deduction whatsoever",
    ],
)
def test_headers_fragments_and_field_lines_are_not_summary_sentences(text: str) -> None:
    assert not _good_summary_sentence(text)


@pytest.mark.parametrize("text", ["", "\u0301" * 40, "1" * 50_000, "EXHIBIT 10.11\n\n- 2 -\n", "x" * 100_000])
def test_strange_chunks_give_no_statement_and_never_raise(text: str) -> None:
    assert all(_good_summary_sentence(s) in (True, False) for s in chunk_statements(text))


def test_central_sentences_come_most_central_first(lease: DocumentForSummary, embedder: Embedder) -> None:
    """A verified summary fills an empty slot with the most central sentence, not the earliest of the pick."""
    summarizer = ExtractiveSummarizer(lambda: embedder, embedding_model_id=embedder.model_id, sentences=6)
    ranked = summarizer.central_sentences(lease, 6)
    summary = summarizer.summarize(lease).text
    assert len(ranked) == 6 and all(s in summary for s in ranked)
    positions = [lease.text.find(s[:40]) for s in ranked]
    assert sorted(positions) != positions, "MMR's order, which differs from reading order on this lease"
    centroid = np.vstack([c.vector for c in lease.chunks]).mean(axis=0)
    similarity = embedder.encode(ranked) @ (centroid / np.linalg.norm(centroid))
    assert similarity[0] == similarity.max(), "the first is the sentence closest to the whole document"
