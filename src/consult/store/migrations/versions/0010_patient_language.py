"""The patient's language: the language the patient reads their intake and consent in.

A consent signed in a language the patient cannot read is not informed, so each patient
has the language their questionnaire, consent texts and printed form are given in (a
language code: "en", "ja"). Patients registered before this revision are given English,
the only language there was; reception changes it on the patient's record.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=16), nullable=False, server_default="en")
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        op.execute("ALTER TABLE patient DROP COLUMN language")
    else:
        with op.batch_alter_table("patient", schema=None) as batch_op:
            batch_op.drop_column("language")
