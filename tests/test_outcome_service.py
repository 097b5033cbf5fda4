"""The outcome of a consultation that ends with treatments not given (issue 21): the
store service (SQLite and PostgreSQL through the ``db`` fixture) and the patient's letter
(its text, read back with pypdf, in English and Japanese)."""

from __future__ import annotations

import io

import pypdf
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from consult.documents.outcome_letter_pdf import render_outcome_letter
from consult.domain.states import ConsultationStatus
from consult.store.database import Database
from consult.store.errors import ConflictError, PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry, Base
from consult.store.services import consultations, outcomes, patients
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support

PREGNANT = {"pregnant": "yes"}


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _blocked(clinic: dict[str, ServiceContext], family: str, **answers: object) -> tuple[int, int]:
    _, info = security_support.screened(
        clinic, family=family, answers=factories.no_answers(**(answers or PREGNANT))
    )
    return info.id, info.version


def _events(ctx: ServiceContext, event: str) -> list[dict[str, object]]:
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(AuditEntry.details).where(AuditEntry.event == event).order_by(AuditEntry.id)
        ).all()
        return [dict(row[0]) for row in rows]


def test_a_blocked_consultation_records_not_treated_and_closes(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc, kb = clinic["practitioner"], knowledge()
    consultation_id, version = _blocked(clinic, "Blocked")
    review = consultations.reviews(consultations.get(doc, consultation_id))[0]
    assert review.blocking == ("filler-pregnant-breastfeeding",)
    outcome = outcomes.record_not_treated(
        doc,
        consultation_id,
        version,
        treatments=[security_support.TREATMENT],
        reason="",
        kb=kb,
    )
    assert outcome.reason_kind == outcomes.BLOCKED and outcome.closed
    assert outcome.treatments == (
        outcomes.NotTreated(security_support.TREATMENT, ("filler-pregnant-breastfeeding",), True),
    )
    info = consultations.get(doc, consultation_id)
    assert info.status == ConsultationStatus.ABANDONED
    assert outcomes.for_consultation(clinic["manager"], consultation_id) == outcome
    [event] = _events(ctx, "consultation.not_treated")
    assert event["treatments"] == {"ha_filler": ["filler-pregnant-breastfeeding"]}
    assert event["closed"] is True
    with pytest.raises(ValidationError):  # closed, and written once
        outcomes.record_not_treated(
            doc, consultation_id, info.version, treatments=["ha_filler"], reason="x", kb=kb
        )


def test_the_practitioners_decision_needs_a_reason(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc, kb = clinic["practitioner"], knowledge()
    _, info = security_support.screened(
        clinic, family="Decided", answers=factories.no_answers(anticoagulants=["warfarin"])
    )
    assert consultations.reviews(info)[0].status == "needs_decision"
    with pytest.raises(ValidationError) as refused:
        outcomes.record_not_treated(
            doc, info.id, info.version, treatments=["ha_filler"], reason="  ", kb=kb
        )
    assert refused.value.field == "reason"
    with pytest.raises(ConflictError):
        outcomes.record_not_treated(
            doc, info.id, info.version - 1, treatments=["ha_filler"], reason="INR high", kb=kb
        )
    outcome = outcomes.record_not_treated(
        doc,
        info.id,
        info.version,
        treatments=["ha_filler"],
        reason="INR 3.4 today: too high to inject safely.",
        kb=kb,
    )
    assert outcome.reason_kind == outcomes.PRACTITIONER_DECISION
    assert outcome.treatments[0].findings == ("filler-anticoagulant",)
    text = _text(outcomes.letter_pdf(doc, info.id))
    assert "INR 3.4 today: too high to inject safely." in text
    assert "ask the doctor who prescribes it" in text


def test_roles_practitioners_write_managers_read_reception_never(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    kb = knowledge()
    consultation_id, version = _blocked(clinic, "Roles")
    for role in ("manager", "reception"):
        with pytest.raises(PermissionDeniedError):
            outcomes.record_not_treated(
                clinic[role], consultation_id, version, treatments=["ha_filler"], reason="", kb=kb
            )
    outcomes.record_not_treated(
        clinic["practitioner"], consultation_id, version, treatments=["ha_filler"], reason="", kb=kb
    )
    assert outcomes.letter_pdf(clinic["manager"], consultation_id).startswith(b"%PDF")
    with pytest.raises(PermissionDeniedError):
        outcomes.letter_pdf(clinic["reception"], consultation_id)
    with pytest.raises(PermissionDeniedError):
        outcomes.for_consultation(clinic["reception"], consultation_id)


def test_the_letter_in_english_says_what_was_found_and_what_to_do(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc, kb = clinic["practitioner"], knowledge()
    consultation_id, version = _blocked(clinic, "English")
    outcomes.record_not_treated(
        doc,
        consultation_id,
        version,
        treatments=["ha_filler"],
        reason="We talked it through.",
        kb=kb,
    )
    pdf = outcomes.letter_pdf(doc, consultation_id)
    assert pdf == outcomes.letter_pdf(doc, consultation_id)  # the same bytes every time
    text = _text(pdf)
    rule = kb.rule("filler-pregnant-breastfeeding")
    for words in (
        "About your consultation",
        "What we found",
        " ".join(rule.patient_risk.split()[:8]),
        "What to do next",
        " ".join(rule.next_step.split()[:8]),
        "We talked it through.",
        "Your practitioner:",
        "Zoë English",
    ):
        assert words in text, words
    assert "Not yet translated" not in text
    printed = _events(ctx, "consultation.letter_printed")
    assert len(printed) == 2 and printed[0]["language"] == "en"


def test_the_letter_is_in_the_patients_language(ctx: ServiceContext) -> None:
    clinic = security_support.contexts(ctx)
    doc, kb = clinic["practitioner"], knowledge()
    patient, info = security_support.screened(
        clinic, family="Japanese", answers=factories.no_answers(**PREGNANT)
    )
    patients.update(
        doc, patient.id, patient.version, factories.draft("Zoë", "Japanese", language="ja")
    )
    outcome = outcomes.record_not_treated(
        doc, info.id, info.version, treatments=["ha_filler"], reason="", kb=kb
    )
    assert outcome.language == "ja"
    text = _text(outcomes.letter_pdf(doc, info.id))
    ja = kb.texts("ja")
    risk = ja.patient_risk("filler-pregnant-breastfeeding")
    step = ja.next_step("filler-pregnant-breastfeeding")
    assert risk.translated and step is not None and step.translated
    assert "本日のご相談について" in text and "今後について" in text
    assert risk.text[:12] in text.replace(" ", "")
    assert step.text[:12] in text.replace(" ", "")
    assert "未翻訳" not in text


def test_an_untranslated_passage_is_printed_in_english_and_marked() -> None:
    letter = {
        "language": "ja",
        "clinic": {"name": "Clinic", "address": "", "phone": "", "paper": "a4"},
        "patient": {"name": "Aiko Sato", "date_of_birth": "1990-01-02"},
        "consultation_date": "2026-12-01",
        "practitioner": {"name": "Dr Dana Doe", "qualification": ""},
        "treatments": [
            {
                "id": "prp",
                "name": "PRP",
                "name_translated": True,
                "blocked": True,
                "findings": [
                    {
                        "rule": "r",
                        "severity": "absolute",
                        "risk": "妊娠中のため行えません。",
                        "risk_translated": True,
                        "next_step": "See your GP first.",
                        "next_step_translated": False,
                    }
                ],
            }
        ],
        "reason": "",
        "decided_at": "2026-12-01T10:00:00+00:00",
    }
    text = _text(render_outcome_letter(letter))
    assert "* See your GP first." in text
    assert "未翻訳のため英語で表示しています" in text
    assert "2026年12月1日" in text


def test_the_migrated_table_matches_the_model(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    ours = [diff for diff in diffs if "consultation_outcome" in repr(diff)]
    assert ours == []
