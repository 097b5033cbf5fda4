"""Small reads the register, the reception desk and the dashboard share: the names behind
a page's ids, and where a local calendar day starts.

They take the caller's session: the services that use them have already checked the
user's role, and read the names in the same transaction as the rows they name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.store.models import Patient, User


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` on this workstation's clock, in UTC."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def patient_names(session: Session, patient_ids: set[int]) -> dict[int, tuple[str, dt.date]]:
    """Each patient's full name and date of birth, by id (one query for a whole page)."""
    if not patient_ids:
        return {}
    return {
        pid: (f"{given} {family}".strip(), dob)
        for pid, given, family, dob in session.execute(
            select(
                Patient.id, Patient.given_name, Patient.family_name, Patient.date_of_birth
            ).where(Patient.id.in_(patient_ids))
        )
    }


def user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Each user's display name, by id."""
    if not user_ids:
        return {}
    return {
        uid: name
        for uid, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(user_ids))
        )
    }
