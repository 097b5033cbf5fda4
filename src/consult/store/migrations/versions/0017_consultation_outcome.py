"""The outcome of a consultation that ends with treatments not given (issue 21).

``consultation_outcome``: one row per consultation, written once: the treatments not
given with their findings, the practitioner's reason, the patient's language and what
the patient's letter prints (see :mod:`consult.store.services.outcomes`).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "consultation_outcome",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason_kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("treatments", _JSON, nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("letter", _JSON, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consultation_outcome_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_consultation_outcome_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["app_user.id"],
            name=op.f("fk_consultation_outcome_practitioner_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_outcome")),
        sa.UniqueConstraint(
            "consultation_id", name=op.f("uq_consultation_outcome_consultation_id")
        ),
    )
    with op.batch_alter_table("consultation_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_outcome_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("consultation_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_outcome_patient_id"))
    op.drop_table("consultation_outcome")
