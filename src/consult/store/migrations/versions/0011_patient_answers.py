"""The patient's own answers: what the patient answered in patient mode, per consultation.

In patient mode (issue 19) the patient answers the health questions on their own screen;
the practitioner then reviews them and may change an answer after discussing it. The
consultation's ``answers`` hold the answers screened and sealed; ``patient_answers``
keeps, beside them, the patient's own answers and which of them the practitioner changed
(a JSON object, described in :mod:`consult.store.services.patient_answers`), so that the
sealed form can show both where they differ. Consultations from before this revision
have none (NULL): the practitioner typed their intake.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "patient_answers",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        op.execute("ALTER TABLE consultation DROP COLUMN patient_answers")
    else:
        with op.batch_alter_table("consultation", schema=None) as batch_op:
            batch_op.drop_column("patient_answers")
