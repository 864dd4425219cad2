"""Lineage and the analysts' layer: which chunks support each summary sentence, the index
version that first held each vector, saved searches, and the views in sql/views/.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.views import drop_views

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The views this revision made; later revisions add views over their own tables.
VIEWS = (
    "audit_trail",
    "chunk_sentiment",
    "document_overview",
    "quarantined_files",
    "result_lineage",
    "run_history",
    "search_results",
    "summary_evidence",
    "summary_versions",
)


def upgrade() -> None:
    op.create_table(
        "searches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=16), nullable=True),
        sa.Column("model_id", sa.String(length=256), nullable=False),
        sa.Column("index_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "search_hits",
        sa.Column("search_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("chunk_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["chunk_id"], ["chunks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["search_id"], ["searches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("search_id", "rank"),
    )
    with op.batch_alter_table("search_hits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_hits_chunk_id"), ["chunk_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_hits_document_id"), ["document_id"], unique=False)

    op.create_table(
        "summary_support",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("summary_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sentence_index", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("supported", sa.Boolean(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("chunk_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("page_start", sa.Integer(), nullable=True),
        sa.Column("page_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["chunk_id"], ["chunks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["summary_id"], ["summaries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("summary_support", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_summary_support_chunk_id"), ["chunk_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_summary_support_summary_id"), ["summary_id"], unique=False)

    with op.batch_alter_table("embeddings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("index_version", sa.Integer(), nullable=True))
    # The views (VIEWS) are created from sql/views/ by analysis.store.migrate once the head is reached:
    # their SQL is today's, which may read columns later revisions add.


def downgrade() -> None:
    drop_views(op.get_bind())
    with op.batch_alter_table("embeddings", schema=None) as batch_op:
        batch_op.drop_column("index_version")

    with op.batch_alter_table("summary_support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_summary_support_summary_id"))
        batch_op.drop_index(batch_op.f("ix_summary_support_chunk_id"))

    op.drop_table("summary_support")
    with op.batch_alter_table("search_hits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_hits_document_id"))
        batch_op.drop_index(batch_op.f("ix_search_hits_chunk_id"))

    op.drop_table("search_hits")
    op.drop_table("searches")
