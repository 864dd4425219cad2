"""Clinical facts by rules: hand-written snippets (independent of the generator) and P/R on generated notes."""

from __future__ import annotations

import re

import pytest

from analysis.jobs.extract.clinical import CLINICAL_EXTRACTOR, extract_clinical_facts
from analysis.jobs.extract.facts import CLINICAL, DocumentForExtraction, Fact
from analysis.jobs.extract.fields import CLINICAL_FIELDS
from analysis.samples.generate import make_document


def facts(text: str) -> list[Fact]:
    extraction = extract_clinical_facts(DocumentForExtraction(text, "medical", "clinical_note", None, ()))
    assert extraction.problems == []
    for f in extraction.facts:
        assert f.kind == CLINICAL and f.field in {s.name for s in CLINICAL_FIELDS}
        assert f.raw and f.raw in text[f.start : f.end], f
    return extraction.facts


def one(found: list[Fact], field: str, value: str) -> Fact:
    hits = [f for f in found if f.field == field and f.value == value]
    assert hits, f"no {field} {value!r} in {[(f.field, f.value) for f in found]}"
    return hits[0]


def test_extractor_identity() -> None:
    assert CLINICAL_EXTRACTOR == ("clinical_rules", "2")


@pytest.mark.parametrize(
    ("text", "value", "flag"),
    [
        ("HISTORY OF PRESENT ILLNESS: The patient denies chest pain at rest.", "chest pain", "negated"),
        ("IMPRESSION: There is no evidence of pneumonia on this film.", "pneumonia", "negated"),
        ("FAMILY HISTORY: Mother had breast cancer at age 50.", "breast cancer", "family"),
        ("SOCIAL HISTORY: Smoker. His mother had breast cancer.", "breast cancer", "family"),
        (
            "HPI: He has a history of atrial fibrillation and now presents with cough.",
            "atrial fibrillation",
            "historical",
        ),
        ("PAST MEDICAL HISTORY: Hypertension, hyperlipidemia and gout.", "gout", "historical"),
        ("PLAN AND ASSESSMENT: CT angiogram to rule out PE.", "pulmonary embolism", "uncertain"),
        ("FINDINGS: Lungs with crackles. Findings suspicious for pneumonia.", "pneumonia", "uncertain"),
    ],
)
def test_assertions(text: str, value: str, flag: str) -> None:
    fact = one(facts(text), "problem", value)
    flags = {n for n in ("negated", "uncertain", "historical", "family") if getattr(fact, n)}
    assert flag in flags


def test_positive_mentions_carry_no_flags() -> None:
    found = facts("HPI: A 60-year-old woman with pneumonia and a productive cough but no fever.")
    assert not one(found, "problem", "pneumonia").negated
    assert one(found, "problem", "fever").negated
    trigger_in_name = facts(
        "DIAGNOSES: Migraine without aura, hypothyroidism.\n\nHPI: Known migraine without aura and hypothyroidism."
    )
    assert not any(f.negated for f in trigger_in_name if f.value == "hypothyroidism")


@pytest.mark.parametrize("line", ["ALLERGIES: No known drug allergies.", "ALLERGIES:  NKDA.", "ALLERGIES: None known."])
def test_nkda(line: str) -> None:
    found = [f for f in facts(line) if f.field == "allergy"]
    assert [f.value for f in found] == ["NKDA"]


def test_allergens_with_reactions() -> None:
    found = [
        f
        for f in facts("ALLERGIES: Sulfa (hives) and penicillin.\n\nMEDICATIONS: Aspirin 81 mg daily.")
        if f.field == "allergy"
    ]
    assert {f.value for f in found} == {"sulfa", "penicillin"}
    assert one(found, "allergy", "sulfa").attributes["reaction"] == "hives"


def test_medication_list_with_dose_route_frequency() -> None:
    text = (
        "DISCHARGE MEDICATIONS:\n1.  Metoprolol 25 mg p.o. b.i.d.\n2.  Coumadin 5 mg daily.\n"
        "3.  Zestoretic 20/12.5 mg p.o. daily.\n4.  Albuterol inhaler 2 puffs q.4 h. p.r.n.\n\n"
        "HOSPITAL COURSE: She was started on heparin and warfarin."
    )
    found = facts(text)
    metoprolol = one(found, "medication", "metoprolol")
    assert dict(metoprolol.attributes) == {
        "section": "DISCHARGE MEDICATIONS",
        "dose": "25 mg",
        "route": "p.o.",
        "frequency": "b.i.d.",
    }
    assert one(found, "medication", "warfarin").attributes["brand"] == "coumadin"
    assert one(found, "medication", "zestoretic").attributes["dose"] == "20/12.5 mg"  # not in the lexicon: by its dose
    assert one(found, "medication", "albuterol").attributes["dose"] == "2 puffs"
    sections = {f.attributes["section"] for f in found if f.field == "medication" and f.value == "warfarin"}
    assert sections == {"DISCHARGE MEDICATIONS", "HOSPITAL COURSE"}  # Coumadin in the list, warfarin in the course
    assert not [f for f in found if f.field == "medication" and f.value in {"she", "started"}]


def test_lab_values_are_not_drugs() -> None:
    found = facts("LABORATORY DATA: Calcium 9.2 mg/dL, magnesium 2.0 mg/dL, potassium 4.1 mmol/L.")
    assert [f for f in found if f.field == "medication"] == []


def test_note_date_and_follow_up() -> None:
    text = (
        "PROGRESS NOTE\n\nDATE OF SERVICE: 03/04/2024\n\nPLAN: Return to clinic in 6 weeks.\n\n"
        "Electronically signed 03/05/2024"
    )
    found = facts(text)
    assert one(found, "note_date", "2024-03-04").raw == "03/04/2024"
    assert one(found, "follow_up", "Return to clinic in 6 weeks.")


def test_problem_list_items() -> None:
    found = facts(
        "DISCHARGE DIAGNOSES:\n1. Community-acquired pneumonia, right lower lobe.\n2. Acute kidney injury, resolved."
    )
    assert one(found, "problem", "community-acquired pneumonia, right lower lobe")
    assert one(found, "problem", "acute kidney injury, resolved")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u0301\u0301\u0301" * 1000,
        "Цей пацієнт не має алергії. 患者没有过敏。",
        "MEDICATIONS:" * 5000,
        "A" * 200_000,
        "1. \n2. \n" * 1000,
        "ALLERGIES: (((((\n" + ")" * 5000,
        "DATE: 99/99/9999\nDATE OF SERVICE: x",
    ],
)
def test_robust_to_any_text(text: str) -> None:
    extraction = extract_clinical_facts(DocumentForExtraction(text, "medical", "x", None, ()))
    assert extraction.problems == []
    for f in extraction.facts:
        assert f.raw in text[f.start : f.end]


def test_offsets_on_generated_notes() -> None:
    for kind in ("discharge_summary", "progress_note", "radiology_report"):
        sample = make_document(kind, seed=7)
        for f in facts(sample.text):
            assert re.sub(r"\s+", " ", f.raw) in re.sub(r"\s+", " ", sample.text[f.start : f.end])


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def _same(a: str, b: str) -> bool:
    a, b = f" {_norm(a)} ", f" {_norm(b)} "
    return a in b or b in a


def test_precision_and_recall_on_generated_notes() -> None:
    """>= 0.90 for medications, problems, allergies and negations, against what the generator wrote."""
    totals: dict[str, list[int]] = {}
    for kind in ("discharge_summary", "progress_note", "radiology_report"):
        for seed in range(40):
            sample = make_document(kind, seed=seed)
            found = facts(sample.text)
            problems = [f for f in found if f.field == "problem" and not f.family]
            predicted = {
                "medications": {f.value for f in found if f.field == "medication"},
                "problems": {f.value for f in problems if not f.negated},
                "negated": {f.value for f in problems if f.negated},
                "allergies": {f.value for f in found if f.field == "allergy"},
            }
            truth = {
                "medications": {m["name"] for m in sample.truth["medications"]},
                "problems": set(sample.truth["problems"]),
                "negated": set(sample.truth["negated"]),
                "allergies": set(sample.truth["allergies"]),
            }
            for name, values in predicted.items():
                row = totals.setdefault(name, [0, 0, 0, 0])
                row[0] += sum(any(_same(p, t) for t in truth[name]) for p in values)
                row[1] += len(values)
                row[2] += sum(any(_same(t, p) for p in values) for t in truth[name])
                row[3] += len(truth[name])
    for name, (tp_p, n_p, tp_r, n_t) in totals.items():
        assert tp_p / n_p >= 0.90, (name, "precision", tp_p / n_p)
        assert tp_r / n_t >= 0.90, (name, "recall", tp_r / n_t)


# --------------------------------------------------------------------------- assertion scopes (round 2)


def _flags(fact: Fact) -> set[str]:
    return {n for n in ("negated", "uncertain", "historical", "family") if getattr(fact, n)}


def test_negation_that_opens_a_list_covers_every_item_without_and_or() -> None:
    found = facts("REVIEW OF SYSTEMS: No headache, dizziness, palpitations.")
    for value in ("headache", "dizziness", "palpitations"):
        assert one(found, "problem", value).negated, value


def test_long_negative_for_list_stays_negated() -> None:
    text = (
        "ROS: Negative for earache, sore throat, runny nose, chest pressure, cough, wheezing, heartburn, "
        "constipation, blood in the urine, joint aches, rash or hematuria."
    )
    assert one(facts(text), "problem", "hematuria").negated


def test_comma_after_a_mid_clause_negation_ends_it() -> None:
    found = facts("HPI: She has knee pain without effusion, gout in the left great toe.")
    assert one(found, "problem", "gout").negated is False


def test_new_clause_after_comma_ends_negation() -> None:
    found = facts("HPI: He has had no chest pain, just some wheezing on exertion.")
    assert one(found, "problem", "chest pain").negated
    assert not one(found, "problem", "wheezing").negated


def test_overlapping_triggers_keep_the_forward_negation() -> None:
    found = facts("HOSPITAL COURSE: Stool studies were negative for infection and colitis.")
    assert one(found, "problem", "infection").negated
    assert one(found, "problem", "colitis").negated


def test_hypothetical_mentions_are_uncertain_and_marked() -> None:
    found = facts("HOSPITAL COURSE: She was told to call the office if she develops a fever or a rash.")
    fever = one(found, "problem", "fever")
    assert fever.uncertain and not fever.negated
    assert fever.attributes.get("hypothetical") == "yes"
    found = facts("HPI: Should he have another seizure, we will start levetiracetam.")
    assert one(found, "problem", "seizure").uncertain


@pytest.mark.parametrize(
    "text",
    [
        "HPI: He might have a migraine.",
        "HPI: She may have early pneumonia.",
        "IMPRESSION: Diverticulitis cannot be excluded.",
        "IMPRESSION: Appearance suspicious for diverticulitis.",
        "HPI: Imaging was ordered given concern for stroke.",
    ],
)
def test_possibility_cues(text: str) -> None:
    found = [f for f in facts(text) if f.field == "problem"]
    assert found and all(f.uncertain and not f.negated for f in found), found


def test_history_scope_runs_over_a_semicolon_list() -> None:
    found = facts("HPI: Known to us, with a history of asthma; gout; hypertension. Now here for a rash.")
    assert "historical" in _flags(one(found, "problem", "gout"))
    assert "historical" not in _flags(one(found, "problem", "rash"))


def test_duration_history_is_not_a_past_problem() -> None:
    found = facts("HPI: A 40-year-old man with a two-week history of cough and fever.")
    assert not one(found, "problem", "cough").historical


def test_relative_scope_is_short() -> None:
    found = facts("HPI: Seen with her mother today; the child has had fever for three days.")
    assert not one(found, "problem", "fever").family


# --------------------------------------------------------------------------- lab readings and allergy cues


@pytest.mark.parametrize(
    "text",
    [
        "HOSPITAL COURSE: Magnesium was mildly low at 1.5 mg/dL and was replaced.",
        "RESULTS: TSH 1.9, lithium 0.8, creatinine 1.1.",
        "HPI: Her phenytoin level was 14 last week.",
        "DATA: Albumin of 3.1, total bilirubin 0.4.",
    ],
)
def test_lab_readings_that_name_a_drug_are_not_medications(text: str) -> None:
    assert [f.value for f in facts(text) if f.field == "medication"] == []


def test_drug_with_a_dose_is_still_a_medication() -> None:
    found = facts("HOSPITAL COURSE: Phenytoin 100 mg three times a day was resumed. Lithium was restarted.")
    assert one(found, "medication", "phenytoin").attributes["dose"] == "100 mg"
    assert one(found, "medication", "lithium")


@pytest.mark.parametrize(
    ("text", "allergens"),
    [
        ("HPI: She is intolerant of morphine and ciprofloxacin.", {"morphine", "ciprofloxacin"}),
        ("HPI: Known hypersensitivity to heparin.", {"heparin"}),
        ("HPI: Prior heparin allergy, so fondaparinux was used.", {"heparin"}),
    ],
)
def test_allergy_cues_in_narrative(text: str, allergens: set[str]) -> None:
    found = facts(text)
    assert {f.value for f in found if f.field == "allergy"} == allergens
    assert not {f.value for f in found if f.field == "medication"} & allergens


def test_organism_sensitivity_is_not_an_allergy() -> None:
    found = facts("HOSPITAL COURSE: Urine grew E. coli sensitive to ciprofloxacin; she went home on ciprofloxacin.")
    assert [f for f in found if f.field == "allergy"] == []
    assert one(found, "medication", "ciprofloxacin")


def test_long_list_line_dense_with_triggers_is_read() -> None:
    """A line that once took the assertion rules minutes (speed itself: benchmarks/eval_clinical_facts.py)."""
    found = facts("1. " + "no fever, if not cough; " * 3000)
    assert found and all(f.negated or f.uncertain for f in found if f.field == "problem")


def test_running_page_headers_and_footers_are_not_facts() -> None:
    text = (
        "FOLLOW-UP:\nFollow up with cardiology clinic in 2 weeks.\n"
        "CONFIDENTIAL PATIENT INFORMATION Page 2 of 2\n- page 3 -\n"
    )
    found = facts(text)
    assert [f.value for f in found if f.field == "follow_up"] == ["Follow up with cardiology clinic in 2 weeks."]
