"""The relational store (SQLite embedded, PostgreSQL in production)."""

from analysis.store.repository import DocumentSelection, KnownSource, Shard, Store, open_store, redact_url

__all__ = ["DocumentSelection", "KnownSource", "Shard", "Store", "open_store", "redact_url"]
