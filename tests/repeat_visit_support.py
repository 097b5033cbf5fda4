"""Repeat visits for the roles table: a patient with a signed consent for
:data:`~tests.security_support.TREATMENT` back for a second visit, screened, and a
re-confirmation of it (issue 21)."""

from __future__ import annotations

from typing import Any

from consult.store.dto import ConsultationInfo
from consult.store.services import consultations, reconfirmation
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support


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
