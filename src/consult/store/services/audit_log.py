"""The manager's view of the audit log: filtered, paged queries, the CSV export and the
integrity check.

The database filters and pages (newest first, by entry id), so a log of millions of
entries is read a page at a time. Exports and integrity checks are themselves logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from consult.documents.audit_csv import write_rows
from consult.domain.roles import Role
from consult.domain.text import words
from consult.store import audit, integrity
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    ValidationError,
)
from consult.store.models import AuditEntry, PatientNameToken
from consult.store.services.context import ServiceContext

PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditFilter:
    """What the manager is looking for; empty fields do not filter.

    ``patient`` is a patient number, or the start of words of a patient's name.
    ``event`` matches an event name exactly, or a family of events when it ends in a
    dot (``consent.``). ``since`` and ``until`` are days, both included, in UTC.
    """

    user_id: int | None = None
    username: str = ""
    patient: str = ""
    event: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit entry, as the audit page shows it."""

    id: int
    at: dt.datetime
    user_id: int | None
    username: str
    workstation: str
    event: str
    record_type: str
    record_id: str
    patient_id: int | None
    details: dict[str, Any] = field(default_factory=dict)
    hash: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as a mapping, for the CSV export."""
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "user_id": self.user_id,
            "username": self.username,
            "workstation": self.workstation,
            "event": self.event,
            "record_type": self.record_type,
            "record_id": self.record_id,
            "patient_id": self.patient_id,
            "details": self.details,
            "hash": self.hash,
        }


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        id=entry.id,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        workstation=entry.workstation,
        event=entry.event,
        record_type=entry.record_type,
        record_id=entry.record_id,
        patient_id=entry.patient_id,
        details=dict(entry.details or {}),
        hash=entry.hash,
    )


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _filtered(query: Select[Any], filt: AuditFilter) -> Select[Any]:
    if filt.since and filt.until and filt.since > filt.until:
        raise ValidationError(
            "since",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The first day is after the last day.")),
        )
    if filt.user_id is not None:
        query = query.where(AuditEntry.user_id == filt.user_id)
    if filt.username.strip():
        query = query.where(AuditEntry.username == filt.username.strip().lower())
    patient = filt.patient.strip()
    if patient.isdigit():
        query = query.where(AuditEntry.patient_id == int(patient))
    elif patient:
        for term in words(patient):
            upper = term[:-1] + chr(ord(term[-1]) + 1)
            matches = select(PatientNameToken.patient_id).where(
                PatientNameToken.token >= term, PatientNameToken.token < upper
            )
            query = query.where(AuditEntry.patient_id.in_(matches))
    event = filt.event.strip()
    if event.endswith("."):
        query = query.where(AuditEntry.event >= event, AuditEntry.event < event[:-1] + "/")
    elif event:
        query = query.where(AuditEntry.event == event)
    if filt.since is not None:
        query = query.where(AuditEntry.at >= _day_start(filt.since))
    if filt.until is not None:
        query = query.where(AuditEntry.at < _day_start(filt.until + dt.timedelta(days=1)))
    return query


def page(
    ctx: ServiceContext,
    filt: AuditFilter,
    *,
    before_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[AuditRow]:
    """One page of matching entries, newest first; the next page starts ``before_id`` the
    last id of this one (keyset paging: as fast on the last page as on the first)."""
    ctx.require("read the audit log", Role.MANAGER)
    query = _filtered(select(AuditEntry), filt)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    query = query.order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))
    with ctx.unit_of_work() as session:
        return [_row(entry) for entry in session.execute(query).scalars()]


def count(ctx: ServiceContext, filt: AuditFilter) -> int:
    """How many entries match."""
    ctx.require("read the audit log", Role.MANAGER)
    query = _filtered(select(func.count()).select_from(AuditEntry), filt)
    with ctx.unit_of_work() as session:
        return int(session.execute(query).scalar_one())


def event_names(ctx: ServiceContext) -> list[str]:
    """Every event name in the log, for the filter's list."""
    ctx.require("read the audit log", Role.MANAGER)
    with ctx.unit_of_work() as session:
        names = session.execute(select(AuditEntry.event).distinct()).scalars()
        return sorted(names)


def _stream(session: Session, filt: AuditFilter) -> Iterator[dict[str, Any]]:
    query = _filtered(select(AuditEntry), filt).order_by(AuditEntry.id)
    for entry in session.execute(query.execution_options(yield_per=1000)).scalars():
        yield _row(entry).as_dict()


def export_csv(ctx: ServiceContext, filt: AuditFilter, target: Path) -> int:
    """Write the matching entries, oldest first, to a CSV file; the export is logged."""
    ctx.require("export the audit log", Role.MANAGER)
    partial = target.with_name(target.name + ".partial")
    with ctx.unit_of_work() as session:
        with open(partial, "w", encoding="utf-8-sig", newline="") as stream:
            written = write_rows(stream, _stream(session, filt))
        partial.replace(target)
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "audit.exported",
            details={
                "entries": written,
                "file": target.name,
                "filter": {
                    "user_id": filt.user_id,
                    "username": filt.username,
                    "patient": filt.patient,
                    "event": filt.event,
                    "since": filt.since.isoformat() if filt.since else None,
                    "until": filt.until.isoformat() if filt.until else None,
                },
            },
        )
    return written


def verify(
    ctx: ServiceContext,
    checkpoint_folder: Path | None,
    progress: integrity.Progress | None = None,
) -> integrity.IntegrityReport:
    """Run ``consult verify``'s check (managers); the check and its result are logged."""
    ctx.require("check the audit log's integrity", Role.MANAGER)
    # PostgreSQL keeps no checkpoint files (its heads are in the anchors), as the CLI does.
    folder = checkpoint_folder if ctx.db.is_sqlite else None
    with ctx.unit_of_work() as session:
        report = integrity.verify(session, folder, progress, anchors=ctx.db.anchors)
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "integrity.checked",
            details={
                "ok": report.ok,
                "problems": len(report.problems),
                "entries": report.entries,
                "head": report.head[0] if report.head else None,
            },
        )
    if report.ok:
        ctx.db.record_head()  # a head that holds is one more this workstation has seen
    return report
