"""The treatment chart: what was actually done for each consented treatment (issue 20).

``treatment_chart`` (one per treatment record: the lot actually used and why it differs
from the planned one, areas, notes, the seal once signed off), ``injection_point`` (where,
which lot, how much, how deep, how: indexed by lot for recalls) and
``treatment_addendum`` (corrections after sign-off, hash-chained to the seal). See
docs/treatment-record.md.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "treatment_chart",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("treatment_record_id", _BIG_ID, nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("consent_id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("treatment_id", sa.String(length=64), nullable=False),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("lot_reason", sa.Text(), nullable=False),
        sa.Column("areas", _JSON, nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("treated_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("document_json", sa.Text(), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["treatment_record_id"],
            ["treatment_record.id"],
            name=op.f("fk_treatment_chart_treatment_record_id_treatment_record"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_treatment_chart_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"],
            ["consent_record.id"],
            name=op.f("fk_treatment_chart_consent_id_consent_record"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_treatment_chart_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["app_user.id"],
            name=op.f("fk_treatment_chart_practitioner_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_treatment_chart_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["product_lot.id"], name=op.f("fk_treatment_chart_lot_id_product_lot")
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["app_user.id"], name=op.f("fk_treatment_chart_signed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_chart")),
        sa.UniqueConstraint(
            "treatment_record_id", name=op.f("uq_treatment_chart_treatment_record_id")
        ),
        sa.UniqueConstraint(
            "consultation_id", "treatment_id", name="uq_treatment_chart_consultation_treatment"
        ),
    )
    with op.batch_alter_table("treatment_chart", schema=None) as batch_op:
        for column in ("consultation_id", "consent_id", "patient_id", "product_id", "lot_id"):
            batch_op.create_index(batch_op.f(f"ix_treatment_chart_{column}"), [column])
        batch_op.create_index(batch_op.f("ix_treatment_chart_treated_on"), ["treated_on"])

    op.create_table(
        "injection_point",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("chart_id", _BIG_ID, nullable=False),
        sa.Column("patient_id", _BIG_ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=8), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("depth", sa.String(length=32), nullable=False),
        sa.Column("technique", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["chart_id"],
            ["treatment_chart.id"],
            name=op.f("fk_injection_point_chart_id_treatment_chart"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_injection_point_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_injection_point_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["product_lot.id"], name=op.f("fk_injection_point_lot_id_product_lot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injection_point")),
        sa.UniqueConstraint("chart_id", "number", name="uq_injection_point_chart_number"),
    )
    with op.batch_alter_table("injection_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_injection_point_chart_id"), ["chart_id"])
        batch_op.create_index(batch_op.f("ix_injection_point_patient_id"), ["patient_id"])
        batch_op.create_index("ix_injection_point_lot", ["lot_id", "patient_id"])

    op.create_table(
        "treatment_addendum",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("chart_id", _BIG_ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["chart_id"],
            ["treatment_chart.id"],
            name=op.f("fk_treatment_addendum_chart_id_treatment_chart"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_treatment_addendum_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_addendum")),
        sa.UniqueConstraint("sha256", name=op.f("uq_treatment_addendum_sha256")),
    )
    with op.batch_alter_table("treatment_addendum", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_addendum_chart_id"), ["chart_id"])


def downgrade() -> None:
    op.drop_table("treatment_addendum")
    op.drop_table("injection_point")
    op.drop_table("treatment_chart")
