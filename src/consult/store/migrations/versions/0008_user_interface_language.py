"""Users: the language of their interface, chosen by each user (File > Language…).

Nullable: a user who has not chosen one sees the workstation's language, as before.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interface_language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Natively, as in 0004 and 0007: a batch rebuild drops the table, which the foreign
        # keys of the records that name their users refuse.
        op.execute("ALTER TABLE app_user DROP COLUMN interface_language")
    else:
        with op.batch_alter_table("app_user", schema=None) as batch_op:
            batch_op.drop_column("interface_language")
