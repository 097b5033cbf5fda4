"""Signed forms: the sealed PDF signed by the clinic (PAdES), beside the sealed bytes.

Nullable: a form sealed before forms were signed has none, and keeps printing and
verifying from its sealed bytes as before. The signed bytes start with the sealed ones
(the signature is an incremental update), so ``pdf`` and ``pdf_sha256`` are unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_pdf", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Natively, as in 0004: a batch rebuild drops the table, which the events' foreign
        # keys refuse as soon as there are records.
        op.execute("ALTER TABLE consent_record DROP COLUMN signed_pdf")
    else:
        with op.batch_alter_table("consent_record", schema=None) as batch_op:
            batch_op.drop_column("signed_pdf")
