"""The relational store (SQLite embedded, PostgreSQL in production)."""

from analysis.store.repository import KnownSource, Store, redact_url

__all__ = ["KnownSource", "Store", "redact_url"]
