"""Domain and document-type classification on inline texts and on the eval sets."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import eval_text_files as _eval_files

from analysis.ingest.classify import DOC_TYPES, classify_document
from analysis.records import DOMAINS, Classification

NDA = """MUTUAL NON-DISCLOSURE AGREEMENT

This Mutual Non-Disclosure Agreement (the "Agreement") is entered into as of March 1, 2024 (the "Effective Date")
by and between Acme Corp. ("Acme") and Beta LLC ("Beta"), each a "Party" and together the "Parties".

WHEREAS, the Parties wish to explore a business relationship and may disclose Confidential Information;

1. Confidential Information. "Confidential Information" means any non-public information disclosed by the
Disclosing Party to the Receiving Party, whether orally or in writing.

2. Obligations. The Receiving Party shall hold the Confidential Information in strict confidence and shall not
disclose it to any third party without the prior written consent of the Disclosing Party.

3. Governing Law. This Agreement shall be governed by the laws of the State of New York.

IN WITNESS WHEREOF, the Parties have executed this Agreement as of the Effective Date.
"""

LEASE = """RESIDENTIAL LEASE AGREEMENT

This Lease Agreement is made between John Smith (the "Landlord") and Jane Doe (the "Tenant"). The Landlord hereby
leases to the Tenant the premises located at 12 Elm Street for a term of twelve months.

1. Rent. The Tenant shall pay monthly rent of $1,500 on the first day of each month.
2. Security Deposit. The Tenant shall pay a security deposit of $1,500, which the Landlord shall hold.
3. Governing Law. This Lease shall be governed by the laws of the State of Ohio. The parties agree hereto.
"""

SERVICES = """CONSULTING SERVICES AGREEMENT

This Consulting Services Agreement (the "Agreement") is entered into by and between Gamma Inc. (the "Company")
and Delta Partners LLC (the "Consultant"). The Consultant shall provide the services described in the Statement
of Work (the "Services"). The Company shall pay the fees set forth herein. Either party may terminate this
Agreement upon thirty days' notice. The Consultant shall indemnify the Company against claims arising from the
Services. This Agreement shall be governed by the laws of Delaware.
"""

SUPPLY = """SUPPLY AGREEMENT

This Supply Agreement is entered into by and between Omega Corp. (the "Supplier") and Sigma Ltd. (the "Buyer").
WHEREAS, the Buyer wishes to purchase products from the Supplier; NOW, THEREFORE, the parties agree as follows.
The Supplier shall deliver the products and the Buyer shall pay the price within thirty days. Each party shall
indemnify the other for breach of its warranties hereunder. This Agreement is governed by the laws of Texas.
"""

OPINION = """IN THE SUPREME COURT OF THE STATE OF CALIFORNIA

JOHN DOE, Plaintiff and Appellant,
v.
ACME CORPORATION, Defendant and Respondent.

OPINION

The plaintiff appeals from a judgment entered after the trial court granted summary judgment for the defendant.
The Court of Appeal affirmed. We granted review to decide whether the statute of limitations bars the claim.
We conclude that it does not, and we reverse the judgment of the Court of Appeal and remand.
"""

STATUTE = """THE SALE OF GOODS ACT, 1930

CHAPTER I
PRELIMINARY

Article 1
This Act may be called the Sale of Goods Act, 1930, and it shall come into force on the first day of July.

Article 2
In this Act, unless there is anything repugnant in the subject or context, "buyer" means a person who buys goods.

§ 3 Application of provisions of the Contract Act. The provisions of the Indian Contract Act shall apply.
"""

DISCHARGE = """DISCHARGE SUMMARY

DATE OF ADMISSION:  01/02/2020
DATE OF DISCHARGE:  01/05/2020

DISCHARGE DIAGNOSES:
1.  Community-acquired pneumonia.
2.  Hypertension.

HOSPITAL COURSE:  The patient is a 67-year-old male admitted with fever and cough.  Chest x-ray showed a right
lower lobe infiltrate.  He was treated with ceftriaxone and azithromycin and improved.

DISCHARGE MEDICATIONS:
1.  Lisinopril 10 mg daily.
2.  Amoxicillin 875 mg twice daily for 5 days.

CONDITION AT DISCHARGE:  Stable.
"""

RADIOLOGY = """EXAM:  MRI of the brain without and with contrast.

CLINICAL HISTORY:  A 45-year-old female with headaches.

TECHNIQUE:  Multiplanar, multisequence MR images of the brain were obtained before and after contrast.

COMPARISON:  CT head from 01/01/2020.

FINDINGS:  There is no acute infarct on diffusion-weighted images.  No mass lesion or abnormal enhancement.
The ventricles are normal in size.  Axial T2-weighted images show no white matter abnormality.

IMPRESSION:  Normal MRI of the brain.  No acute intracranial abnormality.
"""

OPERATIVE = """PREOPERATIVE DIAGNOSIS:  Acute appendicitis.

POSTOPERATIVE DIAGNOSIS:  Acute appendicitis.

PROCEDURE PERFORMED:  Laparoscopic appendectomy.

ANESTHESIA:  General endotracheal.

ESTIMATED BLOOD LOSS:  Minimal.

DESCRIPTION OF PROCEDURE:  The patient was taken to the operating room and placed supine.  The abdomen was prepped
and draped in the usual sterile fashion.  A periumbilical incision was made and the appendix was removed.
The patient tolerated the procedure well.
"""

SOAP = """SUBJECTIVE:  The patient is a 54-year-old female who returns for follow-up of diabetes.  She feels well.
No chest pain or shortness of breath.

OBJECTIVE:  Blood pressure 128/76, pulse 70.  Lungs clear.  Heart regular rate and rhythm.

ASSESSMENT:  Type 2 diabetes, controlled.

PLAN:  Continue metformin 500 mg twice daily.  Follow up in 3 months.
"""

HP = """HISTORY AND PHYSICAL

CHIEF COMPLAINT:  Chest pain.

HISTORY OF PRESENT ILLNESS:  The patient is a 60-year-old male with chest pain for two hours.

PAST MEDICAL HISTORY:  Hypertension.

MEDICATIONS:  Aspirin 81 mg daily.

ALLERGIES:  No known drug allergies.

SOCIAL HISTORY:  Nonsmoker.

REVIEW OF SYSTEMS:  Negative except as above.

PHYSICAL EXAMINATION:  Blood pressure 150/90.  Lungs clear.

ASSESSMENT AND PLAN:  Chest pain.  Admit to telemetry.
"""

CONSULT = """REASON FOR CONSULTATION:  Evaluation of acute kidney injury.

HISTORY OF PRESENT ILLNESS:  I was asked by Dr. Smith to see this 70-year-old patient with a rising creatinine.
The patient was admitted with pneumonia.

PHYSICAL EXAMINATION:  Blood pressure 110/70.  No edema.

IMPRESSION:  Prerenal azotemia.

RECOMMENDATIONS:  Hold lisinopril.  Thank you for this consultation.
"""

RECIPE = """Classic Pancakes

Ingredients: two cups of flour, two eggs, one and a half cups of milk, a pinch of salt and a spoon of sugar.
Whisk the eggs and milk, fold in the flour, and let the batter rest for ten minutes. Heat a buttered pan over
medium heat, pour a ladle of batter and cook until bubbles form, then flip and cook for another minute.
Serve warm with maple syrup and fresh berries.
"""

NEWS = """The city council voted on Tuesday to expand the downtown bike lane network, adding twelve miles of
protected lanes over the next two years. Supporters said the plan would make commuting safer, while some
shop owners worried about the loss of parking. The mayor is expected to sign the measure next week.
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (NDA, Classification("legal", "nda")),
        (LEASE, Classification("legal", "lease")),
        (SERVICES, Classification("legal", "services_agreement")),
        (SUPPLY, Classification("legal", "contract")),
        (OPINION, Classification("legal", "court_opinion")),
        (STATUTE, Classification("legal", "statute")),
        (DISCHARGE, Classification("medical", "discharge_summary")),
        (RADIOLOGY, Classification("medical", "radiology_report")),
        (OPERATIVE, Classification("medical", "operative_report")),
        (SOAP, Classification("medical", "progress_note")),
        (HP, Classification("medical", "history_and_physical")),
        (CONSULT, Classification("medical", "consultation")),
        (RECIPE, Classification("other", "other")),
        (NEWS, Classification("other", "other")),
        ("", Classification("other", "other")),
    ],
    ids=[
        "nda",
        "lease",
        "services",
        "supply",
        "opinion",
        "statute",
        "discharge",
        "radiology",
        "operative",
        "soap",
        "h_and_p",
        "consult",
        "recipe",
        "news",
        "empty",
    ],
)
def test_inline_documents(text: str, expected: Classification) -> None:
    assert classify_document(text) == expected


def test_doc_types_cover_every_domain() -> None:
    assert set(DOC_TYPES) == set(DOMAINS)
    assert DOC_TYPES["other"] == ("other",)
    assert "contract" in DOC_TYPES["legal"] and "clinical_note" in DOC_TYPES["medical"]


def test_results_are_always_valid_types() -> None:
    for text in (NDA, SOAP, RECIPE, "shall " * 50, "patient mg " * 50, "x" * 100_000):
        c = classify_document(text)
        assert c.doc_type in DOC_TYPES[c.domain]


def test_filename_hints_break_ties() -> None:
    # The same brief clinical text, named like a radiology or an operative report.
    text = "The patient tolerated it well.  Findings were normal.  No complications.  Impression: normal study."
    assert classify_document(text, filename="scans/ct_chest_radiology_report.txt").doc_type == "radiology_report"
    assert classify_document(text, filename="/data/operative_note_17.pdf").doc_type == "operative_report"
    # A generic legal text becomes a lease when its name says so.
    legal = SUPPLY.replace("SUPPLY AGREEMENT", "AGREEMENT").replace("Supply Agreement", "Agreement")
    assert classify_document(legal, filename="office_lease_2021.pdf") == Classification("legal", "lease")


def test_only_the_head_of_long_documents_is_read() -> None:
    # Evidence past the scanned prefix does not change the answer.
    text = RECIPE + " " * 25_000 + DISCHARGE * 20
    assert classify_document(text).domain == "other"


# --------------------------------------------------------------------------- #
# Real evaluation documents (read in place, never copied)
# --------------------------------------------------------------------------- #


_MTS_BODY = re.compile(r"\(Medical Transcription Sample Report\)\s*-+\s*", re.IGNORECASE)


def _mtsamples_body(text: str) -> str:
    """The note without MTSamples' own header lines, which real documents do not have."""
    m = _MTS_BODY.search(text)
    return text[m.end() :] if m else text


@pytest.mark.eval
def test_cuad_contracts_are_legal() -> None:
    files = _eval_files("legal_cuad_pdfs/txt")
    results = [classify_document(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    legal = sum(r.domain == "legal" for r in results)
    assert legal / len(files) >= 0.95, Counter(r.domain for r in results)
    assert {r.doc_type for r in results} <= {"contract", "services_agreement", "nda", "lease", "legal_other"}


@pytest.mark.eval
def test_mtsamples_notes_are_medical() -> None:
    files = _eval_files("medical_mtsamples/txt")
    results = [classify_document(_mtsamples_body(p.read_text(encoding="utf-8", errors="replace"))) for p in files]
    medical = sum(r.domain == "medical" for r in results)
    assert medical / len(files) >= 0.95, Counter(r.domain for r in results)
    # Discharge summaries are the most reliably marked type; most must be recognised.
    named = [
        (p, r)
        for p, r in zip(files, results, strict=True)
        if "Sample Name: Discharge Summary" in p.read_text(encoding="utf-8", errors="replace")
    ]
    if named:
        hits = sum(r.doc_type == "discharge_summary" for _, r in named)
        assert hits / len(named) >= 0.8


@pytest.mark.eval
def test_indian_judgments_are_court_opinions() -> None:
    files = _eval_files("legal_court_opinions_india/judgment_reports/Judgment")
    results = [classify_document(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    assert sum(r == Classification("legal", "court_opinion") for r in results) / len(files) >= 0.9


def test_an_agreement_that_cites_acts_is_a_contract_not_a_statute() -> None:
    text = (
        "DISTRIBUTOR AGREEMENT\n\nby and between\n\nPEREGRINE SOFTWARE CORPORATION\n\nand\n\nNEON SYSTEMS, INC.\n\n"
        "Article 1\nThis Agreement is subject to the Export Administration Act, 1979 and the Securities Act, 1933.\n"
        "Article 2\nThe Code of Federal Regulations and the statute of frauds apply as the Act requires.\n"
    )
    assert classify_document(text).doc_type == "contract"
