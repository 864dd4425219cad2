"""Schema migrations (Alembic): one history for SQLite and PostgreSQL.

``docanalysis db upgrade`` applies them. Every entry point checks the revision first and
refuses a database that is behind, saying what to run. A brand-new, empty database is not
behind but unborn: it is brought to the latest revision on first use, so the embedded
default works out of the box. The analysts' views are derived objects: revisions drop them
before altering tables, and they are made from ``sql/views/`` once the head is reached.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
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


def ensure_current(engine: Engine, lock: Callable[[], AbstractContextManager[object]] = nullcontext) -> None:
    """Refuse a database that is behind the code; create the schema in an empty one.

    ``lock`` excludes other processes: two first runs on a new database would otherwise race,
    and SQLite's driver runs DDL outside the transaction, so the second could see half a schema.
    """
    head = head_revision()
    if _revision_and_emptiness(engine)[0] == head:
        return
    with lock():
        revision, empty = _revision_and_emptiness(engine)  # again: another process may have finished
        if revision == head:
            return
        if revision is None and empty:
            upgrade(engine)
            return
    raise SchemaOutOfDateError(revision or "none (created before migrations)", head)


def _revision_and_emptiness(engine: Engine) -> tuple[str | None, bool]:
    with engine.connect() as connection:
        return current_revision(connection), not inspect(connection).get_table_names()
