"""Products and their lots: kept by managers, chosen by practitioners.

A manager may quarantine a lot (a supplier's warning, a suspected reaction) with the
reason, and release it later; both are audited. A quarantined lot is not offered
anywhere a lot is chosen (:func:`usable_lots`), and the consultation's save, its
screening and the consent refuse one already planned (:func:`refuse_quarantined`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from consult.domain.roles import Role
from consult.store import audit
from consult.store.dto import LotInfo, ProductInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    NotFoundError,
    ValidationError,
)
from consult.store.models import LotQuarantine, Product, ProductLot, utcnow
from consult.store.services.context import ServiceContext

PRODUCT_SOURCES = ("synthetic", "plant", "human_allogeneic", "animal", "autologous")
"""The ids of the knowledge base's product sources (named by its labels), for the check
of a product; ``tests/test_jurisdictions.py`` keeps them equal."""


MIN_REASON = 5
"""The fewest characters a quarantine's or a release's reason may have."""


def lot_info(row: ProductLot, quarantine_reason: str | None = None) -> LotInfo:
    """The plain view of a lot (``quarantine_reason``: its open quarantine's, if any)."""
    return LotInfo(
        id=row.id,
        product_id=row.product_id,
        lot_number=row.lot_number,
        expiry_date=row.expiry_date,
        supplier=row.supplier,
        supplier_accreditation=row.supplier_accreditation,
        version=row.version,
        quarantine_reason=quarantine_reason,
    )


def quarantines(session: Session, lot_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The reason of each lot's open quarantine, by lot id (of ``lot_ids``, or every lot)."""
    query = select(LotQuarantine.lot_id, LotQuarantine.reason).where(
        LotQuarantine.released_at.is_(None)
    )
    if lot_ids is not None:
        wanted = set(lot_ids)
        if not wanted:
            return {}
        query = query.where(LotQuarantine.lot_id.in_(wanted))
    return {lot_id: reason for lot_id, reason in session.execute(query)}


def product_info(row: Product, quarantined: Mapping[int, str] | None = None) -> ProductInfo:
    """The plain view of a product with its lots (``quarantined``: :func:`quarantines`)."""
    return ProductInfo(
        id=row.id,
        name=row.name,
        manufacturer=row.manufacturer,
        source=row.source,
        treatment_id=row.treatment_id,
        active=row.active,
        lots=tuple(lot_info(lot, (quarantined or {}).get(lot.id)) for lot in row.lots),
        version=row.version,
    )


def list_products(ctx: ServiceContext, treatment_id: str | None = None) -> list[ProductInfo]:
    """Products (with their lots), optionally for one treatment."""
    ctx.require("see the product list", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        query = select(Product).options(selectinload(Product.lots)).order_by(Product.name)
        if treatment_id is not None:
            query = query.where(Product.treatment_id == treatment_id, Product.active)
        quarantined = quarantines(session)
        return [product_info(row, quarantined) for row in session.execute(query).scalars()]


def _check_product(name: str, source: str | None, treatment_id: str) -> None:
    if not name.strip():
        raise ValidationError(
            "name", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The product's name is required."))
        )
    if source is not None and source not in PRODUCT_SOURCES:
        raise ValidationError(
            "source",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Source must be one of %1."),
                ", ".join(PRODUCT_SOURCES),
            ),
        )
    if not treatment_id:
        raise ValidationError(
            "treatment_id",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Choose the treatment the product is used for.")
            ),
        )


def add_product(
    ctx: ServiceContext, *, name: str, manufacturer: str, source: str | None, treatment_id: str
) -> ProductInfo:
    """Add a product (managers)."""
    ctx.require("change the product list", Role.MANAGER)
    _check_product(name, source, treatment_id)
    with ctx.unit_of_work() as session:
        clash = session.execute(
            select(Product.id).where(
                Product.name == name.strip(), Product.manufacturer == manufacturer.strip()
            )
        ).first()
        if clash:
            raise ValidationError(
                "name",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "A product with this name and manufacturer exists."
                    )
                ),
            )
        row = Product(
            name=name.strip(),
            manufacturer=manufacturer.strip(),
            source=source,
            treatment_id=treatment_id,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "product.created",
            record_type="product",
            record_id=row.id,
            details={"name": row.name, "treatment": treatment_id},
        )
        session.refresh(row, ["lots"])
        return product_info(row)


def update_product(
    ctx: ServiceContext,
    product_id: int,
    expected_version: int,
    *,
    name: str,
    manufacturer: str,
    source: str | None,
    treatment_id: str,
    active: bool,
) -> ProductInfo:
    """Change a product (managers); a stale version is a conflict."""
    ctx.require("change the product list", Role.MANAGER)
    _check_product(name, source, treatment_id)
    try:
        with ctx.unit_of_work() as session:
            row = _product(session, product_id)
            if row.version != expected_version:
                raise ConflictError(
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "This product was changed elsewhere: reopen it."
                        )
                    )
                )
            row.name, row.manufacturer = name.strip(), manufacturer.strip()
            row.source, row.treatment_id, row.active = source, treatment_id, active
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "product.updated",
                record_type="product",
                record_id=row.id,
                details={"name": row.name, "active": active},
            )
            return product_info(row, quarantines(session, (lot.id for lot in row.lots)))
    except StaleDataError as exc:
        raise ConflictError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This product was changed elsewhere: reopen it.")
            )
        ) from exc


def _product(session: Session, product_id: int) -> Product:
    row = session.get(Product, product_id, options=[selectinload(Product.lots)])
    if row is None:
        raise NotFoundError(
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Product %1 does not exist."), product_id)
        )
    return row


def add_lot(
    ctx: ServiceContext,
    product_id: int,
    *,
    lot_number: str,
    expiry_date: dt.date | None,
    supplier: str,
    supplier_accreditation: str,
) -> LotInfo:
    """Record a lot of a product (managers)."""
    ctx.require("record product lots", Role.MANAGER)
    if not lot_number.strip():
        raise ValidationError(
            "lot_number",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The lot (batch) number is required.")),
        )
    if expiry_date is None:
        raise ValidationError(
            "expiry_date",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The expiry date is required.")),
        )
    if not supplier_accreditation.strip():
        raise ValidationError(
            "supplier_accreditation",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Record the supplier's accreditation (for example AABB, FACT or a GMP "
                    "certificate).",
                )
            ),
        )
    with ctx.unit_of_work() as session:
        product = _product(session, product_id)
        if any(lot.lot_number == lot_number.strip() for lot in product.lots):
            raise ValidationError(
                "lot_number",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "This lot is already recorded for the product."
                    )
                ),
            )
        row = ProductLot(
            product_id=product.id,
            lot_number=lot_number.strip(),
            expiry_date=expiry_date,
            supplier=supplier.strip(),
            supplier_accreditation=supplier_accreditation.strip(),
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "lot.created",
            record_type="lot",
            record_id=row.id,
            details={
                "product": product.name,
                "lot": row.lot_number,
                "expiry": expiry_date.isoformat(),
            },
        )
        return lot_info(row)


def usable_lots(product: ProductInfo, day: dt.date) -> list[LotInfo]:
    """The lots of ``product`` that may be chosen on ``day``: not past their expiry, not
    quarantined."""
    return [lot for lot in product.lots if not lot.expired_on(day) and not lot.quarantined]


def _lot(session: Session, lot_id: int) -> ProductLot:
    row = session.get(ProductLot, lot_id)
    if row is None:
        raise NotFoundError(
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Lot %1 does not exist."), lot_id)
        )
    return row


def _reason(reason: str) -> str:
    clean = reason.strip()
    if len(clean) < MIN_REASON:
        raise ValidationError(
            "reason",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Give the reason (at least %1 characters)."),
                MIN_REASON,
            ),
        )
    return clean


def quarantine_lot(ctx: ServiceContext, lot_id: int, reason: str) -> LotInfo:
    """Take a lot out of use, with the reason (managers; audited). It is offered nowhere
    a lot is chosen, and a consultation that planned it cannot be screened or consented,
    until :func:`release_lot`."""
    user = ctx.require("quarantine a lot", Role.MANAGER)
    clean = _reason(reason)
    with ctx.unit_of_work() as session:
        lot = _lot(session, lot_id)
        if quarantines(session, [lot.id]):
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Lot %1 is already quarantined."),
                    lot.lot_number,
                )
            )
        session.add(LotQuarantine(lot_id=lot.id, reason=clean, quarantined_by=user.id))
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "lot.quarantined",
            record_type="lot",
            record_id=lot.id,
            details={"product": lot.product.name, "lot": lot.lot_number, "reason": clean},
        )
        return lot_info(lot, clean)


def release_lot(ctx: ServiceContext, lot_id: int, reason: str) -> LotInfo:
    """Release a quarantined lot, with the reason (managers; audited); the quarantine is
    kept as the lot's history."""
    user = ctx.require("release a quarantined lot", Role.MANAGER)
    clean = _reason(reason)
    with ctx.unit_of_work() as session:
        lot = _lot(session, lot_id)
        open_rows = session.execute(
            select(LotQuarantine).where(
                LotQuarantine.lot_id == lot.id, LotQuarantine.released_at.is_(None)
            )
        ).scalars()
        released: list[dict[str, Any]] = []
        for row in open_rows:
            row.released_at, row.released_by, row.release_reason = utcnow(), user.id, clean
            released.append({"quarantined": row.quarantined_at.isoformat(), "why": row.reason})
        if not released:
            raise ConflictError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Lot %1 is not quarantined."), lot.lot_number
                )
            )
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "lot.released",
            record_type="lot",
            record_id=lot.id,
            details={"product": lot.product.name, "lot": lot.lot_number, "reason": clean},
        )
        return lot_info(lot)


def refuse_quarantined(session: Session, planned: Iterable[Mapping[str, Any]]) -> None:
    """Raise :class:`ValidationError` if a planned treatment's lot (``lot_id``) is
    quarantined, naming the lot and the reason (the consultation's save, its screening
    and the consent call this in their own transaction)."""
    lot_ids = [entry.get("lot_id") for entry in planned]
    held = quarantines(session, (int(lot_id) for lot_id in lot_ids if lot_id is not None))
    for index, lot_id in enumerate(lot_ids):
        if lot_id is None or int(lot_id) not in held:
            continue
        lot = _lot(session, int(lot_id))
        raise ValidationError(
            f"treatments[{index}].lot_id",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "lot %1 is quarantined (%2): it cannot be used; choose another lot",
                ),
                lot.lot_number,
                held[lot.id],
            ),
        )
