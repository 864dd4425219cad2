"""Every example query in sql/queries/ runs on SQLite and PostgreSQL, and its answer is checked
against the store read another way."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from analysis.config import Config
from analysis.store import open_store
from analysis.store.schema import DocumentRow, SentimentRow, SummaryRow

QUERIES = Path(__file__).resolve().parents[2] / "sql" / "queries"
PARAMS: dict[str, dict[str, Any]] = {
    "negative_documents_by_type": {"since": datetime.now(UTC) - timedelta(days=7)},
    "search_hits_with_summaries": {"query": "termination for convenience"},
}


def _run(config: Config, name: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(config.database_url)
    try:
        with engine.connect() as conn:
            sql = (QUERIES / f"{name}.sql").read_text()
            return [dict(r._mapping) for r in conn.execute(text(sql), params or PARAMS.get(name, {}))]
    finally:
        engine.dispose()


def test_every_query_file_is_tested() -> None:
    tested = {n.removeprefix("test_") for n in globals() if n.startswith("test_")}
    assert {p.stem for p in QUERIES.glob("*.sql")} <= tested


def test_negative_documents_by_type(analysed_config: Config) -> None:
    rows = _run(analysed_config, "negative_documents_by_type")
    store = open_store(analysed_config)
    try:
        with store.session() as s:
            negative = s.execute(
                select(DocumentRow.domain, DocumentRow.doc_type)
                .join(SentimentRow, SentimentRow.document_id == DocumentRow.id)
                .where(SentimentRow.chunk_id.is_(None), SentimentRow.label == "negative")
            ).all()
        expected = Counter((domain, doc_type) for domain, doc_type in negative)
    finally:
        store.close()
    assert expected, "the sample corpus has negative documents (court opinions)"
    assert {(r["domain"], r["doc_type"]): r["documents"] for r in rows} == dict(expected)
    assert _run(analysed_config, "negative_documents_by_type", since=datetime.now(UTC) + timedelta(days=1)) == []


def test_contracts_mentioning_termination(analysed_config: Config) -> None:
    rows = _run(analysed_config, "contracts_mentioning_termination")
    store = open_store(analysed_config)
    try:
        with store.session() as s:  # the same answer read from the rows: the latest summary of each contract
            latest: dict[int, SummaryRow] = {}
            for summary, document in s.execute(
                select(SummaryRow, DocumentRow)
                .join(DocumentRow, DocumentRow.id == SummaryRow.document_id)
                .where(DocumentRow.domain == "legal", DocumentRow.doc_type != "court_opinion")
                .order_by(SummaryRow.id)
            ):
                latest[document.id] = summary
            expected = {
                (document_id, index)
                for document_id, summary in latest.items()
                for index, sentence in enumerate(summary.sentences)
                if "terminat" in sentence["text"].lower()
            }
        assert latest, "the sample corpus has summarised contracts"
        assert {(r["document_id"], r["sentence_index"]) for r in rows} == expected
        for row in rows:
            assert "terminat" in row["sentence"].lower()
            assert row["doc_type"] != "court_opinion"
            if row["supported"]:
                document, chunks = store.document_for_jobs(row["document_id"], store_model(analysed_config))
                pages = {p for c in chunks for p in range(c.page_start, c.page_end + 1)}
                assert row["page_start"] in pages
    finally:
        store.close()


def test_on_demand_runs_by_requester(analysed_config: Config) -> None:
    rows = _run(analysed_config, "on_demand_runs_by_requester")
    assert [(r["requested_by"], r["reason"], r["outcome"]) for r in rows] == [
        ("c.lee", "TICKET-2041", "success"),
        ("r.patel", "TICKET-2077", "failed"),
    ]


def test_quarantined_files_by_reason(analysed_config: Config) -> None:
    rows = _run(analysed_config, "quarantined_files_by_reason")
    store = open_store(analysed_config)
    try:
        expected = Counter((q.stage, q.reason) for q in store.quarantine_rows())
    finally:
        store.close()
    assert {(r["stage"], r["reason"]): r["files"] for r in rows} == dict(expected)
    assert sum(expected.values()) >= 4


def test_search_hits_with_summaries(analysed_config: Config) -> None:
    rows = _run(analysed_config, "search_hits_with_summaries")
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows and rows[0]["doc_type"] == "services_agreement"
    assert all(r["summary"] for r in rows)


def _truth(config: Config) -> dict[int, Any]:
    """Each stored sample document's id -> the SampleDocument it was generated as (with ``truth``)."""
    from analysis.samples import corpus_documents

    by_name = dict(corpus_documents())  # the arguments of the sample_corpus fixture
    engine = create_engine(config.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT document_id, path FROM document_sources")).all()
    finally:
        engine.dispose()
    return {int(i): by_name[Path(p).name] for i, p in rows if Path(p).name in by_name}


def test_contracts_by_law_expiring(analysed_config: Config) -> None:
    contracts = {
        i: d.truth
        for i, d in _truth(analysed_config).items()
        if d.truth.get("governing_law") and d.truth.get("expiration_date")
    }
    assert contracts, "the sample corpus has contracts with a governing law and an expiration date"
    law = sorted(t["governing_law"] for t in contracts.values())[0]
    first = min(t["expiration_date"] for t in contracts.values() if t["governing_law"] == law)
    until = (datetime.fromisoformat(first) + timedelta(days=366)).date().isoformat()
    expected = [
        i
        for i, t in sorted(contracts.items(), key=lambda it: (it[1]["expiration_date"], it[0]))
        if t["governing_law"] == law and first <= t["expiration_date"] < until
    ]
    rows = _run(analysed_config, "contracts_by_law_expiring", law=law, from_date=first, to_date=until)
    assert [r["document_id"] for r in rows] == expected
    assert all(r["governing_law"] == law and r["governing_law_page"] >= 1 for r in rows)
    assert _run(analysed_config, "contracts_by_law_expiring", law=law, from_date=until, to_date=until) == []


def test_contracts_uncapped_liability_without_insurance(analysed_config: Config) -> None:
    truth = _truth(analysed_config)
    contracts = {i: d.truth["clauses"] for i, d in truth.items() if "clauses" in d.truth}
    assert contracts
    expected = sorted(i for i, c in contracts.items() if c["uncapped_liability"] and not c["insurance"])
    rows = _run(analysed_config, "contracts_uncapped_liability_without_insurance")
    assert [r["document_id"] for r in rows] == expected
    assert all(r["uncapped_liability_clause"] and r["uncapped_liability_page"] >= 1 for r in rows)


def test_discharge_summaries_with_drug_and_diagnosis(analysed_config: Config) -> None:
    truth = {i: d for i, d in _truth(analysed_config).items() if d.kind == "discharge_summary"}
    assert truth
    # a drug and a diagnosis the corpus pairs in some summary (warfarin and a bleed where it has one)
    pairs = sorted(
        (m["name"].lower(), p.lower(), i)
        for i, d in truth.items()
        for m in d.truth["medications"]
        for p in d.truth["problems"]
    )
    drug, problem, _ = next((pair for pair in pairs if pair[0] == "warfarin"), pairs[0])
    word = max(problem.split(), key=len)
    expected = sorted(
        i
        for i, d in truth.items()
        if drug in {m["name"].lower() for m in d.truth["medications"]}
        and any(word in p.lower() for p in d.truth["problems"])
    )
    rows = _run(analysed_config, "discharge_summaries_with_drug_and_diagnosis", drug=drug, diagnosis=f"%{word}%")
    assert sorted({r["document_id"] for r in rows}) == expected
    assert all(r["medication"].lower() == drug and word in r["diagnosis"].lower() for r in rows)


def test_judgments_by_outcome(analysed_config: Config) -> None:
    truth = {i: d.truth for i, d in _truth(analysed_config).items() if d.kind == "court_opinion"}
    assert truth
    for outcome in sorted({t["outcome"] for t in truth.values()}) + ["dismissed"]:
        rows = _run(analysed_config, "judgments_by_outcome", outcome=outcome)
        assert sorted(r["document_id"] for r in rows) == sorted(i for i, t in truth.items() if t["outcome"] == outcome)
        for row in rows:
            assert (row["court"], row["decision_date"]) == (
                truth[row["document_id"]]["court"],
                truth[row["document_id"]]["decision_date"],
            )


def store_model(config: Config) -> str:
    from analysis.embed import model_id_for

    return model_id_for(config.embedding_model)


@pytest.fixture(autouse=True)
def _needs_queries() -> None:
    assert QUERIES.is_dir()
