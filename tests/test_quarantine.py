"""Lot quarantine: a manager takes a lot out of use with the reason and releases it; a
quarantined lot is offered nowhere a lot is chosen, and the consultation's save, its
screening and the consent refuse it with a clear message."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from consult.store.errors import ConflictError, PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry, LotQuarantine
from consult.store.services import consultations, products
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support


@pytest.fixture
def clinic(ctx):
    return security_support.contexts(ctx)


def test_a_quarantined_lot_is_not_offered_until_released(clinic, ctx) -> None:
    boss = clinic["manager"]
    _, lot_id = factories.product_with_lot(boss, "ha_filler")
    held = products.quarantine_lot(boss, lot_id, "Supplier field safety notice FSN-12")
    assert held.quarantined and held.quarantine_reason == "Supplier field safety notice FSN-12"
    [product] = products.list_products(clinic["practitioner"], "ha_filler")
    assert product.lots[0].quarantined
    assert products.usable_lots(product, dt.date.today()) == []
    with pytest.raises(ConflictError):
        products.quarantine_lot(boss, lot_id, "twice over")
    released = products.release_lot(boss, lot_id, "Notice withdrawn by the maker")
    assert not released.quarantined
    [product] = products.list_products(clinic["practitioner"], "ha_filler")
    assert [lot.id for lot in products.usable_lots(product, dt.date.today())] == [lot_id]
    with pytest.raises(ConflictError):
        products.release_lot(boss, lot_id, "not held now")
    with ctx.db.session() as session:
        [row] = session.execute(select(LotQuarantine)).scalars()
        assert row.released_at is not None and row.release_reason.startswith("Notice")
        events = [
            (e.event, e.details.get("reason"))
            for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
            if e.event.startswith("lot.")
        ]
    assert ("lot.quarantined", "Supplier field safety notice FSN-12") in events
    assert ("lot.released", "Notice withdrawn by the maker") in events


def test_only_managers_quarantine_and_a_reason_is_required(clinic) -> None:
    _, lot_id = factories.product_with_lot(clinic["manager"], "ha_filler")
    for role in ("practitioner", "reception"):
        with pytest.raises(PermissionDeniedError):
            products.quarantine_lot(clinic[role], lot_id, "A good long reason")
    with pytest.raises(ValidationError) as caught:
        products.quarantine_lot(clinic["manager"], lot_id, "  no ")
    assert caught.value.field == "reason"


def test_screening_and_consent_refuse_a_quarantined_lot(clinic) -> None:
    boss, doc = clinic["manager"], clinic["practitioner"]
    product = factories.product_with_lot(boss, security_support.TREATMENT, name="HA held")
    _, info = security_support.screened(clinic, family="Quarantine", product=product)
    products.quarantine_lot(boss, product[1], "Suspected contamination")
    kb = knowledge()
    with pytest.raises(ValidationError) as screening:
        consultations.run_screening(doc, info.id, info.version, kb)
    assert screening.value.field == "treatments[0].lot_id"
    assert "quarantined (Suspected contamination)" in screening.value.message
    with pytest.raises(ValidationError) as signing:
        security_support.sign(clinic, info)
    assert "quarantined" in signing.value.message
    with pytest.raises(ValidationError) as saving:
        consultations.save(
            doc,
            info.id,
            info.version,
            kb,
            treatments=[dict(entry) for entry in info.treatments],
        )
    assert "choose another lot" in saving.value.message
    products.release_lot(boss, product[1], "Tests came back clear")
    assert security_support.sign(clinic, info).treatment_id == security_support.TREATMENT
