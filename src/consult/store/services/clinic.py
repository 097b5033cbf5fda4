"""The clinic record, and the first run that creates it with the first manager."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents import aftercare_pdf, paper
from consult.domain import clinic_zone, consent_signers, reconfirmation
from consult.domain.follow_up import SETTING as REVIEW_SETTING
from consult.domain.follow_up import check_review_setting
from consult.domain.jurisdictions import JURISDICTIONS
from consult.domain.roles import Role
from consult.proof.timestamp_setting import SETTING as TIMESTAMP_SETTING
from consult.proof.timestamp_setting import check_timestamp_url
from consult.store import audit
from consult.store.domain_refusals import domain_refusal
from consult.store.dto import ClinicInfo, UserInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    ValidationError,
)
from consult.store.models import Clinic
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser, add_user, password_hash_of


def clinic_info(row: Clinic) -> ClinicInfo:
    """The plain view of the clinic row."""
    return ClinicInfo(
        id=row.id,
        name=row.name,
        address=row.address,
        jurisdiction=row.jurisdiction,
        regenerative_medicine_plan=row.regenerative_medicine_plan,
        version=row.version,
    )


def _validate(name: str, jurisdiction: str) -> None:
    if not name.strip():
        raise ValidationError(
            "name", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "the clinic's name is required"))
        )
    if jurisdiction not in JURISDICTIONS:
        raise ValidationError(
            "jurisdiction",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "must be one of %1"), ", ".join(JURISDICTIONS)
            ),
        )


def _get(session: Session) -> Clinic | None:
    return session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one_or_none()


def get_clinic(ctx: ServiceContext) -> ClinicInfo | None:
    """The clinic, or None on a first run."""
    with ctx.unit_of_work() as session:
        row = _get(session)
        return clinic_info(row) if row else None


def set_up_clinic(
    ctx: ServiceContext,
    *,
    name: str,
    address: str,
    jurisdiction: str,
    regenerative_medicine_plan: str | None,
    manager: NewUser,
) -> tuple[ClinicInfo, UserInfo]:
    """First run: create the clinic and its first manager in one transaction."""
    _validate(name, jurisdiction)
    if Role.MANAGER not in manager.roles:
        raise ValidationError(
            "roles", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "the first user must be a manager"))
        )
    with ctx.unit_of_work() as session:
        if _get(session) is not None:
            raise ConflictError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "This database already has a clinic."))
            )
        clinic = Clinic(
            name=name.strip(),
            address=address.strip(),
            jurisdiction=jurisdiction,
            regenerative_medicine_plan=(regenerative_medicine_plan or "").strip() or None,
            settings={},
        )
        session.add(clinic)
        session.flush()
        user = add_user(session, manager)
        actor = audit.Actor(user.id, user.username, ctx.workstation)
        audit.append(
            session,
            actor,
            "clinic.created",
            record_type="clinic",
            record_id=clinic.id,
            details={"name": clinic.name, "jurisdiction": clinic.jurisdiction},
        )
        audit.append(
            session,
            actor,
            "user.created",
            record_type="user",
            record_id=user.id,
            details={
                "username": user.username,
                "display_name": user.display_name,
                "roles": sorted(manager.roles),
                "qualification": user.qualification,
                "password": audit.fingerprint(session, password_hash_of(session, user.id)),
            },
        )
        return clinic_info(clinic), user


def update_clinic(
    ctx: ServiceContext,
    *,
    expected_version: int,
    name: str,
    address: str,
    jurisdiction: str,
    regenerative_medicine_plan: str | None,
) -> ClinicInfo:
    """Change the clinic's details (managers)."""
    ctx.require("change the clinic's settings", Role.MANAGER)
    _validate(name, jurisdiction)
    with ctx.unit_of_work() as session:
        row = _get(session)
        if row is None or row.version != expected_version:
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "The clinic's settings were changed elsewhere: reopen them."
                    )
                )
            )
        row.name, row.address, row.jurisdiction = name.strip(), address.strip(), jurisdiction
        row.regenerative_medicine_plan = (regenerative_medicine_plan or "").strip() or None
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "clinic.updated",
            record_type="clinic",
            record_id=row.id,
            details={"name": row.name, "jurisdiction": jurisdiction},
        )
        return clinic_info(row)


# The clinic's settings (a JSON object on the clinic row) ---------------------------------

IDLE_LOCK_DEFAULT_MINUTES = 10
IDLE_LOCK_RANGE = (1, 120)
PHOTO_RETENTION_SETTING = "photo_retention_days"
"""Days a photo hidden by a withdrawn photograph consent is kept before a manager may
delete it (consult.store.services.photos)."""
PHOTO_RETENTION_DEFAULT_DAYS = 30
PHOTO_RETENTION_RANGE = (0, 3650)


def photo_retention_days(settings: Mapping[str, Any]) -> int:
    """The clinic's ``photo_retention_days`` in ``settings`` (the default if unset or
    not valid)."""
    value = settings.get(PHOTO_RETENTION_SETTING, PHOTO_RETENTION_DEFAULT_DAYS)
    try:
        return int(_check_setting(PHOTO_RETENTION_SETTING, value))
    except ValidationError:
        return PHOTO_RETENTION_DEFAULT_DAYS


def _check_setting(name: str, value: Any) -> Any:
    if name == "idle_lock_minutes":
        low, high = IDLE_LOCK_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                name,
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "lock the screen after %1 to %2 minutes"),
                    low,
                    high,
                ),
            )
        return value
    if name == PHOTO_RETENTION_SETTING:
        low, high = PHOTO_RETENTION_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValidationError(
                name,
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "keep hidden photos %1 to %2 days"), low, high
                ),
            )
        return value
    if name == TIMESTAMP_SETTING:  # the RFC 3161 service that timestamps signed forms
        try:
            return check_timestamp_url(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == paper.SETTING:  # A4 or Letter for the forms ("": the jurisdiction's)
        try:
            return paper.check_paper_setting(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == reconfirmation.SETTING:  # days a consent stands, per treatment (issue 21)
        try:
            return reconfirmation.check_validity_setting(
                value, reconfirmation.DEFAULT_VALIDITY_DAYS
            )
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == REVIEW_SETTING:  # days from each treatment to its review (issue 20)
        try:
            return check_review_setting(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == clinic_zone.SETTING:  # the forms' clock, an IANA name ("": the workstation's)
        try:
            return clinic_zone.check_time_zone_setting(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == consent_signers.WITNESS_SETTING:  # treatments a witness signs consent for
        try:
            return consent_signers.check_witness_setting(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    if name == aftercare_pdf.SETTING:  # the telephone the aftercare sheet gives (issue 20)
        try:
            return aftercare_pdf.check_out_of_hours_setting(value)
        except ValueError as exc:
            raise ValidationError(name, domain_refusal(str(exc))) from exc
    raise ValidationError(name, "unknown setting")


def settings(ctx: ServiceContext) -> dict[str, Any]:
    """The clinic's settings (read at start and at sign-in; no role needed)."""
    with ctx.unit_of_work() as session:
        row = _get(session)
        return dict(row.settings or {}) if row else {}


def idle_lock_minutes(ctx: ServiceContext) -> int:
    """Minutes without input before the screen locks (``idle_lock_minutes``, default 10)."""
    value = settings(ctx).get("idle_lock_minutes", IDLE_LOCK_DEFAULT_MINUTES)
    try:
        return int(_check_setting("idle_lock_minutes", value))
    except ValidationError:
        return IDLE_LOCK_DEFAULT_MINUTES


def update_settings(
    ctx: ServiceContext, expected_version: int, changes: Mapping[str, Any]
) -> ClinicInfo:
    """Change some of the clinic's settings (managers); logged with the old and new values."""
    ctx.require("change the clinic's settings", Role.MANAGER)
    clean = {name: _check_setting(name, value) for name, value in changes.items()}
    with ctx.unit_of_work() as session:
        row = _get(session)
        if row is None or row.version != expected_version:
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "The clinic's settings were changed elsewhere: reopen them."
                    )
                )
            )
        before = dict(row.settings or {})
        row.settings = {**before, **clean}
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "settings.changed",
            record_type="clinic",
            record_id=row.id,
            details={
                "before": {name: before.get(name) for name in clean},
                "after": clean,
            },
        )
        return clinic_info(row)
