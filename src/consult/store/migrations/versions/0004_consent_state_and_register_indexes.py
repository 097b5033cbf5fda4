"""A consent record's state beside it, and the indexes the consent register sorts by.

``state`` (signed, withdrawn, voided) repeats what the record's withdrawn and voided
events say, so that the register can filter and sort a million records in the database.
It is written in the same transaction as the event; the sealed columns never change.

Each register index ends with ``state`` so that a filter on it is answered from the
index (on SQLite the column sits after the document and the PDF, in overflow pages).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGISTER_INDEXES: dict[str, list[str]] = {
    "ix_consent_record_register_signed": ["signed_at", "id", "state"],
    "ix_consent_record_register_treatment": ["treatment_id", "signed_at", "id", "state"],
    "ix_consent_record_register_practitioner": ["practitioner_id", "signed_at", "id", "state"],
    "ix_consent_record_register_outcome": ["outcome", "signed_at", "id", "state"],
    "ix_consent_record_register_overrides": ["has_overrides", "signed_at", "id", "state"],
    "ix_consent_record_register_state": ["state", "signed_at", "id"],
}


def upgrade() -> None:
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="signed")
        )
    # Records withdrawn or voided before this revision: their events say so.
    op.execute(
        "UPDATE consent_record SET state = 'withdrawn' WHERE id IN "
        "(SELECT consent_id FROM consent_event WHERE kind = 'withdrawn')"
    )
    op.execute(
        "UPDATE consent_record SET state = 'voided' WHERE id IN "
        "(SELECT consent_id FROM consent_event WHERE kind = 'voided')"
    )
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        for name, columns in REGISTER_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table("treatment_record", schema=None) as batch_op:
        batch_op.create_index("ix_treatment_record_product_id", ["product_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("treatment_record", schema=None) as batch_op:
        batch_op.drop_index("ix_treatment_record_product_id")
    with op.batch_alter_table("consent_record", schema=None) as batch_op:
        for name in REGISTER_INDEXES:
            batch_op.drop_index(name)
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Natively: a batch rebuild drops the table, which the events' foreign keys refuse
        # as soon as there are records.
        op.execute("ALTER TABLE consent_record DROP COLUMN state")
    else:
        with op.batch_alter_table("consent_record", schema=None) as batch_op:
            batch_op.drop_column("state")
