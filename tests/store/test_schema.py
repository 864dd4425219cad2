from __future__ import annotations

from pathlib import Path

from analysis.store.schema import schema_ddl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "sql" / "schema.sql"


def test_sql_schema_file_matches_the_models() -> None:
    assert SCHEMA_FILE.read_text() == schema_ddl(), "regenerate: python -m analysis.store.schema > sql/schema.sql"


def test_schema_has_the_core_tables() -> None:
    ddl = schema_ddl("sqlite")
    for table in ("documents", "document_sources", "pages", "chunks", "embeddings", "runs", "quarantine"):
        assert f"CREATE TABLE {table} (" in ddl
