"""The catalogue of what the extract job reads: field names, the CUAD category each contract
field follows, and a one-sentence description (used to find candidate clauses by similarity).

The names are the SQL contract: the analyst views pivot on them, so renaming one is a
schema change (and a new ``schema_hash``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.jobs.extract.facts import DocumentForExtraction


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # facts.CONTRACT, CLAUSE, JUDGMENT or CLINICAL
    value: str  # what the value is: "text", "date", "period", "jurisdiction", "yes/no", "name", "outcome"
    description: str
    cuad: tuple[str, ...] = ()  # the CUAD master_clauses.csv column(s) it follows


CONTRACT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("document_name", "contract", "text", "The name of the contract.", ("Document Name",)),
    FieldSpec("party", "contract", "name", "The two or more parties who signed the contract.", ("Parties",)),
    FieldSpec("agreement_date", "contract", "date", "The date of the contract.", ("Agreement Date",)),
    FieldSpec("effective_date", "contract", "date", "The date when the contract is effective.", ("Effective Date",)),
    FieldSpec(
        "expiration_date",
        "contract",
        "date",
        "On what date will the contract's initial term expire?",
        ("Expiration Date",),
    ),
    FieldSpec(
        "renewal_term",
        "contract",
        "period",
        "What is the renewal term after the initial term expires? This includes automatic extensions and"
        " unilateral extensions with prior notice.",
        ("Renewal Term",),
    ),
    FieldSpec(
        "notice_period",
        "contract",
        "period",
        "What is the notice period required to terminate renewal?",
        ("Notice Period To Terminate Renewal",),
    ),
    FieldSpec(
        "governing_law",
        "contract",
        "jurisdiction",
        "Which state/country's law governs the interpretation of the contract?",
        ("Governing Law",),
    ),
)

# Clause categories: "yes" with the clause as evidence, or "no". Descriptions follow CUAD_v1_README.
CLAUSE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "termination_for_convenience",
        "clause",
        "yes/no",
        "Can a party terminate this contract without cause (solely by giving a notice and allowing a waiting period"
        " to expire)?",
        ("Termination For Convenience",),
    ),
    FieldSpec(
        "anti_assignment",
        "clause",
        "yes/no",
        "Is consent or notice required of a party if the contract is assigned to a third party?",
        ("Anti-Assignment",),
    ),
    FieldSpec(
        "change_of_control",
        "clause",
        "yes/no",
        "Does one party have the right to terminate or is consent or notice required of the counterparty if such"
        " party undergoes a change of control, such as a merger, stock sale, transfer of all or substantially"
        " all of its assets or business, or assignment by operation of law?",
        ("Change Of Control",),
    ),
    FieldSpec(
        "non_compete",
        "clause",
        "yes/no",
        "Is there a restriction on the ability of a party to compete with the counterparty or operate in a certain"
        " geography or business or technology sector?",
        ("Non-Compete",),
    ),
    FieldSpec(
        "exclusivity",
        "clause",
        "yes/no",
        "Is there an exclusive dealing commitment with the counterparty? This includes a commitment to procure all"
        ' "requirements" from one party of certain technology, goods, or services or a prohibition on licensing'
        " or selling technology, goods or services to third parties, or a prohibition on collaborating or"
        " working with other parties), whether during the contract or after the contract ends (or both).",
        ("Exclusivity",),
    ),
    FieldSpec(
        "no_solicit",
        "clause",
        "yes/no",
        "Is a party restricted from contracting or soliciting customers or partners of the counterparty, or from"
        " soliciting or hiring employees and/or contractors from the counterparty, whether during the contract"
        " or after the contract ends (or both)?",
        ("No-Solicit Of Customers", "No-Solicit Of Employees"),
    ),
    FieldSpec(
        "cap_on_liability",
        "clause",
        "yes/no",
        "Does the contract include a cap on liability upon the breach of a party's obligation? This includes time"
        " limitation for the counterparty to bring claims or maximum amount for recovery.",
        ("Cap On Liability",),
    ),
    FieldSpec(
        "uncapped_liability",
        "clause",
        "yes/no",
        "Is a party's liability uncapped upon the breach of its obligation in the contract? This also includes uncap"
        " liability for a particular type of breach such as IP infringement or breach of confidentiality"
        " obligation.",
        ("Uncapped Liability",),
    ),
    FieldSpec(
        "liquidated_damages",
        "clause",
        "yes/no",
        "Does the contract contain a clause that would award either party liquidated damages for breach or a fee"
        " upon the termination of a contract (termination fee)?",
        ("Liquidated Damages",),
    ),
    FieldSpec(
        "audit_rights",
        "clause",
        "yes/no",
        "Does a party have the right to audit the books, records, or physical locations of the counterparty to"
        " ensure compliance with the contract?",
        ("Audit Rights",),
    ),
    FieldSpec(
        "insurance",
        "clause",
        "yes/no",
        "Is there a requirement for insurance that must be maintained by one party for the benefit of the"
        " counterparty?",
        ("Insurance",),
    ),
    FieldSpec(
        "ip_ownership_assignment",
        "clause",
        "yes/no",
        "Does intellectual property created by one party become the property of the counterparty, either per the"
        " terms of the contract or upon the occurrence of certain events?",
        ("Ip Ownership Assignment",),
    ),
    FieldSpec(
        "license_grant",
        "clause",
        "yes/no",
        "Does the contract contain a license granted by one party to its counterparty?",
        ("License Grant",),
    ),
    FieldSpec(
        "minimum_commitment",
        "clause",
        "yes/no",
        "Is there a minimum order size or minimum amount or units per-time period that one party must buy from the"
        " counterparty under the contract?",
        ("Minimum Commitment",),
    ),
    FieldSpec(
        "most_favored_nation",
        "clause",
        "yes/no",
        "Is there a clause that if a third party gets better terms on the licensing or sale of"
        " technology/goods/services described in the contract, the buyer of such technology/goods/services under"
        " the contract shall be entitled to those better terms?",
        ("Most Favored Nation",),
    ),
    FieldSpec(
        "post_termination_services",
        "clause",
        "yes/no",
        "Is a party subject to obligations after the termination or expiration of a contract, including any"
        " post-termination transition, payment, transfer of IP, wind-down, last-buy, or similar commitments?",
        ("Post-Termination Services",),
    ),
    FieldSpec(
        "warranty_duration",
        "clause",
        "yes/no",
        "What is the duration of any warranty against defects or errors in technology, products, or services"
        " provided under the contract?",
        ("Warranty Duration",),
    ),
    FieldSpec(
        "third_party_beneficiary",
        "clause",
        "yes/no",
        "Is there a non-contracting party who is a beneficiary to some or all of the clauses in the contract and"
        " therefore can enforce its rights against a contracting party?",
        ("Third Party Beneficiary",),
    ),
)

JUDGMENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("court", "judgment", "text", "The court that decided the case."),
    FieldSpec("decision_date", "judgment", "date", "The date the judgment was delivered."),
    FieldSpec("appellant", "judgment", "name", "The appellant or petitioner."),
    FieldSpec("respondent", "judgment", "name", "The respondent."),
    FieldSpec("outcome", "judgment", "outcome", "How the court disposed of the case."),
    FieldSpec("statute", "judgment", "text", "A statute or section of a statute cited."),
)

CLINICAL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("note_date", "clinical", "date", "The date of the note or encounter."),
    FieldSpec("problem", "clinical", "text", "A problem or diagnosis."),
    FieldSpec("medication", "clinical", "text", "A medication, with dose, route and frequency where stated."),
    FieldSpec("allergy", "clinical", "text", "An allergy, or no known drug allergies."),
    FieldSpec("procedure", "clinical", "text", "A procedure performed or planned."),
    FieldSpec("follow_up", "clinical", "text", "A follow-up instruction."),
)

ALL_FIELDS: tuple[FieldSpec, ...] = CONTRACT_FIELDS + CLAUSE_FIELDS + JUDGMENT_FIELDS + CLINICAL_FIELDS
# Fields a document may have several values of; every other field keeps one (the job's rule).
REPEATABLE_FIELDS = frozenset({"party", "statute", "problem", "medication", "allergy", "procedure", "follow_up"})
OUTCOMES: tuple[str, ...] = ("allowed", "dismissed", "affirmed", "reversed", "remanded", "partly allowed")
CONTRACT_TYPES: frozenset[str] = frozenset({"contract", "services_agreement", "nda", "lease"})
JUDGMENT_TYPES: frozenset[str] = frozenset({"court_opinion"})


def field_spec(name: str) -> FieldSpec:
    for spec in ALL_FIELDS:
        if spec.name == name:
            return spec
    raise KeyError(name)


def schema_hash() -> str:
    """Identifies the catalogue: a changed field list or description makes a new result version."""
    payload = json.dumps([asdict(f) for f in ALL_FIELDS], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def prompt_hash_of(*parts: str) -> str:
    """One hash for the field catalogue and whatever else shapes the results (an LLM's prompt)."""
    return hashlib.sha256("\x1f".join((schema_hash(), *parts)).encode()).hexdigest()[:16]


def extraction_kind(document: DocumentForExtraction) -> str | None:
    """Which family of facts applies: contract, judgment or clinical (by the classifier's type)."""
    if document.doc_type in CONTRACT_TYPES:
        return "contract"
    if document.doc_type in JUDGMENT_TYPES:
        return "judgment"
    if document.domain == "medical":
        return "clinical"
    return None
