"""Patients' phone numbers in E.164, read with the clinic's country as default region.

Each stored number that can be read is rewritten in E.164 ("07700 900123" at a clinic
in the United Kingdom becomes "+447700900123"), and its search digits with it; a
number that cannot be read is left exactly as it was typed (the desk is asked for a
valid one the next time the patient is edited). Patient search then finds a number
typed in national or international form.

The reading is written out here, not imported from the program, so that this migration
does the same thing whatever later versions of the program change.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import re
import unicodedata
from collections.abc import Sequence

import phonenumbers
import sqlalchemy as sa
from alembic import op
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REGIONS = {"GB": "GB", "US": "US", "JP": "JP", "KR": "KR", "CN": "CN"}  # EU, OTHER: none
BATCH = 1000

patient = sa.table(
    "patient",
    sa.column("id", sa.BigInteger),
    sa.column("phone", sa.String),
    sa.column("phone_digits", sa.String),
)


def _acceptable(number):
    # Allocated, or shaped like a mobile number of its country (see consult.domain.phones
    # at the time of this migration).
    if phonenumbers.is_valid_number(number):
        return True
    national = phonenumbers.national_significant_number(number)
    for region in phonenumbers.region_codes_for_country_code(number.country_code):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region)
        if metadata is None or metadata.mobile is None or metadata.general_desc is None:
            continue
        pattern = metadata.general_desc.national_number_pattern
        lengths = metadata.mobile.possible_length or ()
        if pattern and len(national) in lengths and re.fullmatch(pattern, national):
            return True
    return False


def e164(text, region):
    """The number in E.164, or None if it cannot be read (or has an extension)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return None
    try:
        number = phonenumbers.parse(typed, region)
    except NumberParseException:
        return None
    if number.extension or not _acceptable(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def upgrade() -> None:
    bind = op.get_bind()
    jurisdiction = bind.execute(
        sa.text("SELECT jurisdiction FROM clinic ORDER BY id LIMIT 1")
    ).scalar_one_or_none()
    region = REGIONS.get(jurisdiction or "")
    changes = []
    rows = bind.execute(
        sa.select(patient.c.id, patient.c.phone).where(patient.c.phone != "").order_by(patient.c.id)
    ).all()
    for patient_id, phone in rows:
        normal = e164(phone, region)
        if normal is not None and normal != phone:
            changes.append({"pid": patient_id, "new_phone": normal, "new_digits": normal[1:]})
    update = (
        patient.update()
        .where(patient.c.id == sa.bindparam("pid"))
        .values(phone=sa.bindparam("new_phone"), phone_digits=sa.bindparam("new_digits"))
    )
    for start in range(0, len(changes), BATCH):
        bind.execute(update, changes[start : start + BATCH])


def downgrade() -> None:
    # E.164 numbers are valid phone numbers for the earlier program too: nothing to undo
    # (how each number was first typed is not kept).
    pass
