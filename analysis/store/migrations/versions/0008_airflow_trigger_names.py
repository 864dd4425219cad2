"""``runs.trigger`` of Airflow runs as documented, ``airflow:<run type>`` (``airflow:scheduled``):
runs started by the DAG tasks before this revision stored the run type enum's name
(``airflow:DagRunType.SCHEDULED``), so ``run_history`` and ``audit_trail`` disagreed.
Data only; the schema does not change.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ENUM_PREFIX = "airflow:DagRunType."
# Airflow's DagRunType members whose value is not their name in lower case.
_VALUES = {"BACKFILL_JOB": "backfill"}


def run_type_value(member: str) -> str:
    """The value of a DagRunType member named ``member`` (``SCHEDULED`` -> ``scheduled``)."""
    return _VALUES.get(member, member.lower())


def upgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(
        sa.text("SELECT DISTINCT trigger FROM runs WHERE trigger LIKE :prefix"), {"prefix": _ENUM_PREFIX + "%"}
    ).scalars()
    for trigger in list(old):
        new = "airflow:" + run_type_value(trigger.removeprefix(_ENUM_PREFIX))
        bind.execute(sa.text("UPDATE runs SET trigger = :new WHERE trigger = :old"), {"new": new, "old": trigger})


def downgrade() -> None:
    """Nothing to undo: the old spelling was a bug, and the new one is what older code documents."""
