"""Lot recall: every patient who received a product lot, where and how much, with the
details to reach them.

A manager searches by lot number, product name or expiry window. The lot actually used is
read from the practitioner's chart (each injection point's lot, or the chart's lot for a
treatment charted without points: docs/treatment-record.md); a treatment never charted
counts with the lot planned at consent, and its row says so. Treatments whose consent
was withdrawn or voided are left out of the list and counted in a note. The search is
logged (it lists patients' contact details), and so is every list written to a file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from consult.documents import exports
from consult.domain.phones import region_for_jurisdiction
from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.domain.treatment_chart import amount_text
from consult.store import audit
from consult.store.dto import RecallCriteria, RecallResult, RecallRow
from consult.store.models import (
    ConsentRecord,
    InjectionPoint,
    Patient,
    Product,
    ProductLot,
    TreatmentChart,
    TreatmentRecord,
)
from consult.store.services.clinic import get_clinic
from consult.store.services.context import ServiceContext
from consult.store.services.lookups import user_names
from consult.store.services.lots_used import consent_day

_LEFT_OUT: Final = frozenset({ConsentState.WITHDRAWN.value, ConsentState.VOIDED.value})


def search(ctx: ServiceContext, criteria: RecallCriteria) -> RecallResult:
    """Every patient who received the matching lots: one row per patient, treatment and
    lot, with where and how much, read from the chart (the planned lot where no
    treatment was charted); withdrawn and voided consents are left out and returned
    apart, for a note. The search is logged (it lists contact details)."""
    ctx.require("search for a lot recall", Role.MANAGER)
    with ctx.unit_of_work() as session:
        result = _recall(session, criteria)
        audit.append(
            session,
            ctx.actor,
            "recall.searched",
            details={
                **criteria.describe(),
                "patients": len({r.patient_id for r in result.rows}),
                "left_out": len(result.left_out),
            },
        )
        return result


def recall(ctx: ServiceContext, criteria: RecallCriteria) -> list[RecallRow]:
    """The rows of :func:`search` (logged the same way)."""
    return list(search(ctx, criteria).rows)


def export_recall(
    ctx: ServiceContext,
    criteria: RecallCriteria,
    rows: Sequence[RecallRow],
    path: Path,
    *,
    progress: exports.Progress | None = None,
    cancelled: exports.Cancelled | None = None,
    place: exports.Place | None = None,
) -> int:
    """Write a recall list as CSV (logged); returns the number of lines written.

    ``place``: for a caller that writes under a temporary name (the command line), called
    with the written file; it puts the file where it stays and returns that path. The
    export is logged under that name once it is there, never before.
    """
    ctx.require("export a lot recall", Role.MANAGER)
    clinic = get_clinic(ctx)
    written = exports.write_recall_csv(
        rows,
        path,
        phone_region=region_for_jurisdiction(clinic.jurisdiction if clinic else None),
        progress=progress,
        cancelled=cancelled,
    )
    final = place(path) if place is not None else path
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "recall.exported",
            details={**criteria.describe(), "rows": written, "file": final.name},
        )
    return written


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


@dataclass(frozen=True)
class _Found:
    """One treatment with a matching lot, before the patient's details are read."""

    record: TreatmentRecord
    lot_id: int
    treated_on: dt.date
    charted: bool
    areas: tuple[str, ...]
    doses: tuple[tuple[str, str], ...]


def _doses(points: Sequence[InjectionPoint]) -> tuple[tuple[str, str], ...]:
    sums: dict[str, Decimal] = {}
    for point in points:
        sums[point.unit] = sums.get(point.unit, Decimal(0)) + point.amount
    return tuple((amount_text(amount), unit) for unit, amount in sums.items())


def _areas(*groups: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for area in group:
            if area.strip():
                seen.setdefault(area.strip(), None)
    return tuple(seen)


def _charted(session: Session, lot_ids: set[int]) -> list[_Found]:
    """Charted treatments that used a matching lot: a point's lot (the chart's when the
    point names none), or the chart's lot for a chart without points
    (docs/treatment-record.md)."""
    charts = session.execute(
        select(TreatmentChart, TreatmentRecord)
        .join(TreatmentRecord, TreatmentRecord.id == TreatmentChart.treatment_record_id)
        .where(
            or_(
                TreatmentChart.lot_id.in_(lot_ids),
                TreatmentChart.id.in_(
                    select(InjectionPoint.chart_id).where(InjectionPoint.lot_id.in_(lot_ids))
                ),
            )
        )
    ).all()
    points: dict[int, list[InjectionPoint]] = defaultdict(list)
    for point in session.execute(
        select(InjectionPoint)
        .where(InjectionPoint.chart_id.in_([chart.id for chart, _ in charts]))
        .order_by(InjectionPoint.chart_id, InjectionPoint.number)
    ).scalars():
        points[point.chart_id].append(point)
    found = []
    for chart, record in charts:
        if not points[chart.id]:
            if chart.lot_id in lot_ids:
                found.append(
                    _Found(record, chart.lot_id, chart.treated_on, True, _areas(chart.areas), ())
                )
            continue
        per_lot: dict[int, list[InjectionPoint]] = defaultdict(list)
        for point in points[chart.id]:
            lot_id = point.lot_id if point.lot_id is not None else chart.lot_id
            if lot_id in lot_ids:
                per_lot[lot_id].append(point)
        for lot_id, given in per_lot.items():
            areas = _areas([point.area for point in given]) or _areas(chart.areas)
            found.append(_Found(record, lot_id, chart.treated_on, True, areas, _doses(given)))
    return found


def _planned(session: Session, lot_ids: set[int]) -> list[_Found]:
    """Treatments with a matching planned lot and no chart: the planned lot stands."""
    records = session.execute(
        select(TreatmentRecord).where(
            TreatmentRecord.lot_id.in_(lot_ids),
            ~exists().where(TreatmentChart.treatment_record_id == TreatmentRecord.id),
        )
    ).scalars()
    out = []
    for record in records:
        assert record.lot_id is not None  # matched on it
        out.append(_Found(record, record.lot_id, consent_day(record), False, (), ()))
    return out


def _recall(session: Session, criteria: RecallCriteria) -> RecallResult:
    criteria.check()
    lots = _matching_lots(session, criteria)
    if not lots:
        return RecallResult(())
    found = _charted(session, set(lots)) + _planned(session, set(lots))
    patients = {
        row.id: row
        for row in session.execute(
            select(Patient).where(Patient.id.in_({f.record.patient_id for f in found}))
        ).scalars()
    }
    names = user_names(session, {f.record.practitioner_id for f in found})
    consent_ids = {f.record.consent_id for f in found if f.record.consent_id is not None}
    consents = {
        row.id: row
        for row in session.execute(
            select(ConsentRecord).where(ConsentRecord.id.in_(consent_ids))
        ).scalars()
    }
    kept: list[RecallRow] = []
    left_out: list[RecallRow] = []
    for item in found:
        record, patient = item.record, patients[item.record.patient_id]
        product, lot = lots[item.lot_id]
        consent = consents.get(record.consent_id) if record.consent_id is not None else None
        row = RecallRow(
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
            treatment_id=record.treatment_id,
            treated_at=record.recorded_at,
            practitioner_name=names.get(record.practitioner_id, ""),
            document_number=consent.document_number if consent else "",
            consent_state=consent.state if consent else "",
            treated_on=item.treated_on,
            charted=item.charted,
            areas=item.areas,
            doses=item.doses,
        )
        withdrawn = consent is not None and consent.state in _LEFT_OUT
        (left_out if withdrawn else kept).append(row)

    def order(row: RecallRow) -> tuple[str, str, dt.date, str]:
        patient = patients[row.patient_id]
        return (
            patient.family_name,
            patient.given_name,
            row.treated_on or dt.date.min,
            row.lot_number,
        )

    return RecallResult(tuple(sorted(kept, key=order)), tuple(sorted(left_out, key=order)))
