"""The relational store (SQLite embedded, PostgreSQL in production).

``Store`` (``store.py``) is the facade; the queries live in one module per concern: ``runs``,
``documents``, ``embeddings``, ``results`` and ``queries``, over the one engine of ``engine``.
"""

from analysis.records import KnownSource
from analysis.store.engine import VACUUM_CONTENT_TABLES, redact_url
from analysis.store.results import JobTodo
from analysis.store.shared import DocumentSelection, Shard
from analysis.store.store import Store, open_store

__all__ = [
    "VACUUM_CONTENT_TABLES",
    "DocumentSelection",
    "JobTodo",
    "KnownSource",
    "Shard",
    "Store",
    "open_store",
    "redact_url",
]
