"""Complications, lot quarantine and follow-up reviews (issue 20, part 3).

- ``complication``: an adverse event after a treatment, linked to the lot used; edited
  with optimistic locking, each save audited (the event's history).
- ``lot_quarantine``: a lot taken out of use with the reason, and its release; the rows
  kept after release are the lot's history.
- ``review_mark``: reception's "called" and "booked" marks on a treatment's follow-up
  review.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "complication",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("treatment_id", sa.String(length=64), nullable=False),
        sa.Column("treatment_record_id", _BIG_ID, nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("noticed_on", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_complication_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_complication_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["treatment_record_id"],
            ["treatment_record.id"],
            name=op.f("fk_complication_treatment_record_id_treatment_record"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_complication_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["product_lot.id"], name=op.f("fk_complication_lot_id_product_lot")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_complication_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complication")),
    )
    with op.batch_alter_table("complication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complication_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complication_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_complication_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complication_outcome"), ["outcome"], unique=False)

    op.create_table(
        "lot_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quarantined_by", sa.Integer(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["product_lot.id"], name=op.f("fk_lot_quarantine_lot_id_product_lot")
        ),
        sa.ForeignKeyConstraint(
            ["quarantined_by"],
            ["app_user.id"],
            name=op.f("fk_lot_quarantine_quarantined_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["app_user.id"], name=op.f("fk_lot_quarantine_released_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lot_quarantine")),
    )
    with op.batch_alter_table("lot_quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lot_quarantine_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "review_mark",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("treatment_record_id", _BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_record_id"],
            ["treatment_record.id"],
            name=op.f("fk_review_mark_treatment_record_id_treatment_record"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_review_mark_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_mark")),
    )
    with op.batch_alter_table("review_mark", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_mark_treatment_record_id"), ["treatment_record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("review_mark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_mark_treatment_record_id"))
    op.drop_table("review_mark")
    with op.batch_alter_table("lot_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lot_quarantine_lot_id"))
    op.drop_table("lot_quarantine")
    with op.batch_alter_table("complication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complication_outcome"))
        batch_op.drop_index(batch_op.f("ix_complication_lot_id"))
        batch_op.drop_index(batch_op.f("ix_complication_consultation_id"))
        batch_op.drop_index(batch_op.f("ix_complication_patient_id"))
    op.drop_table("complication")
