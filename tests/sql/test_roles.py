"""The analyst role on the real PostgreSQL server: it reads every view, and it can neither read
the raw tables (document and chunk text may hold personal data) nor write anything."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from analysis.config import Config
from analysis.store.views import view_names

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("analysed_config", ["postgres"], indirect=True)]
ROLES_SQL = (Path(__file__).resolve().parents[2] / "sql" / "roles.sql").read_text()


@pytest.fixture
def analyst_url(analysed_config: Config) -> Iterator[str]:
    """A login role in docanalysis_analyst (trust auth here), dropped afterwards."""
    name = f"analyst_{uuid.uuid4().hex[:8]}"
    owner = create_engine(analysed_config.database_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        cursor = conn.connection.cursor()  # the file as psql would send it: no parameters
        cursor.execute(ROLES_SQL)
        cursor.execute(ROLES_SQL)  # idempotent
        conn.execute(text(f'CREATE ROLE "{name}" LOGIN IN ROLE docanalysis_analyst'))
    try:
        yield make_url(analysed_config.database_url).set(username=name).render_as_string(hide_password=False)
    finally:
        with owner.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        owner.dispose()


def test_the_analyst_reads_every_view(analyst_url: str) -> None:
    engine = create_engine(analyst_url)
    try:
        with engine.connect() as conn:
            for view in view_names():
                conn.execute(text(f"SELECT * FROM {view}")).all()
            assert conn.execute(text("SELECT COUNT(*) FROM document_overview")).scalar_one() == 14
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT text FROM documents",
        "SELECT text FROM chunks",
        "SELECT * FROM summaries",
        "INSERT INTO runs (started_at, status, trigger, params, counts) VALUES (now(), 'x', 'x', '{}', '{}')",
        "DELETE FROM quarantine",
        "UPDATE audit SET reason = 'changed'",
        "DELETE FROM quarantined_files",  # an updatable (single-table) view: only SELECT is granted
        "CREATE TABLE analyst_scratch (id int)",
        "DROP VIEW document_overview",
    ],
)
def test_the_analyst_cannot_read_raw_tables_or_write(analyst_url: str, statement: str) -> None:
    engine = create_engine(analyst_url)
    try:
        with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission denied|must be owner"):
            conn.execute(text(statement))
    finally:
        engine.dispose()
