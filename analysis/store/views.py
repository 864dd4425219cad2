"""The analysts' views: their SQL lives in ``sql/views/`` (one file each, documented in
``sql/README.md``); migrations (re)create them from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Connection, text

VIEWS_DIR = Path(__file__).resolve().parents[2] / "sql" / "views"


def view_names() -> list[str]:
    return sorted(p.stem for p in VIEWS_DIR.glob("*.sql"))


def view_sql(name: str) -> str:
    return (VIEWS_DIR / f"{name}.sql").read_text(encoding="utf-8")


def drop_views(connection: Connection) -> None:
    preparer = connection.dialect.identifier_preparer  # the names come from our files: quote them anyway
    for name in view_names():
        connection.execute(text(f"DROP VIEW IF EXISTS {preparer.quote_identifier(name)}"))


def create_views(connection: Connection, names: Sequence[str] | None = None) -> None:
    """Drop and create every view (or the ``names`` a migration knew): a view holds no data,
    so replacing it loses nothing."""
    if not VIEWS_DIR.is_dir():
        raise FileNotFoundError(f"the view definitions are missing: {VIEWS_DIR}")
    drop_views(connection)
    for name in view_names() if names is None else names:
        connection.execute(text(view_sql(name)))
