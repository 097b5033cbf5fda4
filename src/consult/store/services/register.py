"""The reception desk and the manager's desk: signed forms, the consent register, record
detail, lot recall, exports and the dashboard's figures.

The consent register is filtered, sorted and paged by the database (keyset pagination on
the sort column, the signing time and the id), using the indexes of migration 0004, so
that a register of a million records answers each page in milliseconds. A record's
state (signed, withdrawn, voided) is read from ``consent_record.state``, which
:func:`consult.store.services.consents.add_event` keeps in step with the events.

Listing names (the register, today's desk) is not opening a record, so it is not logged
(the same as the patient search); opening a record, a recall search and every export are.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    bindparam,
    cast,
    func,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session

from consult.documents import exports
from consult.domain.roles import Role
from consult.store import audit
from consult.store.database import Database
from consult.store.dto import PatientInfo
from consult.store.errors import NotFoundError, ValidationError
from consult.store.models import (
    AuditEntry,
    ConsentEvent,
    ConsentRecord,
    Consultation,
    Patient,
    Product,
    ProductLot,
    TreatmentRecord,
    User,
)
from consult.store.services.consents import ConsentInfo, consent_info
from consult.store.services.context import ServiceContext
from consult.store.services.patients import patient_info

STATES = ("signed", "withdrawn", "voided")
OUTCOMES = ("clear", "caution", "relative")
PAGE_SIZE = 100
COUNT_CAP = 100_000
_DESK_ROLES = (Role.RECEPTION, Role.PRACTITIONER, Role.MANAGER)

# The columns each sort order walks, after the sort column itself: the signing time and
# the id break ties, in the same direction, so one index serves both directions.
_SORT_COLUMNS: dict[str, tuple[Any, ...]] = {
    "signed_at": (ConsentRecord.signed_at, ConsentRecord.id),
    "document_number": (ConsentRecord.document_number,),
    "treatment_id": (ConsentRecord.treatment_id, ConsentRecord.signed_at, ConsentRecord.id),
    "outcome": (ConsentRecord.outcome, ConsentRecord.signed_at, ConsentRecord.id),
    "has_overrides": (ConsentRecord.has_overrides, ConsentRecord.signed_at, ConsentRecord.id),
    "state": (ConsentRecord.state, ConsentRecord.signed_at, ConsentRecord.id),
}
SORT_KEYS = tuple(_SORT_COLUMNS)

Cursor = tuple[Any, ...]
_RowsQuery = Select[*tuple[Any, ...]]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


# --- the consent register -------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    """What the manager filters the register by, and how it is sorted.

    Dates are the workstation's local calendar days; ``date_to`` is included.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    practitioner_id: int | None = None
    treatment_id: str | None = None
    outcome: str | None = None
    has_overrides: bool | None = None
    state: str | None = None
    sort: str = "signed_at"
    descending: bool = True

    def check(self) -> None:
        """Raise :class:`ValidationError` naming the first filter that cannot be used."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError("date_to", "The end date is before the start date.")
        if self.state is not None and self.state not in STATES:
            raise ValidationError("state", f"unknown state {self.state!r}")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValidationError("outcome", f"unknown outcome {self.outcome!r}")
        if self.sort not in _SORT_COLUMNS:
            raise ValidationError("sort", f"cannot sort by {self.sort!r}")

    def sorted_by(self, sort: str, descending: bool) -> RegisterFilters:
        """The same filters, sorted another way."""
        return replace(self, sort=sort, descending=descending)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, for the audit log."""
        out: dict[str, Any] = {}
        for key in (
            "date_from",
            "date_to",
            "practitioner_id",
            "treatment_id",
            "outcome",
            "has_overrides",
            "state",
        ):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register."""

    id: int
    document_number: str
    signed_at: dt.datetime
    patient_id: int
    patient_name: str
    date_of_birth: dt.date | None
    practitioner_id: int
    practitioner_name: str
    treatment_id: str
    outcome: str
    has_overrides: bool
    state: str


@dataclass(frozen=True)
class RegisterPage:
    """A page of the register; pass ``cursor`` as ``after`` for the next (None: the end)."""

    rows: tuple[RegisterRow, ...]
    cursor: Cursor | None


def local_day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` on this workstation's clock, in UTC."""
    return dt.datetime.combine(day, dt.time()).astimezone().astimezone(dt.UTC)


def _conditions(filters: RegisterFilters) -> list[ColumnElement[bool]]:
    filters.check()
    out: list[ColumnElement[bool]] = []
    if filters.date_from is not None:
        out.append(ConsentRecord.signed_at >= local_day_start(filters.date_from))
    if filters.date_to is not None:
        end = local_day_start(filters.date_to + dt.timedelta(days=1))
        out.append(ConsentRecord.signed_at < end)
    if filters.practitioner_id is not None:
        out.append(ConsentRecord.practitioner_id == filters.practitioner_id)
    if filters.treatment_id is not None:
        out.append(ConsentRecord.treatment_id == filters.treatment_id)
    if filters.outcome is not None:
        out.append(ConsentRecord.outcome == filters.outcome)
    if filters.has_overrides is not None:
        out.append(ConsentRecord.has_overrides == filters.has_overrides)
    if filters.state is not None:
        out.append(ConsentRecord.state == filters.state)
    return out


_PAGE_COLUMNS = (
    ConsentRecord.id,
    ConsentRecord.document_number,
    ConsentRecord.signed_at,
    ConsentRecord.patient_id,
    ConsentRecord.practitioner_id,
    ConsentRecord.treatment_id,
    ConsentRecord.outcome,
    ConsentRecord.has_overrides,
    ConsentRecord.state,
)
# Sort columns with a few values each: a page is read value by value (newest first within
# each), so that a filter on another column never makes the database sort all it selects.
_ENUMERATED = ("treatment_id", "outcome", "has_overrides", "state")


def _page_query(filters: RegisterFilters, after: Cursor | None, limit: int) -> _RowsQuery:
    columns = _SORT_COLUMNS[filters.sort]
    query: _RowsQuery = select(*_PAGE_COLUMNS).where(*_conditions(filters))
    if after is not None:
        if len(after) != len(columns):
            raise ValidationError("after", "the cursor belongs to another sort order")
        values = [
            bindparam(f"after_{n}", value, type_=column.type)
            for n, (column, value) in enumerate(zip(columns, after, strict=True))
        ]
        if len(columns) == 1:
            key, value = columns[0], values[0]
            query = query.where(key < value if filters.descending else key > value)
        else:
            keys, bound = tuple_(*columns), tuple_(*values)
            query = query.where(keys < bound if filters.descending else keys > bound)
    order = [c.desc() if filters.descending else c.asc() for c in columns]
    return query.order_by(*order).limit(limit + 1)


def _names(
    session: Session, patient_ids: set[int], user_ids: set[int]
) -> tuple[dict[int, tuple[str, dt.date]], dict[int, str]]:
    patients: dict[int, tuple[str, dt.date]] = {}
    if patient_ids:
        for pid, given, family, dob in session.execute(
            select(
                Patient.id, Patient.given_name, Patient.family_name, Patient.date_of_birth
            ).where(Patient.id.in_(patient_ids))
        ):
            patients[pid] = (f"{given} {family}".strip(), dob)
    users: dict[int, str] = {}
    if user_ids:
        users = {
            uid: name
            for uid, name in session.execute(
                select(User.id, User.display_name).where(User.id.in_(user_ids))
            )
        }
    return patients, users


def _distinct(session: Session, name: str) -> list[Any]:
    """The values of an indexed column, by skipping through its index (a loose index scan:
    one lookup per value, however many rows)."""
    assert name in _ENUMERATED  # a column name, never user text
    rows = session.execute(
        text(
            f"WITH RECURSIVE v(x) AS (SELECT min({name}) FROM consent_record UNION ALL "
            f"SELECT (SELECT min({name}) FROM consent_record WHERE {name} > v.x) "
            "FROM v WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
        )
    ).scalars()
    return list(rows)


def _enumerated_rows(
    session: Session, filters: RegisterFilters, after: Cursor | None, limit: int
) -> list[Any]:
    key = filters.sort
    column = getattr(ConsentRecord, key)
    fixed = getattr(filters, key)
    if fixed is not None:
        values: list[Any] = [fixed]
    elif key == "has_overrides":
        values = [False, True]
    elif key == "state":
        values = list(STATES)
    else:
        values = _distinct(session, key)
    values.sort(reverse=filters.descending)
    if after is not None:
        if len(after) != 3:
            raise ValidationError("after", "the cursor belongs to another sort order")
        start = after[0]
        values = [
            v for v in values if v == start or (v < start if filters.descending else v > start)
        ]
    tie = (ConsentRecord.signed_at, ConsentRecord.id)
    found: list[Any] = []
    for value in values:
        query = select(*_PAGE_COLUMNS).where(*_conditions(filters), column == value)
        if after is not None and value == after[0]:
            bound = tuple_(
                bindparam("after_at", after[1], type_=ConsentRecord.signed_at.type),
                bindparam("after_id", after[2], type_=ConsentRecord.id.type),
            )
            query = query.where(
                tuple_(*tie) < bound if filters.descending else tuple_(*tie) > bound
            )
        order = [c.desc() if filters.descending else c.asc() for c in tie]
        found.extend(session.execute(query.order_by(*order).limit(limit + 1 - len(found))).all())
        if len(found) > limit:
            break
    return found


def _register_page(
    session: Session, filters: RegisterFilters, after: Cursor | None, limit: int
) -> RegisterPage:
    if filters.sort in _ENUMERATED:
        found = _enumerated_rows(session, filters, after, limit)
    else:
        found = list(session.execute(_page_query(filters, after, limit)).all())
    more = len(found) > limit
    found = found[:limit]
    patients, users = _names(
        session, {r.patient_id for r in found}, {r.practitioner_id for r in found}
    )
    rows = tuple(
        RegisterRow(
            id=r.id,
            document_number=r.document_number,
            signed_at=r.signed_at,
            patient_id=r.patient_id,
            patient_name=patients.get(r.patient_id, ("?", None))[0],
            date_of_birth=patients.get(r.patient_id, ("", None))[1],
            practitioner_id=r.practitioner_id,
            practitioner_name=users.get(r.practitioner_id, "?"),
            treatment_id=r.treatment_id,
            outcome=r.outcome,
            has_overrides=bool(r.has_overrides),
            state=r.state,
        )
        for r in found
    )
    cursor: Cursor | None = None
    if more and rows:
        last = rows[-1]
        cursor = tuple(getattr(last, column.key) for column in _SORT_COLUMNS[filters.sort])
    return RegisterPage(rows, cursor)


def register_page(
    ctx: ServiceContext,
    filters: RegisterFilters,
    *,
    after: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> RegisterPage:
    """One page of the consent register (managers), filtered and sorted by the database."""
    ctx.require("review the consent register", Role.MANAGER)
    with ctx.unit_of_work() as session:
        return _register_page(session, filters, after, max(1, min(limit, 1000)))


def register_count(ctx: ServiceContext, filters: RegisterFilters, cap: int = COUNT_CAP) -> int:
    """How many records the filters select, counted up to ``cap`` (a count at the cap
    means "at least")."""
    ctx.require("review the consent register", Role.MANAGER)
    with ctx.unit_of_work() as session:
        return _count(session, filters, cap)


def _count(session: Session, filters: RegisterFilters, cap: int | None) -> int:
    inner = select(ConsentRecord.id).where(*_conditions(filters))
    if cap is not None:
        inner = inner.limit(cap)
    total = session.execute(select(func.count()).select_from(inner.subquery())).scalar_one()
    return int(total)


def practitioners(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Everyone who has signed a consent as practitioner, or may (for the filter)."""
    ctx.require("review the consent register", Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(User.id, User.display_name, User.roles).order_by(User.display_name)
        ).all()
        return [
            (uid, name) for uid, name, roles in rows if Role.PRACTITIONER.value in roles.split()
        ]


def _iter_register(
    db: Database, filters: RegisterFilters, batch: int = 500
) -> Iterator[RegisterRow]:
    after: Cursor | None = None
    while True:
        with db.session() as session:
            page = _register_page(session, filters, after, batch)
        yield from page.rows
        if page.cursor is None:
            return
        after = page.cursor


# --- record detail ---------------------------------------------------------------------


@dataclass(frozen=True)
class FindingLine:
    """A screening finding on a signed record, with the practitioner's decision."""

    rule: str
    severity: str
    message: str
    decision: str  # "justified" (a relative finding overridden), "acknowledged" or ""
    justification: str
    decided_by: str
    decided_at: str


@dataclass(frozen=True)
class SignatureLine:
    """Who signed, as what, and when."""

    role: str
    name: str
    qualification: str | None
    meaning: str
    signed_at: str
    points: int


@dataclass(frozen=True)
class EventLine:
    """Something that happened to the record after signing."""

    kind: str
    reason: str
    user_name: str
    at: dt.datetime


@dataclass(frozen=True)
class AuditLine:
    """One audit entry about the record."""

    id: int
    at: dt.datetime
    username: str
    workstation: str
    event: str
    details: dict[str, Any]


@dataclass(frozen=True)
class RecordDetail:
    """Everything a manager reviews about one signed consent (the PDF apart)."""

    info: ConsentInfo
    patient: PatientInfo
    practitioner_name: str
    treatment_name: str
    route: str
    product: dict[str, Any] | None
    findings: tuple[FindingLine, ...]
    signatures: tuple[SignatureLine, ...]
    intake: tuple[tuple[str, str], ...]
    choices: dict[str, bool]
    events: tuple[EventLine, ...]
    audit_trail: tuple[AuditLine, ...]
    may_change: bool


def _findings(document: Mapping[str, Any]) -> tuple[FindingLine, ...]:
    decisions = {str(d.get("rule")): d for d in document.get("overrides", [])}
    lines = []
    for finding in document.get("findings", []):
        decision = decisions.get(str(finding.get("rule")), {})
        lines.append(
            FindingLine(
                rule=str(finding.get("rule", "")),
                severity=str(finding.get("severity", "")),
                message=str(finding.get("message", "")),
                decision=str(decision.get("kind") or ""),
                justification=str(decision.get("justification") or ""),
                decided_by=str(decision.get("by") or ""),
                decided_at=str(decision.get("at") or ""),
            )
        )
    return tuple(lines)


def _events(session: Session, consent_id: int) -> tuple[EventLine, ...]:
    rows = session.execute(
        select(ConsentEvent.kind, ConsentEvent.reason, User.display_name, ConsentEvent.at)
        .join(User, User.id == ConsentEvent.user_id)
        .where(ConsentEvent.consent_id == consent_id)
        .order_by(ConsentEvent.id)
    ).all()
    return tuple(EventLine(kind, reason, name, at) for kind, reason, name, at in rows)


def audit_trail(session: Session, consent_id: int, patient_id: int) -> tuple[AuditLine, ...]:
    """The audit entries about one consent record, oldest first."""
    rows = session.execute(
        select(AuditEntry)
        .where(
            AuditEntry.patient_id == patient_id,  # indexed; narrows before the record id
            AuditEntry.record_type == "consent",
            AuditEntry.record_id == str(consent_id),
        )
        .order_by(AuditEntry.id)
    ).scalars()
    return tuple(
        AuditLine(e.id, e.at, e.username, e.workstation, e.event, dict(e.details)) for e in rows
    )


def record_detail(ctx: ServiceContext, consent_id: int) -> RecordDetail:
    """A signed record with its findings, overrides, signatures, events and audit trail.

    Practitioners and managers (the record holds the intake); the view is logged first,
    so the trail shown includes it.
    """
    user = ctx.require("read a consent record", Role.MANAGER, Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFoundError(f"Consent record {consent_id} does not exist.")
        audit.append(
            session,
            ctx.actor,
            "consent.record_viewed",
            record_type="consent",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"document_number": row.document_number},
        )
        document: dict[str, Any] = json.loads(row.document_json)
        patient = session.get(Patient, row.patient_id)
        practitioner = session.get(User, row.practitioner_id)
        assert patient is not None and practitioner is not None
        treatment = document.get("treatment", {})
        signatures = tuple(
            SignatureLine(
                role=str(s.get("role", "")),
                name=str(s.get("name", "")),
                qualification=s.get("qualification"),
                meaning=str(s.get("meaning", "")),
                signed_at=str(s.get("signed_at", "")),
                points=sum(len(stroke) for stroke in s.get("strokes", [])),
            )
            for s in document.get("signatures", [])
        )
        return RecordDetail(
            info=consent_info(row),
            patient=patient_info(patient),
            practitioner_name=practitioner.display_name,
            treatment_name=str(treatment.get("name", row.treatment_id)),
            route=str(treatment.get("route", "")),
            product=treatment.get("product"),
            findings=_findings(document),
            signatures=signatures,
            intake=tuple(
                (str(item.get("label", "")), str(item.get("answer", "")))
                for item in document.get("intake_summary", [])
            ),
            choices={k: bool(v) for k, v in document.get("choices", {}).items()},
            events=_events(session, row.id),
            audit_trail=audit_trail(session, row.id, row.patient_id),
            may_change=row.state != "voided"
            and (user.has(Role.MANAGER) or row.practitioner_id == user.id),
        )


# --- reception -----------------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    """A signed consent form as reception sees it: who, what, printed, handed over."""

    consent_id: int
    document_number: str
    patient_id: int
    patient_name: str
    date_of_birth: dt.date | None
    practitioner_name: str
    treatment_id: str
    signed_at: dt.datetime
    state: str
    prints: int
    handed_over_at: dt.datetime | None


@dataclass(frozen=True)
class DeskConsultation:
    """One of the day's consultations, for the reception desk (no intake answers)."""

    consultation_id: int
    patient_id: int
    patient_name: str
    date_of_birth: dt.date
    practitioner_name: str
    status: str
    treatments: tuple[str, ...]
    forms_signed: int


def _form_rows(session: Session, records: Sequence[Any]) -> list[FormRow]:
    ids = [r.id for r in records]
    prints: dict[int, int] = {}
    handed: dict[int, dt.datetime] = {}
    if ids:
        prints = {
            consent_id: int(count)
            for consent_id, count in session.execute(
                select(ConsentEvent.consent_id, func.count())
                .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind == "printed")
                .group_by(ConsentEvent.consent_id)
            )
        }
        # The newest hand-over wins (ordered by id: max() of a timestamp is text on SQLite).
        handed = {
            consent_id: at
            for consent_id, at in session.execute(
                select(ConsentEvent.consent_id, ConsentEvent.at)
                .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind == "handed_over")
                .order_by(ConsentEvent.id)
            )
        }
    patients, users = _names(
        session, {r.patient_id for r in records}, {r.practitioner_id for r in records}
    )
    return [
        FormRow(
            consent_id=r.id,
            document_number=r.document_number,
            patient_id=r.patient_id,
            patient_name=patients.get(r.patient_id, ("?", None))[0],
            date_of_birth=patients.get(r.patient_id, ("", None))[1],
            practitioner_name=users.get(r.practitioner_id, "?"),
            treatment_id=r.treatment_id,
            signed_at=r.signed_at,
            state=r.state,
            prints=prints.get(r.id, 0),
            handed_over_at=handed.get(r.id),
        )
        for r in records
    ]


_FORM_COLUMNS = (
    ConsentRecord.id,
    ConsentRecord.document_number,
    ConsentRecord.patient_id,
    ConsentRecord.practitioner_id,
    ConsentRecord.treatment_id,
    ConsentRecord.signed_at,
    ConsentRecord.state,
)


def forms_signed_on(ctx: ServiceContext, day: dt.date | None = None) -> list[FormRow]:
    """The consent forms signed on ``day`` (today), newest first."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    day = day or dt.date.today()
    with ctx.unit_of_work() as session:
        records = session.execute(
            select(*_FORM_COLUMNS)
            .where(
                ConsentRecord.signed_at >= local_day_start(day),
                ConsentRecord.signed_at < local_day_start(day + dt.timedelta(days=1)),
            )
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        ).all()
        return _form_rows(session, records)


def patient_forms(ctx: ServiceContext, patient_id: int) -> list[FormRow]:
    """A patient's signed consent forms, newest first (the listing is logged)."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    with ctx.unit_of_work() as session:
        if session.get(Patient, patient_id) is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        records = session.execute(
            select(*_FORM_COLUMNS)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        ).all()
        audit.append(
            session,
            ctx.actor,
            "consent.forms_listed",
            record_type="patient",
            record_id=patient_id,
            patient_id=patient_id,
            details={"forms": len(records)},
        )
        return _form_rows(session, records)


def form(ctx: ServiceContext, consent_id: int) -> FormRow:
    """One signed form as reception sees it."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    with ctx.unit_of_work() as session:
        record = session.execute(
            select(*_FORM_COLUMNS).where(ConsentRecord.id == consent_id)
        ).first()
        if record is None:
            raise NotFoundError(f"Consent record {consent_id} does not exist.")
        return _form_rows(session, [record])[0]


def hand_over(ctx: ServiceContext, consent_id: int) -> FormRow:
    """Record that the printed form was handed to the patient (logged as an event)."""
    from consult.store.services import consents

    consents.add_event(ctx, consent_id, "handed_over")
    return form(ctx, consent_id)


def consultations_on(ctx: ServiceContext, day: dt.date | None = None) -> list[DeskConsultation]:
    """The day's consultations (today): patient, practitioner, status, planned treatments."""
    ctx.require("see the day's consultations", *_DESK_ROLES)
    day = day or dt.date.today()
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation, Patient, User.display_name)
            .join(Patient, Patient.id == Consultation.patient_id)
            .join(User, User.id == Consultation.practitioner_id)
            .where(Consultation.consultation_date == day, Consultation.status != "abandoned")
            .order_by(Consultation.created_at, Consultation.id)
        ).all()
        ids = [c.id for c, _p, _n in rows]
        signed: dict[int, int] = {}
        if ids:
            signed = {
                cid: int(n)
                for cid, n in session.execute(
                    select(ConsentRecord.consultation_id, func.count())
                    .where(ConsentRecord.consultation_id.in_(ids))
                    .group_by(ConsentRecord.consultation_id)
                )
            }
        return [
            DeskConsultation(
                consultation_id=c.id,
                patient_id=p.id,
                patient_name=f"{p.given_name} {p.family_name}".strip(),
                date_of_birth=p.date_of_birth,
                practitioner_name=name,
                status=c.status,
                treatments=tuple(str(t.get("id")) for t in c.treatments),
                forms_signed=signed.get(c.id, 0),
            )
            for c, p, name in rows
        ]


# --- lot recall ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecallCriteria:
    """A recall search: a lot number and/or a product name, or an expiry window."""

    lot: str = ""
    product: str = ""
    expiry_from: dt.date | None = None
    expiry_to: dt.date | None = None

    def check(self) -> None:
        """Raise :class:`ValidationError` if nothing to search by was given."""
        if not (self.lot.strip() or self.product.strip() or self.expiry_from or self.expiry_to):
            raise ValidationError("lot", "Give a lot number, a product or an expiry window.")
        if self.expiry_from and self.expiry_to and self.expiry_from > self.expiry_to:
            raise ValidationError("expiry_to", "The end of the window is before its start.")

    def describe(self) -> dict[str, Any]:
        """The criteria, for the audit log."""
        return {
            "lot": self.lot.strip(),
            "product": self.product.strip(),
            "expiry_from": self.expiry_from.isoformat() if self.expiry_from else None,
            "expiry_to": self.expiry_to.isoformat() if self.expiry_to else None,
        }


@dataclass(frozen=True)
class RecallRow:
    """A patient treated with a recalled lot, with the contact details to reach them."""

    patient_id: int
    patient_name: str
    date_of_birth: dt.date
    phone: str
    email: str
    address: str
    product_name: str
    manufacturer: str
    lot_number: str
    expiry_date: dt.date
    treatment_id: str
    treated_at: dt.datetime
    practitioner_name: str
    document_number: str
    consent_state: str


def _matching_lots(
    session: Session, criteria: RecallCriteria
) -> dict[int, tuple[Product, ProductLot]]:
    # Products and lots are few (hundreds): match names in Python, the same on every
    # database and for every alphabet (case-folded).
    product_text = criteria.product.strip().casefold()
    lot_text = criteria.lot.strip().casefold()
    found: dict[int, tuple[Product, ProductLot]] = {}
    for product, lot in session.execute(
        select(Product, ProductLot).join(ProductLot, ProductLot.product_id == Product.id)
    ).all():
        if product_text and product_text not in product.name.casefold():
            continue
        if lot_text and lot.lot_number.strip().casefold() != lot_text:
            continue
        if criteria.expiry_from and lot.expiry_date < criteria.expiry_from:
            continue
        if criteria.expiry_to and lot.expiry_date > criteria.expiry_to:
            continue
        found[lot.id] = (product, lot)
    return found


def _recall(session: Session, criteria: RecallCriteria) -> list[RecallRow]:
    criteria.check()
    lots = _matching_lots(session, criteria)
    if not lots:
        return []
    rows = session.execute(
        select(TreatmentRecord, Patient, User.display_name, ConsentRecord)
        .join(Patient, Patient.id == TreatmentRecord.patient_id)
        .join(User, User.id == TreatmentRecord.practitioner_id)
        .outerjoin(ConsentRecord, ConsentRecord.id == TreatmentRecord.consent_id)
        .where(TreatmentRecord.lot_id.in_(lots))
        .order_by(Patient.family_name, Patient.given_name, TreatmentRecord.recorded_at)
    ).all()
    out = []
    for treatment, patient, practitioner_name, consent in rows:
        assert treatment.lot_id is not None  # matched on it
        product, lot = lots[treatment.lot_id]
        out.append(
            RecallRow(
                patient_id=patient.id,
                patient_name=f"{patient.given_name} {patient.family_name}".strip(),
                date_of_birth=patient.date_of_birth,
                phone=patient.phone,
                email=patient.email,
                address=patient.address,
                product_name=product.name,
                manufacturer=product.manufacturer,
                lot_number=lot.lot_number,
                expiry_date=lot.expiry_date,
                treatment_id=treatment.treatment_id,
                treated_at=treatment.recorded_at,
                practitioner_name=practitioner_name,
                document_number=consent.document_number if consent else "",
                consent_state=consent.state if consent else "",
            )
        )
    return out


def recall(ctx: ServiceContext, criteria: RecallCriteria) -> list[RecallRow]:
    """Every patient treated with the matching lots, with contact details (logged)."""
    ctx.require("search for a lot recall", Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = _recall(session, criteria)
        audit.append(
            session,
            ctx.actor,
            "recall.searched",
            details={**criteria.describe(), "patients": len({r.patient_id for r in rows})},
        )
        return rows


def recall_as(db: Database, actor: audit.Actor, criteria: RecallCriteria) -> list[RecallRow]:
    """:func:`recall` for the administrator's command line, which has nobody signed in
    (whoever runs it can read the database file anyway); logged under ``actor``."""
    with db.session() as session:
        rows = _recall(session, criteria)
        audit.append(
            session,
            actor,
            "recall.searched",
            details={**criteria.describe(), "patients": len({r.patient_id for r in rows})},
        )
        return rows


def export_recall(
    ctx: ServiceContext,
    criteria: RecallCriteria,
    rows: Sequence[RecallRow],
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write a recall list as CSV (logged); returns the number of lines written."""
    ctx.require("export a lot recall", Role.MANAGER)
    from consult.domain.phones import region_for_jurisdiction
    from consult.store.services.clinic import get_clinic

    clinic = get_clinic(ctx)
    written = exports.write_recall_csv(
        rows,
        path,
        phone_region=region_for_jurisdiction(clinic.jurisdiction if clinic else None),
        progress=progress,
        cancelled=cancelled,
    )
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "recall.exported",
            details={**criteria.describe(), "rows": written, "file": path.name},
        )
    return written


# --- exports -------------------------------------------------------------------------


EXPORT_FORMATS = ("csv", "fhir")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    records: int


def _export_records(db: Database, rows: Sequence[RegisterRow]) -> list[exports.ExportRecord]:
    ids = [r.id for r in rows]
    with db.session() as session:
        records = {
            r.id: r
            for r in session.execute(
                select(ConsentRecord).where(ConsentRecord.id.in_(ids))
            ).scalars()
        }
        events: dict[int, list[tuple[str, str, dt.datetime]]] = {}
        for consent_id, kind, reason, at in session.execute(
            select(ConsentEvent.consent_id, ConsentEvent.kind, ConsentEvent.reason, ConsentEvent.at)
            .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind.in_(("withdrawn", "voided")))
            .order_by(ConsentEvent.id)
        ):
            events.setdefault(consent_id, []).append((kind, reason, at))
        out = []
        for row in rows:
            record = records[row.id]
            out.append(
                exports.ExportRecord(
                    consent_id=record.id,
                    document=json.loads(record.document_json),
                    document_sha256=record.document_sha256,
                    pdf=bytes(record.pdf),
                    state=record.state,
                    practitioner_id=record.practitioner_id,
                    signed_at=record.signed_at,
                    state_events=tuple(events.get(record.id, [])),
                )
            )
        return out


def write_export(
    db: Database,
    actor: audit.Actor,
    filters: RegisterFilters,
    fmt: str,
    path: Path,
    *,
    treatment_names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Export the register's records that ``filters`` select, as CSV or a FHIR R4 bundle.

    Runs page by page (never the whole register in memory), reports ``progress(done,
    total)``, stops with :class:`consult.documents.exports.ExportCancelled` when
    ``cancelled()`` turns true (no file is left behind), and is logged under ``actor``.
    Used by :func:`export_register` and by the command line (which has nobody signed in).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("format", f"unknown export format {fmt!r}: use csv or fhir")
    filters.check()
    with db.session() as session:
        total = _count(session, filters, None)
    if fmt == "csv":
        written = exports.write_register_csv(
            _iter_register(db, filters),
            path,
            total=total,
            treatment_names=treatment_names,
            progress=progress,
            cancelled=cancelled,
        )
    else:

        def records() -> Iterator[exports.ExportRecord]:
            batch: list[RegisterRow] = []
            for row in _iter_register(db, filters):
                batch.append(row)
                if len(batch) >= 50:
                    yield from _export_records(db, batch)
                    batch = []
            if batch:
                yield from _export_records(db, batch)

        written = exports.write_fhir_bundle(
            records(), path, total=total, progress=progress, cancelled=cancelled
        )
    with db.session() as session:
        audit.append(
            session,
            actor,
            "consent.register_exported",
            details={
                "format": fmt,
                "records": written,
                "file": path.name,
                "filters": filters.describe(),
            },
        )
    return ExportResult(path, fmt, written)


def export_register(
    ctx: ServiceContext,
    filters: RegisterFilters,
    fmt: str,
    path: Path,
    *,
    treatment_names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Export the filtered register (managers): see :func:`write_export`."""
    ctx.require("export consent records", Role.MANAGER)
    return write_export(
        ctx.db,
        ctx.actor,
        filters,
        fmt,
        path,
        treatment_names=treatment_names,
        progress=progress,
        cancelled=cancelled,
    )


# --- the dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    """Consents signed for one treatment in one month (UTC months, voided ones left out)."""

    month: str  # YYYY-MM
    treatment_id: str
    count: int


@dataclass(frozen=True)
class OverrideRate:
    """How often a practitioner overrode a relative contraindication, over a period."""

    practitioner_id: int
    practitioner_name: str
    consents: int
    with_overrides: int

    @property
    def rate(self) -> float:
        """The share of consents with an override (0 when there were none)."""
        return self.with_overrides / self.consents if self.consents else 0.0


@dataclass(frozen=True)
class Dashboard:
    """The manager's figures for a period."""

    date_from: dt.date
    date_to: dt.date
    per_month: tuple[MonthCount, ...] = field(default_factory=tuple)
    override_rates: tuple[OverrideRate, ...] = field(default_factory=tuple)


def _period(date_from: dt.date, date_to: dt.date) -> list[ColumnElement[bool]]:
    if date_from > date_to:
        raise ValidationError("date_to", "The end date is before the start date.")
    return [
        ConsentRecord.signed_at >= local_day_start(date_from),
        ConsentRecord.signed_at < local_day_start(date_to + dt.timedelta(days=1)),
        ConsentRecord.state != "voided",
    ]


def dashboard(ctx: ServiceContext, date_from: dt.date, date_to: dt.date) -> Dashboard:
    """Consents per month per treatment, and the override rate per practitioner."""
    ctx.require("see the clinic's dashboard", Role.MANAGER)
    period = _period(date_from, date_to)
    with ctx.unit_of_work() as session:
        if session.get_bind().dialect.name == "postgresql":
            month: ColumnElement[Any] = func.to_char(
                func.timezone("UTC", ConsentRecord.signed_at), "YYYY-MM"
            )
        else:  # stored as UTC text, "YYYY-MM-DD HH:MM:SS"
            month = func.substr(cast(ConsentRecord.signed_at, Text), 1, 7)
        per_month = tuple(
            MonthCount(str(m), str(t), int(n))
            for m, t, n in session.execute(
                select(month.label("month"), ConsentRecord.treatment_id, func.count())
                .where(*period)
                .group_by(month, ConsentRecord.treatment_id)
                .order_by(month, ConsentRecord.treatment_id)
            )
        )
        overrides = func.sum(cast(ConsentRecord.has_overrides, Integer))
        rates = session.execute(
            select(ConsentRecord.practitioner_id, func.count(), overrides)
            .where(*period)
            .group_by(ConsentRecord.practitioner_id)
        ).all()
        _, users = _names(session, set(), {pid for pid, _n, _o in rates})
        override_rates = tuple(
            sorted(
                (
                    OverrideRate(pid, users.get(pid, "?"), int(n), int(o or 0))
                    for pid, n, o in rates
                ),
                key=lambda r: r.practitioner_name.casefold(),
            )
        )
        return Dashboard(date_from, date_to, per_month, override_rates)
