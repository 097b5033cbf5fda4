"""Users: a PIN to take patient mode back, set by each practitioner for themselves.

Nullable: a practitioner without one takes patient mode back with their password, as
before. Only the PIN's argon2id hash is kept, as for passwords (docs/patient-mode.md).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unlock_pin_hash", sa.String(length=255), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Natively, as in 0008: a batch rebuild drops the table, which the foreign keys of
        # the records that name their users refuse.
        op.execute("ALTER TABLE app_user DROP COLUMN unlock_pin_hash")
    else:
        with op.batch_alter_table("app_user", schema=None) as batch_op:
            batch_op.drop_column("unlock_pin_hash")
