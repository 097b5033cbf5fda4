"""What a FHIR bundle carries of the treatment record, read for a page of the register.

:mod:`consult.store.services.register_export` reads the register page by page; for each
page this module reads, in the same short transaction, each consent's signed-off chart
(the sealed document, never the rows), its addenda and the expiry of the lots it names,
the treatment's complications with the product and lot they are linked to, and which
photos go with which consent. A photo goes with the consent of the treatment it names,
else with the first of its consultation's consents in the export, so that it is written
once; only photos that may be shown are read (``photos.visible_photo_rows``: never one
hidden by a withdrawal or deleted), and their bytes are read one consent at a time
(:func:`photos_of`), never a page's photos at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents.fhir import (
    Addendum,
    ComplicationExport,
    PhotoExport,
    TreatmentExport,
)
from consult.store.models import (
    Complication,
    ConsentRecord,
    Photo,
    Product,
    ProductLot,
    TreatmentAddendum,
    TreatmentChart,
    TreatmentRecord,
    User,
)
from consult.store.services.photos import visible_photo_rows

_log = logging.getLogger(__name__)

SIGNED = "signed"
"""A chart's state once signed off (``consult.store.services.treatment_records``)."""


def charts_of(session: Session, records: Sequence[ConsentRecord]) -> dict[int, TreatmentExport]:
    """Each consent's signed-off chart as sealed, with its addenda (by consent id)."""
    ids = [r.id for r in records]
    charts = list(
        session.execute(
            select(TreatmentChart).where(
                TreatmentChart.consent_id.in_(ids), TreatmentChart.state == SIGNED
            )
        ).scalars()
    )
    if not charts:
        return {}
    addenda: dict[int, list[TreatmentAddendum]] = {}
    for addendum in session.execute(
        select(TreatmentAddendum)
        .where(TreatmentAddendum.chart_id.in_([c.id for c in charts]))
        .order_by(TreatmentAddendum.id)
    ).scalars():
        addenda.setdefault(addendum.chart_id, []).append(addendum)
    names = dict(
        session.execute(
            select(User.id, User.display_name).where(
                User.id.in_({a.user_id for rows in addenda.values() for a in rows})
            )
        ).all()
    )
    expiries: dict[int, dict[str, str]] = {}
    for lot in session.execute(
        select(ProductLot).where(ProductLot.product_id.in_({c.product_id for c in charts}))
    ).scalars():
        expiries.setdefault(lot.product_id, {})[lot.lot_number] = lot.expiry_date.isoformat()
    out: dict[int, TreatmentExport] = {}
    for chart in charts:
        try:
            document = json.loads(chart.document_json or "")
        except ValueError:
            _log.warning("treatment chart %s: its sealed document is not JSON", chart.id)
            continue
        out[chart.consent_id] = TreatmentExport(
            document=document,
            document_sha256=chart.document_sha256 or "",
            addenda=tuple(
                Addendum(a.text, names.get(a.user_id, ""), a.at, a.sha256)
                for a in addenda.get(chart.id, [])
            ),
            lot_expiries=expiries.get(chart.product_id or 0, {}),
        )
    return out


def _product(product: Product | None, lot: ProductLot | None) -> dict[str, Any] | None:
    if product is None:
        return None
    return {
        "name": product.name,
        "manufacturer": product.manufacturer,
        "lot": lot.lot_number if lot is not None else None,
        "expiry": lot.expiry_date.isoformat() if lot is not None else None,
    }


def complications_of(
    session: Session, records: Sequence[ConsentRecord]
) -> dict[int, tuple[ComplicationExport, ...]]:
    """Each consent's treatment's complications, oldest first (by consent id)."""
    consent_of = {(r.consultation_id, r.treatment_id): r.id for r in records}
    rows = [
        row
        for row in session.execute(
            select(Complication)
            .where(Complication.consultation_id.in_({r.consultation_id for r in records}))
            .order_by(Complication.id)
        ).scalars()
        if (row.consultation_id, row.treatment_id) in consent_of
    ]
    products = {
        p.id: p
        for p in session.execute(
            select(Product).where(Product.id.in_({r.product_id for r in rows if r.product_id}))
        ).scalars()
    }
    lots = {
        lot.id: lot
        for lot in session.execute(
            select(ProductLot).where(ProductLot.id.in_({r.lot_id for r in rows if r.lot_id}))
        ).scalars()
    }
    out: dict[int, list[ComplicationExport]] = {}
    for row in rows:
        out.setdefault(consent_of[(row.consultation_id, row.treatment_id)], []).append(
            ComplicationExport(
                complication_id=row.id,
                category=row.category,
                description=row.description,
                noticed_on=row.noticed_on,
                severity=row.severity,
                action_taken=row.action_taken,
                outcome=row.outcome,
                follow_up_on=row.follow_up_on,
                recorded_at=row.created_at,
                product=_product(products.get(row.product_id or 0), lots.get(row.lot_id or 0)),
            )
        )
    return {consent_id: tuple(events) for consent_id, events in out.items()}


def photo_ids_of(
    session: Session, records: Sequence[ConsentRecord], handed: set[int]
) -> dict[int, list[tuple[int, bool]]]:
    """Which photos go with which consent (by consent id): (photo id, of the consent's
    treatment); ``handed`` holds the photos already given to earlier consents, and is
    added to."""
    by_consultation: dict[int, list[ConsentRecord]] = {}
    for record in sorted(records, key=lambda r: r.id):
        by_consultation.setdefault(record.consultation_id, []).append(record)
    rows = [
        row
        for row in visible_photo_rows(session, {r.patient_id for r in records})
        if row.consultation_id in by_consultation and row.id not in handed
    ]
    treated = dict(
        session.execute(
            select(TreatmentRecord.id, TreatmentRecord.consent_id).where(
                TreatmentRecord.id.in_(
                    {r.treatment_record_id for r in rows if r.treatment_record_id}
                )
            )
        ).all()
    )
    out: dict[int, list[tuple[int, bool]]] = {}
    for row in rows:
        consent_id = treated.get(row.treatment_record_id or 0)
        ours = {r.id for r in by_consultation[row.consultation_id]}
        if consent_id in ours:
            out.setdefault(int(consent_id or 0), []).append((row.id, True))
        else:
            out.setdefault(by_consultation[row.consultation_id][0].id, []).append((row.id, False))
        handed.add(row.id)
    return out


def photos_of(session: Session, wanted: Iterable[tuple[int, bool]]) -> tuple[PhotoExport, ...]:
    """The photos ``wanted`` (id, of the treatment) with their bytes, oldest first."""
    of_treatment = dict(wanted)
    rows: Mapping[int, Photo] = {
        row.id: row
        for row in session.execute(select(Photo).where(Photo.id.in_(of_treatment))).scalars()
    }
    out = []
    for photo_id in of_treatment:
        row = rows.get(photo_id)
        if row is None or row.data is None or row.hidden_at is not None:
            continue  # deleted or hidden since the page was read: not exported
        out.append(
            PhotoExport(
                photo_id=row.id,
                area=row.area,
                kind=row.kind,
                taken_at=row.taken_at,
                mime=row.mime,
                width=row.width,
                height=row.height,
                data=bytes(row.data),
                sha256=row.sha256,
                of_treatment=of_treatment[photo_id],
            )
        )
    return tuple(sorted(out, key=lambda p: (p.taken_at, p.photo_id)))
