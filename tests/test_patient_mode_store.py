"""The patient's own answers (issue 19): kept per consultation beside the answers the
practitioner settles on, each practitioner change audited, without bumping the draft's
version; only the consultation's practitioner may write them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from consult.store import migrate
from consult.store.database import Database
from consult.store.errors import PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry
from consult.store.services import consents, patient_answers
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.register_support import clinic as make_clinic
from tests.register_support import product_for, sign_treatment
from tests.schema_support import newest_migration


def _consultation(ctx: ServiceContext) -> tuple[dict, int, int]:
    people = make_clinic(ctx)
    patient = factories.patient(ctx, people["users"]["reception"])
    doc = people["practitioner"]
    info = consultation_service.start(doc, patient.id)
    product_id, lot_id = product_for(people, "ha_filler")
    info = consultation_service.save(
        doc,
        info.id,
        info.version,
        knowledge(),
        treatments=[{"id": "ha_filler", "product_id": product_id, "lot_id": lot_id}],
        answers=factories.no_answers(treatments=["ha_filler"]),
    )
    return people, info.id, info.version


def _events(db: Database, consultation_id: int) -> list[tuple[str, dict]]:
    with db.session() as session:
        rows = session.execute(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == "consultation",
                AuditEntry.record_id == str(consultation_id),
            )
            .order_by(AuditEntry.id)
        ).scalars()
        return [(row.event, dict(row.details or {})) for row in rows]


def test_a_practitioner_change_is_kept_beside_the_patients_answer_and_audited(
    db: Database, ctx: ServiceContext
) -> None:
    people, consultation_id, version = _consultation(ctx)
    doc = people["practitioner"]
    given = factories.no_answers(treatments=["ha_filler"], pregnant="unsure")
    kept = patient_answers.record_given(doc, consultation_id, given, "ja", knowledge())
    assert kept.answers == given and kept.language == "ja" and kept.changed == {}
    # Keeping the patient's answers is no change of the draft: the wizard's version stands.
    assert consultation_service.get(doc, consultation_id).version == version

    after_talk = {**given, "pregnant": "no"}
    noted = patient_answers.note_practitioner_changes(doc, consultation_id, after_talk)
    assert noted is not None
    assert noted.answers["pregnant"] == "unsure"  # the patient's own, kept
    assert noted.changed["pregnant"]["answer"] == "no"
    assert noted.changed["pregnant"]["by"] == people["users"]["practitioner"].id
    assert noted.differing(after_talk) == ["pregnant"]
    # The same answers again: nothing new to audit.
    patient_answers.note_practitioner_changes(doc, consultation_id, after_talk)
    events = _events(db, consultation_id)
    changes = [d for e, d in events if e == "consultation.answer_changed_by_practitioner"]
    assert changes == [
        {"question": "pregnant", "reason": "changed by practitioner after discussion"}
    ]
    given_entry = next(d for e, d in events if e == "consultation.patient_answered")
    assert given_entry == {"questions": len(given), "language": "ja"}  # never the answers

    # Set back to the patient's answer: no longer a change, and that is audited too.
    back = patient_answers.note_practitioner_changes(doc, consultation_id, given)
    assert back is not None and back.changed == {}
    assert [e for e, _ in _events(db, consultation_id)][-1] == (
        "consultation.answer_restored_to_patients"
    )
    stored = patient_answers.get(people["manager"], consultation_id)
    assert stored is not None and stored.answers == given


def test_only_the_consultations_practitioner_keeps_the_patients_answers(
    db: Database, ctx: ServiceContext
) -> None:
    people, consultation_id, _ = _consultation(ctx)
    with pytest.raises(PermissionDeniedError):
        patient_answers.record_given(people["reception"], consultation_id, {}, "en", knowledge())
    with pytest.raises(PermissionDeniedError):
        patient_answers.get(people["reception"], consultation_id)
    with pytest.raises(ValidationError) as unknown:
        patient_answers.record_given(
            people["practitioner"], consultation_id, {"no_such_question": "yes"}, "en", knowledge()
        )
    assert unknown.value.field == "answers.no_such_question"
    assert patient_answers.get(people["practitioner"], consultation_id) is None
    assert (
        patient_answers.note_practitioner_changes(people["practitioner"], consultation_id, {})
        is None
    )


def test_the_column_comes_and_goes_with_its_migration(db: Database, ctx: ServiceContext) -> None:
    people, consultation_id, _ = _consultation(ctx)
    patient_answers.record_given(
        people["practitioner"], consultation_id, {"pregnant": "no"}, "en", knowledge()
    )

    def columns() -> set[str]:
        with db.engine.connect() as connection:
            return {c["name"] for c in sa.inspect(connection).get_columns("consultation")}

    assert "patient_answers" in columns()
    migrate.downgrade(db, "0010")
    assert "patient_answers" not in columns()
    migrate.upgrade(db)
    assert migrate.current_revision(db) == newest_migration()
    assert patient_answers.get(people["practitioner"], consultation_id) is None


def test_the_sealed_record_carries_the_patients_own_answer_where_it_differs(
    db: Database, ctx: ServiceContext
) -> None:
    people, consultation_id, version = _consultation(ctx)
    doc = people["practitioner"]
    answers = factories.no_answers(treatments=["ha_filler"])
    patient_answers.record_given(
        doc, consultation_id, {**answers, "pregnant": "unsure"}, "en", knowledge()
    )
    patient_answers.note_practitioner_changes(doc, consultation_id, answers)
    info = consultation_service.run_screening(doc, consultation_id, version, knowledge())
    assert info.answers["pregnant"] == "no"
    signed = sign_treatment(doc, consultation_id, "ha_filler")
    summary = consents.document(doc, signed.id)["intake_summary"]
    [changed] = [item for item in summary if "patient_answers" in item]
    assert changed["question_id"] == "pregnant"
    assert (changed["answer"], changed["patient_answers"]) == ("No", "Not sure")
