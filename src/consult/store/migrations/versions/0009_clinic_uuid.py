"""The clinic's UUID: an identity that outlives a change of its name or address.

A FHIR export names the clinic as an Organization whose id must be the same in every
bundle, before and after a rename, and must differ from every other clinic's (ids made
from the clinic's name changed with it; the row's number is 1 everywhere). Each existing
clinic row is given a random UUID here; a new clinic gets one when it is set up.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlite3
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

clinic = sa.table("clinic", sa.column("id", sa.Integer), sa.column("uuid", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uuid", sa.String(length=36), nullable=True))
    bind = op.get_bind()
    for (row_id,) in bind.execute(sa.select(clinic.c.id)).all():
        bind.execute(clinic.update().where(clinic.c.id == row_id).values(uuid=str(uuid.uuid4())))
    with op.batch_alter_table("clinic", schema=None) as batch_op:
        batch_op.alter_column("uuid", existing_type=sa.String(length=36), nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        # Natively, as in 0007 and 0008.
        op.execute("ALTER TABLE clinic DROP COLUMN uuid")
    else:
        with op.batch_alter_table("clinic", schema=None) as batch_op:
            batch_op.drop_column("uuid")
