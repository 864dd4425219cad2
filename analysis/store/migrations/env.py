"""Alembic environment: runs on the connection that analysis.store.migrate hands it."""

from __future__ import annotations

from alembic import context

from analysis.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; one history serves both databases
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
