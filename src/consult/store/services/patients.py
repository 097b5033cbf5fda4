"""Patients: register, edit (optimistic locking), find as you type."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from consult.domain import phones
from consult.domain.roles import SEXES_AT_BIRTH, Role
from consult.domain.text import fold, words
from consult.store import audit
from consult.store.domain_refusals import domain_refusal
from consult.store.dto import PatientDraft, PatientInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    NotFoundError,
    ValidationError,
)
from consult.store.models import Clinic, Patient, PatientNameToken
from consult.store.services.context import ServiceContext

SEARCH_LIMIT = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A language code as BCP 47 writes one: "en", "ja", "pt-BR", "zh-Hant".
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE_QUERY = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$|^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$"
)
OLDEST_AGE_DAYS = 130 * 366
# Who may see and change patients' identities.
_PATIENT_ROLES = (Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)


def patient_info(row: Patient) -> PatientInfo:
    """The plain view of a patient row."""
    return PatientInfo(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        sex_at_birth=row.sex_at_birth,
        phone=row.phone,
        email=row.email,
        address=row.address,
        version=row.version,
        language=row.language,
    )


def phone_region(session: Session) -> str | None:
    """The region national phone numbers are read in: the clinic's country, if it has
    one (see :mod:`consult.domain.phones`)."""
    jurisdiction = session.execute(
        select(Clinic.jurisdiction).order_by(Clinic.id).limit(1)
    ).scalar_one_or_none()
    return phones.region_for_jurisdiction(jurisdiction)


def validate(
    draft: PatientDraft, today: dt.date | None = None, *, region: str | None = None
) -> PatientDraft:
    """Check a patient form; raise :class:`ValidationError` naming the first bad field.

    The phone number is read with ``region`` as its default country (the clinic's, see
    :func:`phone_region`; None accepts only international numbers) and returned in E.164.
    """
    today = today or dt.date.today()
    given, family = draft.given_name.strip(), draft.family_name.strip()
    for field, value, label in (
        ("given_name", given, ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Given name"))),
        ("family_name", family, ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Family name"))),
    ):
        if not value:
            raise ValidationError(
                field, ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1 is required."), label)
            )
        if len(value) > 200:
            raise ValidationError(
                field,
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 is longer than 200 characters."), label
                ),
            )
        if any(ch.isdigit() for ch in value) or any(ord(ch) < 32 for ch in value):
            raise ValidationError(
                field,
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "%1 must not contain digits or control characters."
                    ),
                    label,
                ),
            )
        if not any(ch.isalpha() for ch in value):
            raise ValidationError(
                field,
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1 must contain letters."), label),
            )
    if draft.date_of_birth is None:
        raise ValidationError(
            "date_of_birth",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Date of birth is required.")),
        )
    if draft.date_of_birth > today:
        raise ValidationError(
            "date_of_birth",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Date of birth is in the future.")),
        )
    if (today - draft.date_of_birth).days > OLDEST_AGE_DAYS:
        raise ValidationError(
            "date_of_birth",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Date of birth is more than 130 years ago.")
            ),
        )
    if draft.sex_at_birth not in SEXES_AT_BIRTH:
        raise ValidationError(
            "sex_at_birth",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose female, male or intersex.")),
        )
    try:
        phone = phones.parse(draft.phone, region)
    except phones.PhoneNumberError as exc:
        raise ValidationError("phone", domain_refusal(exc.message)) from exc
    email = draft.email.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise ValidationError(
            "email",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "E-mail address is not valid (name@example.com).")
            ),
        )
    if len(draft.address) > 2000:
        raise ValidationError(
            "address",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Address is longer than 2000 characters.")),
        )
    language = draft.language.strip()
    if len(language) > 16 or not _LANGUAGE.match(language):
        raise ValidationError(
            "language",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose the language the patient reads.")),
        )
    return PatientDraft(
        given,
        family,
        draft.date_of_birth,
        draft.sex_at_birth,
        phone,
        email,
        draft.address.strip(),
        language,
    )


def _set_fields(row: Patient, draft: PatientDraft) -> None:
    assert draft.date_of_birth is not None
    row.given_name, row.family_name = draft.given_name, draft.family_name
    row.date_of_birth, row.sex_at_birth = draft.date_of_birth, draft.sex_at_birth
    row.phone, row.email, row.address = draft.phone, draft.email, draft.address
    row.language = draft.language
    row.search_name = fold(f"{draft.family_name} {draft.given_name}")
    row.phone_digits = phones.stored_digits(draft.phone)


def _set_tokens(session: Session, row: Patient, draft: PatientDraft) -> None:
    session.execute(delete(PatientNameToken).where(PatientNameToken.patient_id == row.id))
    session.add_all(
        PatientNameToken(
            patient_id=row.id,
            token=token[:200],
            search_name=row.search_name,
            date_of_birth=row.date_of_birth,
        )
        for token in words(f"{draft.given_name} {draft.family_name}")
    )


def find_duplicates(
    ctx: ServiceContext, draft: PatientDraft, exclude_id: int | None = None
) -> list[PatientInfo]:
    """Patients who look like the same person: same folded name and date of birth."""
    ctx.require("look up patients", *_PATIENT_ROLES)
    if draft.date_of_birth is None:
        return []
    key = fold(f"{draft.family_name.strip()} {draft.given_name.strip()}")
    with ctx.unit_of_work() as session:
        query = select(Patient).where(
            Patient.date_of_birth == draft.date_of_birth, Patient.search_name == key
        )
        if exclude_id is not None:
            query = query.where(Patient.id != exclude_id)
        return [patient_info(row) for row in session.execute(query).scalars()]


def register(ctx: ServiceContext, draft: PatientDraft) -> PatientInfo:
    """Register a new patient."""
    ctx.require("register patients", *_PATIENT_ROLES)
    with ctx.unit_of_work() as session:
        clean = validate(draft, region=phone_region(session))
        row = Patient()
        _set_fields(row, clean)
        session.add(row)
        session.flush()
        _set_tokens(session, row, clean)
        audit.append(
            session,
            ctx.actor,
            "patient.created",
            record_type="patient",
            record_id=row.id,
            patient_id=row.id,
        )
        return patient_info(row)


def update(
    ctx: ServiceContext, patient_id: int, expected_version: int, draft: PatientDraft
) -> PatientInfo:
    """Save changes to a patient read at ``expected_version``.

    Raises :class:`ConflictError` (and changes nothing) if someone else saved the patient
    since then.
    """
    ctx.require("edit patients", *_PATIENT_ROLES)
    try:
        with ctx.unit_of_work() as session:
            clean = validate(draft, region=phone_region(session))
            row = session.get(Patient, patient_id)
            if row is None:
                raise NotFoundError(
                    ErrorText(
                        QT_TRANSLATE_NOOP("StoreErrors", "Patient %1 does not exist."), patient_id
                    )
                )
            if row.version != expected_version:
                raise ConflictError(
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors",
                            "Someone else saved this patient while you were editing. "
                            "Nothing was overwritten: reopen the patient and make your "
                            "change again.",
                        )
                    )
                )
            before = patient_info(row)
            _set_fields(row, clean)
            session.flush()
            _set_tokens(session, row, clean)
            changed = sorted(
                name
                for name in (
                    "given_name",
                    "family_name",
                    "date_of_birth",
                    "sex_at_birth",
                    "phone",
                    "email",
                    "address",
                    "language",
                )
                if getattr(before, name) != getattr(row, name)
            )
            audit.append(
                session,
                ctx.actor,
                "patient.updated",
                record_type="patient",
                record_id=row.id,
                patient_id=row.id,
                details={"fields": changed},
            )
            session.flush()
            return patient_info(row)
    except StaleDataError as exc:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Someone else saved this patient at the same moment. "
                    "Nothing was overwritten: reopen the patient and make your change again.",
                )
            )
        ) from exc


def get(ctx: ServiceContext, patient_id: int) -> PatientInfo:
    """One patient; the view is logged."""
    ctx.require("open patients", *_PATIENT_ROLES)
    with ctx.unit_of_work() as session:
        row = session.get(Patient, patient_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Patient %1 does not exist."), patient_id
                )
            )
        audit.append(
            session,
            ctx.actor,
            "patient.viewed",
            record_type="patient",
            record_id=row.id,
            patient_id=row.id,
        )
        return patient_info(row)


def _parse_date_query(text: str) -> dt.date | None:
    match = _DATE_QUERY.match(text)
    if not match:
        return None
    try:
        if match.group(1):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return dt.date(int(match.group(6)), int(match.group(5)), int(match.group(4)))
    except ValueError:
        return None


def _prefix(column: Any, prefix: str) -> tuple[Any, Any]:
    """``column`` starts with ``prefix``, as a range an index can read."""
    return column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _search_query(text: str, limit: int, region: str | None) -> Select[Patient] | None:
    query = select(Patient)
    day = _parse_date_query(text)
    prefixes = phones.search_prefixes(text, region) if day is None else None
    if day is not None:
        query = query.where(Patient.date_of_birth == day)
    elif prefixes:
        # A phone number, typed in national or international form: the start of the
        # stored E.164 digits, one index range scan for each way of reading it.
        query = query.where(
            or_(*(and_(*_prefix(Patient.phone_digits, prefix)) for prefix in prefixes))
        )
    else:
        terms = words(text)
        if not terms:
            return None
        # The longest word is the most selective: its matches are read from the token
        # index with their sort keys; each other word is a probe of the same patient's
        # tokens. Only the page of patients shown is then read from the patient table.
        first, *others = sorted(terms, key=len, reverse=True)
        token = PatientNameToken
        found = select(token.patient_id, token.search_name, token.date_of_birth).where(
            *_prefix(token.token, first)
        )
        for term in others:
            other = aliased(PatientNameToken)
            found = found.where(
                exists().where(other.patient_id == token.patient_id, *_prefix(other.token, term))
            )
        matches = found.distinct().subquery()
        page = (
            select(matches.c.patient_id)
            .order_by(matches.c.search_name, matches.c.date_of_birth, matches.c.patient_id)
            .limit(limit)
        )
        query = query.where(Patient.id.in_(page))
    return query.order_by(Patient.search_name, Patient.date_of_birth, Patient.id).limit(limit)


def search(ctx: ServiceContext, text: str, limit: int = SEARCH_LIMIT) -> list[PatientInfo]:
    """Patients matching ``text``: name prefixes (any order, accents and case ignored),
    a date of birth (2026-11-21 or 21/11/2026), or the start of a phone number in
    national ("07505 605832", "7505605832") or international ("+44 7505 …") form."""
    ctx.require("look up patients", *_PATIENT_ROLES)
    with ctx.unit_of_work() as session:
        # The clinic's country is read only for what may be a phone number.
        phone_like = phones.search_prefixes(text, None) is not None
        query = _search_query(text, limit, phone_region(session) if phone_like else None)
        if query is None:
            return []
        return [patient_info(row) for row in session.execute(query).scalars()]


def count(ctx: ServiceContext) -> int:
    """How many patients there are."""
    ctx.require("look up patients", *_PATIENT_ROLES)
    with ctx.unit_of_work() as session:
        return int(session.execute(select(func.count()).select_from(Patient)).scalar_one())


def recent(ctx: ServiceContext, limit: int = 50) -> Sequence[PatientInfo]:
    """The most recently registered or edited patients (the list before any search)."""
    ctx.require("look up patients", *_PATIENT_ROLES)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Patient).order_by(Patient.updated_at.desc(), Patient.id.desc()).limit(limit)
        ).scalars()
        return [patient_info(row) for row in rows]
