"""A repeat visit's section confirmations, saved with the draft (issue 21).

At a repeat visit the intake starts from the patient's last one and each section is
confirmed as unchanged or updated (docs/repeat-visits.md). ``section_confirmations``
keeps which sections were confirmed, and how, with the draft ({section id: "unchanged" |
"update"}), so that a draft reopened at the intake asks only for those still to confirm.
Consultations from before this revision, and first visits, have none (NULL).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "section_confirmations",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        op.execute("ALTER TABLE consultation DROP COLUMN section_confirmations")
    else:
        with op.batch_alter_table("consultation", schema=None) as batch_op:
            batch_op.drop_column("section_confirmations")
