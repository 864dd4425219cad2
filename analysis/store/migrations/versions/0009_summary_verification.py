"""Verify-and-repair of LLM summaries: ``summaries.draft_text`` (the model's draft),
``summary_support.action`` (kept, repaired, replaced, dropped) and
``summary_support.draft_sentence``. Older rows keep nulls (not verified). The views
(``summary_evidence``, the new ``summary_repairs``) are created from sql/views/ at the head.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.views import drop_views

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views(op.get_bind())  # recreated by analysis.store.migrate at the head
    with op.batch_alter_table("summaries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_text", sa.Text(), nullable=True))
    with op.batch_alter_table("summary_support", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("draft_sentence", sa.Text(), nullable=True))


def downgrade() -> None:
    drop_views(op.get_bind())
    with op.batch_alter_table("summary_support", schema=None) as batch_op:
        batch_op.drop_column("draft_sentence")
        batch_op.drop_column("action")
    with op.batch_alter_table("summaries", schema=None) as batch_op:
        batch_op.drop_column("draft_text")
