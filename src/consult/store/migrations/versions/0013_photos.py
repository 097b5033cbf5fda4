"""Photos of treated areas, and withdrawals of the photograph consent (issue 20).

``photo``: a before, after or progress photo per patient and consultation (optionally a
treatment record), its stripped bytes, SHA-256, size and thumbnail; ``hidden_at`` once the
photograph consent is withdrawn, ``deleted_at`` once a manager deleted it past retention
(the bytes gone, the row and its hash kept). ``photo_consent_withdrawal``: one per
consultation whose photograph consent the patient withdrew. See
consult.store.services.photos and docs/treatment-record.md.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "photo",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("treatment_record_id", _BIG_ID, nullable=True),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_photo_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_photo_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["treatment_record_id"],
            ["treatment_record.id"],
            name=op.f("fk_photo_treatment_record_id_treatment_record"),
        ),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["app_user.id"], name=op.f("fk_photo_imported_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by"], ["app_user.id"], name=op.f("fk_photo_deleted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_photo_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_photo_treatment_record_id"), ["treatment_record_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)
        batch_op.create_index("ix_photo_patient_taken", ["patient_id", "taken_at"], unique=False)

    op.create_table(
        "photo_consent_withdrawal",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_photo_consent_withdrawal_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_photo_consent_withdrawal_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_photo_consent_withdrawal_user_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_consent_withdrawal")),
        sa.UniqueConstraint(
            "consultation_id", name=op.f("uq_photo_consent_withdrawal_consultation_id")
        ),
    )
    with op.batch_alter_table("photo_consent_withdrawal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_photo_consent_withdrawal_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("photo_consent_withdrawal")
    op.drop_table("photo")
