"""Extra signers through the signing service (issue 21), on SQLite and PostgreSQL: a
16-year-old's guardian where the rules allow the treatment, refused where a rule forbids
it (GB toxin and filler), a witness the clinic's setting requires, an interpreter; the
sealed record holds them and still verifies (``consult verify``, the embedded record)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from consult.domain.consent_signers import GuardianNeed, SignerNeeds, SignerRole
from consult.proof.record_check import check_record, read_record
from consult.proof.report import Outcome
from consult.store.errors import ValidationError
from consult.store.models import ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services import consents, consultations
from consult.store.services import patients as patient_service
from consult.store.services.consent_signers import SignerInput, signer_entries
from consult.store.services.consents import ConsentInfo, SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.register_support import JUSTIFICATION, TEMPLATES, product_for, scribble
from tests.tamper_support import run_consult

SIXTEEN = dt.date(2010, 6, 1)  # 16 on 2026-12-01
NOW = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, Any]:
    people = factories.staff(ctx)
    out: dict[str, Any] = {role: ctx.signed_in(user) for role, user in people.items()}
    out["products"] = {}
    return out


def screened(clinic: dict[str, Any], treatment: str, born: dt.date, **patient: object) -> int:
    """A consultation for ``treatment`` screened and decided as far as the rules allow."""
    doc = clinic["practitioner"]
    kb = knowledge()
    person = patient_service.register(
        doc, factories.draft("Mia", "Young", date_of_birth=born, **patient)
    )
    product_id, lot_id = product_for(clinic, treatment)
    info = consultations.start(doc, person.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=[
            {
                "id": treatment,
                "route": kb.treatment(treatment).routes[0],
                "product_id": product_id,
                "lot_id": lot_id,
            }
        ],
        answers=factories.no_answers(treatments=[treatment]),
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    for review in consultations.reviews(info):
        for rule in review.unjustified:
            info = consultations.decide(
                doc, info.id, info.version, treatment=treatment, rule=rule,
                justification=JUSTIFICATION,
            )  # fmt: skip
        for rule in review.unacknowledged:
            info = consultations.decide(doc, info.id, info.version, treatment=treatment, rule=rule)
    return info.id


def extra(role: SignerRole, name: str, **fields: Any) -> SignerInput:
    return SignerInput(role, name, scribble(5), 480, 160, NOW, **fields)


def sign(
    clinic: dict[str, Any], consultation_id: int, treatment: str, *signers: SignerInput
) -> ConsentInfo:
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, consultation_id, treatment, TEMPLATES, knowledge())
    return consents.sign(
        doc,
        consultation_id,
        treatment,
        template_version=text.template_version,
        initials={section.id: "MY" for section in text.sections},
        choices={"photographs": False, "data_processing": True},
        patient_signature=SignatureInput("Mia Young", scribble(), 480, 160, NOW),
        practitioner_signature=SignatureInput("Dr Dana Doe", scribble(3), 480, 160, NOW),
        templates=TEMPLATES,
        kb=knowledge(),
        signers=signers,
    )


def stored(ctx: ServiceContext, info: ConsentInfo) -> tuple[dict[str, Any], bytes]:
    with ctx.db.session() as session:
        row = session.get(ConsentRecord, info.id)
        assert row is not None
        return json.loads(row.document_json), bytes(row.pdf)


def assert_verifies(pdf: bytes, info: ConsentInfo) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    checks = check_record(
        read_record(reader),
        pages,
        expected_sha256=info.document_sha256,
        printed=info.document_sha256[:12],
        signed_with_record=False,
    )
    assert [c.outcome for c in checks] == [Outcome.OK, Outcome.OK], checks


@pytest.mark.parametrize("treatment", ["prp", "chemical_peel"])
def test_a_sixteen_year_olds_guardian_signs_where_the_rules_allow_it(
    ctx: ServiceContext, clinic: dict[str, Any], treatment: str
) -> None:
    consultation_id = screened(clinic, treatment, SIXTEEN)
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, consultation_id, treatment, TEMPLATES, knowledge())
    assert text.signers.guardian == GuardianNeed.REQUIRED
    assert text.signers.required() == (SignerRole.GUARDIAN,)
    with pytest.raises(ValidationError) as missing:
        sign(clinic, consultation_id, treatment)
    assert missing.value.field == "signers.guardian"
    assert "parent or guardian must sign" in missing.value.message
    with pytest.raises(ValidationError) as no_relationship:
        sign(clinic, consultation_id, treatment, extra(SignerRole.GUARDIAN, "Ann Young"))
    assert "relationship" in no_relationship.value.message
    info = sign(
        clinic,
        consultation_id,
        treatment,
        extra(SignerRole.GUARDIAN, " Ann Young ", relationship="mother"),
    )
    document, pdf = stored(ctx, info)
    (guardian,) = document["signers"]
    assert guardian["role"] == "guardian"
    assert guardian["name"] == "Ann Young"
    assert guardian["relationship"] == "mother"
    assert guardian["meaning"] == "consent given for the patient"
    assert guardian["strokes"] and guardian["signed_at"] == "2026-12-01T10:30:00+00:00"
    assert [s["role"] for s in document["signatures"]] == ["patient", "practitioner"]
    assert_verifies(pdf, info)
    text_of_pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ann Young" in text_of_pdf and "Parent or guardian" in text_of_pdf


@pytest.mark.parametrize("treatment", ["botulinum_toxin", "ha_filler"])
def test_no_guardian_can_consent_where_the_law_forbids_it_in_gb(
    clinic: dict[str, Any], treatment: str
) -> None:
    consultation_id = screened(clinic, treatment, SIXTEEN)
    doc = clinic["practitioner"]
    info = consultations.get(doc, consultation_id)
    (review,) = consultations.reviews(info)
    assert review.status == "blocked"
    assert any(rule.endswith("-under-18-gb") for rule in review.blocking)
    with pytest.raises(ValidationError, match="cannot go to consent"):
        consents.consent_text(doc, consultation_id, treatment, TEMPLATES, knowledge())
    guardian = extra(SignerRole.GUARDIAN, "Ann Young", relationship="mother")
    with pytest.raises(ValidationError, match="cannot go to consent"):
        sign(clinic, consultation_id, treatment, guardian)
    with pytest.raises(ValidationError) as refused:
        signer_entries([guardian], SignerNeeds(GuardianNeed.REFUSED))
    assert refused.value.field == "signers.guardian"
    assert "forbids" in refused.value.message


def test_an_adult_has_no_guardian(clinic: dict[str, Any]) -> None:
    consultation_id = screened(clinic, "prp", dt.date(1990, 4, 2))
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, consultation_id, "prp", TEMPLATES, knowledge())
    assert text.signers == SignerNeeds(patient_language="en")
    with pytest.raises(ValidationError) as refused:
        sign(clinic, consultation_id, "prp", extra(SignerRole.GUARDIAN, "A", relationship="x"))
    assert "adult" in refused.value.message


def test_a_witness_signs_where_the_clinic_requires_one(
    ctx: ServiceContext,
    clinic: dict[str, Any],
    backend_url: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
) -> None:
    manager = clinic["manager"]
    version = clinic_service.get_clinic(manager).version  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        clinic_service.update_settings(manager, version, {"witness_required": "prp"})
    clinic_service.update_settings(manager, version, {"witness_required": ["prp", "prp"]})
    assert clinic_service.settings(manager)["witness_required"] == ["prp"]
    consultation_id = screened(clinic, "prp", dt.date(1990, 4, 2))
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, consultation_id, "prp", TEMPLATES, knowledge())
    assert text.signers.witness_required
    with pytest.raises(ValidationError) as missing:
        sign(clinic, consultation_id, "prp")
    assert missing.value.field == "signers.witness"
    info = sign(clinic, consultation_id, "prp", extra(SignerRole.WITNESS, "Walter Witness"))
    document, pdf = stored(ctx, info)
    assert [(s["role"], s["name"]) for s in document["signers"]] == [("witness", "Walter Witness")]
    assert_verifies(pdf, info)
    ctx.db.close()  # the command line opens the clinic's database itself
    where = ["--database-url", backend_url] if backend_url else []
    code, out, err = run_consult(monkeypatch, capsys, *where, "verify")
    assert code == 0, out + err


def test_an_interpreter_states_what_they_interpreted_in_both_languages(
    ctx: ServiceContext, clinic: dict[str, Any]
) -> None:
    consultation_id = screened(clinic, "prp", dt.date(1990, 4, 2), language="ja")
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, consultation_id, "prp", TEMPLATES, knowledge())
    assert text.signers.interpreter_offered("en")
    assert not text.signers.interpreter_offered("ja")
    interpreter = extra(SignerRole.INTERPRETER, "Ichiro Tsuyaku", language="ja")
    info = sign(clinic, consultation_id, "prp", interpreter)
    document, pdf = stored(ctx, info)
    (entry,) = document["signers"]
    assert entry["language"] == "ja"
    assert [s["language"] for s in entry["statement"]] == ["ja", "en"]
    assert "日本語に通訳し" in entry["statement"][0]["text"]
    assert entry["statement"][1]["text"].startswith(
        "I interpreted the information on this form into Japanese for the patient"
    )
    assert_verifies(pdf, info)


def test_one_signer_per_role(clinic: dict[str, Any]) -> None:
    consultation_id = screened(clinic, "prp", dt.date(1990, 4, 2))
    witness = extra(SignerRole.WITNESS, "Walter Witness")
    with pytest.raises(ValidationError, match="Only one witness"):
        sign(clinic, consultation_id, "prp", witness, witness)
