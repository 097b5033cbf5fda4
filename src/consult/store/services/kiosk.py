"""Kiosk stations: a tablet on which the patient answers the intake a practitioner sends
to it (issue 19, ``consult kiosk``, docs/patient-mode.md).

A station is registered by a manager (:func:`register_station`), which gives it a
secret kept in the station's own configuration folder; the database keeps only its
argon2id hash. The station signs in with it (:func:`sign_in_station`) and gets a
:class:`~consult.store.services.context.ServiceContext` scoped to it (``kiosk`` set, no
user): every other service refuses that context and audits the refusal (the context's
unit of work is closed to it), and the station's own calls here reach nothing but the
one hand-over sent to it, checked by the consultation's id on every call.

A hand-over (``kiosk_handover``) carries all the station may know: what the
questionnaire needs (the planned treatments, the patient's sex at birth and date of
birth, the consultation's date and the patient's language; no name, no contact
details, no screening) and the answers the desk had. The patient's answers are saved
into it as they are given, with the counts the desk's panel shows; the practitioner
takes them back (:func:`take_back`) and the wizard saves them as if typed.

At a repeat visit (issue 21) the desk sends the last intake's answers and date with it,
and the sections it has confirmed already: the station asks per section whether
anything has changed, as patient mode does at the desk, and the patient's choices are
saved and taken back with the answers. The station itself never reads another
consultation: what it may show of the last visit is what the practitioner sent.

Only a clinic on a PostgreSQL server has kiosks: an embedded database lives on one
workstation (where the second-screen mode of "Hand to patient" serves instead).

States: ``sent`` (waiting for the station), ``answering`` (on the station's screen),
``finished`` or ``paused`` (the patient finished, or stopped answering), ``returned``
(taken back by the practitioner: closed).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.reconfirmation import Confirmed
from consult.domain.roles import Role
from consult.store import audit, passwords
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    AuthenticationError,
    ConflictError,
    ErrorText,
    NotFoundError,
    PermissionDeniedError,
    Term,
    ValidationError,
)
from consult.store.models import (
    ConsentRecord,
    Consultation,
    KioskHandover,
    KioskStation,
    Patient,
    utcnow,
)
from consult.store.services.consultations import OPEN_STATUSES
from consult.store.services.context import KioskScope, ServiceContext

_log = logging.getLogger(__name__)

NEEDS_SERVER = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "A kiosk station needs the clinic's PostgreSQL server: this clinic's database is "
        "embedded in one workstation. On that workstation, use Hand to patient with a "
        "second screen instead.",
    )
)
"""Why a clinic on an embedded database has no kiosk."""
WAITING_WITHIN = dt.timedelta(seconds=10)
"""A station that asked for work this recently is waiting (it asks every 2 seconds)."""
OPEN_STATES = ("sent", "answering", "finished", "paused")
"""A hand-over in one of these is not yet taken back."""
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")
_PROGRESS_KEYS = ("done", "sections", "answered", "asked")
_STATION_ONLY = "the kiosk station the intake was handed to"


@dataclass(frozen=True)
class StationInfo:
    """A kiosk station as the desk lists it."""

    id: int
    name: str


@dataclass(frozen=True)
class StationCredential:
    """A station just registered, and the secret it signs in with (shown once)."""

    station: StationInfo
    secret: str


@dataclass(frozen=True)
class KioskIntake:
    """The one intake a station may show: what the questionnaire needs, no more."""

    consultation_id: int
    state: str
    treatment_ids: tuple[str, ...]
    sex_at_birth: str
    date_of_birth: dt.date
    consultation_date: dt.date
    language: str
    answers: dict[str, Any]
    previous: dict[str, Any] | None = None
    """A repeat visit: the last intake's answers (None at a first visit)."""
    previous_date: dt.date | None = None
    """A repeat visit: the last intake's consultation date."""
    confirmations: dict[str, str] = field(default_factory=dict)
    """A repeat visit: the sections confirmed so far ({section id: unchanged | update})."""


@dataclass(frozen=True)
class HandoverProgress:
    """How far the patient is on the station (counts only: never an answer)."""

    consultation_id: int
    station: str
    state: str
    done: int
    sections: int
    answered: int
    asked: int


@dataclass(frozen=True)
class TakenBack:
    """The patient's answers, taken back from the station by the practitioner."""

    consultation_id: int
    station: str
    answers: dict[str, Any]
    language: str
    state: str
    confirmations: dict[str, str] = field(default_factory=dict)
    """A repeat visit: the sections the patient confirmed there, and how."""


# Refusals ---------------------------------------------------------------------------------


def _refuse(ctx: ServiceContext, action: str, needed: str, **details: Any) -> None:
    # In a transaction of its own, so that the refusal is kept though the call does nothing.
    with ctx.db.session() as session:
        audit.append(
            session,
            ctx.actor,
            "refused",
            details={"action": action, "needs": needed, **details},
        )


def _station_scope(ctx: ServiceContext, action: str) -> KioskScope:
    """The station calling, or refuse (audited): these calls are a station's alone."""
    if ctx.kiosk is None:
        _refuse(ctx, action, "a kiosk station")
        raise PermissionDeniedError(f"Only a kiosk station may {action}.")
    return ctx.kiosk


def _server_only(ctx: ServiceContext) -> None:
    if ctx.db.is_sqlite:
        raise ValidationError("database", NEEDS_SERVER)


# The manager: registering a station -------------------------------------------------------


def register_station(ctx: ServiceContext, name: str) -> StationCredential:
    """Register a kiosk station called ``name`` (managers), or give an existing one a
    new secret (its old one no longer signs in: a tablet replaced or lost). The secret is
    returned once and never stored; audited without it."""
    user = ctx.require("register a kiosk station", Role.MANAGER)
    _server_only(ctx)
    name = " ".join(name.split())
    if not _NAME.match(name):
        raise ValidationError(
            "name",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "use 1-64 letters, digits, spaces, dots, dashes or underscores"
                )
            ),
        )
    secret = secrets.token_urlsafe(32)
    with ctx.unit_of_work() as session:
        row = session.execute(
            select(KioskStation).where(KioskStation.name == name).with_for_update()
        ).scalar_one_or_none()
        again = row is not None
        if row is None:
            row = KioskStation(name=name, registered_by=user.id, secret_hash="")
            session.add(row)
        row.secret_hash = passwords.hash_password(secret)
        row.active = True
        row.registered_by = user.id
        row.registered_at = utcnow()
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "kiosk.registered",
            record_type="kiosk_station",
            record_id=row.id,
            details={"name": name, "new_secret_for_existing_station": again},
        )
        _log.info("kiosk station %r registered (id %s)", name, row.id)
        return StationCredential(StationInfo(row.id, row.name), secret)


# The station ------------------------------------------------------------------------------


def sign_in_station(ctx: ServiceContext, name: str, secret: str) -> ServiceContext:
    """The context of the station ``name`` once its secret is checked: it reaches only
    the intake handed to it. A wrong name or secret is refused and audited."""
    _server_only(ctx)
    with ctx.db.session() as session:
        row = session.execute(
            select(KioskStation).where(KioskStation.name == name)
        ).scalar_one_or_none()
        good = row is not None and row.active and passwords.verify_password(row.secret_hash, secret)
        if not good or row is None:
            audit.append(
                session,
                ctx.actor,
                "kiosk.sign_in_failed",
                details={"name": name[:64], "known": row is not None},
            )
            failure = AuthenticationError(
                "This kiosk station is not registered, or its secret is not the clinic's: "
                "a manager registers it again (consult kiosk --register NAME --as MANAGER)."
            )
        else:
            row.last_seen_at = utcnow()
            scope = KioskScope(row.id, row.name)
            station_ctx = replace(ctx, user=None, kiosk=scope, on_account_changed=None)
            audit.append(
                session,
                station_ctx.actor,
                "kiosk.signed_in",
                record_type="kiosk_station",
                record_id=row.id,
            )
            return station_ctx
    _log.warning("kiosk station %r refused at sign-in", name)
    raise failure


def _open_handover(
    session: Session, scope: KioskScope, consultation_id: int
) -> KioskHandover | None:
    return session.execute(
        select(KioskHandover)
        .where(
            KioskHandover.consultation_id == consultation_id,
            KioskHandover.station_id == scope.station_id,
            KioskHandover.state.in_(OPEN_STATES),
        )
        .with_for_update()
    ).scalar_one_or_none()


def _active_station(session: Session, scope: KioskScope) -> KioskStation | None:
    row = session.get(KioskStation, scope.station_id, with_for_update=True)
    return row if row is not None and row.active else None


def current_intake(ctx: ServiceContext) -> KioskIntake | None:
    """The intake handed to this station and not yet taken back (None: waiting). Each
    call says the station is still there (the desk lists stations seen recently)."""
    scope = _station_scope(ctx, "wait for an intake")
    with ctx.db.session() as session:
        station = _active_station(session, scope)
        if station is not None:
            station.last_seen_at = utcnow()
            row = session.execute(
                select(KioskHandover)
                .where(
                    KioskHandover.station_id == scope.station_id,
                    KioskHandover.state.in_(OPEN_STATES),
                )
                .order_by(KioskHandover.id)
                .limit(1)
                .with_for_update()
            ).scalar_one_or_none()
            if row is None:
                return None
            if row.state == "sent":
                row.state = "answering"
                audit.append(
                    session,
                    ctx.actor,
                    "kiosk.intake_opened",
                    record_type="consultation",
                    record_id=row.consultation_id,
                    details={"station": scope.name},
                )
            intake = row.intake
            previous = intake.get("previous")
            return KioskIntake(
                consultation_id=row.consultation_id,
                state=row.state,
                treatment_ids=tuple(intake.get("treatments", ())),
                sex_at_birth=str(intake.get("sex_at_birth", "")),
                date_of_birth=dt.date.fromisoformat(intake["date_of_birth"]),
                consultation_date=dt.date.fromisoformat(intake["consultation_date"]),
                language=str(intake.get("language", "en")),
                answers=dict(row.answers),
                previous=dict(previous["answers"]) if previous else None,
                previous_date=dt.date.fromisoformat(previous["date"]) if previous else None,
                confirmations=dict(row.confirmations or {}),
            )
    _refuse(ctx, "wait for an intake", "an active kiosk station", station=scope.name)
    raise PermissionDeniedError(
        ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "This kiosk station was retired by a manager."))
    )


def _checked_answers(answers: Mapping[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    for question_id in answers:
        try:
            kb.question(question_id)
        except KeyError:
            raise ValidationError(f"answers.{question_id}", "unknown question") from None
    return dict(answers)


def _checked_confirmations(confirmations: Mapping[str, str], kb: KnowledgeBase) -> dict[str, str]:
    """A repeat visit's section confirmations, checked: a known section, one of the two
    states (the same check as the draft's in ``consultations.save``)."""
    sections = {section.id for section in kb.sections}
    checked: dict[str, str] = {}
    for section_id, how in confirmations.items():
        if section_id not in sections:
            raise ValidationError("confirmations", f"unknown section {section_id!r}")
        try:
            checked[section_id] = Confirmed(how).value
        except ValueError:
            raise ValidationError(
                "confirmations", f"{section_id}: {how!r} is neither unchanged nor update"
            ) from None
    return checked


def _checked_progress(progress: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in _PROGRESS_KEYS:
        value = progress.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(
                f"progress.{key}",
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "a count (a whole number, 0 or more)")),
            )
        counts[key] = value
    return counts


def _station_writes(
    ctx: ServiceContext,
    action: str,
    consultation_id: int,
    answers: Mapping[str, Any],
    progress: Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    state: str | None,
    confirmations: Mapping[str, str] | None,
) -> None:
    scope = _station_scope(ctx, action)
    checked = _checked_answers(answers, kb)
    counts = _checked_progress(progress)
    confirmed = _checked_confirmations(confirmations or {}, kb)
    with ctx.db.session() as session:
        row = _open_handover(session, scope, consultation_id)
        if row is not None and row.state == "answering":
            row.answers = checked
            row.progress = counts
            if confirmed and row.intake.get("previous"):  # a repeat visit's only
                row.confirmations = confirmed
            if state is not None:
                row.state = state
                row.finished_at = utcnow()
                audit.append(
                    session,
                    ctx.actor,
                    "kiosk.finished",
                    record_type="consultation",
                    record_id=consultation_id,
                    details={"station": scope.name, "questions": len(checked), "state": state},
                )
            return
        taken = row is not None  # finished already: the practitioner has not taken it yet
    if taken:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "The patient has finished: the answers wait for the practitioner.",
                )
            )
        )
    _refuse(ctx, action, _STATION_ONLY, consultation=consultation_id, station=scope.name)
    raise PermissionDeniedError(
        ErrorText(
            QT_TRANSLATE_NOOP(
                "StoreErrors",
                "Consultation %1 is not handed to this kiosk station (or was taken back).",
            ),
            consultation_id,
        )
    )


def save_answers(
    ctx: ServiceContext,
    consultation_id: int,
    answers: Mapping[str, Any],
    progress: Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    confirmations: Mapping[str, str] | None = None,
) -> None:
    """Keep the patient's answers so far, and how far they are (the station handed this
    consultation only): nothing is lost whatever happens to the tablet. At a repeat
    visit, ``confirmations`` are the sections confirmed so far ({section id: unchanged |
    update})."""
    _station_writes(
        ctx,
        "save an intake's answers",
        consultation_id,
        answers,
        progress,
        kb,
        state=None,
        confirmations=confirmations,
    )


def finish(
    ctx: ServiceContext,
    consultation_id: int,
    answers: Mapping[str, Any],
    progress: Mapping[str, Any],
    kb: KnowledgeBase,
    *,
    paused: bool = False,
    confirmations: Mapping[str, str] | None = None,
) -> None:
    """The patient has finished ("I have finished"), or stopped answering (``paused``):
    the answers (and a repeat visit's ``confirmations``) wait for the practitioner, who
    is told at the desk."""
    _station_writes(
        ctx,
        "finish an intake",
        consultation_id,
        answers,
        progress,
        kb,
        state="paused" if paused else "finished",
        confirmations=confirmations,
    )


# The practitioner -------------------------------------------------------------------------


def waiting_stations(ctx: ServiceContext) -> list[StationInfo]:
    """The stations waiting for an intake (seen in the last seconds, none handed to
    them), by name; none on an embedded database."""
    ctx.require("hand an intake to a kiosk station", Role.PRACTITIONER)
    if ctx.db.is_sqlite:
        return []
    since = utcnow() - WAITING_WITHIN
    with ctx.unit_of_work() as session:
        busy = select(KioskHandover.station_id).where(KioskHandover.state.in_(OPEN_STATES))
        rows = session.execute(
            select(KioskStation)
            .where(
                KioskStation.active.is_(True),
                KioskStation.last_seen_at >= since,
                KioskStation.id.not_in(busy),
            )
            .order_by(KioskStation.name)
        ).scalars()
        return [StationInfo(row.id, row.name) for row in rows]


def _own_open_consultation(session: Session, consultation_id: int, user_id: int) -> Consultation:
    row = session.get(Consultation, consultation_id, with_for_update=True)
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."), consultation_id
            )
        )
    if row.status not in OPEN_STATUSES:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This consultation is %1: it cannot change."),
                Term("status", row.status),
            ),
        )
    if row.practitioner_id != user_id:
        raise ValidationError(
            "practitioner",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Only the practitioner who started this consultation can hand it over.",
                )
            ),
        )
    signed = select(ConsentRecord.id).where(ConsentRecord.consultation_id == row.id).limit(1)
    if session.execute(signed).first() is not None:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "A consent of this consultation is already signed: its answers are sealed.",
                )
            ),
        )
    return row


def send(
    ctx: ServiceContext,
    consultation_id: int,
    station_id: int,
    *,
    treatment_ids: Sequence[str],
    answers: Mapping[str, Any],
    kb: KnowledgeBase,
    previous: tuple[Mapping[str, Any], dt.date] | None = None,
    confirmations: Mapping[str, str] | None = None,
) -> HandoverProgress:
    """Hand the intake of one of the practitioner's open consultations to a waiting
    station, with the answers the desk has; audited (never the answers).

    At a repeat visit, ``previous`` is the last intake's answers and consultation date
    (as the desk's intake has them) and ``confirmations`` the sections the desk has
    confirmed already: the station asks the patient about the others."""
    user = ctx.require("hand an intake to a kiosk station", Role.PRACTITIONER)
    _server_only(ctx)
    checked = _checked_answers(answers, kb)
    confirmed = _checked_confirmations(confirmations or {}, kb)
    last_visit: dict[str, Any] = {}
    if previous is not None:
        # The last intake's answers to the questions there still are (the clinic's
        # questions may have changed since): the station shows no other.
        known = {question.id for question in kb.questions}
        last_answers = {q: value for q, value in previous[0].items() if q in known}
        last_visit["previous"] = {"answers": last_answers, "date": previous[1].isoformat()}
    for treatment_id in treatment_ids:
        try:
            kb.treatment(treatment_id)
        except KeyError:
            raise ValidationError("treatments", f"unknown treatment {treatment_id!r}") from None
    with ctx.unit_of_work() as session:
        row = _own_open_consultation(session, consultation_id, user.id)
        station = session.get(KioskStation, station_id, with_for_update=True)
        if station is None or not station.active:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Kiosk station %1 does not exist."), station_id
                )
            )
        open_here = select(KioskHandover.id).where(
            KioskHandover.state.in_(OPEN_STATES),
            (KioskHandover.station_id == station_id)
            | (KioskHandover.consultation_id == consultation_id),
        )
        if session.execute(open_here.limit(1)).first() is not None:
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors",
                        "%1 is busy with another patient, or this intake is already on a "
                        "kiosk station.",
                    ),
                    station.name,
                )
            )
        seen = station.last_seen_at
        if seen is None or seen < utcnow() - WAITING_WITHIN:
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 is not waiting: is it switched on?"),
                    station.name,
                )
            )
        patient = session.get(Patient, row.patient_id)
        assert patient is not None
        handover = KioskHandover(
            station_id=station.id,
            consultation_id=row.id,
            practitioner_id=user.id,
            state="sent",
            intake={
                "treatments": list(treatment_ids),
                "sex_at_birth": patient.sex_at_birth,
                "date_of_birth": patient.date_of_birth.isoformat(),
                "consultation_date": row.consultation_date.isoformat(),
                "language": patient.language,
                **last_visit,
            },
            answers=checked,
            progress={},
            confirmations=(confirmed or None) if previous is not None else None,
        )
        session.add(handover)
        audit.append(
            session,
            ctx.actor,
            "kiosk.sent",
            record_type="consultation",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"station": station.name},
        )
        _log.info("consultation %s handed to kiosk station %r", row.id, station.name)
        return HandoverProgress(row.id, station.name, "sent", 0, 0, 0, 0)


def _senders_handover(
    session: Session, consultation_id: int, user_id: int
) -> tuple[KioskHandover, KioskStation]:
    row = session.execute(
        select(KioskHandover)
        .where(
            KioskHandover.consultation_id == consultation_id,
            KioskHandover.state.in_(OPEN_STATES),
        )
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 is on no kiosk station."),
                consultation_id,
            )
        )
    if row.practitioner_id != user_id:
        raise ValidationError(
            "practitioner",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Only the practitioner who handed this intake over can take it back.",
                )
            ),
        )
    station = session.get(KioskStation, row.station_id)
    assert station is not None
    return row, station


def progress(ctx: ServiceContext, consultation_id: int) -> HandoverProgress:
    """How far the patient is on the station: counts and state, never an answer (the
    practitioner who handed it over)."""
    user = ctx.require("follow an intake on a kiosk station", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row, station = _senders_handover(session, consultation_id, user.id)
        counts = {key: int(row.progress.get(key, 0)) for key in _PROGRESS_KEYS}
        return HandoverProgress(consultation_id, station.name, row.state, **counts)


def take_back(ctx: ServiceContext, consultation_id: int) -> TakenBack:
    """Take the intake back from the station (the practitioner who handed it over, once
    their password is given at the desk): the station returns to waiting, and the
    patient's answers are returned to the desk; audited (the number of answers only)."""
    user = ctx.require("take an intake back from a kiosk station", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row, station = _senders_handover(session, consultation_id, user.id)
        was = row.state
        row.state = "returned"
        row.returned_at = utcnow()
        answers = dict(row.answers)
        consultation = session.get(Consultation, consultation_id)
        audit.append(
            session,
            ctx.actor,
            "kiosk.returned",
            record_type="consultation",
            record_id=consultation_id,
            patient_id=consultation.patient_id if consultation is not None else None,
            details={"station": station.name, "questions": len(answers), "was": was},
        )
        return TakenBack(
            consultation_id,
            station.name,
            answers,
            str(row.intake.get("language", "en")),
            was,
            dict(row.confirmations or {}),
        )
