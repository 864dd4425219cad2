"""The one database connection of a store: engine, SQLite pragmas, sessions, writer locks, compaction.

Every repository of the store shares one ``Database``, so they share its session factory and
its connection pool; none of them creates an engine of its own.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from analysis.errors import LockTimeoutError, StoreUnavailableError, first_line
from analysis.filelock import exclusive_flock
from analysis.store.migrate import ensure_current

# the PostgreSQL tables that hold document content (a test checks the list against the schema)
VACUUM_CONTENT_TABLES = (
    "VACUUM documents, pages, chunks, embeddings, summaries, summary_support, sentiments, document_sources, "
    "quarantine, search_hits, job_failures, extractions, facts, extraction_problems, questions, answers, "
    "answer_sentences"
)


def redact_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparseable URL: say nothing of it
        return "<invalid database URL>"


class Database:
    """An engine on ``url``, checked to be at the code's schema revision, and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, future=True, pool_pre_ping=True)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreUnavailableError(redact_url(url), first_line(exc)) from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        try:
            # refuses a database behind the code; sets up an empty one, one process at a time
            ensure_current(self.engine, lock=lambda: self.writer_lock("schema"))
        except OperationalError as exc:
            raise StoreUnavailableError(redact_url(url), first_line(exc)) from None

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def writer_lock(self, name: str, timeout_s: float = 600.0) -> Iterator[None]:
        """One writer at a time for ``name``, across every process that shares this store.

        PostgreSQL: a session advisory lock, so runs on different machines exclude each other and
        a killed holder releases it with its connection. SQLite: an flock beside the database file
        (SQLite is never shared between machines).
        """
        if self.engine.dialect.name == "postgresql":
            deadline = time.monotonic() + timeout_s
            key = int.from_bytes(hashlib.sha256(f"docanalysis:{name}".encode()).digest()[:8], "big", signed=True)
            with self.engine.connect() as connection:
                while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
                    connection.rollback()
                    if time.monotonic() > deadline:
                        raise LockTimeoutError(name, timeout_s)
                    time.sleep(0.2)
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
            return
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield  # a private in-memory database has one writer by construction
            return
        with exclusive_flock(Path(f"{database}.{name}.lock"), name, timeout_s):
            yield

    def compact(self) -> None:
        """Rewrite the database so deleted rows leave no bytes behind (after an erasure).

        SQLite: VACUUM, then truncate the write-ahead log, which still holds old page images.
        PostgreSQL: VACUUM the tables that held content, so dead tuples are reclaimed.
        """
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.exec_driver_sql("VACUUM")
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql(VACUUM_CONTENT_TABLES)

    def close(self) -> None:
        self.engine.dispose()


class Repository:
    """One concern's queries over the shared ``Database``.

    Every public method of a subclass is also a method of the ``Store`` facade, so no two
    repositories may define the same public name (``analysis.store`` checks this on import).
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def _session(self) -> Session:
        return self._db.session()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten, not left in free pages
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
