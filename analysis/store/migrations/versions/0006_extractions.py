"""The extract job's results: one ``extractions`` row per (content, extractor, field catalogue),
its ``facts`` with their evidence, and the fields it attempted but could not fill
(``extraction_problems``); the analysts' fact views are created from sql/views/ at the head.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.views import drop_views

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    drop_views(op.get_bind())  # recreated by analysis.store.migrate at the head
    op.create_table(
        "extractions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("document_id", _ID, nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("run_id", _ID, nullable=True),
        sa.Column("backend", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.String(length=256), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("extractor", sa.String(length=64), nullable=False),
        sa.Column("extractor_version", sa.String(length=32), nullable=False),
        sa.Column("n_facts", sa.Integer(), nullable=False),
        sa.Column("n_rejected", sa.Integer(), nullable=False),
        sa.Column("n_failed", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["model_id"], ["models.model_id"]),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_sha256", "model_id", "prompt_hash"),
    )
    with op.batch_alter_table("extractions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extractions_document_id"), ["document_id"], unique=False)
    op.create_table(
        "facts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("extraction_id", _ID, nullable=False),
        sa.Column("document_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.Column("char_end", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("chunk_id", _ID, nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("negated", sa.Boolean(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("historical", sa.Boolean(), nullable=False),
        sa.Column("family", sa.Boolean(), nullable=False),
        sa.Column("role", sa.String(length=128), nullable=True),
        sa.Column("dose", sa.String(length=64), nullable=True),
        sa.Column("route", sa.String(length=64), nullable=True),
        sa.Column("frequency", sa.String(length=64), nullable=True),
        sa.Column("section", sa.String(length=512), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["chunk_id"], ["chunks.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["extraction_id"], ["extractions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facts_chunk_id"), ["chunk_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_extraction_id"), ["extraction_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_field"), ["field"], unique=False)
    op.create_table(
        "extraction_problems",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("extraction_id", _ID, nullable=False),
        sa.Column("document_id", _ID, nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("problem", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=512), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["extraction_id"], ["extractions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("extraction_problems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extraction_problems_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_extraction_problems_extraction_id"), ["extraction_id"], unique=False)


def downgrade() -> None:
    drop_views(op.get_bind())
    op.drop_table("extraction_problems")
    op.drop_table("facts")
    op.drop_table("extractions")
