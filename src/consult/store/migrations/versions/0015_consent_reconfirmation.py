"""Repeat visits (issue 21): ``consent_reconfirmation``, the patient's one signature
re-confirming a signed consent at a later visit, sealed like a consent (its canonical
JSON and SHA-256, its PDF, the clinic's signature) and never updated.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "consent_reconfirmation",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("document_number", sa.String(length=32), nullable=False),
        sa.Column("consent_id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.String(length=64), nullable=False),
        sa.Column("session_number", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_json", sa.Text(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_pdf", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent_record.id"],
            name=op.f("fk_consent_reconfirmation_consent_id_consent_record"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_consent_reconfirmation_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patient.id"],
            name=op.f("fk_consent_reconfirmation_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["app_user.id"],
            name=op.f("fk_consent_reconfirmation_practitioner_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_reconfirmation")),
        sa.UniqueConstraint(
            "consultation_id",
            "treatment_id",
            name="uq_consent_reconfirmation_consultation_treatment",
        ),
        sa.UniqueConstraint(
            "document_number", name=op.f("uq_consent_reconfirmation_document_number")
        ),
    )
    with op.batch_alter_table("consent_reconfirmation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_reconfirmation_consent_id"), ["consent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consent_reconfirmation_consultation_id"),
            ["consultation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_consent_reconfirmation_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("consent_reconfirmation")
