"""A repeat visit's section confirmations on a kiosk station (issue 21 on issue 19's
kiosk).

At a repeat visit the patient says on the station, section by section, whether anything
has changed since the last visit, as patient mode asks it at the desk.
``kiosk_handover.confirmations`` keeps their choices ({section id: "unchanged" |
"update"}) with their answers until the practitioner takes the intake back; a first
visit's hand-over, and those from before this revision, have none (NULL).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kiosk_handover", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "confirmations",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        op.execute("ALTER TABLE kiosk_handover DROP COLUMN confirmations")
    else:
        with op.batch_alter_table("kiosk_handover", schema=None) as batch_op:
            batch_op.drop_column("confirmations")
