"""Kiosk stations, and the intakes handed to them (issue 19, ``consult kiosk``).

``kiosk_station``: a tablet a manager registered (``consult kiosk --register NAME``):
its name, the argon2id hash of its secret, and when it last asked for work (a station
seen in the last seconds is waiting). ``kiosk_handover``: one intake a practitioner sent
to a station, with what the questionnaire needs (no name, no contact details, no
screening), the patient's answers as they give them, the counts the desk shows, and
when it was sent, finished and taken back. See consult.store.services.kiosk and
docs/patient-mode.md.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "kiosk_station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["registered_by"],
            ["app_user.id"],
            name=op.f("fk_kiosk_station_registered_by_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_station")),
        sa.UniqueConstraint("name", name=op.f("uq_kiosk_station_name")),
    )
    op.create_table(
        "kiosk_handover",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", _BIG_ID, nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("intake", _JSON, nullable=False),
        sa.Column("answers", _JSON, nullable=False),
        sa.Column("progress", _JSON, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["kiosk_station.id"],
            name=op.f("fk_kiosk_handover_station_id_kiosk_station"),
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
            name=op.f("fk_kiosk_handover_consultation_id_consultation"),
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["app_user.id"],
            name=op.f("fk_kiosk_handover_practitioner_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_handover")),
    )
    with op.batch_alter_table("kiosk_handover", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kiosk_handover_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_kiosk_handover_consultation_id"), ["consultation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kiosk_handover_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kiosk_handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kiosk_handover_state"))
        batch_op.drop_index(batch_op.f("ix_kiosk_handover_consultation_id"))
        batch_op.drop_index(batch_op.f("ix_kiosk_handover_station_id"))
    op.drop_table("kiosk_handover")
    op.drop_table("kiosk_station")
