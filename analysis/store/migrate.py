"""Schema migrations (Alembic): one history for SQLite and PostgreSQL.

``docanalysis db upgrade`` applies them. Every entry point checks the revision first and
refuses a database that is behind, saying what to run. A brand-new, empty database is not
behind but unborn: it is brought to the latest revision on first use, so the embedded
default works out of the box. The analysts' views are derived objects: revisions drop them
before altering tables, and they are made from ``sql/views/`` once the head is reached.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from analysis.errors import SchemaOutOfDateError
from analysis.store.views import create_views

MIGRATIONS = Path(__file__).with_name("migrations")

# Databases created before migrations existed (by create_all): the revision their tables match.
_UNVERSIONED = (("audit", "0002"), ("documents", "0001"))


def _alembic_config(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to ``revision``; returns (before, after).

    A database made by an early release without migrations is first stamped with the
    revision its tables match, so its data is kept.
    """
    with engine.begin() as connection:
        before = current_revision(connection)
        config = _alembic_config(connection)
        if before is None:
            tables = set(inspect(connection).get_table_names())
            matched = next((rev for table, rev in _UNVERSIONED if table in tables), None)
            if matched:
                command.stamp(config, matched)
                before = matched
        command.upgrade(config, revision)
        after = current_revision(connection) or ""
        if after == head_revision():  # views are derived: made from today's sql/views/ at the head only
            create_views(connection)
        return before, after


def ensure_current(engine: Engine) -> None:
    """Refuse a database that is behind the code; create the schema in an empty one."""
    with engine.connect() as connection:
        revision = current_revision(connection)
        empty = not inspect(connection).get_table_names()
    head = head_revision()
    if revision == head:
        return
    if revision is None and empty:
        upgrade(engine)
        return
    raise SchemaOutOfDateError(revision or "none (created before migrations)", head)
