"""The contract rules backend: every field answered once, evidence that verification accepts,
clauses found from how they are phrased, and no input that makes it raise."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest

from analysis.embed import Embedder
from analysis.jobs.extract.contracts import ContractRules
from analysis.jobs.extract.facts import CLAUSE, DocumentForExtraction, Fact
from analysis.jobs.extract.fields import CLAUSE_FIELDS, CONTRACT_FIELDS
from analysis.jobs.extract.normalize import JURISDICTIONS, parse_date
from analysis.jobs.extract.verify import verify_facts
from analysis.records import SourceChunk
from analysis.samples import make_document

CONTRACT = (
    "\n\n".join(
        [
            "MASTER SUPPLY AGREEMENT",
            (
                'This Master Supply Agreement (the "Agreement") is entered into as of March 3, 2021 by and between '
                "Acme Widgets, Inc., a Delaware corporation with offices at 1 Main Street, Dover, Delaware "
                '("Supplier"), and Bolt Retail LLC, a Texas limited liability company ("Buyer").'
            ),
            "1. TERM",
            (
                "1.1 Term. This Agreement commences on the Effective Date and continues for three (3) years. "
                "Thereafter it shall automatically renew for successive one (1) year periods unless either party "
                "gives written notice of non-renewal at least ninety (90) days prior to the end of the then-current "
                "term."
            ),
            (
                "1.2 Termination for Convenience. Either party may terminate this Agreement for convenience upon "
                "sixty (60) days' prior written notice to the other party."
            ),
            "2. EXCLUSIVITY",
            (
                "2.1 During the Term, Buyer shall purchase all of its requirements for the Products exclusively from "
                "Supplier, and Supplier appoints Buyer as its exclusive distributor in the Territory."
            ),
            "2.2 Buyer shall purchase a minimum of 10,000 units of Products in each calendar quarter.",
            "3. LIMITATION OF LIABILITY",
            (
                "3.1 In no event shall either party's aggregate liability under this Agreement exceed the fees paid "
                "in the twelve (12) months preceding the claim."
            ),
            (
                "3.2 The limitations in Section 3.1 shall not apply to a party's indemnification obligations, gross "
                "negligence or willful misconduct."
            ),
            "4. GENERAL",
            (
                "4.1 Assignment. Neither party may assign this Agreement without the prior written consent of the "
                "other party, which shall not be unreasonably withheld."
            ),
            (
                "4.2 Insurance. Supplier shall maintain commercial general liability insurance with limits of not "
                "less than $1,000,000 per occurrence."
            ),
            (
                "4.3 Audit. Buyer shall have the right, upon reasonable notice, to audit the books and records of "
                "Supplier relating to the Products."
            ),
            (
                "4.4 Governing Law. This Agreement shall be governed by and construed in accordance with the laws of "
                "the State of New York, without regard to its conflict of laws principles."
            ),
        ]
    )
    + "\n"
)

NO_CLAUSES = """SERVICES ORDER

This order is placed by Acme Widgets, Inc. ("Customer"). The services are described in the schedule.
The price is payable on delivery. Each party shall perform its obligations in a professional manner.
"""


def _rules() -> ContractRules:
    """No chunks in these documents, so the embedder is never asked for; a call would fail the test."""

    def no_embedder() -> Embedder:
        raise AssertionError("the embedder is not needed without chunks")

    return ContractRules(no_embedder)


def _document(text: str, chunks: Sequence[SourceChunk] = ()) -> DocumentForExtraction:
    return DocumentForExtraction(text=text, domain="legal", doc_type="contract", title=None, chunks=chunks)


def _values(facts: Sequence[Fact], name: str) -> list[str]:
    return [f.value for f in facts if f.field == name]


def _check_contract(text: str, facts: Sequence[Fact]) -> None:
    """The contract every fact must keep: evidence in the text, raw inside it, one flag per clause."""
    verified = verify_facts(text, facts)
    assert not verified.rejected, verified.rejected
    for spec in CLAUSE_FIELDS:
        flags = [f for f in facts if f.field == spec.name]
        assert len(flags) == 1 and flags[0].kind == CLAUSE and flags[0].value in ("yes", "no"), spec.name
        flag = flags[0]
        if flag.value == "no":
            assert flag.start is None and flag.end is None
        else:
            assert flag.start is not None and flag.end is not None and flag.end - flag.start < 3000
    for fact in facts:
        assert 0.0 <= fact.confidence <= 1.0
        if fact.start is not None and fact.end is not None and fact.raw is not None:
            assert fact.raw in text[fact.start : fact.end]


def test_identity() -> None:
    assert ContractRules.name == "contract_rules" and ContractRules.version == "1"


def test_reads_the_terms_of_a_written_contract() -> None:
    extraction = _rules().extract(_document(CONTRACT))
    facts = extraction.facts
    assert not extraction.problems
    _check_contract(CONTRACT, facts)
    assert _values(facts, "document_name") == ["MASTER SUPPLY AGREEMENT"]
    assert _values(facts, "agreement_date") == ["2021-03-03"]
    assert _values(facts, "governing_law") == ["New York"]
    assert _values(facts, "renewal_term") == ["P1Y"]
    assert _values(facts, "notice_period") == ["P90D"]
    parties = {f.value: f.attributes.get("role") for f in facts if f.field == "party"}
    assert parties == {"Acme Widgets, Inc.": "Supplier", "Bolt Retail LLC": "Buyer"}
    law = next(f for f in facts if f.field == "governing_law")
    assert law.raw == "the laws of the State of New York"
    date = next(f for f in facts if f.field == "agreement_date")
    assert date.raw is not None and parse_date(date.raw) is not None


@pytest.mark.parametrize(
    ("field", "phrase"),
    [
        ("termination_for_convenience", "terminate this Agreement for convenience"),
        ("exclusivity", "exclusively from Supplier"),
        ("minimum_commitment", "minimum of 10,000 units"),
        ("cap_on_liability", "aggregate liability"),
        ("uncapped_liability", "shall not apply to a party's indemnification"),
        ("anti_assignment", "Neither party may assign"),
        ("insurance", "liability insurance"),
        ("audit_rights", "audit the books and records"),
    ],
)
def test_clause_evidence_is_the_clause(field: str, phrase: str) -> None:
    facts = _rules().extract(_document(CONTRACT)).facts
    flag = next(f for f in facts if f.field == field)
    assert flag.value == "yes"
    assert flag.start is not None and flag.end is not None
    evidence = CONTRACT[flag.start : flag.end]
    assert phrase in evidence
    assert "\n\n" not in evidence  # a sentence, not the whole section


@pytest.mark.parametrize(
    "field",
    [
        "change_of_control",
        "non_compete",
        "no_solicit",
        "liquidated_damages",
        "ip_ownership_assignment",
        "license_grant",
        "most_favored_nation",
        "post_termination_services",
        "warranty_duration",
        "third_party_beneficiary",
    ],
)
def test_absent_clauses_are_no(field: str) -> None:
    facts = _rules().extract(_document(CONTRACT)).facts
    assert _values(facts, field) == ["no"]


@pytest.mark.parametrize(
    ("field", "sentence"),
    [
        (
            "anti_assignment",
            "Licensee shall not assign or transfer any of its rights hereunder without Licensor's prior written"
            " consent.",
        ),
        (
            "change_of_control",
            "Any change of control of Distributor shall be deemed an assignment requiring the consent of Company.",
        ),
        (
            "non_compete",
            "During the Term, Consultant shall not, directly or indirectly, engage in any business that competes"
            " with the Company.",
        ),
        (
            "no_solicit",
            "Neither party shall solicit for employment any employee of the other party during the Term and for one"
            " year thereafter.",
        ),
        (
            "liquidated_damages",
            "The parties agree that the sum of $50,000 is a reasonable estimate and shall be paid as liquidated"
            " damages.",
        ),
        (
            "ip_ownership_assignment",
            "Contractor hereby assigns to Company all right, title and interest in and to the Work Product.",
        ),
        (
            "license_grant",
            "Licensor hereby grants to Licensee a non-exclusive, non-transferable license to use the Software.",
        ),
        (
            "most_favored_nation",
            "If Supplier offers lower prices for the Products to any other customer, Supplier shall offer the same"
            " prices to Buyer.",
        ),
        (
            "post_termination_services",
            "Upon termination of this Agreement, Supplier shall continue to provide transition services for ninety"
            " (90) days.",
        ),
        (
            "warranty_duration",
            "Supplier warrants that the Products will be free from defects for a period of twelve (12) months from"
            " delivery.",
        ),
        ("third_party_beneficiary", "Each Indemnified Party is an intended third party beneficiary of this Section 9."),
        (
            "cap_on_liability",
            "In no event shall Supplier be liable for any indirect, incidental or consequential damages.",
        ),
        (
            "termination_for_convenience",
            "Company may terminate this Agreement at any time, without cause, upon thirty (30) days written notice.",
        ),
    ],
)
def test_each_clause_from_its_usual_phrasing(field: str, sentence: str) -> None:
    text = f"AGREEMENT\n\nThe parties agree as follows.\n\n{sentence}\n\nThe parties have signed this Agreement.\n"
    facts = _rules().extract(_document(text)).facts
    flag = next(f for f in facts if f.field == field)
    assert flag.value == "yes", field
    assert flag.start is not None and text[flag.start : flag.end] == sentence


def test_look_alike_phrases_are_not_clauses() -> None:
    text = (
        "AGREEMENT\n\nThe parties submit to the exclusive jurisdiction of the courts of Ohio. "
        "Distributor is appointed as a non-exclusive distributor of the Products in the Territory. "
        "Each party is duly organized under the laws of the State of Nevada. "
        "The parties may solicit orders for the Products from customers in the Territory.\n"
    )
    facts = _rules().extract(_document(text)).facts
    assert _values(facts, "exclusivity") == ["no"]
    assert _values(facts, "no_solicit") == ["no"]
    assert _values(facts, "governing_law") == []  # where a party is organised is not the governing law


def test_a_document_without_clauses() -> None:
    extraction = _rules().extract(_document(NO_CLAUSES))
    _check_contract(NO_CLAUSES, extraction.facts)
    assert all(f.value == "no" for f in extraction.facts if f.kind == CLAUSE)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\u0301" * 5000,  # only combining marks
        "本契約はニューヨーク州法に準拠する。当事者は以下のとおり合意する。" * 200,
        "Dieser Vertrag unterliegt deutschem Recht. " * 500,
        "A" * 300_000,
        "." * 100_000,
        ("x " * 2000 + "\n") * 20,
        "\x00\ufffd\ud7ff" * 1000,
        "(" * 5000 + '"' * 5000,
        "IN WITNESS WHEREOF " + "ACME INC.  " * 3000,
        'Party A: (the "Company") ' * 800 + "WHEREAS",
        "The term of this Lease begins on February 29, 2024 and expires on the last day of the 999th full calendar "
        "month thereafter. This Agreement shall remain in effect for the period of 9999 years.",
    ],
    ids=[
        "empty",
        "blank",
        "combining",
        "japanese",
        "german",
        "one-word",
        "dots",
        "no-stops",
        "control",
        "brackets",
        "signatures",
        "labels",
        "huge-term",
    ],  # fmt: skip
)
def test_never_raises(text: str) -> None:
    extraction = _rules().extract(_document(text))
    assert not extraction.problems
    assert {f.field for f in extraction.facts if f.kind == CLAUSE} == {s.name for s in CLAUSE_FIELDS}
    _check_contract(text, extraction.facts)


@pytest.mark.parametrize("kind", ["services_agreement", "nda", "lease"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_contracts(kind: str, seed: int) -> None:
    sample = make_document(kind, seed=seed)
    extraction = _rules().extract(_document(sample.text))
    assert not extraction.problems
    facts = extraction.facts
    _check_contract(sample.text, facts)
    laws = _values(facts, "governing_law")
    assert len(laws) == 1 and laws[0] in JURISDICTIONS
    assert len(_values(facts, "agreement_date")) == 1
    assert len(_values(facts, "party")) >= 2
    for fact in facts:
        assert fact.field in {s.name for s in CONTRACT_FIELDS + CLAUSE_FIELDS}


# --------------------------------------------------------------------------- with stored-like chunks


def _chunks(text: str, embedder: Embedder) -> list[SourceChunk]:
    """Chunks as the pipeline stores them: paragraphs with offsets, the heading above as section,
    and vectors from the real model."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]
    vectors = embedder.encode([text[s:e] for s, e in spans])
    chunks, section = [], None
    for i, ((s, e), vector) in enumerate(zip(spans, vectors, strict=True)):
        body = text[s:e]
        if body.isupper() and len(body) < 80:
            section = body.strip()
        chunks.append(
            SourceChunk(
                id=i,
                ordinal=i,
                text=body,
                page_start=1,
                page_end=1,
                section=section,
                n_tokens=len(body.split()),
                vector=np.asarray(vector),
                char_start=s,
                char_end=e,
            )
        )
    return chunks


def test_with_chunks_and_the_real_embedder(embedder: Embedder) -> None:
    """The vectors and sections join the patterns; the answers stay those the text supports."""
    calls = []

    def factory() -> Embedder:
        calls.append(1)
        return embedder

    rules = ContractRules(factory)
    extraction = rules.extract(_document(CONTRACT, _chunks(CONTRACT, embedder)))
    assert not extraction.problems
    _check_contract(CONTRACT, extraction.facts)
    assert _values(extraction.facts, "governing_law") == ["New York"]
    assert _values(extraction.facts, "anti_assignment") == ["yes"]
    assert _values(extraction.facts, "non_compete") == ["no"]
    rules.extract(_document(CONTRACT, _chunks(CONTRACT, embedder)))
    assert len(calls) == 1  # the descriptions are encoded once per backend


def test_chunks_with_foreign_vectors_are_ignored(embedder: Embedder) -> None:
    """Vectors of another size (another model) cannot be compared: patterns alone answer."""
    chunks = [
        SourceChunk(
            id=1,
            ordinal=0,
            text=CONTRACT,
            page_start=1,
            page_end=1,
            section=None,
            n_tokens=10,
            vector=np.ones(7),
            char_start=0,
            char_end=len(CONTRACT),
        )
    ]
    extraction = ContractRules(lambda: embedder).extract(_document(CONTRACT, chunks))
    assert not extraction.problems
    assert _values(extraction.facts, "governing_law") == ["New York"]


_TRUTH_FIELDS = (
    "governing_law",
    "agreement_date",
    "effective_date",
    "expiration_date",
    "renewal_term",
    "notice_period",
)


@pytest.mark.parametrize("kind", ["services_agreement", "nda", "lease"])
def test_generated_contracts_match_their_truth(kind: str) -> None:
    """What the SQL tests assert: for 30 seeds of each kind, the stored (verified) facts are exactly
    the generator's truth, the expiration derived from the effective date and the term included."""
    rules = _rules()
    wrong = []
    for seed in range(30):
        sample = make_document(kind, seed=seed)
        kept = verify_facts(sample.text, rules.extract(_document(sample.text)).facts).kept
        got: dict[str, object] = {
            name: next((f.value for f in kept if f.field == name), None) for name in _TRUTH_FIELDS
        }
        got["parties"] = sorted(f.value for f in kept if f.field == "party")
        got["clauses"] = {spec.name: _values(kept, spec.name) == ["yes"] for spec in CLAUSE_FIELDS}
        want = {name: sample.truth[name] for name in _TRUTH_FIELDS}
        want["parties"] = sorted(p["name"] for p in sample.truth["parties"])
        want["clauses"] = sample.truth["clauses"]
        wrong += [(seed, name, got[name], want[name]) for name in want if got[name] != want[name]]
    assert not wrong, wrong[:5]


def test_derived_expiration_carries_its_derivation() -> None:
    text = (
        'This Agreement is entered into as of March 3, 2021 (the "Effective Date") by and between Acme Widgets, Inc. '
        '("Supplier") and Bolt Retail LLC ("Buyer").\n\n'
        "This Agreement shall continue in effect for a period of five (5) years from the Effective Date.\n"
    )
    facts = verify_facts(text, _rules().extract(_document(text)).facts).kept
    expiry = next(f for f in facts if f.field == "expiration_date")
    assert expiry.value == "2026-03-03" and expiry.raw == "five (5) years"
    assert expiry.attributes == {"rule": "after", "term": "P5Y", "start": "2021-03-03"}


def test_clause_evidence_is_its_paragraph_within_the_clause() -> None:
    text = (
        "MASTER SERVICES AGREEMENT\n\n"
        "11. Assignment. Neither party may assign this Agreement without the prior written consent of the other "
        "party. Any attempted assignment in breach of this Section is void. This Section binds successors.\n\n"
        "12. Notices. All notices shall be in writing and delivered by hand.\n"
    )
    facts = _rules().extract(_document(text)).facts
    fact = next(f for f in facts if f.field == "anti_assignment")
    assert fact.value == "yes" and fact.start is not None and fact.end is not None
    evidence = text[fact.start : fact.end]
    assert "Neither party may assign" in evidence and "binds successors" in evidence
    assert "Notices" not in evidence and len(evidence) <= 1_500
    assert verify_facts(text, facts).rejected == []


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        ("This Agreement is made between Bluefly, Inc. and IBM will provide Web hosting services.", "IBM"),
        ("Parties to this agreement SILICON SMELTERS (PTY) LTD", "SILICON SMELTERS (PTY) LTD"),
    ],
)
def test_party_names_end_where_the_name_does(preamble: str, expected: str) -> None:
    from analysis.jobs.extract.contracts import _tidy_party

    start = preamble.index("IBM") if "IBM" in preamble else 0
    raw = preamble[start:].rstrip(".")
    fact = _tidy_party(Fact("contract", "party", raw, start, start + len(raw), raw=raw))
    assert fact is not None and fact.value == expected
    assert verify_facts(preamble, [fact]).rejected == []
