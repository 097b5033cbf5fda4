"""Photos of treated areas: taken only with the patient's photograph consent (issue 20).

Every consent form asks the patient whether photographs may be taken; the sealed record
keeps the answer (``choices.photographs`` in its document). A consultation's photograph
consent *stands* while at least one of its consent forms said yes and is still in force
(not withdrawn or voided) and the patient has not withdrawn the photograph consent on its
own (:class:`~consult.store.models.PhotoConsentWithdrawal`). Only then may a practitioner
add a photo; otherwise the service refuses, and the refusal is written to the audit log.

A photo whose consent no longer stands is *hidden*: no view or export shows it from then
on (:func:`timeline`, :func:`image`; anything exporting photos must read them through
:func:`visible_photo_rows`). The clinic keeps it for ``photo_retention_days`` (a clinic
setting) after it was hidden, then a manager may delete it: its bytes and thumbnail are
removed, its row stays as a tombstone with its SHA-256 (what was held, and when it went,
stay provable). Each addition, full view, withdrawal and deletion is audited.

Photos are stripped of their metadata before they reach here
(:func:`consult.store.photo_images.prepare_photo`, on a pool thread): :func:`add_photo`
takes only a :class:`~consult.store.photo_images.PreparedPhoto` and checks its hash.

Roles: practitioners add and read photos; managers read them, list the hidden ones past
retention and delete those; reception neither. Withdrawing the photograph consent:
managers and the consultation's practitioner, as withdrawing a consent form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from consult.domain import clinic_zone
from consult.domain.photos import PhotoArea, PhotoKind
from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store import audit
from consult.store.consent_events import STATE_EVENTS
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
    SealedRecordError,
    ValidationError,
)
from consult.store.models import (
    Clinic,
    ConsentEvent,
    ConsentRecord,
    Consultation,
    Patient,
    Photo,
    PhotoConsentWithdrawal,
    TreatmentRecord,
    utcnow,
)
from consult.store.photo_images import PreparedPhoto
from consult.store.services.clinic import photo_retention_days
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

MIN_REASON = 5
"""The fewest characters a withdrawal's reason may have (as a consent's withdrawal)."""


@dataclass(frozen=True)
class PhotoConsent:
    """Where one consultation's photograph consent stands."""

    consultation_id: int
    consultation_date: dt.date
    practitioner_id: int
    given: bool
    """A consent form of this consultation said yes to photographs."""
    in_force: bool
    """One of the forms that said yes is neither withdrawn nor voided."""
    withdrawn_at: dt.datetime | None
    """When the patient withdrew the photograph consent itself (None: not withdrawn)."""
    withdrawal_reason: str
    ended_at: dt.datetime | None
    """When the consent stopped standing: its withdrawal, or the last of its forms
    withdrawn or voided (None while it stands, or if it was never given)."""

    @property
    def stands(self) -> bool:
        """Whether photos may be taken and shown for this consultation."""
        return self.given and self.in_force and self.withdrawn_at is None

    @property
    def refusal(self) -> str:
        """Why photos may not be taken ("" if they may)."""
        if not self.given:
            return ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "The patient did not consent to photographs in this consultation.",
                )
            )
        if self.withdrawn_at is not None:
            return ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "The patient withdrew their consent to photographs in this consultation.",
                )
            )
        if not self.in_force:
            return ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "The consent form that allowed photographs was withdrawn or voided.",
                )
            )
        return ""


@dataclass(frozen=True)
class PhotoInfo:
    """A photo as the timeline shows it: what, when, and its thumbnail (not its bytes)."""

    id: int
    patient_id: int
    consultation_id: int
    consultation_date: dt.date
    treatment_record_id: int | None
    area: PhotoArea
    kind: PhotoKind
    taken_at: dt.datetime
    imported_at: dt.datetime
    width: int
    height: int
    size: int
    mime: str
    sha256: str
    thumbnail: bytes


@dataclass(frozen=True)
class PhotoTreatment:
    """One of the patient's treatment records, which a photo may name as what it
    documents (its FHIR Media is then ``partOf`` that treatment's Procedure)."""

    treatment_record_id: int
    consultation_id: int
    treatment_id: str
    in_force: bool
    """Its consent form is signed (not withdrawn or voided): a new photo may name it."""


@dataclass(frozen=True)
class HiddenPhoto:
    """A photo hidden by a withdrawn consent, as the manager's retention list shows it."""

    id: int
    patient_id: int
    patient_name: str
    consultation_id: int
    area: PhotoArea
    kind: PhotoKind
    taken_at: dt.datetime
    hidden_since: dt.datetime
    delete_from: dt.datetime
    sha256: str


def _settings(session: Session) -> dict[str, Any]:
    row = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one_or_none()
    return dict(row.settings or {}) if row is not None else {}


def _photographs_allowed(document_json: str) -> bool:
    """The photograph choice sealed in a consent form's document."""
    try:
        document = json.loads(document_json)
    except ValueError:
        _log.error("a sealed consent document is not JSON; its photograph choice reads as no")
        return False
    choices = document.get("choices") if isinstance(document, dict) else None
    return isinstance(choices, dict) and choices.get("photographs") is True


def photo_consents_of(
    session: Session, consultations: Sequence[Consultation]
) -> dict[int, PhotoConsent]:
    """The photograph consent of each of ``consultations``, by id (in ``session``)."""
    ids = [row.id for row in consultations]
    if not ids:
        return {}
    forms = session.execute(
        select(ConsentRecord.id, ConsentRecord.consultation_id, ConsentRecord.state)
        .where(ConsentRecord.consultation_id.in_(ids))
        .order_by(ConsentRecord.id)
    ).all()
    saying_yes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for consent_id, consultation_id, state in forms:
        document_json = session.execute(
            select(ConsentRecord.document_json).where(ConsentRecord.id == consent_id)
        ).scalar_one()
        if _photographs_allowed(document_json):
            saying_yes[consultation_id].append((consent_id, state))
    ended_forms = [
        consent_id
        for yes in saying_yes.values()
        for consent_id, state in yes
        if state != ConsentState.SIGNED
    ]
    ended_at: dict[int, dt.datetime] = {}
    if ended_forms:
        for consent_id, at in session.execute(
            select(ConsentEvent.consent_id, ConsentEvent.at).where(
                ConsentEvent.consent_id.in_(ended_forms), ConsentEvent.kind.in_(STATE_EVENTS)
            )
        ).all():
            ended_at[consent_id] = min(at, ended_at.get(consent_id, at))
    withdrawals = {
        w.consultation_id: w
        for w in session.execute(
            select(PhotoConsentWithdrawal).where(PhotoConsentWithdrawal.consultation_id.in_(ids))
        ).scalars()
    }
    result: dict[int, PhotoConsent] = {}
    for row in consultations:
        yes = saying_yes.get(row.id, [])
        in_force = any(state == ConsentState.SIGNED for _cid, state in yes)
        withdrawal = withdrawals.get(row.id)
        ends = [withdrawal.at] if withdrawal is not None else []
        if yes and not in_force:
            ends.append(max(ended_at.get(cid, row.updated_at) for cid, _state in yes))
        result[row.id] = PhotoConsent(
            consultation_id=row.id,
            consultation_date=row.consultation_date,
            practitioner_id=row.practitioner_id,
            given=bool(yes),
            in_force=in_force,
            withdrawn_at=withdrawal.at if withdrawal is not None else None,
            withdrawal_reason=withdrawal.reason if withdrawal is not None else "",
            ended_at=min(ends) if ends and bool(yes) else None,
        )
    return result


def _consultations_of(session: Session, patient_id: int) -> list[Consultation]:
    return list(
        session.execute(
            select(Consultation)
            .where(Consultation.patient_id == patient_id)
            .order_by(Consultation.consultation_date.desc(), Consultation.id.desc())
        ).scalars()
    )


def _visible(photo: Photo, consent: PhotoConsent | None) -> bool:
    return (
        photo.deleted_at is None
        and photo.hidden_at is None
        and consent is not None
        and consent.stands
    )


def visible_photo_rows(session: Session, patient_ids: Iterable[int]) -> list[Photo]:
    """The photos of ``patient_ids`` that may be shown or exported (their consent stands,
    none hidden or deleted), oldest first: the one way any view or export reads photos."""
    ids = list(patient_ids)
    if not ids:
        return []
    rows = list(
        session.execute(
            select(Photo)
            .options(defer(Photo.data))
            .where(Photo.patient_id.in_(ids), Photo.hidden_at.is_(None), Photo.deleted_at.is_(None))
            .order_by(Photo.taken_at, Photo.id)
        ).scalars()
    )
    consultations = list(
        session.execute(
            select(Consultation).where(Consultation.id.in_({r.consultation_id for r in rows}))
        ).scalars()
    )
    consents = photo_consents_of(session, consultations)
    return [row for row in rows if _visible(row, consents.get(row.consultation_id))]


def _info(row: Photo, consultation_date: dt.date) -> PhotoInfo:
    return PhotoInfo(
        id=row.id,
        patient_id=row.patient_id,
        consultation_id=row.consultation_id,
        consultation_date=consultation_date,
        treatment_record_id=row.treatment_record_id,
        area=PhotoArea(row.area),
        kind=PhotoKind(row.kind),
        taken_at=row.taken_at,
        imported_at=row.imported_at,
        width=row.width,
        height=row.height,
        size=row.size,
        mime=row.mime,
        sha256=row.sha256,
        thumbnail=bytes(row.thumbnail or b""),
    )


def photo_consents(ctx: ServiceContext, patient_id: int) -> list[PhotoConsent]:
    """Each of the patient's consultations' photograph consent, newest first."""
    ctx.require("read a patient's photos", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = _consultations_of(session, patient_id)
        consents = photo_consents_of(session, rows)
        return [consents[row.id] for row in rows]


def timeline(ctx: ServiceContext, patient_id: int) -> list[PhotoInfo]:
    """The patient's photos that may be shown, oldest first, each with its thumbnail."""
    ctx.require("read a patient's photos", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = visible_photo_rows(session, [patient_id])
        dates: dict[int, dt.date] = {
            consultation_id: day
            for consultation_id, day in session.execute(
                select(Consultation.id, Consultation.consultation_date).where(
                    Consultation.patient_id == patient_id
                )
            )
        }
        return [_info(row, dates[row.consultation_id]) for row in rows]


def treatments(ctx: ServiceContext, patient_id: int) -> list[PhotoTreatment]:
    """The patient's treatment records, oldest first: the treatments an imported photo
    may document (those ``in_force``) and the names of those photos already name."""
    ctx.require("read a patient's photos", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(
                TreatmentRecord.id,
                TreatmentRecord.consultation_id,
                TreatmentRecord.treatment_id,
                ConsentRecord.state,
            )
            .outerjoin(ConsentRecord, ConsentRecord.id == TreatmentRecord.consent_id)
            .where(TreatmentRecord.patient_id == patient_id)
            .order_by(TreatmentRecord.id)
        ).all()
        return [
            PhotoTreatment(record_id, consultation_id, treatment_id, state == ConsentState.SIGNED)
            for record_id, consultation_id, treatment_id, state in rows
        ]


def image(ctx: ServiceContext, photo_id: int) -> bytes:
    """A photo's stored bytes, to look at in full (logged); refused once it is hidden."""
    ctx.require("read a patient's photos", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(Photo, photo_id)
        if row is None:
            raise NotFoundError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Photo %1 does not exist."), photo_id)
            )
        consultation = session.get(Consultation, row.consultation_id)
        assert consultation is not None
        consent = photo_consents_of(session, [consultation]).get(consultation.id)
        if not _visible(row, consent) or row.data is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors",
                        "This photo is no longer shown: the photograph consent ended.",
                    )
                )
            )
        audit.append(
            session,
            ctx.actor,
            "photo.viewed",
            record_type="photo",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"sha256": row.sha256},
        )
        return bytes(row.data)


def _taken_at(session: Session, photo: PreparedPhoto, now: dt.datetime) -> dt.datetime:
    """When the photo was taken, in UTC: the camera's time read in the clinic's zone (the
    camera's clock is the clinic's, unless the file gives its offset), else ``now``."""
    taken = photo.taken_at
    if taken is None:
        return now
    if taken.tzinfo is None:
        zone = clinic_zone.clinic_zone(_settings(session).get(clinic_zone.SETTING))
        taken = taken.replace(tzinfo=zone) if zone is not None else taken.astimezone()
    taken = taken.astimezone(dt.UTC)
    # A camera whose clock was never set says 2000 or the future: the import time then.
    if taken > now + dt.timedelta(days=1) or taken.year < 2000:
        return now
    return taken


def _refuse(ctx: ServiceContext, consultation_id: int, patient_id: int, why: str) -> None:
    """Log that a photo was refused (in its own transaction: the refusal is kept)."""
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "photo.refused",
            record_type="consultation",
            record_id=consultation_id,
            patient_id=patient_id,
            details={"action": "add a photo", "reason": why},
        )


def add_photo(
    ctx: ServiceContext,
    consultation_id: int,
    photo: PreparedPhoto,
    *,
    area: str,
    kind: str,
    treatment_record_id: int | None = None,
) -> PhotoInfo:
    """Store a prepared photo of ``area`` (a :class:`PhotoArea`), ``kind`` before, after
    or progress; refused (and the refusal logged) unless the consultation's photograph
    consent stands."""
    user = ctx.require("add photos", Role.PRACTITIONER)
    try:
        area_value, kind_value = PhotoArea(area), PhotoKind(kind)
    except ValueError as exc:
        raise ValidationError("photo", str(exc)) from None
    if hashlib.sha256(photo.data).hexdigest() != photo.sha256:
        raise ValidationError(
            "photo",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The photo changed after it was prepared.")),
        )
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        patient_id = row.patient_id
        consent = photo_consents_of(session, [row])[row.id]
        if consent.stands:
            if treatment_record_id is not None:
                record = session.get(TreatmentRecord, treatment_record_id)
                if (
                    record is None
                    or record.consultation_id != row.id
                    or record.patient_id != row.patient_id
                ):
                    raise ValidationError(
                        "treatment_record",
                        ErrorText(
                            QT_TRANSLATE_NOOP(
                                "StoreErrors", "That treatment is not of this consultation."
                            )
                        ),
                    )
            now = utcnow()
            stored = Photo(
                patient_id=row.patient_id,
                consultation_id=row.id,
                treatment_record_id=treatment_record_id,
                area=area_value.value,
                kind=kind_value.value,
                taken_at=_taken_at(session, photo, now),
                imported_at=now,
                imported_by=user.id,
                mime=photo.mime,
                width=photo.width,
                height=photo.height,
                size=len(photo.data),
                sha256=photo.sha256,
                data=photo.data,
                thumbnail=photo.thumbnail,
            )
            session.add(stored)
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "photo.added",
                record_type="photo",
                record_id=stored.id,
                patient_id=row.patient_id,
                details={
                    "consultation": row.id,
                    "area": area_value.value,
                    "kind": kind_value.value,
                    "sha256": photo.sha256,
                    "size": len(photo.data),
                    "treatment_record": treatment_record_id,
                },
            )
            return _info(stored, row.consultation_date)
    _refuse(ctx, consultation_id, patient_id, consent.refusal)
    raise ValidationError("photo_consent", consent.refusal)


def withdraw_consent(ctx: ServiceContext, consultation_id: int, reason: str) -> PhotoConsent:
    """Record that the patient withdrew their photograph consent for a consultation: its
    photos are hidden from every view and export from now on, and no more may be taken.
    Managers and the consultation's practitioner; a reason is required."""
    user = ctx.require("withdraw a photograph consent", Role.MANAGER, Role.PRACTITIONER)
    why = reason.strip()
    if len(why) < MIN_REASON:
        raise ValidationError(
            "reason",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Give the reason (at least 5 characters).")),
        )
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id, with_for_update=True)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        if Role.MANAGER not in user.roles and row.practitioner_id != user.id:
            raise ValidationError(
                "user",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Only a manager or the treating practitioner can do this."
                    )
                ),
            )
        consent = photo_consents_of(session, [row])[row.id]
        if consent.withdrawn_at is not None:
            raise SealedRecordError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "The photograph consent is already withdrawn.")
                )
            )
        if not consent.given:
            raise ValidationError("photo_consent", consent.refusal)
        now = utcnow()
        session.add(
            PhotoConsentWithdrawal(
                consultation_id=row.id,
                patient_id=row.patient_id,
                reason=why,
                user_id=user.id,
                at=now,
            )
        )
        hidden = list(
            session.execute(
                select(Photo).where(
                    Photo.consultation_id == row.id,
                    Photo.hidden_at.is_(None),
                    Photo.deleted_at.is_(None),
                )
            ).scalars()
        )
        for photo in hidden:
            photo.hidden_at = now
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "photo.consent_withdrawn",
            record_type="consultation",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"reason": why, "photos_hidden": len(hidden)},
        )
        return photo_consents_of(session, [row])[row.id]


def _hidden_since(photo: Photo, consent: PhotoConsent | None) -> dt.datetime | None:
    """When ``photo`` stopped being shown (None: it still is)."""
    if photo.hidden_at is not None:
        return photo.hidden_at
    if consent is None or consent.stands:
        return None
    return consent.ended_at or photo.imported_at


def _past_retention(session: Session, now: dt.datetime) -> list[tuple[Photo, dt.datetime]]:
    """Every photo not deleted, hidden for longer than the clinic's retention, with when
    it was hidden (the list is built from the columns, never the bytes)."""
    days = photo_retention_days(_settings(session))
    rows = list(
        session.execute(
            select(Photo)
            .options(defer(Photo.data), defer(Photo.thumbnail))
            .where(Photo.deleted_at.is_(None))
        ).scalars()
    )
    consultations = list(
        session.execute(
            select(Consultation).where(Consultation.id.in_({r.consultation_id for r in rows}))
        ).scalars()
    )
    consents = photo_consents_of(session, consultations)
    found = []
    for row in rows:
        since = _hidden_since(row, consents.get(row.consultation_id))
        if since is not None and since + dt.timedelta(days=days) <= now:
            found.append((row, since))
    return found


def past_retention(ctx: ServiceContext) -> list[HiddenPhoto]:
    """The photos hidden for longer than the clinic's ``photo_retention_days``, which a
    manager may now delete (managers), hidden longest first."""
    ctx.require("review photos past retention", Role.MANAGER)
    with ctx.unit_of_work() as session:
        now = utcnow()
        days = photo_retention_days(_settings(session))
        found = _past_retention(session, now)
        names = {
            p.id: f"{p.given_name} {p.family_name}"
            for p in session.execute(
                select(Patient).where(Patient.id.in_({row.patient_id for row, _ in found}))
            ).scalars()
        }
        return sorted(
            (
                HiddenPhoto(
                    id=row.id,
                    patient_id=row.patient_id,
                    patient_name=names.get(row.patient_id, ""),
                    consultation_id=row.consultation_id,
                    area=PhotoArea(row.area),
                    kind=PhotoKind(row.kind),
                    taken_at=row.taken_at,
                    hidden_since=since,
                    delete_from=since + dt.timedelta(days=days),
                    sha256=row.sha256,
                )
                for row, since in found
            ),
            key=lambda photo: (photo.hidden_since, photo.id),
        )


def delete_photo(ctx: ServiceContext, photo_id: int) -> None:
    """Delete a photo hidden for longer than the retention (managers): its bytes and
    thumbnail go, its row stays as a tombstone with its SHA-256; logged."""
    ctx.require("delete photos past retention", Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(Photo, photo_id, with_for_update=True)
        if row is None:
            raise NotFoundError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Photo %1 does not exist."), photo_id)
            )
        if row.deleted_at is not None:
            raise SealedRecordError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "This photo is already deleted."))
            )
        now = utcnow()
        due = {found.id: since for found, since in _past_retention(session, now)}
        if row.id not in due:
            raise ValidationError(
                "photo",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors",
                        "Only a photo hidden for longer than the retention can be deleted.",
                    )
                ),
            )
        user = ctx.user
        assert user is not None
        row.data = None
        row.thumbnail = None
        row.deleted_at = now
        row.deleted_by = user.id
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "photo.deleted",
            record_type="photo",
            record_id=row.id,
            patient_id=row.patient_id,
            details={
                "sha256": row.sha256,
                "hidden_since": due[row.id].isoformat(timespec="seconds"),
                "retention_days": photo_retention_days(_settings(session)),
            },
        )
