"""Court-judgment facts by rules: hand-written US and Indian snippets, and generated opinions vs their truth."""

from __future__ import annotations

import pytest

from analysis.jobs.extract.facts import JUDGMENT, DocumentForExtraction, Extraction
from analysis.jobs.extract.fields import JUDGMENT_FIELDS, OUTCOMES
from analysis.jobs.extract.judgments import JUDGMENT_EXTRACTOR, extract_judgment_facts
from analysis.samples import make_document

INDIAN = """Supreme Court of India
Bhiva Doulu Patil vs State Of Maharashtra on 29 August, 1962
Equivalent citations: 1963 AIR 599, 1962 SCR Supl. (3) 59
           PETITIONER:
BHIVA DOULU PATIL
        Vs.
RESPONDENT:
STATE OF MAHARASHTRA
DATE OF JUDGMENT:
29/08/1962
BENCH:
KAPUR, J.L.
ACT:
Criminal Trial. The appellant was convicted under section 302 of the Indian Penal Code read with s. 34 I.P.C.

The High Court dismissed the appeal. The appeal was allowed by nobody.

We, therefore, allow this appeal, set aside the order of conviction and direct that the appellant be
released forthwith.
Appeal allowed."""

US = """IN THE COURT OF APPEALS OF THE STATE OF OREGON
DIVISION TWO

ACME WIDGETS, INC.,
Plaintiff-Appellant,
v.
JANE Q. ROE,
Defendant-Appellee.

Argued and Submitted May 2, 2023
Filed August 14, 2023

OPINION

Roe moved to dismiss under 42 U.S.C. § 1983 and Oregon Rev. Stat. § 12-110(b). We may affirm on any ground.

The judgment in favor of Roe is reversed, and the case is remanded for further proceedings.

REVERSED AND REMANDED."""


def read(text: str) -> Extraction:
    return extract_judgment_facts(
        DocumentForExtraction(text=text, domain="legal", doc_type="court_opinion", title=None, chunks=())
    )


def values(extraction: Extraction) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for fact in extraction.facts:
        found.setdefault(fact.field, []).append(fact.value)
    return found


def assert_evidence(text: str, extraction: Extraction) -> None:
    for fact in extraction.facts:
        assert fact.kind == JUDGMENT and fact.field in {spec.name for spec in JUDGMENT_FIELDS}
        assert fact.start is not None and fact.end is not None and 0 <= fact.start < fact.end <= len(text)
        assert fact.raw and fact.raw in text[fact.start : fact.end], fact


def test_extractor_identity() -> None:
    assert JUDGMENT_EXTRACTOR == ("judgment_rules", "1")


def test_indian_report() -> None:
    extraction = read(INDIAN)
    assert_evidence(INDIAN, extraction)
    found = values(extraction)
    assert found["court"] == ["Supreme Court of India"]
    assert found["decision_date"] == ["1962-08-29"]
    assert found["appellant"] == ["BHIVA DOULU PATIL"] and found["respondent"] == ["STATE OF MAHARASHTRA"]
    assert found["outcome"] == ["allowed"]  # not "dismissed" (the High Court's) nor "was allowed" (past)
    assert found["statute"] == ["Section 302, Indian Penal Code", "Section 34, Indian Penal Code"]
    assert not extraction.problems


def test_indian_report_lower_cased_as_converted() -> None:
    text = INDIAN.lower().replace("date of judgment:\n", "date of judgment")
    found = values(read(text))
    assert found["court"] == ["Supreme Court of India"]
    assert found["decision_date"] == ["1962-08-29"]
    assert found["appellant"] == ["bhiva doulu patil"]
    assert found["outcome"] == ["allowed"]


def test_us_slip_opinion() -> None:
    extraction = read(US)
    assert_evidence(US, extraction)
    found = values(extraction)
    assert found["court"] == ["Court of Appeals of the State of Oregon"]
    assert found["decision_date"] == ["2023-08-14"]  # filed, not argued
    assert found["appellant"] == ["ACME WIDGETS, INC."] and found["respondent"] == ["JANE Q. ROE"]
    assert found["outcome"] == ["reversed"]
    assert found["statute"] == ["42 U.S.C. § 1983", "Oregon Rev. Stat. § 12-110(b)"]
    outcome = next(f for f in extraction.facts if f.field == "outcome")
    assert outcome.raw == "REVERSED AND REMANDED"


@pytest.mark.parametrize(
    ("sentence", "outcome"),
    [
        ("In the result, the appeal fails and is dismissed with costs.", "dismissed"),
        ("The appeals are accordingly dismissed.", "dismissed"),
        ("For these reasons the petition is allowed and the detention order is quashed.", "allowed"),
        ("Accordingly this appeal is partly allowed, the judgment of the High Court is set aside.", "partly allowed"),
        ("We affirm.", "affirmed"),
        ("The order of the trial court is affirmed.", "affirmed"),
        ("The judgment of the High Court is set aside and that of the trial court restored.", "reversed"),
        ("The judgment is vacated and the case is remanded for a new trial.", "remanded"),
        ("The matter is remanded to the Tribunal for fresh consideration.", "remanded"),
        ("AFFIRMED IN PART AND REVERSED IN PART.", "partly allowed"),
        ("The writ petitions are dismissed. Petitions dismissed.", "dismissed"),
    ],
)
def test_dispositions(sentence: str, outcome: str) -> None:
    text = "Some reasoning here. The trial court dismissed the suit.\n\n" + sentence
    found = values(read(text))
    assert found.get("outcome") == [outcome]


def test_last_disposition_wins_and_disposed_of_reports_none() -> None:
    assert values(read("We affirm the conviction.\n\nThe appeal is allowed."))["outcome"] == ["allowed"]
    assert "outcome" not in values(read("The appeal is dismissed.\n\nThe petitions are disposed of accordingly."))


def test_statutes_are_deduplicated_and_said_act_is_no_act() -> None:
    text = (
        "The assessee relied on section 10(2)(xv) of the Income-tax Act, 1922. Section 10(2)(xv) of the "
        "Income-tax Act, 1922 applies. Under section 4 of the said Act nothing follows. Sections 3 and 4 of "
        "the Defence of India Act were also cited."
    )
    assert values(read(text))["statute"] == [
        "Section 10(2)(xv), Income-tax Act, 1922",
        "Section 3, Defence of India Act",
        "Section 4, Defence of India Act",
    ]


@pytest.mark.parametrize("seed", range(60))
def test_generated_opinions_match_their_truth(seed: int) -> None:
    doc = make_document("court_opinion", seed=seed)
    extraction = read(doc.text)
    assert_evidence(doc.text, extraction)
    found = values(extraction)
    truth = doc.truth
    for field in ("court", "decision_date", "appellant", "respondent", "outcome"):
        assert found[field] == [truth[field]], field
    assert found["statute"] == truth["statutes"]
    assert set(found["outcome"]) <= set(OUTCOMES)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\u0301\u0308\u0301" * 5_000,  # combining marks only
        "最高裁判所 判決 令和5年3月1日 上告を棄却する。" * 200,
        "appeal " * 50_000 + "is",
        ("v.\n" * 5_000) + "Plaintiff-Appellant,\n" * 1_000,
        "section " * 20_000 + "of the Act",
        "a" * 3_000_000,
    ],
)
def test_never_raises(text: str) -> None:
    extraction = read(text)
    assert not extraction.problems
    assert_evidence(text, extraction)


def test_contract_text_reads_no_judgment() -> None:
    found = values(read(make_document("services_agreement", seed=2).text))
    assert "outcome" not in found and "appellant" not in found
