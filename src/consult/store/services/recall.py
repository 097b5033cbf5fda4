"""Lot recall: every patient treated with a product lot, with the details to reach them.

A manager searches by lot number, product name or expiry window; the search is logged
(it lists patients' contact details), and so is every list written to a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents import exports
from consult.domain.phones import region_for_jurisdiction
from consult.domain.roles import Role
from consult.store import audit
from consult.store.dto import RecallCriteria, RecallRow
from consult.store.models import ConsentRecord, Patient, Product, ProductLot, TreatmentRecord, User
from consult.store.services.clinic import get_clinic
from consult.store.services.context import ServiceContext


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
