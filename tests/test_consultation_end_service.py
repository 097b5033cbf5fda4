"""A consultation ends by itself once every planned treatment is settled, whichever came
last: a signed consent (consents.sign) or the outcome recording it not given
(outcomes.record_not_treated); consented if any treatment was, else abandoned; audited,
in the transaction of the write that settled the last one. On SQLite and PostgreSQL
(the ``ctx`` fixture), including two sessions settling the last two treatments at once.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from consult.domain.states import ConsentState, ConsultationStatus, ConsultationStep
from consult.store import consultation_end
from consult.store.dto import ConsultationInfo
from consult.store.errors import ConflictError, ValidationError
from consult.store.models import AuditEntry, Consultation
from consult.store.services import consents, consultations, outcomes, reconfirmation
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentInfo
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support

FILLER, TOXIN = "ha_filler", "botulinum_toxin"
DECLINED = "Only the filler today; we will talk about the toxin in spring."


def planned(clinic: dict[str, ServiceContext], family: str, **answers: object) -> ConsultationInfo:
    """A consultation planning the filler and the toxin, screened on ``answers`` (clear
    for both without any)."""
    doc, kb = clinic["practitioner"], knowledge()
    person = patient_service.register(doc, factories.draft("Mia", family))
    treatments = []
    for treatment in (FILLER, TOXIN):
        product_id, lot_id = factories.product_with_lot(
            clinic["manager"], treatment, name=f"{treatment} {family}"
        )
        treatments.append(
            {
                "id": treatment,
                "route": kb.treatment(treatment).routes[0],
                "product_id": product_id,
                "lot_id": lot_id,
            }
        )
    info = consultations.start(doc, person.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=treatments,
        answers=factories.no_answers(treatments=[FILLER, TOXIN], **answers),
    )
    return consultations.run_screening(doc, info.id, info.version, kb)


def sign(doc: ServiceContext, consultation_id: int, treatment: str) -> ConsentInfo:
    """Sign the consent for one treatment of the consultation."""
    text = consents.consent_text(doc, consultation_id, treatment, security_support.TEMPLATES)
    return consents.sign(
        doc,
        consultation_id,
        treatment,
        template_version=text.template_version,
        initials={section.id: "MB" for section in text.sections},
        choices={"photographs": False, "data_processing": True},
        patient_signature=security_support.signature("Mia Brown"),
        practitioner_signature=security_support.signature("Dr Dana Doe"),
        templates=security_support.TEMPLATES,
        kb=knowledge(),
    )


def not_given(doc: ServiceContext, consultation_id: int, *treatments: str) -> outcomes.OutcomeInfo:
    """Record ``treatments`` as not given, on the consultation's current version."""
    info = consultations.get(doc, consultation_id)
    return outcomes.record_not_treated(
        doc,
        consultation_id,
        info.version,
        treatments=list(treatments),
        reason=DECLINED,
        kb=knowledge(),
    )


def closings(ctx: ServiceContext, consultation_id: int) -> list[dict[str, Any]]:
    """The audit entries of the consultation ended by a settling write."""
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(AuditEntry.details)
            .where(
                AuditEntry.event == consultation_end.CLOSED,
                AuditEntry.record_id == str(consultation_id),
            )
            .order_by(AuditEntry.id)
        ).all()
        return [dict(row[0]) for row in rows]


def ended_consented(by: str, consented: list[str], not_treated: list[str]) -> dict[str, Any]:
    """The audit details (as :func:`closings` reads them) of a consultation ended
    consented by the ``by`` write, with no treatment blocked."""
    return {
        "status": "consented",
        "by": by,
        "consented": consented,
        "not_treated": not_treated,
        "blocked": [],
    }


def closings_of(ctx: ServiceContext, event: str) -> list[dict[str, Any]]:
    """The details of every audit entry of ``event``."""
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(AuditEntry.details).where(AuditEntry.event == event).order_by(AuditEntry.id)
        ).all()
        return [dict(row[0]) for row in rows]


def status(ctx: ServiceContext, consultation_id: int) -> ConsultationStatus:
    return ConsultationStatus(consultations.get(ctx, consultation_id).status)


def test_signed_then_recorded_not_given_ends_consented(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "SignedFirst")
    sign(doc, info.id, FILLER)
    assert status(doc, info.id) == ConsultationStatus.SCREENED  # the toxin is still open
    assert closings(ctx, info.id) == []
    outcome = not_given(doc, info.id, TOXIN)
    assert outcome.closed
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    assert outcomes.for_consultation(doc, info.id) == outcome
    assert closings(ctx, info.id) == [
        ended_consented("consultation.not_treated", [FILLER], [TOXIN])
    ]
    [recorded] = [
        e for e in closings_of(ctx, "consultation.not_treated") if e["treatments"] == {TOXIN: []}
    ]
    assert recorded["closed"] is True


def test_recorded_not_given_then_signed_ends_consented(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "DeclinedFirst")
    outcome = not_given(doc, info.id, TOXIN)
    assert not outcome.closed
    assert status(doc, info.id) == ConsultationStatus.SCREENED  # the filler is still open
    sign(doc, info.id, FILLER)
    ended = consultations.get(doc, info.id)
    assert ended.status == ConsultationStatus.CONSENTED
    assert ended.step == ConsultationStep.CONSENT
    # Read back, the outcome says the consultation is closed now.
    read = outcomes.for_consultation(doc, info.id)
    assert read is not None and read.closed
    assert closings(ctx, info.id) == [ended_consented("consent.signed", [FILLER], [TOXIN])]


def test_every_treatment_recorded_not_given_ends_abandoned(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "NoneGiven")
    outcome = not_given(doc, info.id, FILLER, TOXIN)
    assert outcome.closed
    assert status(doc, info.id) == ConsultationStatus.ABANDONED
    assert [c["status"] for c in closings(ctx, info.id)] == ["abandoned"]
    assert closings(ctx, info.id)[0]["not_treated"] == [FILLER, TOXIN]


def test_every_treatment_signed_ends_consented_as_before(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "AllSigned")
    sign(doc, info.id, TOXIN)
    assert status(doc, info.id) == ConsultationStatus.SCREENED
    sign(doc, info.id, FILLER)
    ended = consultations.get(doc, info.id)
    assert ended.status == ConsultationStatus.CONSENTED
    assert ended.step == ConsultationStep.CONSENT
    assert closings(ctx, info.id) == [ended_consented("consent.signed", [FILLER, TOXIN], [])]
    assert outcomes.for_consultation(doc, info.id) is None


def test_signing_beside_a_blocked_treatment_ends_consented_as_before(
    ctx: ServiceContext,
) -> None:
    """The toxin is blocked (a neuromuscular disorder: absolute); signing the filler
    ends the consultation, as it always did, and no outcome can be recorded after."""
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "Blocked", neuromuscular_disorder="yes")
    assert {r.treatment: r.status for r in consultations.reviews(info)} == {
        FILLER: "ready",
        TOXIN: "blocked",
    }
    sign(doc, info.id, FILLER)
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    [closed] = closings(ctx, info.id)
    assert closed["blocked"] == [TOXIN] and closed["consented"] == [FILLER]


def test_the_blocked_treatment_recorded_first_then_the_signing_ends_it(
    ctx: ServiceContext,
) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "BlockedFirst", neuromuscular_disorder="yes")
    outcome = not_given(doc, info.id, TOXIN)
    assert not outcome.closed and outcome.reason_kind == outcomes.BLOCKED
    sign(doc, info.id, FILLER)
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    [closed] = closings(ctx, info.id)
    assert closed["not_treated"] == [TOXIN] and closed["blocked"] == []


def test_a_treatment_awaiting_a_decision_keeps_it_open(ctx: ServiceContext) -> None:
    """The toxin has a relative finding not yet decided on (an aminoglycoside): signing
    the filler does not take the practitioner's decision from them."""
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "Undecided", aminoglycosides_current="yes")
    assert {r.treatment: r.status for r in consultations.reviews(info)} == {
        FILLER: "ready",
        TOXIN: "needs_decision",
    }
    sign(doc, info.id, FILLER)
    assert status(doc, info.id) == ConsultationStatus.SCREENED
    assert closings(ctx, info.id) == []
    # Deciding not to give it settles it: the consultation ends, consented.
    assert not_given(doc, info.id, TOXIN).closed
    assert status(doc, info.id) == ConsultationStatus.CONSENTED


def test_a_treatment_settled_one_way_is_not_settled_the_other(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "Both")
    sign(doc, info.id, FILLER)
    with pytest.raises(ValidationError) as refused:
        not_given(doc, info.id, FILLER, TOXIN)
    assert refused.value.field == "treatments"
    assert "already consented" in str(refused.value)
    assert outcomes.for_consultation(doc, info.id) is None  # nothing of it written
    assert not_given(doc, info.id, TOXIN).closed
    # The other way round: a treatment recorded not given cannot go to consent.
    other = planned(clinic, "Other")
    not_given(doc, other.id, TOXIN)
    with pytest.raises(ValidationError) as refused:
        consents.consent_text(doc, other.id, TOXIN, security_support.TEMPLATES)
    assert "recorded as not given" in str(refused.value)
    text = consents.consent_text(doc, other.id, FILLER, security_support.TEMPLATES)
    with pytest.raises(ValidationError) as refused:
        consents.sign(
            doc,
            other.id,
            TOXIN,
            template_version=text.template_version,
            initials={section.id: "MB" for section in text.sections},
            choices={"photographs": False, "data_processing": True},
            patient_signature=security_support.signature("Mia Brown"),
            practitioner_signature=security_support.signature("Dr Dana Doe"),
            templates=security_support.TEMPLATES,
            kb=knowledge(),
        )
    assert refused.value.field == "treatment"
    assert status(doc, other.id) == ConsultationStatus.SCREENED


def test_a_voided_consent_still_counts_and_voiding_changes_no_status(
    ctx: ServiceContext,
) -> None:
    """Withdrawing or voiding a form is an event beside it: the consultation it was
    signed in stays as it is, and a consent voided before the last treatment is
    settled still counts as signed there (as closing by hand counts it)."""
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = planned(clinic, "Voided")
    filler = sign(doc, info.id, FILLER)
    voided = consents.add_event(clinic["manager"], filler.id, "voided", "Recorded in error.")
    assert voided.state == ConsentState.VOIDED
    assert status(doc, info.id) == ConsultationStatus.SCREENED
    assert not_given(doc, info.id, TOXIN).closed
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    # And after it ended: withdrawing a form changes its state, not the consultation's.
    ended = planned(clinic, "Withdrawn")
    toxin = sign(doc, ended.id, TOXIN)
    sign(doc, ended.id, FILLER)
    consents.add_event(doc, toxin.id, "withdrawn", "The patient changed her mind.")
    assert status(doc, ended.id) == ConsultationStatus.CONSENTED
    assert len(closings(ctx, ended.id)) == 1


# Two sessions at once ---------------------------------------------------------------------


def _held(
    monkeypatch: pytest.MonkeyPatch, module: Any, decided: threading.Event, go: threading.Event
) -> None:
    """Hold the first settling write's transaction open just after it decided the
    consultation stays open (the window in which the other write must not decide so too)."""
    real: Callable[..., bool] = module.end_if_settled

    def held(*args: Any) -> bool:
        result = real(*args)
        if threading.current_thread().name == "first":
            decided.set()
            assert go.wait(30)
        return result

    monkeypatch.setattr(module, "end_if_settled", held)


@pytest.mark.parametrize("first", ["not_treated", "signed"])
def test_two_sessions_settling_the_last_two_at_once_never_leave_it_open(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """One workstation records the toxin not given while another signs the filler, the
    first still in its transaction when the second starts. Each locks the consultation's
    row, so on PostgreSQL the second waits for the first and sees its write: the signing
    second ends the consultation; the record second is refused, its version having moved
    with the signing. On SQLite (one writer) the second may be refused as busy. A refused
    write leaves nothing of it, and the consultation is never left open with both
    treatments settled; done again, the refused one ends it."""
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    other = dataclasses.replace(doc, workstation="second-workstation")
    info = planned(clinic, f"AtOnce{first}")
    decided, go = threading.Event(), threading.Event()
    _held(monkeypatch, outcomes if first == "not_treated" else consents, decided, go)
    failures: dict[str, BaseException] = {}
    writes: dict[str, Callable[[ServiceContext], object]] = {
        "not_treated": lambda c: outcomes.record_not_treated(
            c, info.id, info.version, treatments=[TOXIN], reason=DECLINED, kb=knowledge()
        ),
        "signed": lambda c: sign(c, info.id, FILLER),
    }
    second = "signed" if first == "not_treated" else "not_treated"

    def run(name: str, context: ServiceContext) -> None:
        try:
            writes[name](context)
        except Exception as exc:  # reported below
            failures[name] = exc

    one = threading.Thread(target=run, args=(first, doc), name="first")
    two = threading.Thread(target=run, args=(second, other), name="second")
    one.start()
    assert decided.wait(60), failures
    two.start()
    time.sleep(0.5)  # the second is under way, waiting for the first
    go.set()
    for thread in (one, two):
        thread.join(60)
        assert not thread.is_alive()
    assert first not in failures
    if not ctx.db.is_sqlite:
        if second == "signed":
            assert failures == {}
        else:
            assert isinstance(failures.get(second), ConflictError)
    if second in failures:
        assert isinstance(failures[second], ConflictError | OperationalError)
        with ctx.unit_of_work() as session:
            row = session.get(Consultation, info.id)
            assert row is not None and row.status == ConsultationStatus.SCREENED
            assert not consultation_end.settlement_of(session, row).settled
        if second == "not_treated":
            not_given(doc, info.id, TOXIN)
        else:
            sign(other, info.id, FILLER)
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    assert [c["status"] for c in closings(ctx, info.id)] == ["consented"]


# A re-confirmation settles a treatment as a signing does ------------------------------


def back_for_both(clinic: dict[str, ServiceContext], family: str) -> ConsultationInfo:
    """A patient whose filler consent of a first visit is still valid, back for the
    filler again and, new, the toxin; screened clear."""
    doc, kb = clinic["practitioner"], knowledge()
    product = factories.product_with_lot(clinic["manager"], FILLER, name=f"HA {family}")
    _patient, first = security_support.screened(clinic, family=family, product=product)
    security_support.sign(clinic, first)
    toxin_product, toxin_lot = factories.product_with_lot(
        clinic["manager"], TOXIN, name=f"Toxin {family}"
    )
    info = consultations.start(doc, first.patient_id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=[
            *(dict(t) for t in first.treatments),
            {
                "id": TOXIN,
                "route": kb.treatment(TOXIN).routes[0],
                "product_id": toxin_product,
                "lot_id": toxin_lot,
            },
        ],
        answers=factories.no_answers(treatments=[FILLER, TOXIN]),
    )
    return consultations.run_screening(doc, info.id, info.version, kb)


def reconfirm_filler(doc: ServiceContext, consultation_id: int) -> Any:
    return reconfirmation.reconfirm(
        doc,
        consultation_id,
        FILLER,
        patient_signature=security_support.signature("Mia Brown"),
        templates=security_support.TEMPLATES,
        kb=knowledge(),
    )


def test_not_given_then_reconfirmed_ends_consented(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = back_for_both(clinic, "Again")
    check = reconfirmation.check(doc, info.id, FILLER, security_support.TEMPLATES, knowledge())
    assert check.allowed, check.differences
    assert not not_given(doc, info.id, TOXIN).closed
    reconfirm_filler(doc, info.id)
    assert status(doc, info.id) == ConsultationStatus.CONSENTED
    assert closings(ctx, info.id) == [ended_consented("consent.reconfirmed", [FILLER], [TOXIN])]


def test_reconfirmed_then_not_given_ends_consented(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = back_for_both(clinic, "AgainFirst")
    reconfirm_filler(doc, info.id)
    assert status(doc, info.id) == ConsultationStatus.SCREENED
    with pytest.raises(ValidationError):  # re-confirmed: consented, not "not given"
        not_given(doc, info.id, FILLER, TOXIN)
    assert not_given(doc, info.id, TOXIN).closed
    assert status(doc, info.id) == ConsultationStatus.CONSENTED


def test_a_treatment_recorded_not_given_is_not_reconfirmed(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    info = back_for_both(clinic, "NotAgain")
    not_given(doc, info.id, FILLER)
    with pytest.raises(ValidationError) as refused:
        reconfirm_filler(doc, info.id)
    assert "recorded as not given" in str(refused.value)
    assert status(doc, info.id) == ConsultationStatus.SCREENED
