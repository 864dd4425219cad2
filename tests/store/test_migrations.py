"""One migration history for SQLite and PostgreSQL: empty databases, databases at the
previous revision, and databases from before migrations all reach the head with their data;
a database that is behind is refused with what to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text

from analysis.cli import main
from analysis.config import Config
from analysis.errors import SchemaOutOfDateError
from analysis.store import Store
from analysis.store.migrate import _alembic_config, current_revision, head_revision, upgrade
from analysis.store.schema import Base
from analysis.store.views import view_names


def _url(config: Config) -> str:
    return config.database_url


def test_an_empty_database_upgrades_to_the_head_with_every_view(any_config: Config) -> None:
    any_config.home.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["--home", str(any_config.home), "--db-url", _url(any_config), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"to {head_revision()}" in result.output
    engine = create_engine(_url(any_config))
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert set(view_names()) <= set(inspect(conn).get_view_names())
            for view in view_names():
                conn.execute(text(f"SELECT * FROM {view}")).all()
            # the migrated schema is exactly the models' schema
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        engine.dispose()
    again = CliRunner().invoke(main, ["--home", str(any_config.home), "--db-url", _url(any_config), "db", "upgrade"])
    assert "already at revision" in again.output


def test_a_database_at_the_previous_revision_is_refused_then_upgraded_with_its_data(any_config: Config) -> None:
    any_config.home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_url(any_config))
    try:
        upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO runs (started_at, status, trigger, params, counts, dag_id, dag_run_id) "
                    "VALUES (CURRENT_TIMESTAMP, 'succeeded', 'manual', '{}', '{\"documents_new\": 3}', 'd', 'r1')"
                )
            )
        with pytest.raises(SchemaOutOfDateError, match="docanalysis db upgrade"):
            Store(_url(any_config))
        refused = CliRunner().invoke(main, ["--home", str(any_config.home), "--db-url", _url(any_config), "status"])
        assert refused.exit_code == 1
        assert "run `docanalysis db upgrade`" in refused.output and "Traceback" not in refused.output

        before, after = upgrade(engine)
        assert (before, after) == ("0002", head_revision())
        store = Store(_url(any_config))
        try:
            (run,) = store.recent_runs()
            assert run.counts == {"documents_new": 3} and run.dag_run_id == "r1"
        finally:
            store.close()
    finally:
        engine.dispose()


def test_a_database_from_before_migrations_is_recognised_and_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))  # as the first release left it
            conn.execute(
                text(
                    "INSERT INTO quarantine (path, sha256, size_bytes, stage, reason, created_at) "
                    "VALUES ('/in/a.pdf', 'x', 1, 'parse', 'encrypted', CURRENT_TIMESTAMP)"
                )
            )
        assert upgrade(engine) == ("0001", head_revision())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT reason FROM quarantined_files")).scalar_one() == "encrypted"
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again(any_config: Config) -> None:
    any_config.home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_url(any_config))
    try:
        upgrade(engine)
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
    finally:
        engine.dispose()


def test_airflow_triggers_stored_as_the_enum_name_are_rewritten_as_documented(any_config: Config) -> None:
    """Runs started by the DAG tasks before 0008 read `airflow:DagRunType.SCHEDULED`; sql/README.md
    and audit_trail.run_type say `airflow:scheduled`."""
    any_config.home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(_url(any_config))
    old = {
        "airflow:DagRunType.SCHEDULED": "airflow:scheduled",
        "airflow:DagRunType.MANUAL": "airflow:manual",
        "airflow:DagRunType.BACKFILL_JOB": "airflow:backfill",
        "airflow:DagRunType.ASSET_TRIG": "airflow:asset_trig",  # 32 characters at most fit the column
        "cli": "cli",
        "airflow:manual": "airflow:manual",
    }
    try:
        upgrade(engine, "0007")
        with engine.begin() as conn:
            for trigger in old:
                conn.execute(
                    text(
                        "INSERT INTO runs (started_at, status, trigger, params, counts) "
                        "VALUES (CURRENT_TIMESTAMP, 'succeeded', :trigger, '{}', '{}')"
                    ),
                    {"trigger": trigger},
                )
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT trigger FROM runs ORDER BY id")).scalars().all()
            history = set(conn.execute(text("SELECT trigger FROM run_history")).scalars())
    finally:
        engine.dispose()
    assert rows == list(old.values())
    assert history == set(old.values())
