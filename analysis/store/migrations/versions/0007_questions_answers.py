"""Questions answered with citations (``docanalysis ask``): ``questions``, their ``answers`` and one
``answer_sentences`` row per sentence with the chunk, document, page and offsets that back it; the
filters of a saved search (``searches.filters``). The views (``answer_citations``, the answer branch
of ``result_lineage``) are created from sql/views/ at the head.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.views import drop_views

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    drop_views(op.get_bind())  # recreated by analysis.store.migrate at the head
    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("filters", sa.JSON(), nullable=True))
    op.create_table(
        "questions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=256), nullable=True),
        sa.Column("embedding_model_id", sa.String(length=256), nullable=False),
        sa.Column("index_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "answers",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("question_id", _ID, nullable=False),
        sa.Column("backend", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.String(length=256), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("groundedness", sa.Float(), nullable=False),
        sa.Column("n_unsupported", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["models.model_id"]),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answers_question_id"), ["question_id"], unique=False)
    op.create_table(
        "answer_sentences",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("answer_id", _ID, nullable=False),
        sa.Column("sentence_index", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("supported", sa.Boolean(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("chunk_id", _ID, nullable=True),
        sa.Column("document_id", _ID, nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("char_start", sa.Integer(), nullable=True),
        sa.Column("char_end", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["chunk_id"], ["chunks.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer_sentences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_sentences_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_sentences_chunk_id"), ["chunk_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_answer_sentences_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    drop_views(op.get_bind())
    op.drop_table("answer_sentences")
    op.drop_table("answers")
    op.drop_table("questions")
    with op.batch_alter_table("searches", schema=None) as batch_op:
        batch_op.drop_column("filters")
