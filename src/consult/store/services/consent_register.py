"""The consent register: every signed consent, filtered, sorted and paged for a manager.

The database filters, sorts and pages (keyset pagination on the sort column, the signing
time and the id), using the indexes of migration 0004, so that a register of a million
records answers each page in milliseconds. A record's state (signed, withdrawn, voided)
is read from ``consent_record.state``, which
:func:`consult.store.services.consents.add_event` keeps in step with the events.

Listing names is not opening a record, so it is not logged (the same as the patient
search); opening a record (:mod:`~consult.store.services.record_detail`) and exporting
(:mod:`~consult.store.services.register_export`) are.

:func:`page_of` and :func:`count_of` are the queries themselves, on the caller's
session, for the services that have checked the role already (the export reads the
register page by page).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select, text, tuple_
from sqlalchemy.orm import Session

from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store.dto import Cursor, RegisterFilters, RegisterPage, RegisterRow
from consult.store.errors import ValidationError
from consult.store.models import ConsentRecord, User
from consult.store.services.context import ServiceContext
from consult.store.services.lookups import local_day_start, patient_names, user_names

PAGE_SIZE = 100
COUNT_CAP = 100_000

# The columns each sort order (each of SORT_KEYS) walks, after the sort column itself: the
# signing time and the id break ties, in the same direction, so one index serves both.
_SORT_COLUMNS: dict[str, tuple[Any, ...]] = {
    "signed_at": (ConsentRecord.signed_at, ConsentRecord.id),
    "document_number": (ConsentRecord.document_number,),
    "treatment_id": (ConsentRecord.treatment_id, ConsentRecord.signed_at, ConsentRecord.id),
    "outcome": (ConsentRecord.outcome, ConsentRecord.signed_at, ConsentRecord.id),
    "has_overrides": (ConsentRecord.has_overrides, ConsentRecord.signed_at, ConsentRecord.id),
    "state": (ConsentRecord.state, ConsentRecord.signed_at, ConsentRecord.id),
}

_RowsQuery = Select[*tuple[Any, ...]]

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
        return page_of(session, filters, after, max(1, min(limit, 1000)))


def register_count(ctx: ServiceContext, filters: RegisterFilters, cap: int = COUNT_CAP) -> int:
    """How many records the filters select, counted up to ``cap`` (a count at the cap
    means "at least")."""
    ctx.require("review the consent register", Role.MANAGER)
    with ctx.unit_of_work() as session:
        return count_of(session, filters, cap)


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


def count_of(session: Session, filters: RegisterFilters, cap: int | None) -> int:
    """How many records ``filters`` select, up to ``cap`` (None: all of them)."""
    inner = select(ConsentRecord.id).where(*_conditions(filters))
    if cap is not None:
        inner = inner.limit(cap)
    total = session.execute(select(func.count()).select_from(inner.subquery())).scalar_one()
    return int(total)


def page_of(
    session: Session, filters: RegisterFilters, after: Cursor | None, limit: int
) -> RegisterPage:
    """The ``limit`` rows ``filters`` select after the cursor ``after``, with their names."""
    if filters.sort in _ENUMERATED:
        found = _enumerated_rows(session, filters, after, limit)
    else:
        found = list(session.execute(_page_query(filters, after, limit)).all())
    more = len(found) > limit
    found = found[:limit]
    patients = patient_names(session, {r.patient_id for r in found})
    users = user_names(session, {r.practitioner_id for r in found})
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
            state=ConsentState(r.state),
        )
        for r in found
    )
    cursor: Cursor | None = None
    if more and rows:
        last = rows[-1]
        cursor = tuple(getattr(last, column.key) for column in _SORT_COLUMNS[filters.sort])
    return RegisterPage(rows, cursor)


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
        values = [str(state) for state in ConsentState]
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
