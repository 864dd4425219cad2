"""The legal builders' truth: what they wrote, so the extract job can be tested against exact answers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from analysis.jobs.extract.fields import CLAUSE_FIELDS, OUTCOMES
from analysis.samples import legal, make_document
from analysis.samples.legal import LEASE_ARTICLES, LEASE_CUAD, MSA_ARTICLES, MSA_CUAD, NDA_ARTICLES, NDA_CUAD

CONTRACTS = ("services_agreement", "nda", "lease")
SEEDS = range(40)


def long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%B} {day.day}, {day.year}"


def test_clause_categories_are_the_extract_jobs() -> None:
    assert tuple(spec.name for spec in CLAUSE_FIELDS) == legal.CLAUSE_CATEGORIES


@pytest.mark.parametrize(
    ("articles", "table"), [(MSA_ARTICLES, MSA_CUAD), (NDA_ARTICLES, NDA_CUAD), (LEASE_ARTICLES, LEASE_CUAD)]
)
def test_every_clause_the_tables_name_exists(articles: tuple, table: dict) -> None:
    bodies = {(a.title, c.heading): len(c.bodies) for a in articles for c in a.clauses}
    for key, categories in table.items():
        assert key[:2] in bodies, key
        assert len(key) == 2 or key[2] < bodies[key[:2]], key
        assert set(categories) <= set(legal.CLAUSE_CATEGORIES), key


@pytest.mark.parametrize("kind", CONTRACTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_contract_truth_is_what_the_text_says(kind: str, seed: int) -> None:
    doc = make_document(kind, seed=seed)
    truth = doc.truth
    assert doc.text.startswith(truth["document_name"] + "\n\n")
    assert [p["name"] in doc.text for p in truth["parties"]] == [True, True]
    assert long_date(truth["agreement_date"]) in doc.text
    assert long_date(truth["effective_date"]) in doc.text
    assert truth["expiration_date"] > truth["effective_date"]
    assert f"governed by the laws of the State of {truth['governing_law']}" in doc.text
    assert set(truth["clauses"]) == set(legal.CLAUSE_CATEGORIES)
    if truth["renewal_term"] is not None:
        assert re.fullmatch(r"P\d+[YM]", truth["renewal_term"])
    if truth["notice_period"] is not None:
        days = int(truth["notice_period"][1:-1])
        assert f"notice of non-renewal at least {legal.spelled(days)} days" in doc.text


@pytest.mark.parametrize("seed", SEEDS)
def test_clause_flags_follow_the_clauses_written(seed: int) -> None:
    """Spot checks that a flag is True exactly when its clause's own words are in the text."""
    msa = make_document("services_agreement", seed=seed)
    flags = msa.truth["clauses"]
    assert flags["termination_for_convenience"] == ("for convenience upon" in msa.text)
    assert flags["insurance"] == ("commercial general liability insurance" in msa.text)
    assert flags["no_solicit"] == ("shall solicit for employment" in msa.text)
    assert flags["ip_ownership_assignment"] == ("hereby assigns to Customer" in msa.text)
    assert flags["cap_on_liability"] and flags["uncapped_liability"] and flags["anti_assignment"]
    assert not flags["non_compete"] and not flags["most_favored_nation"]
    lease = make_document("lease", seed=seed)
    assert lease.truth["clauses"]["audit_rights"] == ("audit Landlord's books" in lease.text)
    assert lease.truth["clauses"]["warranty_duration"] == ("latent defects of which Tenant notifies" in lease.text)
    assert (lease.truth["renewal_term"] is not None) == ("Tenant may extend the term" in lease.text)
    nda = make_document("nda", seed=seed)
    assert nda.truth["clauses"]["no_solicit"] == ("solicit for employment" in nda.text)
    assert nda.truth["renewal_term"] is None and nda.truth["notice_period"] is None


def test_services_agreement_terms_match_the_term_clause() -> None:
    renewing = [make_document("services_agreement", seed=s) for s in SEEDS]
    renewing = [d for d in renewing if "renews automatically" in d.text]
    assert renewing
    for doc in renewing:
        months = int(re.search(r"successive (\d+)-month periods", doc.text).group(1))
        assert doc.truth["renewal_term"] == (f"P{months // 12}Y" if months % 12 == 0 else f"P{months}M")
        years = int(re.search(r"initial term of \w+ \((\d)\) years", doc.text).group(1))
        effective = date.fromisoformat(doc.truth["effective_date"])
        assert doc.truth["expiration_date"] == legal._add_years(effective, years).isoformat()


def test_lease_expires_at_the_end_of_its_last_full_month() -> None:
    assert legal._lease_expiry(date(2024, 3, 4), 36) == date(2027, 3, 31)
    assert legal._lease_expiry(date(2024, 3, 1), 36) == date(2027, 2, 28)
    assert legal._lease_expiry(date(2023, 12, 15), 12) == date(2024, 12, 31)
    assert legal._add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


@pytest.mark.parametrize("seed", SEEDS)
def test_opinion_truth_is_what_the_caption_and_conclusion_say(seed: int) -> None:
    doc = make_document("court_opinion", seed=seed)
    truth = doc.truth
    assert f"IN THE {truth['court'].upper()}\n" in doc.text
    assert f"\nFiled {long_date(truth['decision_date'])}" in doc.text
    assert f"{truth['appellant']},\nPlaintiff-Appellant," in doc.text
    assert f"{truth['respondent']},\nDefendant-Appellee." in doc.text
    assert truth["outcome"] in OUTCOMES
    assert doc.text.count("\n\nAFFIRMED.") == (truth["outcome"] == "affirmed")
    assert doc.text.count("\n\nREVERSED AND REMANDED.") == (truth["outcome"] == "reversed")
    assert truth["statutes"] and len(set(truth["statutes"])) == len(truth["statutes"])
    positions = [doc.text.index(statute) for statute in truth["statutes"]]
    assert positions == sorted(positions)  # in order of first citation
    state = re.escape(truth["court"].removeprefix("Court of Appeals of the State of "))
    cited = set(re.findall(rf"{state} Rev\. Stat\. § \d+-\d+(?:\([a-d]\))?", doc.text))
    assert cited == set(truth["statutes"])


def test_medical_kinds_keep_their_own_truth() -> None:
    assert isinstance(make_document("discharge_summary", seed=1).truth, dict)
