"""A consented HA filler treatment ready to chart, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from consult.domain.treatment_chart import ChartPoint
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import products, treatment_records
from consult.store.services.consents import ConsentInfo
from consult.store.services.context import ServiceContext
from tests import security_support


@dataclass(frozen=True)
class Treated:
    """A clinic with one consented treatment: its people, patient and product's lots."""

    clinic: dict[str, ServiceContext]
    patient: PatientInfo
    consultation: ConsultationInfo
    consent: ConsentInfo
    product_id: int
    planned_lot: int
    other_lot: int

    @property
    def doc(self) -> ServiceContext:
        return self.clinic["practitioner"]

    @property
    def boss(self) -> ServiceContext:
        return self.clinic["manager"]


def treated(ctx: ServiceContext, *, family: str = "Lefèvre") -> Treated:
    """A patient consented for an HA filler (charted point by point); the product has a
    second lot in date besides the planned one."""
    clinic = security_support.contexts(ctx)
    patient, info = security_support.screened(clinic, family=family)
    consent = security_support.sign(clinic, info)
    product = next(p for p in products.list_products(clinic["manager"]) if p.name == f"HA {family}")
    other = products.add_lot(
        clinic["manager"],
        product.id,
        lot_number="HA-SECOND",
        expiry_date=dt.date.today() + dt.timedelta(days=200),
        supplier="Supplier Ltd",
        supplier_accreditation="GMP certificate",
    )
    return Treated(clinic, patient, info, consent, product.id, product.lots[0].id, other.id)


def point(view: str, x: float, y: float, amount: str, unit: str = "mL") -> ChartPoint:
    """A point as the practitioner charts it."""
    return ChartPoint(
        view=view,
        x=x,
        y=y,
        amount=Decimal(amount),
        unit=unit,
        depth="subcutaneous",
        technique="bolus",
    )


class _World(Protocol):
    """What tests/test_security_roles.py's world offers the helpers below."""

    dry: bool
    doc: ServiceContext
    consultation: ConsultationInfo

    def fresh_consent(self) -> ConsentInfo: ...


def world_chart(w: _World) -> treatment_records.ChartInfo:
    """The security world's consultation's chart (started by its practitioner)."""
    return treatment_records.open_charts(w.doc, w.consultation.id)[0]


def fresh_chart(w: _World, *, signed: bool = False) -> treatment_records.ChartInfo:
    """A new draft with one point, ready to sign off (``signed``: signed off); a dry
    world (whose call is refused before it reads its arguments) gets the world's chart."""
    if w.dry:
        return world_chart(w)
    consent = w.fresh_consent()
    [chart] = treatment_records.open_charts(w.doc, consent.consultation_id)
    chart = treatment_records.save_draft(
        w.doc,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        points=[point("front", 0.5, 0.4, "0.2")],
    )
    if signed:
        chart = treatment_records.sign_off(w.doc, chart.id, chart.version)
    return chart
