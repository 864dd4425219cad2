"""The relational store (SQLite embedded, PostgreSQL in production)."""

from analysis.store.repository import KnownSource, Store, open_store, redact_url

__all__ = ["KnownSource", "Store", "open_store", "redact_url"]
