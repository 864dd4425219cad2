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
from analysis.store.schema import DocumentRow, SentimentRow

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
    assert rows
    store = open_store(analysed_config)
    try:
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


def store_model(config: Config) -> str:
    from analysis.embed import model_id_for

    return model_id_for(config.embedding_model)


@pytest.fixture(autouse=True)
def _needs_queries() -> None:
    assert QUERIES.is_dir()
