"""The consultation service keeps a draft consistent: answers only to questions asked for
the planned treatments, dates within the patient's life, and a screening under the rule
set in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from consult.store.errors import ValidationError
from consult.store.models import AuditEntry, Consultation
from consult.store.services import consultations
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.register_support import sign_treatment

OLD_RULES = "0ld" + "0" * 61


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, Any]:
    """Signed-in contexts, a patient born 1990-04-02, and products for three treatments."""
    staff = factories.staff(ctx)
    doc, manager = ctx.signed_in(staff["practitioner"]), ctx.signed_in(staff["manager"])
    patient = patient_service.register(doc, factories.draft())
    kb = knowledge()
    planned: dict[str, dict[str, Any]] = {}
    for treatment in ("ha_filler", "iv_vitamin_c", "botulinum_toxin"):
        product_id, lot_id = factories.product_with_lot(manager, treatment)
        planned[treatment] = {
            "id": treatment,
            "route": kb.treatment(treatment).routes[0],
            "product_id": product_id,
            "lot_id": lot_id,
        }
    return {"ctx": ctx, "doc": doc, "patient": patient, "planned": planned}


def started(clinic: dict[str, Any], *treatments: str, **answers: Any):
    """A draft planning ``treatments``, with every question asked answered (plus ``answers``)."""
    doc, kb = clinic["doc"], knowledge()
    info = consultations.start(doc, clinic["patient"].id)
    return consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=[clinic["planned"][t] for t in treatments],
        answers=factories.no_answers("female", treatments, **answers),
    )


def refused(clinic: dict[str, Any], info, **changes: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        consultations.save(clinic["doc"], info.id, info.version, knowledge(), **changes)
    return caught.value


def _last_audit(ctx: ServiceContext, event: str) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        entry = (
            session.execute(
                select(AuditEntry).where(AuditEntry.event == event).order_by(AuditEntry.id.desc())
            )
            .scalars()
            .first()
        )
        assert entry is not None
        return dict(entry.details)


def test_an_answer_to_a_question_not_asked_is_refused_naming_it(clinic) -> None:
    info = started(clinic, "ha_filler")
    answers = {**info.answers, "cancer_types": ["breast"]}
    error = refused(clinic, info, answers=answers)
    assert error.field == "answers.cancer_types"
    assert error.message == 'not asked, because cancer_history is "no"'
    # The not-asked value itself is what the rules read anyway: accepted.
    consultations.save(
        clinic["doc"],
        info.id,
        info.version,
        knowledge(),
        answers={**info.answers, "cancer_types": []},
    )


def test_a_question_asked_for_another_treatment_needs_that_treatment_planned(clinic) -> None:
    info = started(clinic, "ha_filler")
    answers = factories.no_answers("female", ["ha_filler", "iv_vitamin_c"])
    assert answers["g6pd_deficiency"] == "no" and answers["g6pd_test_normal"] == "yes"
    error = refused(clinic, info, answers=answers)
    assert error.field == "answers.g6pd_test_normal"
    assert (
        error.message
        == "not asked, because it is asked only for iv_vitamin_c, which is not planned"
    )
    # Checked against the treatments given in the same call, when there are.
    both = [clinic["planned"]["ha_filler"], clinic["planned"]["iv_vitamin_c"]]
    saved = consultations.save(
        clinic["doc"], info.id, info.version, knowledge(), treatments=both, answers=answers
    )
    assert saved.answers["g6pd_test_normal"] == "yes"
    # ... and the new plan is what counts: without IV vitamin C the same answers are refused.
    error = refused(clinic, saved, treatments=[clinic["planned"]["ha_filler"]], answers=answers)
    assert error.field == "answers.g6pd_test_normal"
    assert consultations.get(clinic["doc"], info.id).treatments == saved.treatments


def test_a_pregnancy_answer_for_a_male_patient_is_refused(clinic) -> None:
    doc = clinic["doc"]
    man = patient_service.register(doc, factories.draft("Tom", "Hale", sex_at_birth="male"))
    info = consultations.start(doc, man.id)
    error = refused(
        clinic,
        info,
        treatments=[clinic["planned"]["ha_filler"]],
        answers=factories.no_answers("male", pregnant="yes"),
    )
    assert error.field == "answers.pregnant"
    assert error.message.startswith('not asked, because sex_at_birth is "male"')


def test_date_answers_lie_between_the_birth_and_the_consultation(clinic) -> None:
    info = started(clinic, "ha_filler")
    day = info.consultation_date
    for value, message in (
        ((day + dt.timedelta(days=1)).isoformat(), "after the consultation date"),
        ("1990-04-01", "before the date of birth"),
        ("2024-02-30", "impossible date 2024-02-30"),
        ("1.2.2024", "expected a date as YYYY-MM-DD"),
    ):
        error = refused(clinic, info, answers={**info.answers, "isotretinoin_last_date": value})
        assert (error.field, error.message) == ("answers.isotretinoin_last_date", message)
    assert consultations.get(clinic["doc"], info.id).answers == info.answers
    # The consultation day and the birthday themselves are fine.
    for value in (day.isoformat(), "1990-04-02"):
        info = consultations.save(
            clinic["doc"],
            info.id,
            info.version,
            knowledge(),
            answers={**info.answers, "isotretinoin_last_date": value},
        )
        assert info.answers["isotretinoin_last_date"] == value


def test_answers_for_the_old_plan_are_dropped_when_only_the_treatments_change(clinic, ctx) -> None:
    info = started(clinic, "ha_filler", "iv_vitamin_c", g6pd_deficiency="no")
    ivc_only = {"g6pd_deficiency", "g6pd_test_normal", "kidney_disease", "heart_disease"}
    assert ivc_only <= set(info.answers)
    kept = {
        k: v
        for k, v in info.answers.items()
        if k not in ivc_only | {"haemochromatosis", "diabetes"}
    }
    info = consultations.save(
        clinic["doc"],
        info.id,
        info.version,
        knowledge(),
        treatments=[clinic["planned"]["ha_filler"], clinic["planned"]["botulinum_toxin"]],
    )
    assert info.answers == kept
    assert [t["id"] for t in info.treatments] == ["ha_filler", "botulinum_toxin"]
    details = _last_audit(ctx, "consultation.updated")
    assert details["changed"] == ["treatments"]
    assert set(details["answers_dropped"]) == {
        "g6pd_deficiency",
        "g6pd_test_normal",
        "kidney_disease",
        "heart_disease",
        "haemochromatosis",
        "diabetes",
    }
    # Nothing asked is lost: a plan change that keeps every question keeps every answer.
    again = consultations.save(
        clinic["doc"],
        info.id,
        info.version,
        knowledge(),
        treatments=[clinic["planned"]["ha_filler"]],
    )
    assert again.answers == kept


def test_an_absolute_finding_blocks_while_an_answer_is_still_to_clarify(clinic) -> None:
    info = started(clinic, "ha_filler", pregnant="yes", autoimmune_disease="unsure")
    info = consultations.run_screening(clinic["doc"], info.id, info.version, knowledge())
    [review] = consultations.reviews(info)
    assert review.outcome == "absolute"
    assert review.status == "blocked"
    assert review.clarify == ("autoimmune_disease",)
    assert not review.can_consent
    assert info.status == "draft"


def _write_rule_set(
    ctx: ServiceContext, consultation_id: int, version: str, **columns: Any
) -> None:
    """What a consultation screened under another rule set looks like in the database."""
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id)
        assert row is not None
        row.rule_set_version = version
        for name, value in columns.items():
            setattr(row, name, value)


def test_a_screening_under_another_rule_set_is_replaced_when_screened_again(clinic, ctx) -> None:
    kb = knowledge()
    info = started(clinic, "ha_filler")
    info = consultations.run_screening(clinic["doc"], info.id, info.version, kb)
    assert not consultations.rules_changed(info, kb)
    assert "previous_rule_set_version" not in _last_audit(ctx, "consultation.screened")
    _write_rule_set(ctx, info.id, OLD_RULES)
    info = consultations.get(clinic["doc"], info.id)
    # The consultation keeps what it was screened with until it is screened again.
    assert info.rule_set_version == OLD_RULES and info.screening is not None
    assert consultations.rules_changed(info, kb)
    info = consultations.run_screening(clinic["doc"], info.id, info.version, kb)
    assert info.rule_set_version == kb.version
    assert not consultations.rules_changed(info, kb)
    details = _last_audit(ctx, "consultation.screened")
    assert details["previous_rule_set_version"] == OLD_RULES
    assert details["rule_set_version"] == kb.version


def test_answers_the_rules_in_force_refuse_leave_the_old_screening_as_it_was(clinic, ctx) -> None:
    kb = knowledge()
    info = started(clinic, "ha_filler")
    info = consultations.run_screening(clinic["doc"], info.id, info.version, kb)
    # Say the old rules asked everyone about G6PD deficiency.
    _write_rule_set(ctx, info.id, OLD_RULES, answers={**info.answers, "g6pd_deficiency": "yes"})
    info = consultations.get(clinic["doc"], info.id)
    with pytest.raises(ValidationError) as caught:
        consultations.run_screening(clinic["doc"], info.id, info.version, kb)
    assert caught.value.field == "answers.g6pd_deficiency"
    assert "asked only for iv_vitamin_c" in caught.value.message
    kept = consultations.get(clinic["doc"], info.id)
    assert kept.rule_set_version == OLD_RULES
    assert kept.screening == info.screening
    assert consultations.rules_changed(kept, kb)


def test_a_consultation_with_a_signed_consent_is_never_screened_again(clinic, ctx) -> None:
    kb = knowledge()
    doc = clinic["doc"]
    info = started(clinic, "ha_filler", "botulinum_toxin")
    info = consultations.run_screening(doc, info.id, info.version, kb)
    sign_treatment(doc, info.id, "ha_filler")
    _write_rule_set(ctx, info.id, OLD_RULES)
    info = consultations.get(doc, info.id)
    assert info.status == "screened"  # the toxin is still open
    with pytest.raises(ValidationError, match="already signed"):
        consultations.run_screening(doc, info.id, info.version, kb)
    assert consultations.get(doc, info.id).rule_set_version == OLD_RULES
