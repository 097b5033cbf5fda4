"""Repeat visits (issue 21). For the roles table: a patient with a signed consent for
:data:`~tests.security_support.TREATMENT` back for a second visit, screened, and a
re-confirmation of it. For the repeat visit's screens (at the desk and in patient mode):
a returning toxin patient whose consent is still valid, and their new consultation
brought to the intake."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.dto import ConsultationInfo
from consult.store.services import consents, consultations, reconfirmation
from consult.store.services.context import ServiceContext
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from tests import factories, security_support
from tests.test_repeat_visit import TEMPLATES, signature


def second_visit(clinic: dict[str, ServiceContext], family: str) -> ConsultationInfo:
    """A new patient's second visit, screened, the first one's consent still valid."""
    doc = clinic["practitioner"]
    product = factories.product_with_lot(
        clinic["manager"], security_support.TREATMENT, name=f"HA {family}"
    )
    _patient, first = security_support.screened(clinic, family=family, product=product)
    security_support.sign(clinic, first)
    kb = knowledge()
    info = consultations.start(doc, first.patient_id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=[dict(t) for t in first.treatments],
        answers=dict(first.answers),
    )
    return consultations.run_screening(doc, info.id, info.version, kb)


def reconfirm(c: ServiceContext, info: ConsultationInfo) -> Any:
    """Re-confirm the treatment of ``info`` as ``c``."""
    return reconfirmation.reconfirm(
        c,
        info.id,
        security_support.TREATMENT,
        patient_signature=security_support.signature("Zoë"),
        templates=security_support.TEMPLATES,
        kb=knowledge(),
    )


def a_reconfirmation(clinic: dict[str, ServiceContext], family: str) -> int:
    """A sealed re-confirmation's id."""
    return reconfirm(clinic["practitioner"], second_visit(clinic, family)).id


# --- a returning toxin patient, for the repeat visit's screens ------------------------------

TOXIN = "botulinum_toxin"


def returning_patient(
    db: Database, language: str = "en", family: str | None = None
) -> dict[str, Any]:
    """A new clinic's patient (reading ``language``; named ``family`` if given, which
    also names the product, so that two in one database stay apart) whose toxin consent,
    signed at the last visit, is still valid: ``ctx``, ``people`` (the clinic's staff),
    ``doctor`` (the practitioner who signed it), ``patient``, ``product`` (its one lot)
    and ``original`` (the signed consent)."""
    ctx = ServiceContext(db)
    people = factories.staff(ctx)
    doc = ctx.signed_in(people["practitioner"])
    named = {} if family is None else {"family": family}
    product_name = "Azzalure" if family is None else f"Azzalure {family}"
    product = factories.product(ctx, people["manager"], TOXIN, product_name)
    patient = factories.patient(ctx, people["practitioner"], **named, language=language)
    kb = knowledge()
    info = consultations.start(doc, patient.id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=[
            {
                "id": TOXIN,
                "route": "intramuscular",
                "product_id": product.id,
                "lot_id": product.lots[0].id,
            }
        ],
        answers=factories.no_answers(treatments=[TOXIN]),
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    text = consents.consent_text(doc, info.id, TOXIN, TEMPLATES)
    original = consents.sign(
        doc,
        info.id,
        TOXIN,
        template_version=text.template_version,
        initials={s.id: "ZL" for s in text.sections},
        choices={"photographs": True, "data_processing": True},
        patient_signature=signature("Zoë Lefèvre"),
        practitioner_signature=signature("Dr Dana Doe"),
        templates=TEMPLATES,
        kb=kb,
    )
    return {
        "ctx": ctx,
        "people": people,
        "doctor": people["practitioner"],
        "patient": patient,
        "product": product,
        "original": original,
    }


def wizard_at_intake(
    qtbot: Any, session: AppSession, returning: dict[str, Any]
) -> ConsultationWizard:
    """The returning patient's new consultation at 1366x768, the toxin and its product
    chosen and Next clicked: shown at the intake, which starts from the last one."""
    patient = returning["patient"]
    info = consultations.start(session.ctx, patient.id)
    wizard = ConsultationWizard(session, patient, info)
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.is_loaded)
    row = wizard.treatments_page.rows[0]
    row.treatment.setCurrentIndex(row.treatment.findData(TOXIN))
    row.product.setCurrentIndex(row.product.findData(returning["product"].id))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == "intake" and not wizard.busy, timeout=10_000)
    return wizard
