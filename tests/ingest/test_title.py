from __future__ import annotations

import pytest

from analysis.ingest.title import TITLE_CHARS, document_title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("EXHIBIT 10.11\n\nAFFILIATE OFFICE AGREEMENT\n\nThis Affiliate Office Agreement is made ...",
         "AFFILIATE OFFICE AGREEMENT"),
        ("Exhibit 10.34\nCONFIDENTIAL TREATMENT REQUESTED\nDEVELOPMENT AGREEMENT\nThis Development Agreement ...",
         "DEVELOPMENT AGREEMENT"),
        ("Sample Type / Medical Specialty:  General Medicine\n\nSample Name: Discharge Summary - 4 \n"
         "Description: A female with the past medical history of Ewing sarcoma.\n", "Discharge Summary"),
        ("Title: Quarterly Safety Review\nAuthor: J. Doe\n\nThe review found ...", "Quarterly Safety Review"),
        ("EXHIBIT 4                                 AFFILIATE AGREEMENT          -------------------\n\nGentlemen:",
         "AFFILIATE AGREEMENT"),
        ("Exhibit 4.17 EXECUTION COPY SUPPLY AGREEMENT FERRER INTERNACIONAL, S.A. [***] = CERTAIN CONFIDENTIAL "
         "INFORMATION ... HAS BEEN OMITTED.", "SUPPLY AGREEMENT"),
        ("Supreme Court of India\nA. K. Kraipak & Ors. Etc vs Union Of India & Ors on 29 April, 1969\n"
         "Bench: Hidayatullah, M. (Cj)\nPETITIONER:\nA. K. KRAIPAK & ORS. ETC.",
         "A. K. Kraipak & Ors. Etc vs Union Of India & Ors"),
        ("1\n\nSPONSORSHIP AGREEMENT\n\nTHIS AGREEMENT, made this 1st day of July, 1996 ...", "SPONSORSHIP AGREEMENT"),
        ("Exhibit 10.27\ne-business Hosting Agreement\nbetween\nBluefly, Inc.", "e-business Hosting Agreement"),
        ("DISCHARGE SUMMARY\nPatient: Jane Roe\nThe patient was admitted ...", "DISCHARGE SUMMARY"),
        ("Minutes of the board meeting held on 3 May.\nPresent: all members.",
         "Minutes of the board meeting held on 3 May"),
    ],
)  # fmt: skip
def test_the_title_comes_from_the_documents_own_title_block(text: str, title: str) -> None:
    assert document_title(text) == title


def test_a_patients_name_field_is_never_the_title() -> None:
    assert document_title("Patient Name: John Smith\nName: John Smith\nPROGRESS NOTE\nHe is well.") == "PROGRESS NOTE"


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", "\u0301\u0308" * 100, "1" * 50_000, "nospaces" * 5_000, "EXHIBIT 10.11\n- 2 -\n", "\x00\ud800"],
)
def test_strange_input_never_raises_and_stays_bounded(text: str) -> None:
    title = document_title(text)
    assert title is None or len(title) <= TITLE_CHARS
    assert (title is None) == (not text.strip())
