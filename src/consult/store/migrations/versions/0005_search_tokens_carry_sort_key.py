"""Patient search: name tokens carry the patient's sort key, so a search reads one index.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient_name_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_name", sa.String(length=450), nullable=True))
        batch_op.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
    # Derived data: copied from each token's patient.
    op.execute(
        "UPDATE patient_name_token SET "
        "search_name = (SELECT p.search_name FROM patient p "
        "WHERE p.id = patient_name_token.patient_id), "
        "date_of_birth = (SELECT p.date_of_birth FROM patient p "
        "WHERE p.id = patient_name_token.patient_id)"
    )
    with op.batch_alter_table("patient_name_token", schema=None) as batch_op:
        batch_op.alter_column("search_name", existing_type=sa.String(length=450), nullable=False)
        batch_op.alter_column("date_of_birth", existing_type=sa.Date(), nullable=False)
        batch_op.drop_index("ix_patient_name_token_token")
        batch_op.create_index(
            "ix_patient_name_token_search",
            ["token", "search_name", "date_of_birth", "patient_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("patient_name_token", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_name_token_search")
        batch_op.create_index("ix_patient_name_token_token", ["token", "patient_id"], unique=False)
        batch_op.drop_column("date_of_birth")
        batch_op.drop_column("search_name")
