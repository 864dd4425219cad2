"""The catalogue of what the extract job reads: field names, the CUAD category each contract
field follows, and a one-sentence description (used to find candidate clauses by similarity).

The names are the SQL contract: the analyst views pivot on them, so renaming one is a
schema change (and a new ``schema_hash``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


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
    FieldSpec("termination_for_convenience", "clause", "yes/no", "", ("Termination For Convenience",)),
    FieldSpec("anti_assignment", "clause", "yes/no", "", ("Anti-Assignment",)),
    FieldSpec("change_of_control", "clause", "yes/no", "", ("Change Of Control",)),
    FieldSpec("non_compete", "clause", "yes/no", "", ("Non-Compete",)),
    FieldSpec("exclusivity", "clause", "yes/no", "", ("Exclusivity",)),
    FieldSpec("no_solicit", "clause", "yes/no", "", ("No-Solicit Of Customers", "No-Solicit Of Employees")),
    FieldSpec("cap_on_liability", "clause", "yes/no", "", ("Cap On Liability",)),
    FieldSpec("uncapped_liability", "clause", "yes/no", "", ("Uncapped Liability",)),
    FieldSpec("liquidated_damages", "clause", "yes/no", "", ("Liquidated Damages",)),
    FieldSpec("audit_rights", "clause", "yes/no", "", ("Audit Rights",)),
    FieldSpec("insurance", "clause", "yes/no", "", ("Insurance",)),
    FieldSpec("ip_ownership_assignment", "clause", "yes/no", "", ("Ip Ownership Assignment",)),
    FieldSpec("license_grant", "clause", "yes/no", "", ("License Grant",)),
    FieldSpec("minimum_commitment", "clause", "yes/no", "", ("Minimum Commitment",)),
    FieldSpec("most_favored_nation", "clause", "yes/no", "", ("Most Favored Nation",)),
    FieldSpec("post_termination_services", "clause", "yes/no", "", ("Post-Termination Services",)),
    FieldSpec("warranty_duration", "clause", "yes/no", "", ("Warranty Duration",)),
    FieldSpec("third_party_beneficiary", "clause", "yes/no", "", ("Third Party Beneficiary",)),
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
