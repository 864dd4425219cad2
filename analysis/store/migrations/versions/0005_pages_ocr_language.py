"""Where each page's text came from (its text layer or an OCR engine), the OCR confidence and a
flag for pages a person should check; each document's language.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from analysis.store.views import drop_views

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_views(op.get_bind())  # recreated by analysis.store.migrate at the head
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_source", sa.String(length=64), server_default="text_layer", nullable=False))
        batch_op.add_column(sa.Column("ocr_confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("flag", sa.String(length=512), nullable=True))
    op.execute(
        "UPDATE pages SET text_source = 'text' WHERE document_id IN (SELECT id FROM documents WHERE kind = 'text')"
    )


def downgrade() -> None:
    drop_views(op.get_bind())
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("flag")
        batch_op.drop_column("ocr_confidence")
        batch_op.drop_column("text_source")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("language")
