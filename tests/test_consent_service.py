"""Consultation to sealed consent through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.knowledge.consent_templates import load_templates
from consult.store.errors import (
    ConflictError,
    PermissionDeniedError,
    SealedRecordError,
    StoreError,
    ValidationError,
)
from consult.store.models import AuditEntry, ConsentRecord, TreatmentRecord
from consult.store.services import consents, consultations
from consult.store.services import patients as patient_service
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories

TEMPLATES = load_templates()


def scribble(offset: float = 0.0) -> list[list[dict[str, float]]]:
    return [
        [
            {"x": 10 + i * 6 + offset, "y": 40 + (i % 5) * 7, "t": i * 16, "p": 0.5}
            for i in range(30)
        ]
    ]


def signature(name: str) -> SignatureInput:
    return SignatureInput(
        name=name,
        strokes=scribble(),
        width=480,
        height=160,
        signed_at=dt.datetime(2026, 11, 21, 10, 30, tzinfo=dt.UTC),
    )


@pytest.fixture
def clinic(ctx: ServiceContext):
    staff = factories.staff(ctx)
    return {role: ctx.signed_in(user) for role, user in staff.items()}


def _screened(
    clinic,
    treatment: str,
    answers: dict,
    *,
    given: str = "Zoë",
    family: str = "Lefèvre",
    source: str | None = None,
    route: str | None = None,
    also: tuple[str, ...] = (),
):
    doc, manager = clinic["practitioner"], clinic["manager"]
    patient = patient_service.register(doc, factories.draft(given, family))
    kb = knowledge()
    planned = []
    for index, name in enumerate((treatment, *also)):
        sources = kb.treatment(name).product_sources
        product_id, lot_id = factories.product_with_lot(
            manager,
            name,
            source=(source if index == 0 else None) or (sources[0] if sources else None),
            name=f"{name} {source or 'product'}",
        )
        way = (route if index == 0 else None) or kb.treatment(name).routes[0]
        planned.append({"id": name, "route": way, "product_id": product_id, "lot_id": lot_id})
    info = consultations.start(doc, patient.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=planned,
        answers=answers,
    )
    return patient, consultations.run_screening(doc, info.id, info.version, kb)


def _sign(clinic, info, treatment: str):
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, info.id, treatment, TEMPLATES)
    return consents.sign(
        doc,
        info.id,
        treatment,
        template_version=text.template_version,
        initials={section.id: "ZL" for section in text.sections},
        choices={"photographs": True, "data_processing": True},
        patient_signature=signature("Zoë Lefèvre"),
        practitioner_signature=signature("Dr Dana Doe"),
        templates=TEMPLATES,
        kb=knowledge(),
    )


def test_a_clear_consultation_is_signed_and_sealed(clinic, ctx: ServiceContext) -> None:
    _patient, info = _screened(clinic, "ha_filler", factories.no_answers())
    review = consultations.reviews(info)
    assert [(r.treatment, r.status) for r in review] == [("ha_filler", "ready")]
    record = _sign(clinic, info, "ha_filler")
    assert record.state == "signed"
    assert record.document_number == f"C-{dt.date.today().year}-{info.id:06d}-1"
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, record.id)
        assert row is not None
        document = json.loads(row.document_json)
        assert sha256_hex(canonical_bytes(document)) == row.document_sha256
        assert hashlib.sha256(row.pdf).hexdigest() == row.pdf_sha256
        assert session.execute(select(func.count()).select_from(TreatmentRecord)).scalar_one() == 1
        events = list(session.execute(select(AuditEntry.event)).scalars())
    assert "consent.signed" in events
    assert document["patient"]["full_name"] == "Zoë Lefèvre"
    assert document["consultation"]["rule_set_version"] == knowledge().version
    assert all(section["initials"] == "ZL" for section in document["template"]["sections"])
    pdf_bytes = consents.pdf(clinic["reception"], record.id, purpose="printed")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "Zoë Lefèvre" in text
    assert record.document_number in text
    assert record.document_sha256[:12] in text
    assert consultations.get(clinic["practitioner"], info.id).status == "consented"


def test_relative_finding_needs_a_justification_that_goes_on_the_form(clinic) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers(anticoagulants=["warfarin"]))
    (review,) = consultations.reviews(info)
    assert review.status == "needs_decision" and review.unjustified
    rule = review.unjustified[0]
    doc = clinic["practitioner"]
    with pytest.raises(ValidationError, match="at least 20"):
        consultations.decide(
            doc, info.id, info.version, treatment="ha_filler", rule=rule, justification="INR fine"
        )
    for nonsense in ("x" * 30, "xxxxxxxxxx xxxxxxxxxxxx xxxxxxxx"):
        with pytest.raises(ValidationError, match="at least three different words"):
            consultations.decide(
                doc, info.id, info.version, treatment="ha_filler", rule=rule, justification=nonsense
            )
    justification = "INR 2.1 checked today; cannula technique, pressure afterwards."
    info = consultations.decide(
        doc, info.id, info.version, treatment="ha_filler", rule=rule, justification=justification
    )
    (decision,) = info.overrides
    assert decision["by_name"] == "Dr Dana Doe" and decision["justification"] == justification
    record = _sign(clinic, info, "ha_filler")
    assert record.has_overrides
    document = consents.document(clinic["manager"], record.id)
    assert document["overrides"][0]["justification"] == justification
    risks = next(
        s for s in document["template"]["sections"] if s["kind"] == "patient_specific_risks"
    )
    assert justification in risks["text"]


def test_absolute_finding_blocks_consent(clinic) -> None:
    _, info = _screened(clinic, "exosome", factories.no_answers(pregnant="yes"))
    (review,) = consultations.reviews(info)
    assert review.status == "blocked"
    with pytest.raises(ValidationError, match="cannot go to consent"):
        consents.consent_text(clinic["practitioner"], info.id, "exosome", TEMPLATES)
    with pytest.raises(ValidationError, match="cannot be overridden"):
        consultations.decide(
            clinic["practitioner"],
            info.id,
            info.version,
            treatment="exosome",
            rule=review.blocking[0],
            justification="x" * 40,
        )


def test_a_trivial_signature_or_missing_initials_are_refused(clinic, ctx) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, info.id, "ha_filler", TEMPLATES)
    dot = SignatureInput(
        "Zoë", [[{"x": 5, "y": 5, "t": 0, "p": 0.5}]], 480, 160, dt.datetime.now(dt.UTC)
    )
    common = dict(
        template_version=text.template_version,
        choices={"photographs": False, "data_processing": True},
        practitioner_signature=signature("Dr Dana Doe"),
        templates=TEMPLATES,
        kb=knowledge(),
    )
    with pytest.raises(ValidationError, match="too small"):
        consents.sign(
            doc,
            info.id,
            "ha_filler",
            initials={s.id: "ZL" for s in text.sections},
            patient_signature=dot,
            **common,
        )
    with pytest.raises(ValidationError, match="has not initialled"):
        consents.sign(
            doc, info.id, "ha_filler", initials={}, patient_signature=signature("Zoë"), **common
        )
    with ctx.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(ConsentRecord)).scalar_one() == 0


def test_a_signed_record_is_never_changed(clinic, ctx) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    record = _sign(clinic, info, "ha_filler")
    with pytest.raises(SealedRecordError):
        _sign(clinic, info, "ha_filler")
    with pytest.raises(ValidationError, match="consented"):
        consultations.save(
            clinic["practitioner"],
            info.id,
            consultations.get(clinic["practitioner"], info.id).version,
            knowledge(),
            answers=factories.no_answers(pregnant="yes"),
        )
    with pytest.raises(ValidationError, match="reason"):
        consents.add_event(clinic["manager"], record.id, "voided", "")
    with pytest.raises(PermissionDeniedError):
        consents.add_event(clinic["reception"], record.id, "voided", "wrong patient")
    voided = consents.add_event(clinic["manager"], record.id, "voided", "Signed on the wrong day")
    assert voided.state == "voided"
    assert voided.document_sha256 == record.document_sha256
    with pytest.raises(SealedRecordError, match="already voided"):
        consents.add_event(clinic["practitioner"], record.id, "withdrawn", "patient changed mind")


def test_reception_finds_and_prints_but_cannot_read_the_intake(clinic, ctx) -> None:
    patient, info = _screened(clinic, "ha_filler", factories.no_answers())
    record = _sign(clinic, info, "ha_filler")
    desk = clinic["reception"]
    assert [c.id for c in consents.for_patient(desk, patient.id)] == [record.id]
    assert consents.pdf(desk, record.id, purpose="printed").startswith(b"%PDF")
    for call in (
        lambda: consents.document(desk, record.id),
        lambda: consultations.get(desk, info.id),
        lambda: consultations.start(desk, patient.id),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    with ctx.unit_of_work() as session:
        refused = session.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.event == "refused")
        ).scalar_one()
    assert refused == 3


def test_after_one_signature_the_consultation_is_sealed_and_can_only_be_closed(clinic) -> None:
    doc, manager = clinic["practitioner"], clinic["manager"]
    patient = patient_service.register(doc, factories.draft())
    kb = knowledge()
    filler = factories.product_with_lot(manager, "ha_filler")
    toxin = factories.product_with_lot(manager, "botulinum_toxin")
    info = consultations.start(doc, patient.id)
    planned = [
        {"id": "ha_filler", "route": "injection", "product_id": filler[0], "lot_id": filler[1]},
        {
            "id": "botulinum_toxin",
            "route": "intramuscular",
            "product_id": toxin[0],
            "lot_id": toxin[1],
        },
    ]
    info = consultations.save(
        doc, info.id, info.version, kb, treatments=planned, answers=factories.no_answers()
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    _sign(clinic, info, "ha_filler")
    info = consultations.get(doc, info.id)
    assert info.status == "screened"  # the toxin is still to be consented
    with pytest.raises(ValidationError, match="already signed"):
        consultations.save(
            doc, info.id, info.version, kb, answers=factories.no_answers(pregnant="yes")
        )
    with pytest.raises(ValidationError, match="already signed"):
        consultations.run_screening(doc, info.id, info.version, kb)
    closed = consultations.abandon(doc, info.id, info.version, "Patient decided against toxin")
    assert closed.status == "consented"
    assert consultations.open_drafts(doc) == []


def _decide_all(clinic, info):
    """Justify every relative finding and acknowledge every caution."""
    doc = clinic["practitioner"]
    for review in consultations.reviews(info):
        for rule in review.unjustified:
            info = consultations.decide(
                doc,
                info.id,
                info.version,
                treatment=review.treatment,
                rule=rule,
                justification="Discussed at length; the patient understands and agrees.",
            )
        for rule in review.unacknowledged:
            info = consultations.decide(
                doc, info.id, info.version, treatment=review.treatment, rule=rule
            )
    return info


DONOR_RISK = "donor-derived infection"


def test_a_human_derived_product_adds_the_donor_infection_risk_to_the_form(
    ctx: ServiceContext,
) -> None:
    # In GB and the EU a human-derived exosome product is barred; in the US it may go on.
    staff = factories.staff(ctx, jurisdiction="US")
    clinic = {role: ctx.signed_in(user) for role, user in staff.items()}
    doc = clinic["practitioner"]
    risks: dict[str, str] = {}
    screened = {}
    for source, given in (("human_allogeneic", "Hana"), ("synthetic", "Sam")):
        _, info = _screened(clinic, "exosome", factories.no_answers(), given=given, source=source)
        screened[source] = info = _decide_all(clinic, info)
        text = consents.consent_text(doc, info.id, "exosome", TEMPLATES)
        risks[source] = next(s.text for s in text.sections if s.id == "risks")
    assert DONOR_RISK in risks["human_allogeneic"]
    assert DONOR_RISK not in risks["synthetic"]
    # Apart from that paragraph the two texts are the same.
    assert risks["human_allogeneic"].startswith(risks["synthetic"])
    # The paragraph is sealed into the signed record of the human-derived product.
    human = screened["human_allogeneic"]
    record = _sign(clinic, human, "exosome")
    document = consents.document(clinic["manager"], record.id)
    assert document["treatment"]["product"]["source"] == "human_allogeneic"
    sealed = next(s for s in document["template"]["sections"] if s["id"] == "risks")
    assert DONOR_RISK in sealed["text"]


def test_the_same_finding_from_two_rules_is_justified_once(clinic) -> None:
    _, info = _screened(
        clinic,
        "exosome",
        factories.no_answers(anticoagulants=["warfarin"]),
        source="plant",
        route="microneedling",
    )
    (review,) = consultations.reviews(info)
    assert "microneedling-anticoagulant" in review.unjustified
    assert "regen-anticoagulant" not in review.unjustified
    doc = clinic["practitioner"]
    with pytest.raises(ValidationError, match="same finding as microneedling-anticoagulant"):
        consultations.decide(
            doc,
            info.id,
            info.version,
            treatment="exosome",
            rule="regen-anticoagulant",
            justification="INR 2.1 checked today; firm pressure after needling.",
        )
    info = consultations.decide(
        doc,
        info.id,
        info.version,
        treatment="exosome",
        rule="microneedling-anticoagulant",
        justification="INR 2.1 checked today; firm pressure after needling.",
    )
    (review,) = consultations.reviews(info)
    assert "regen-anticoagulant" not in review.unjustified
    assert "microneedling-anticoagulant" not in review.unjustified


def test_a_save_prepared_before_a_signing_is_refused_after_it(clinic) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    _sign(clinic, info, "ha_filler")
    with pytest.raises((ConflictError, ValidationError)):
        consultations.save(
            clinic["practitioner"],
            info.id,
            info.version,
            knowledge(),
            answers=factories.no_answers(smoker="yes"),
        )
    after = consultations.get(clinic["practitioner"], info.id)
    assert after.version != info.version
    assert after.answers["smoker"] == "no"


def test_save_and_sign_at_the_same_moment_never_seal_answers_then_change_them(
    clinic, monkeypatch
) -> None:
    """Force the window: the save has passed its checks when the signing starts. (With a
    second treatment still to sign, the signing need not change the consultation's
    status, so only the lock and the version bump stand in the way.)"""
    patient, info = _screened(
        clinic, "ha_filler", factories.no_answers(), also=("botulinum_toxin",)
    )
    checked, signed_or_refused = threading.Event(), threading.Event()
    original = consultations._has_signed_consent

    def slow_check(session, row):
        found = original(session, row)
        if threading.current_thread().name == "saver":
            checked.set()
            # Unprotected, the signing commits now; protected, it waits for this save
            # (which then goes on after the timeout).
            signed_or_refused.wait(2)
        return found

    monkeypatch.setattr(consultations, "_has_signed_consent", slow_check)
    outcome: dict[str, object] = {}

    def save() -> None:
        try:
            consultations.save(
                clinic["practitioner"],
                info.id,
                info.version,
                knowledge(),
                answers=factories.no_answers(smoker="yes"),
            )
            outcome["save"] = "saved"
        except StoreError as exc:
            outcome["save"] = exc

    def sign() -> None:
        try:
            outcome["sign"] = _sign(clinic, info, "ha_filler")
        except StoreError as exc:
            outcome["sign"] = exc
        signed_or_refused.set()

    saver = threading.Thread(target=save, name="saver")
    saver.start()
    assert checked.wait(10)
    signer = threading.Thread(target=sign, name="signer")
    signer.start()
    saver.join(30)
    signer.join(30)
    assert not saver.is_alive() and not signer.is_alive()
    final = consultations.get(clinic["practitioner"], info.id)
    records = consents.for_patient(clinic["manager"], patient.id)
    for record in records:
        sealed = consents.document(clinic["manager"], record.id)
        sealed_answers = {a["question_id"]: a for a in sealed["intake_summary"]}
        assert sealed_answers["smoker"]["answer"].lower().startswith(final.answers["smoker"]), (
            "an answer changed after its consent was sealed"
        )
    signed = not isinstance(outcome["sign"], StoreError)
    saved = outcome["save"] == "saved"
    assert signed != saved, outcome  # one of them wins, the other is refused
    assert len(records) == int(signed)


def test_an_abandoned_consultation_cannot_be_signed(clinic) -> None:
    _, info = _screened(clinic, "ha_filler", factories.no_answers())
    text = consents.consent_text(clinic["practitioner"], info.id, "ha_filler", TEMPLATES)
    consultations.abandon(clinic["practitioner"], info.id, info.version, "The patient left.")
    with pytest.raises(ValidationError, match="abandoned: no consent can be taken"):
        consents.sign(
            clinic["practitioner"],
            info.id,
            "ha_filler",
            template_version=text.template_version,
            initials={section.id: "ZL" for section in text.sections},
            choices={"photographs": True, "data_processing": True},
            patient_signature=signature("Zoë Lefèvre"),
            practitioner_signature=signature("Dr Dana Doe"),
            templates=TEMPLATES,
            kb=knowledge(),
        )
