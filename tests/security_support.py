"""Signed consent records built through the services, for the security and tamper tests.

The same path as ``tests/test_consent_service.py``: register, plan, screen, sign.
"""

from __future__ import annotations

import datetime as dt

from consult.knowledge.consent_templates import load_templates
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import consents, consultations
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentInfo, SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories

TEMPLATES = load_templates()
TREATMENT = "ha_filler"


def signature(name: str) -> SignatureInput:
    """A signature that passes the service's checks."""
    strokes = [[{"x": 10 + i * 6, "y": 40 + (i % 5) * 7, "t": i * 16, "p": 0.5} for i in range(30)]]
    return SignatureInput(
        name=name,
        strokes=strokes,
        width=480,
        height=160,
        signed_at=dt.datetime(2026, 11, 21, 10, 30, tzinfo=dt.UTC),
    )


def contexts(ctx: ServiceContext) -> dict[str, ServiceContext]:
    """A clinic with one user per role; a signed-in context for each."""
    return {role: ctx.signed_in(user) for role, user in factories.staff(ctx).items()}


def screened(
    clinic: dict[str, ServiceContext],
    *,
    given: str = "Zoë",
    family: str = "Lefèvre",
    product: tuple[int, int] | None = None,
    answers: dict[str, object] | None = None,
) -> tuple[PatientInfo, ConsultationInfo]:
    """A new patient with a consultation planned for :data:`TREATMENT`, screened clear."""
    doc = clinic["practitioner"]
    patient = patient_service.register(doc, factories.draft(given, family))
    kb = knowledge()
    if product is None:
        product = factories.product_with_lot(clinic["manager"], TREATMENT, name=f"HA {family}")
    info = consultations.start(doc, patient.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=[
            {
                "id": TREATMENT,
                "route": kb.treatment(TREATMENT).routes[0],
                "product_id": product[0],
                "lot_id": product[1],
            }
        ],
        answers=answers if answers is not None else factories.no_answers(),
    )
    return patient, consultations.run_screening(doc, info.id, info.version, kb)


def sign(clinic: dict[str, ServiceContext], info: ConsultationInfo) -> ConsentInfo:
    """Sign the consent for :data:`TREATMENT` of a screened consultation."""
    doc = clinic["practitioner"]
    text = consents.consent_text(doc, info.id, TREATMENT, TEMPLATES)
    return consents.sign(
        doc,
        info.id,
        TREATMENT,
        template_version=text.template_version,
        initials={section.id: "ZL" for section in text.sections},
        choices={"photographs": True, "data_processing": True},
        patient_signature=signature("Zoë Lefèvre"),
        practitioner_signature=signature("Dr Dana Doe"),
        templates=TEMPLATES,
        kb=knowledge(),
    )


def signed_consent(
    clinic: dict[str, ServiceContext], *, given: str = "Zoë", family: str = "Lefèvre"
) -> tuple[PatientInfo, ConsultationInfo, ConsentInfo]:
    """A patient with one signed consent form."""
    patient, info = screened(clinic, given=given, family=family)
    return patient, info, sign(clinic, info)
