"""The demo clinic's cases of issue 21: the signers beside the patient, a consultation
that ends blocked, and a returning patient.

Each is written through the services the app uses, so that its forms verify
(``consult verify``) and export like real ones:

- Lily Carter, 16, consents to PRP for acne scarring with her mother's signature as
  parent or guardian (the rules allow it for a minor with a reason; toxin and filler
  under 18 they forbid in GB);
- 太郎 佐藤 reads Japanese and is seen by the demo's doctor, whose desk is in English:
  his filler consent carries an interpreter's signature and statement in both languages;
- 美咲 鈴木 asks for botulinum toxin while pregnant: the screening blocks it, and the
  outcome is recorded with the letter in Japanese, her language;
- Chloé Dubois, treated with toxin a few days ago (:mod:`consult.store.demo_treatment`),
  returns: her intake is confirmed unchanged and she re-confirms her consent with one
  signature (:mod:`consult.store.services.reconfirmation`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from consult.domain.consent_signers import SignerRole
from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.states import ConsultationStep
from consult.knowledge.consent_templates import ConsentTemplate, load_templates
from consult.knowledge.loader import load_knowledge
from consult.store.dto import ConsentInfo, ConsultationInfo, PatientDraft, PatientInfo
from consult.store.services import consents, consultations, outcomes, reconfirmation
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services.consent_signers import SignerInput
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

Strokes = list[list[dict[str, float]]]

MINOR: Final = ("Lily", "Carter")
GUARDIAN: Final = ("Emma Carter", "mother")
INTERPRETED: Final = ("太郎", "佐藤", "male")
INTERPRETER: Final = "Kenji Watanabe"
BLOCKED: Final = ("美咲", "鈴木", "female")
RETURNING: Final = "Chloé Dubois"
DESK_LANGUAGE: Final = "en"
"""The demo doctor's interface language (the interpreter's second language)."""

MINOR_REASON: Final = (
    "Acne scarring affecting her at school; dermatologist's letter on file; her mother "
    "present and consenting; small test area first."
)
BLOCKED_NOTE: Final = (
    "Congratulations! Toxin is not given in pregnancy or while breastfeeding; we would be "
    "glad to see you again afterwards."
)

DEMO_WORDS: Final = (
    f"{MINOR[0]} {MINOR[1]}",
    f"{MINOR[1]}, {MINOR[0]}",
    MINOR[1],
    GUARDIAN[0],
    GUARDIAN[1],
    INTERPRETER,
    MINOR_REASON,
    BLOCKED_NOTE,
)
"""What these cases type (names, a relationship, a reason, a note): data, shown as
entered whatever the interface language."""


@dataclass(frozen=True)
class DemoVisits:
    """What the cases made (the ids a test or a tour looks for)."""

    guardian_consent_id: int
    interpreter_consent_id: int
    blocked_consultation_id: int
    reconfirmation_id: int | None


def _answers(
    kb: KnowledgeBase, sex_at_birth: str, treatment: str, **given: object
) -> dict[str, object]:
    """An intake answering no (none, never) to everything asked, with ``given``."""
    answers: dict[str, object] = dict(given)
    for _ in range(3):  # a follow-up question is asked once the one before it is answered
        for question in asked_questions(answers, sex_at_birth, kb, [treatment]):
            if question.id not in answers:
                answers[question.id] = {
                    "yn": "no",
                    "ynu": "no",
                    "multi": [],
                    "date": None,
                    "text": "",
                }.get(question.type, question.values[0].id if question.values else "")
    answers.setdefault("fitzpatrick_type", "III")
    return answers


class _Clinic:
    """The doctor's context and what every case needs from the clinic."""

    def __init__(self, doctor: ServiceContext, signature: Callable[[int], Strokes]) -> None:
        self.doctor = doctor
        self.signature = signature
        self.kb = load_knowledge()
        self.templates: Mapping[str, ConsentTemplate] = load_templates()
        self.products = {p.treatment_id: p for p in product_service.list_products(doctor)}
        self.now = dt.datetime.now(dt.UTC)
        assert doctor.user is not None
        self.name = doctor.user.display_name

    def patient(self, full_name: str) -> PatientInfo:
        """A demo patient by name (StopIteration if there is none)."""
        found = patient_service.recent(self.doctor, limit=200)
        return next(p for p in found if p.full_name == full_name)

    def japanese_patient(self, given: str, family: str, sex: str) -> PatientInfo:
        """A Japanese reader of the demo's list (registered here when a smaller demo
        clinic has none by that name)."""
        try:
            return self.patient(f"{given} {family}")
        except StopIteration:
            return patient_service.register(
                self.doctor,
                PatientDraft(
                    given_name=given,
                    family_name=family,
                    date_of_birth=dt.date(1988, 5, 14),
                    sex_at_birth=sex,
                    phone="+44 7700 900811",
                    email=f"demo.ja.{sex}@example.jp",
                    language="ja",
                ),
            )

    def screened(
        self, patient: PatientInfo, treatment: str, reason: str = "", **given: object
    ) -> ConsultationInfo:
        """A consultation for ``treatment`` screened, its findings decided where they may
        be (``reason`` justifies a relative one)."""
        doctor, kb = self.doctor, self.kb
        product = self.products[treatment]
        lot = product_service.usable_lots(product, dt.date.today())[0]
        info = consultations.start(doctor, patient.id)
        info = consultations.save(
            doctor,
            info.id,
            info.version,
            kb,
            step=ConsultationStep.SCREENING,
            treatments=[
                {
                    "id": treatment,
                    "route": kb.treatment(treatment).routes[0],
                    "product_id": product.id,
                    "lot_id": lot.id,
                }
            ],
            answers=_answers(kb, patient.sex_at_birth, treatment, **given),
        )
        info = consultations.run_screening(doctor, info.id, info.version, kb)
        for review in consultations.reviews(info):
            for rule in review.unjustified:
                info = consultations.decide(
                    doctor, info.id, info.version, treatment=treatment, rule=rule,
                    justification=reason,
                )  # fmt: skip
            for rule in review.unacknowledged:
                info = consultations.decide(
                    doctor, info.id, info.version, treatment=treatment, rule=rule
                )
        return info

    def sign(
        self,
        info: ConsultationInfo,
        patient: PatientInfo,
        treatment: str,
        seed: int,
        *signers: SignerInput,
    ) -> ConsentInfo:
        text = consents.consent_text(self.doctor, info.id, treatment, self.templates, self.kb)
        initials = "".join(part[0] for part in patient.full_name.split()[:2]).upper()
        return consents.sign(
            self.doctor,
            info.id,
            treatment,
            template_version=text.template_version,
            initials={section.id: initials for section in text.sections},
            choices={"photographs": False, "data_processing": True},
            patient_signature=SignatureInput(
                patient.full_name, self.signature(seed), 480, 160, self.now
            ),
            practitioner_signature=SignatureInput(
                self.name, self.signature(seed + 100), 480, 160, self.now
            ),
            templates=self.templates,
            kb=self.kb,
            signers=signers,
        )

    def extra(self, role: SignerRole, name: str, seed: int, **fields: Any) -> SignerInput:
        return SignerInput(role, name, self.signature(seed), 480, 160, self.now, **fields)


def _guardian_case(clinic: _Clinic) -> int:
    today = dt.date.today()
    born = today.replace(year=today.year - 16) - dt.timedelta(days=75)
    given, family = MINOR
    patient = patient_service.register(
        clinic.doctor,
        PatientDraft(
            given_name=given,
            family_name=family,
            date_of_birth=born,
            sex_at_birth="female",
            phone="+44 7700 900316",
            email="lily.carter@example.org",
            language="en",
        ),
    )
    info = clinic.screened(patient, "prp", MINOR_REASON)
    name, relationship = GUARDIAN
    record = clinic.sign(
        info,
        patient,
        "prp",
        21,
        clinic.extra(SignerRole.GUARDIAN, name, 22, relationship=relationship),
    )
    return record.id


def _interpreter_case(clinic: _Clinic) -> int:
    patient = clinic.japanese_patient(*INTERPRETED)
    info = clinic.screened(patient, "ha_filler")
    interpreter = clinic.extra(
        SignerRole.INTERPRETER,
        INTERPRETER,
        32,
        language=patient.language,
        desk_language=DESK_LANGUAGE,
    )
    return clinic.sign(info, patient, "ha_filler", 31, interpreter).id


def _blocked_case(clinic: _Clinic) -> int:
    patient = clinic.japanese_patient(*BLOCKED)
    info = clinic.screened(patient, "botulinum_toxin", pregnant="yes")
    blocked = [r.treatment for r in consultations.reviews(info) if not r.can_consent]
    outcome = outcomes.record_not_treated(
        clinic.doctor,
        info.id,
        info.version,
        treatments=blocked,
        reason=BLOCKED_NOTE,
        kb=clinic.kb,
    )
    return outcome.consultation_id


def _returning_case(clinic: _Clinic) -> int | None:
    """Chloé Dubois's repeat visit, re-confirmed with one signature (None, logged, if
    the rules say her consent needs giving afresh)."""
    patient = clinic.patient(RETURNING)
    treatment = "botulinum_toxin"
    before = next(
        c
        for c in consultations.for_patient(clinic.doctor, patient.id)
        if any(t["id"] == treatment for t in c.treatments) and c.screening is not None
    )
    planned = [dict(t) for t in before.treatments if t["id"] == treatment]
    info = consultations.start(clinic.doctor, patient.id)
    start = reconfirmation.repeat_start(clinic.doctor, info.id, [treatment])
    if start is None:
        _log.warning("the demo's returning patient has no valid consent: not re-confirmed")
        return None
    info = consultations.save(
        clinic.doctor,
        info.id,
        info.version,
        clinic.kb,
        step=ConsultationStep.SCREENING,
        treatments=planned,
        answers=dict(start.answers),
    )
    info = consultations.run_screening(clinic.doctor, info.id, info.version, clinic.kb)
    check = reconfirmation.check(clinic.doctor, info.id, treatment, clinic.templates, clinic.kb)
    if not check.allowed:
        _log.warning("the demo's returning patient needs a full consent: %s", check.differences)
        return None
    done = reconfirmation.reconfirm(
        clinic.doctor,
        info.id,
        treatment,
        patient_signature=SignatureInput(
            patient.full_name, clinic.signature(41), 480, 160, clinic.now
        ),
        templates=clinic.templates,
        kb=clinic.kb,
    )
    return done.id


def add_demo_visits(doctor: ServiceContext, *, signature: Callable[[int], Strokes]) -> DemoVisits:
    """Add the cases of issue 21 to the demo clinic, as its doctor (``signature(seed)``
    draws a plausible signature)."""
    clinic = _Clinic(doctor, signature)
    return DemoVisits(
        guardian_consent_id=_guardian_case(clinic),
        interpreter_consent_id=_interpreter_case(clinic),
        blocked_consultation_id=_blocked_case(clinic),
        reconfirmation_id=_returning_case(clinic),
    )
