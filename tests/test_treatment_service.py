"""The treatment chart's service: drafts, the lot actually used, sign-off, addenda."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from consult.domain.canonical import jcs_bytes, sha256_hex
from consult.store.errors import (
    ConflictError,
    PermissionDeniedError,
    SealedRecordError,
    ValidationError,
)
from consult.store.models import AuditEntry, InjectionPoint, TreatmentAddendum
from consult.store.services import products, treatment_records
from consult.store.services.context import ServiceContext
from tests import factories
from tests.treatment_support import point, treated

THREE = [
    point("front", 0.42, 0.30, "0.3"),
    point("front", 0.58, 0.30, "0.3"),
    point("left", 0.55, 0.62, "0.5"),
]


def _events(ctx: ServiceContext, event: str) -> list[AuditEntry]:
    with ctx.unit_of_work() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.event == event)).scalars())


def test_the_treatment_step_starts_a_draft_with_the_planned_lot(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    assert chart.treatment_id == "ha_filler" and chart.charted and not chart.signed
    assert chart.lot_id == t.planned_lot == chart.planned_lot_id
    assert chart.consent_id == t.consent.id
    assert chart.treated_on == t.consultation.consultation_date
    # Opening it again starts nothing new.
    assert [c.id for c in treatment_records.open_charts(t.doc, t.consultation.id)] == [chart.id]
    choices = treatment_records.lot_choices(t.doc, chart.id)
    assert [c.id for c in choices] == [t.planned_lot, t.other_lot]
    assert choices[0].planned and not choices[1].planned


def test_reception_sees_nothing_clinical(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    desk = t.clinic["reception"]
    with pytest.raises(PermissionDeniedError):
        treatment_records.get(desk, chart.id)
    with pytest.raises(PermissionDeniedError):
        treatment_records.charts_for(desk, t.consultation.id)
    with pytest.raises(PermissionDeniedError):
        treatment_records.save_draft(desk, chart.id, chart.version, lot_id=t.planned_lot)
    # The manager reads, and may not write.
    assert treatment_records.get(t.boss, chart.id).id == chart.id
    with pytest.raises(PermissionDeniedError):
        treatment_records.save_draft(t.boss, chart.id, chart.version, lot_id=t.planned_lot)


def test_a_draft_keeps_three_points_with_their_amounts_and_totals(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    saved = treatment_records.save_draft(
        t.doc,
        chart.id,
        chart.version,
        lot_id=t.planned_lot,
        areas=["Nasolabial folds", " nasolabial  folds", "Cheeks"],
        notes="Topical anaesthetic 20 minutes before.",
        points=THREE,
    )
    assert saved.version == chart.version + 1
    assert saved.areas == ("Nasolabial folds", "Cheeks")
    assert [(p.number, p.point.view, p.point.amount) for p in saved.points] == [
        (1, "front", Decimal("0.3")),
        (2, "front", Decimal("0.3")),
        (3, "left", Decimal("0.5")),
    ]
    assert all(p.point.lot_id == t.planned_lot for p in saved.points)
    assert [(x.product_id, x.unit, x.amount, x.points) for x in saved.totals] == [
        (t.product_id, "mL", Decimal("1.1"), 3)
    ]
    # Saving again replaces the points; an out-of-date version is a conflict.
    again = treatment_records.save_draft(
        t.doc, chart.id, saved.version, lot_id=t.planned_lot, points=THREE[:1]
    )
    assert len(again.points) == 1
    with pytest.raises(ConflictError):
        treatment_records.save_draft(
            t.doc, chart.id, saved.version, lot_id=t.planned_lot, points=THREE
        )
    with pytest.raises(ValidationError, match="greater than zero"):
        treatment_records.save_draft(
            t.doc,
            chart.id,
            again.version,
            lot_id=t.planned_lot,
            points=[point("front", 0.5, 0.5, "0")],
        )
    with pytest.raises(ValidationError, match="on the diagram"):
        treatment_records.save_draft(
            t.doc,
            chart.id,
            again.version,
            lot_id=t.planned_lot,
            points=[point("front", 1.5, 0.5, "1")],
        )


def test_another_lot_of_the_same_product_is_kept_with_the_reason(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    with pytest.raises(ValidationError, match="why"):
        treatment_records.save_draft(t.doc, chart.id, chart.version, lot_id=t.other_lot)
    saved = treatment_records.save_draft(
        t.doc,
        chart.id,
        chart.version,
        lot_id=t.other_lot,
        lot_reason="Planned syringe dropped and discarded.",
        points=THREE,
    )
    assert saved.lot_id == t.other_lot and saved.lot_number == "HA-SECOND"
    assert saved.lot_reason == "Planned syringe dropped and discarded."
    assert saved.planned_lot_id == t.planned_lot
    assert {p.point.lot_id for p in saved.points} == {t.other_lot}
    [changed] = _events(ctx, "treatment.lot_changed")
    assert changed.details == {
        "lot": "HA-SECOND",
        "reason": "Planned syringe dropped and discarded.",
    }
    # Back to the planned lot: no reason is kept.
    back = treatment_records.save_draft(t.doc, chart.id, saved.version, lot_id=t.planned_lot)
    assert back.lot_id == t.planned_lot and back.lot_reason == ""


def test_another_products_lot_or_an_expired_lot_is_refused(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    _, foreign_lot = factories.product_with_lot(t.boss, "ha_filler", name="Another filler")
    expired = products.add_lot(
        t.boss,
        t.product_id,
        lot_number="HA-OLD",
        expiry_date=dt.date.today() - dt.timedelta(days=1),
        supplier="Supplier Ltd",
        supplier_accreditation="GMP certificate",
    )
    reason = "The planned lot ran out."
    with pytest.raises(ValidationError, match="another product"):
        treatment_records.save_draft(
            t.doc, chart.id, chart.version, lot_id=foreign_lot, lot_reason=reason
        )
    with pytest.raises(ValidationError, match="expired"):
        treatment_records.save_draft(
            t.doc, chart.id, chart.version, lot_id=expired.id, lot_reason=reason
        )
    # A point may not name another product's lot either.
    stray = point("front", 0.5, 0.5, "0.2")
    with pytest.raises(ValidationError, match=r"Point 1: .*another product"):
        treatment_records.save_draft(
            t.doc,
            chart.id,
            chart.version,
            lot_id=t.planned_lot,
            points=[
                type(stray)(**{**stray.__dict__, "lot_id": foreign_lot}),
            ],
        )
    assert expired.id not in {c.id for c in treatment_records.lot_choices(t.doc, chart.id)}
    assert treatment_records.get(t.doc, chart.id).lot_id == t.planned_lot


def test_a_quarantined_lot_is_refused(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    products.quarantine_lot(t.boss, t.other_lot, "Supplier's field safety notice.")
    assert t.other_lot not in {c.id for c in treatment_records.lot_choices(t.doc, chart.id)}
    with pytest.raises(ValidationError, match="quarantined"):
        treatment_records.save_draft(
            t.doc, chart.id, chart.version, lot_id=t.other_lot, lot_reason="The planned ran out."
        )


def test_sign_off_seals_the_chart_and_an_edit_after_it_is_refused(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    with pytest.raises(ValidationError, match="at least one"):
        treatment_records.sign_off(t.doc, chart.id, chart.version)
    draft = treatment_records.save_draft(
        t.doc, chart.id, chart.version, lot_id=t.planned_lot, areas=["Lips"], points=THREE
    )
    signed = treatment_records.sign_off(t.doc, chart.id, draft.version)
    assert signed.signed and signed.signed_by_name and signed.signed_at is not None
    with ctx.unit_of_work() as session:
        from consult.store.models import TreatmentChart

        row = session.get(TreatmentChart, chart.id)
        assert row is not None and row.document_json is not None
        document = json.loads(row.document_json)
        # The seal is the SHA-256 of the RFC 8785 form: anyone can recompute it.
        assert sha256_hex(jcs_bytes(document)) == row.document_sha256 == signed.document_sha256
        assert row.document_json.encode("utf-8") == jcs_bytes(document)
    assert document["schema"] == "consult.treatment/1"
    assert [(p["view"], p["amount"], p["unit"]) for p in document["points"]] == [
        ("front", "0.3", "mL"),
        ("front", "0.3", "mL"),
        ("left", "0.5", "mL"),
    ]
    assert document["totals"] == [{"unit": "mL", "amount": "1.1", "points": 3}]
    [entry] = _events(ctx, "treatment.signed")
    assert entry.details["document_sha256"] == signed.document_sha256
    assert treatment_records.verify(t.doc, chart.id) == []
    with pytest.raises(SealedRecordError):
        treatment_records.save_draft(
            t.doc, chart.id, signed.version, lot_id=t.planned_lot, points=THREE[:1]
        )
    with pytest.raises(SealedRecordError):
        treatment_records.sign_off(t.doc, chart.id, signed.version)
    assert len(treatment_records.get(t.doc, chart.id).points) == 3


def test_addenda_are_chained_to_the_seal_and_a_change_is_found(ctx: ServiceContext) -> None:
    t = treated(ctx)
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    with pytest.raises(ValidationError, match="Sign the treatment off first"):
        treatment_records.add_addendum(t.doc, chart.id, "Too early for an addendum.")
    draft = treatment_records.save_draft(
        t.doc, chart.id, chart.version, lot_id=t.planned_lot, points=THREE
    )
    signed = treatment_records.sign_off(t.doc, chart.id, draft.version)
    first = treatment_records.add_addendum(t.doc, chart.id, "Point 3 was 0.4 mL, not 0.5 mL.")
    second = treatment_records.add_addendum(t.doc, chart.id, "Patient phoned: mild swelling.")
    with pytest.raises(PermissionDeniedError):
        treatment_records.add_addendum(t.boss, chart.id, "Managers do not chart.")
    reread = treatment_records.get(t.boss, chart.id)
    assert [a.text for a in reread.addenda] == [first.text, second.text]
    with ctx.unit_of_work() as session:
        links = session.execute(
            select(TreatmentAddendum.prev_sha256, TreatmentAddendum.sha256).order_by(
                TreatmentAddendum.id
            )
        ).all()
    assert links[0][0] == signed.document_sha256 and links[1][0] == links[0][1]
    assert len(_events(ctx, "treatment.addendum")) == 2
    assert treatment_records.verify(t.boss, chart.id) == []
    # Changed behind the service's back, an addendum or a point no longer verifies.
    with ctx.unit_of_work() as session:
        session.execute(
            update(TreatmentAddendum)
            .where(TreatmentAddendum.id == first.id)
            .values(text="Point 3 was 0.5 mL.")
        )
        session.execute(
            update(InjectionPoint)
            .where(InjectionPoint.chart_id == chart.id, InjectionPoint.number == 3)
            .values(amount=Decimal("0.4"))
        )
    problems = treatment_records.verify(t.boss, chart.id)
    assert "addendum 1 was changed after it was written" in problems
    assert "the chart's rows differ from what was sealed" in problems
