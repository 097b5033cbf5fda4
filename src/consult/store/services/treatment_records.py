"""The treatment chart: what was actually done for each consented treatment (issue 20).

After consent the practitioner charts each treatment: the lot actually used (the planned
one unless changed, with the reason, to another usable lot of the same product), the
treated areas, notes and, for an injection, the points on the face diagram. The draft is
saved as they go (optimistic locking on the chart's ``version``); signing it off seals
it (RFC 8785 JSON, SHA-256, audited) and from then on only addenda are added, each
hash-chained to the seal. Practitioners write; practitioners and managers read;
reception sees nothing clinical. docs/treatment-record.md describes the tables.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.documents import aftercare_pdf, paper
from consult.documents.aftercare_pdf import AftercareSheet, render_aftercare_pdf
from consult.domain import follow_up
from consult.domain import treatment_chart as rules
from consult.domain.canonical import jcs_bytes, sha256_hex
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.domain.treatment_chart import ChartPoint, Total
from consult.knowledge.consent_templates import ConsentTemplate, render_for
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    NotFoundError,
    SealedRecordError,
    Term,
    ValidationError,
)
from consult.store.models import (
    Clinic,
    ConsentRecord,
    Consultation,
    InjectionPoint,
    Patient,
    Product,
    ProductLot,
    TreatmentAddendum,
    TreatmentChart,
    TreatmentRecord,
    User,
    utcnow,
)
from consult.store.services.context import ServiceContext
from consult.store.services.products import quarantines

_log = logging.getLogger(__name__)

DRAFT = "draft"
SIGNED = "signed"
MIN_REASON = 5
"""The fewest characters the reason for another lot, or an addendum, may have."""
MAX_AREAS = 30
MAX_TEXT = 4000


@dataclass(frozen=True)
class LotChoice:
    """A lot the practitioner may record as used: in date on the day, not quarantined."""

    id: int
    lot_number: str
    expiry_date: dt.date
    planned: bool


@dataclass(frozen=True)
class PointInfo:
    """One charted injection, as stored."""

    number: int
    point: ChartPoint
    lot_number: str


@dataclass(frozen=True)
class AddendumInfo:
    """A correction or note added after sign-off."""

    id: int
    text: str
    user_name: str
    at: dt.datetime
    sha256: str


@dataclass(frozen=True)
class ChartInfo:
    """One treatment's chart, with its points, totals and addenda."""

    id: int
    version: int
    consultation_id: int
    consent_id: int
    patient_id: int
    treatment_id: str
    route: str
    charted: bool
    """Whether the treatment is charted point by point (an injection)."""
    product_id: int | None
    product_name: str
    planned_lot_id: int | None
    lot_id: int | None
    lot_number: str
    lot_expiry: dt.date | None
    lot_reason: str
    areas: tuple[str, ...]
    notes: str
    treated_on: dt.date
    state: str
    signed_at: dt.datetime | None
    signed_by_name: str
    document_sha256: str | None
    points: tuple[PointInfo, ...]
    totals: tuple[Total, ...]
    addenda: tuple[AddendumInfo, ...]

    @property
    def signed(self) -> bool:
        """Signed off: sealed, and changed only by addenda."""
        return self.state == SIGNED

    @property
    def default_unit(self) -> str:
        """The unit a new point of this treatment is dosed in."""
        return rules.default_unit(self.treatment_id)


# --- reading -------------------------------------------------------------------------


def _chart(session: Session, chart_id: int) -> TreatmentChart:
    row = session.get(TreatmentChart, chart_id)
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Treatment chart %1 does not exist."), chart_id
            )
        )
    return row


def _name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = session.get(User, user_id)
    return user.display_name if user is not None else ""


def _points(session: Session, chart_id: int) -> list[InjectionPoint]:
    return list(
        session.execute(
            select(InjectionPoint)
            .where(InjectionPoint.chart_id == chart_id)
            .order_by(InjectionPoint.number)
        ).scalars()
    )


def _addenda(session: Session, chart_id: int) -> list[TreatmentAddendum]:
    return list(
        session.execute(
            select(TreatmentAddendum)
            .where(TreatmentAddendum.chart_id == chart_id)
            .order_by(TreatmentAddendum.id)
        ).scalars()
    )


def _as_point(row: InjectionPoint) -> ChartPoint:
    return ChartPoint(
        view=row.view,
        x=row.x,
        y=row.y,
        amount=Decimal(row.amount),
        unit=row.unit,
        depth=row.depth,
        technique=row.technique,
        area=row.area,
        product_id=row.product_id,
        lot_id=row.lot_id,
    )


def _info(session: Session, row: TreatmentChart) -> ChartInfo:
    record = session.get(TreatmentRecord, row.treatment_record_id)
    product = session.get(Product, row.product_id) if row.product_id is not None else None
    lot = session.get(ProductLot, row.lot_id) if row.lot_id is not None else None
    points = _points(session, row.id)
    lots = {
        lot_row.id: lot_row.lot_number
        for lot_row in session.execute(
            select(ProductLot).where(
                ProductLot.id.in_({p.lot_id for p in points if p.lot_id is not None})
            )
        ).scalars()
    }
    charted = [_as_point(p) for p in points]
    return ChartInfo(
        id=row.id,
        version=row.version,
        consultation_id=row.consultation_id,
        consent_id=row.consent_id,
        patient_id=row.patient_id,
        treatment_id=row.treatment_id,
        route=row.route,
        charted=rules.is_charted(row.route),
        product_id=row.product_id,
        product_name=product.name if product is not None else "",
        planned_lot_id=record.lot_id if record is not None else None,
        lot_id=row.lot_id,
        lot_number=lot.lot_number if lot is not None else "",
        lot_expiry=lot.expiry_date if lot is not None else None,
        lot_reason=row.lot_reason,
        areas=tuple(row.areas or ()),
        notes=row.notes,
        treated_on=row.treated_on,
        state=row.state,
        signed_at=row.signed_at,
        signed_by_name=_name(session, row.signed_by),
        document_sha256=row.document_sha256,
        points=tuple(
            PointInfo(p.number, point, lots.get(p.lot_id or 0, ""))
            for p, point in zip(points, charted, strict=True)
        ),
        totals=rules.totals(charted),
        addenda=tuple(
            AddendumInfo(a.id, a.text, _name(session, a.user_id), a.at, a.sha256)
            for a in _addenda(session, row.id)
        ),
    )


def _consultation_charts(session: Session, consultation_id: int) -> list[TreatmentChart]:
    return list(
        session.execute(
            select(TreatmentChart)
            .where(TreatmentChart.consultation_id == consultation_id)
            .order_by(TreatmentChart.consent_id)
        ).scalars()
    )


def charts_for(ctx: ServiceContext, consultation_id: int) -> list[ChartInfo]:
    """The charts of a consultation, in the order its consents were signed (none before
    the practitioner opens the Treatment step)."""
    ctx.require("read treatment charts", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        return [_info(session, row) for row in _consultation_charts(session, consultation_id)]


def get(ctx: ServiceContext, chart_id: int) -> ChartInfo:
    """One chart with its points and addenda."""
    ctx.require("read treatment charts", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        return _info(session, _chart(session, chart_id))


def charted_consultations(ctx: ServiceContext, consultation_ids: Sequence[int]) -> set[int]:
    """Which of these consultations have a treatment chart (to offer to open it)."""
    ctx.require("read treatment charts", Role.PRACTITIONER, Role.MANAGER)
    if not consultation_ids:
        return set()
    with ctx.unit_of_work() as session:
        return set(
            session.execute(
                select(TreatmentChart.consultation_id).where(
                    TreatmentChart.consultation_id.in_(list(consultation_ids))
                )
            ).scalars()
        )


# --- starting ------------------------------------------------------------------------


def open_charts(ctx: ServiceContext, consultation_id: int) -> list[ChartInfo]:
    """The consultation's charts, a draft started for each treatment whose consent is in
    force and that has none yet (the Treatment step calls this when it opens)."""
    user = ctx.require("chart a treatment", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        consultation = session.get(Consultation, consultation_id)
        if consultation is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        have = {row.treatment_record_id for row in _consultation_charts(session, consultation_id)}
        records = session.execute(
            select(TreatmentRecord, ConsentRecord)
            .join(ConsentRecord, ConsentRecord.id == TreatmentRecord.consent_id)
            .where(
                TreatmentRecord.consultation_id == consultation_id,
                ConsentRecord.state == ConsentState.SIGNED.value,
            )
            .order_by(ConsentRecord.id)
        ).all()
        for record, consent in records:
            if record.id in have:
                continue
            chart = TreatmentChart(
                treatment_record_id=record.id,
                consultation_id=consultation_id,
                consent_id=consent.id,
                patient_id=record.patient_id,
                practitioner_id=user.id,
                treatment_id=record.treatment_id,
                route=record.route,
                product_id=record.product_id,
                lot_id=record.lot_id,
                lot_reason="",
                areas=[],
                notes="",
                treated_on=consultation.consultation_date,
                state=DRAFT,
            )
            session.add(chart)
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "treatment.started",
                record_type="treatment_chart",
                record_id=chart.id,
                patient_id=chart.patient_id,
                details={"treatment": chart.treatment_id, "consent_id": consent.id},
            )
        return [_info(session, row) for row in _consultation_charts(session, consultation_id)]


# --- lots ----------------------------------------------------------------------------


def _lot_problem(
    session: Session, lot: ProductLot | None, product_id: int | None, day: dt.date
) -> str | None:
    """Why ``lot`` may not be recorded as used for ``product_id`` on ``day``, or None."""
    if lot is None:
        return ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "That lot does not exist."))
    if lot.product_id != product_id:
        return ErrorText(
            QT_TRANSLATE_NOOP(
                "StoreErrors", "Lot %1 is another product's: choose a lot of the planned product."
            ),
            lot.lot_number,
        )
    if lot.expiry_date < day:
        return ErrorText(
            QT_TRANSLATE_NOOP("StoreErrors", "Lot %1 expired on %2."),
            lot.lot_number,
            lot.expiry_date.isoformat(),
        )
    reason = quarantines(session, [lot.id]).get(lot.id)
    if reason is not None:
        return ErrorText(
            QT_TRANSLATE_NOOP("StoreErrors", "Lot %1 is quarantined: %2"), lot.lot_number, reason
        )
    return None


def lot_choices(ctx: ServiceContext, chart_id: int) -> list[LotChoice]:
    """The lots this chart may record as used: the planned one first (if still usable),
    then the product's other usable lots by expiry."""
    ctx.require("read treatment charts", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = _chart(session, chart_id)
        record = session.get(TreatmentRecord, row.treatment_record_id)
        planned = record.lot_id if record is not None else None
        lots = list(
            session.execute(
                select(ProductLot)
                .where(ProductLot.product_id == row.product_id)
                .order_by(ProductLot.expiry_date, ProductLot.lot_number)
            ).scalars()
        )
        usable = [
            lot
            for lot in lots
            if _lot_problem(session, lot, row.product_id, row.treated_on) is None
            or lot.id == row.lot_id
        ]
        usable.sort(key=lambda lot: lot.id != planned)
        return [
            LotChoice(lot.id, lot.lot_number, lot.expiry_date, lot.id == planned) for lot in usable
        ]


# --- the draft -----------------------------------------------------------------------


def _writable(session: Session, chart_id: int, expected_version: int) -> TreatmentChart:
    row = _chart(session, chart_id)
    if row.state != DRAFT:
        raise SealedRecordError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "This treatment has been signed off: add an addendum to correct it.",
                )
            )
        )
    if row.version != expected_version:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "The chart was changed on another workstation: reload it."
                )
            )
        )
    return row


def _clean_areas(areas: Sequence[str]) -> list[str]:
    clean: list[str] = []
    for area in areas:
        text = " ".join(area.split())
        if text and text.casefold() not in {known.casefold() for known in clean}:
            if len(text) > 64:
                raise ValidationError(
                    "areas",
                    ErrorText(
                        QT_TRANSLATE_NOOP("StoreErrors", "An area is at most 64 characters.")
                    ),
                )
            clean.append(text)
    if len(clean) > MAX_AREAS:
        raise ValidationError(
            "areas", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "At most %1 areas."), MAX_AREAS)
        )
    return clean


def _check_lot(
    session: Session, row: TreatmentChart, lot_id: int | None, reason: str
) -> tuple[int | None, str]:
    """The lot to record and the reason kept (empty for the planned lot)."""
    record = session.get(TreatmentRecord, row.treatment_record_id)
    planned = record.lot_id if record is not None else None
    if lot_id == planned:
        return lot_id, ""
    if lot_id is None:
        raise ValidationError(
            "lot", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose the lot used."))
        )
    problem = _lot_problem(session, session.get(ProductLot, lot_id), row.product_id, row.treated_on)
    if problem is not None and lot_id != row.lot_id:
        raise ValidationError("lot", problem)
    clean = " ".join(reason.split())
    if len(clean) < MIN_REASON:
        raise ValidationError(
            "lot_reason",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "Say why another lot than the planned one was used."
                )
            ),
        )
    return lot_id, clean


def _check_points(
    session: Session, row: TreatmentChart, lot_id: int | None, points: Sequence[ChartPoint]
) -> list[ChartPoint]:
    if points and not rules.is_charted(row.route):
        raise ValidationError(
            "points",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This treatment is not charted point by point.")
            ),
        )
    checked: list[ChartPoint] = []
    for number, point in enumerate(points, start=1):
        problem = rules.point_problem(point)
        if problem is not None:
            raise ValidationError(
                "points",
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Point %1: %2"), number, problem),
            )
        point_lot = point.lot_id if point.lot_id is not None else lot_id
        if point_lot != lot_id:
            lot_problem = _lot_problem(
                session, session.get(ProductLot, point_lot), row.product_id, row.treated_on
            )
            if lot_problem is not None:
                raise ValidationError(
                    "points",
                    ErrorText(
                        QT_TRANSLATE_NOOP("StoreErrors", "Point %1: %2"), number, lot_problem
                    ),
                )
        checked.append(
            ChartPoint(
                view=point.view,
                x=point.x,
                y=point.y,
                amount=point.amount,
                unit=point.unit,
                depth=point.depth,
                technique=point.technique,
                area=" ".join(point.area.split()),
                product_id=row.product_id,
                lot_id=point_lot,
            )
        )
    return checked


def save_draft(
    ctx: ServiceContext,
    chart_id: int,
    expected_version: int,
    *,
    lot_id: int | None,
    lot_reason: str = "",
    areas: Sequence[str] = (),
    notes: str = "",
    points: Sequence[ChartPoint] = (),
) -> ChartInfo:
    """Save the chart as it stands (a draft): the lot used, areas, notes and points.

    The points replace those saved before. Another lot than the planned one must be of
    the same product, in date on the day of treatment and not quarantined, and needs a
    reason. A stale ``expected_version`` is a conflict; a signed-off chart is refused.
    """
    ctx.require("chart a treatment", Role.PRACTITIONER)
    if len(notes) > MAX_TEXT:
        raise ValidationError(
            "notes",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Notes are at most %1 characters."), MAX_TEXT
            ),
        )
    clean_areas = _clean_areas(areas)
    try:
        with ctx.unit_of_work() as session:
            row = _writable(session, chart_id, expected_version)
            new_lot, reason = _check_lot(session, row, lot_id, lot_reason)
            checked = _check_points(session, row, new_lot, points)
            # The old points go first: the chart's row is then written (and its version
            # moved) once, by the flush below.
            session.execute(delete(InjectionPoint).where(InjectionPoint.chart_id == row.id))
            lot_changed = new_lot != row.lot_id
            row.lot_id, row.lot_reason = new_lot, reason
            row.areas, row.notes = clean_areas, notes.strip()
            for number, point in enumerate(checked, start=1):
                session.add(
                    InjectionPoint(
                        chart_id=row.id,
                        patient_id=row.patient_id,
                        number=number,
                        view=point.view,
                        x=point.x,
                        y=point.y,
                        area=point.area,
                        product_id=point.product_id,
                        lot_id=point.lot_id,
                        amount=point.amount,
                        unit=point.unit,
                        depth=point.depth,
                        technique=point.technique,
                    )
                )
            row.updated_at = utcnow()
            session.flush()
            if lot_changed:
                lot = session.get(ProductLot, new_lot) if new_lot is not None else None
                audit.append(
                    session,
                    ctx.actor,
                    "treatment.lot_changed",
                    record_type="treatment_chart",
                    record_id=row.id,
                    patient_id=row.patient_id,
                    details={
                        "lot": lot.lot_number if lot is not None else None,
                        "reason": reason,
                    },
                )
            return _info(session, row)
    except StaleDataError as exc:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "The chart was changed on another workstation: reload it."
                )
            )
        ) from exc


# --- sign-off and addenda ------------------------------------------------------------


def _document(
    session: Session, row: TreatmentChart, signer: User, at: dt.datetime
) -> dict[str, Any]:
    """What the seal is over: everything charted, in words a reader can check."""
    product = session.get(Product, row.product_id) if row.product_id is not None else None
    lot = session.get(ProductLot, row.lot_id) if row.lot_id is not None else None
    points = _points(session, row.id)
    lot_numbers = {
        lot_row.id: lot_row.lot_number
        for lot_row in session.execute(
            select(ProductLot).where(ProductLot.id.in_({p.lot_id for p in points if p.lot_id}))
        ).scalars()
    }
    charted = [_as_point(p) for p in points]
    return {
        "schema": rules.SCHEMA,
        "chart_id": row.id,
        "consent_id": row.consent_id,
        "consultation_id": row.consultation_id,
        "patient_id": row.patient_id,
        "treatment": row.treatment_id,
        "route": row.route,
        "treated_on": row.treated_on.isoformat(),
        "product": (
            {
                "name": product.name,
                "manufacturer": product.manufacturer,
                "lot": lot.lot_number if lot is not None else None,
                "expiry": lot.expiry_date.isoformat() if lot is not None else None,
            }
            if product is not None
            else None
        ),
        "lot_reason": row.lot_reason,
        "areas": list(row.areas or ()),
        "notes": row.notes,
        "points": [
            {
                "number": p.number,
                "view": p.view,
                "x": round(p.x, 4),
                "y": round(p.y, 4),
                "area": p.area,
                "lot": lot_numbers.get(p.lot_id or 0),
                "amount": rules.amount_text(Decimal(p.amount)),
                "unit": p.unit,
                "depth": p.depth,
                "technique": p.technique,
            }
            for p in points
        ],
        "totals": [
            {"unit": total.unit, "amount": rules.amount_text(total.amount), "points": total.points}
            for total in rules.totals(charted)
        ],
        "signed_by": {
            "id": signer.id,
            "name": signer.display_name,
            "qualification": signer.qualification,
        },
        "signed_at": at.isoformat(),
    }


def sign_off(ctx: ServiceContext, chart_id: int, expected_version: int) -> ChartInfo:
    """Seal the chart: its document as RFC 8785 JSON and the SHA-256, audited. Nothing
    about it changes afterwards; corrections are :func:`add_addendum`."""
    user = ctx.require("sign a treatment off", Role.PRACTITIONER)
    try:
        with ctx.unit_of_work() as session:
            row = _writable(session, chart_id, expected_version)
            if rules.is_charted(row.route) and not _points(session, row.id):
                raise ValidationError(
                    "points",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "Chart at least one injection point first."
                        )
                    ),
                )
            if not rules.is_charted(row.route) and not row.areas:
                raise ValidationError(
                    "areas",
                    ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Name the treated areas first.")),
                )
            signer = session.get(User, user.id)
            assert signer is not None
            at = utcnow().replace(microsecond=0)
            raw, digest = rules.seal_chart(_document(session, row, signer, at))
            row.state, row.signed_at, row.signed_by = SIGNED, at, user.id
            row.document_json, row.document_sha256 = raw.decode("utf-8"), digest
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "treatment.signed",
                record_type="treatment_chart",
                record_id=row.id,
                patient_id=row.patient_id,
                details={"treatment": row.treatment_id, "document_sha256": digest},
            )
            return _info(session, row)
    except StaleDataError as exc:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "The chart was changed on another workstation: reload it."
                )
            )
        ) from exc


def add_addendum(ctx: ServiceContext, chart_id: int, text: str) -> AddendumInfo:
    """Add a correction or note to a signed-off chart (hash-chained, audited)."""
    user = ctx.require("add to a treatment record", Role.PRACTITIONER)
    clean = text.strip()
    if len(clean) < MIN_REASON:
        raise ValidationError(
            "text",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Write the addendum (at least a few words).")
            ),
        )
    if len(clean) > MAX_TEXT:
        raise ValidationError(
            "text",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "An addendum is at most %1 characters."), MAX_TEXT
            ),
        )
    with ctx.unit_of_work() as session:
        # The chart's row is locked so that two addenda written at once chain one after
        # the other instead of both following the same link.
        row = session.get(TreatmentChart, chart_id, with_for_update=True)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Treatment chart %1 does not exist."), chart_id
                )
            )
        if row.state != SIGNED or row.document_sha256 is None:
            raise ValidationError(
                "text",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Sign the treatment off first: a draft is edited."
                    )
                ),
            )
        previous = _addenda(session, row.id)
        prev = previous[-1].sha256 if previous else row.document_sha256
        at = utcnow().replace(microsecond=0)
        digest = rules.addendum_sha256(
            chart_sha256=row.document_sha256,
            prev_sha256=prev,
            text=clean,
            user=user.username,
            at=at.isoformat(),
        )
        addendum = TreatmentAddendum(
            chart_id=row.id, text=clean, user_id=user.id, at=at, prev_sha256=prev, sha256=digest
        )
        session.add(addendum)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "treatment.addendum",
            record_type="treatment_chart",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"addendum_id": addendum.id, "sha256": digest},
        )
        return AddendumInfo(addendum.id, clean, user.display_name, at, digest)


def verify(ctx: ServiceContext, chart_id: int) -> list[str]:
    """What is wrong with a signed-off chart: its seal against its document and rows,
    and its addenda's chain (an empty list: it verifies; a draft has nothing to check)."""
    ctx.require("read treatment charts", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = _chart(session, chart_id)
        if row.state != SIGNED:
            return []
        problems: list[str] = []
        try:
            document = json.loads(row.document_json or "")
        except ValueError:
            return ["the sealed document is not JSON"]
        if sha256_hex(jcs_bytes(document)) != row.document_sha256:
            problems.append("the sealed document does not match its SHA-256")
        signer = session.get(User, row.signed_by) if row.signed_by is not None else None
        if signer is None or row.signed_at is None:
            problems.append("the chart has lost its signer")
        else:
            again = _document(session, row, signer, row.signed_at)
            # The signer's name may have changed since: who signed is their id.
            sealed_signer = document.get("signed_by") or {}
            if sealed_signer.get("id") != signer.id:
                problems.append("the chart's signer differs from the one sealed")
            again["signed_by"] = sealed_signer
            if again != document:
                problems.append("the chart's rows differ from what was sealed")
        users = {u.id: u.username for u in session.execute(select(User)).scalars()}
        problems += rules.chain_problems(
            row.document_sha256 or "",
            [
                {
                    "text": a.text,
                    "user": users.get(a.user_id, ""),
                    "at": a.at.replace(microsecond=0).isoformat(),
                    "prev": a.prev_sha256,
                    "sha256": a.sha256,
                }
                for a in _addenda(session, row.id)
            ],
        )
        if problems:
            _log.warning("treatment chart %s does not verify: %s", chart_id, problems)
        return problems


# --- the aftercare sheet -------------------------------------------------------------


def aftercare_sheet(
    ctx: ServiceContext,
    chart_id: int,
    *,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase,
) -> bytes:
    """The treatment's aftercare sheet as PDF, in the patient's language: the consent
    template's aftercare section, what was done, the review date (the clinic's setting
    per treatment) and the out-of-hours telephone. Logged (it carries clinical data)."""
    ctx.require("print an aftercare sheet", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = _chart(session, chart_id)
        info = _info(session, row)
        patient = session.get(Patient, row.patient_id)
        clinic = session.execute(select(Clinic).limit(1)).scalar_one()
        assert patient is not None
        template = templates.get(row.treatment_id)
        if template is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "There is no consent template for %1."),
                    Term("treatment", row.treatment_id),
                )
            )
        product = session.get(Product, row.product_id) if row.product_id is not None else None
        language = patient.language or "en"
        sections = render_for(
            template,
            clinic.jurisdiction,
            [],
            [],
            product_source=product.source if product is not None else None,
            language=language,
        )
        aftercare = next(section for section in sections if section.id == "aftercare")
        settings = clinic.settings or {}
        treatment = kb.texts(language).label("treatment", row.treatment_id)
        units = {"units": "units", "mL": "mL"}
        sheet = AftercareSheet(
            language=language,
            clinic_name=clinic.name,
            clinic_address=clinic.address,
            out_of_hours_phone=str(settings.get(aftercare_pdf.SETTING) or ""),
            patient_name=f"{patient.given_name} {patient.family_name}",
            date_of_birth=patient.date_of_birth,
            treatment=treatment.text,
            treated_on=row.treated_on,
            product=info.product_name,
            lot=info.lot_number,
            lot_expiry=info.lot_expiry,
            areas=info.areas,
            amounts=[
                f"{rules.amount_text(total.amount)} {units.get(total.unit, total.unit)}"
                for total in info.totals
            ],
            practitioner=_name(session, row.signed_by or row.practitioner_id),
            aftercare_heading=aftercare.heading,
            aftercare_text=aftercare.text,
            aftercare_untranslated=aftercare.untranslated or not treatment.translated,
            review_on=follow_up.review_date(
                follow_up.review_days(settings.get(follow_up.SETTING)),
                row.treatment_id,
                row.treated_on,
            ),
        )
        pdf = render_aftercare_pdf(
            sheet, paper.paper_for(clinic.jurisdiction, settings.get(paper.SETTING))
        )
        audit.append(
            session,
            ctx.actor,
            "treatment.aftercare_printed",
            record_type="treatment_chart",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"language": language, "pdf_sha256": sha256_hex(pdf)},
        )
        return pdf
