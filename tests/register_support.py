"""Signed consent records for the register, reception and recall tests.

:func:`sign_one` goes through the services as a practitioner would (screening, overrides,
the sealed PDF). :func:`bulk_records` writes many register rows straight into the tables
(fake PDF and JSON) for the filter and sort tests, as the benchmark does.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from consult.knowledge.consent_templates import load_templates
from consult.store.database import Database
from consult.store.models import ConsentEvent, ConsentRecord, Consultation, utcnow
from consult.store.services import consents, consultations
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentInfo, SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories

TEMPLATES = load_templates()
JUSTIFICATION = "INR 2.1 checked today; cannula technique, firm pressure afterwards."
_lot_numbers = itertools.count(1)


def clinic(ctx: ServiceContext) -> dict[str, Any]:
    """One signed-in context per role, and room for the products made on the way."""
    people = factories.staff(ctx)
    out: dict[str, Any] = {role: ctx.signed_in(user) for role, user in people.items()}
    out["users"] = people
    out["products"] = {}
    return out


def scribble(offset: float = 0.0) -> list[list[dict[str, float]]]:
    return [
        [
            {"x": 10 + i * 6 + offset, "y": 40 + (i % 5) * 7, "t": i * 16, "p": 0.5}
            for i in range(30)
        ]
    ]


def product_for(clinic: dict[str, Any], treatment: str, lot: str | None = None) -> tuple[int, int]:
    """The clinic's product for a treatment (made once) and a lot of it."""
    from consult.store.services import products

    key = (treatment, lot)
    if key not in clinic["products"]:
        sources = knowledge().treatment(treatment).product_sources
        number = lot or f"LOT-{next(_lot_numbers):04d}"
        existing = next((v for k, v in clinic["products"].items() if k[0] == treatment), None)
        if existing is None:
            made = products.add_product(
                clinic["manager"],
                name=f"Product for {treatment}",
                manufacturer="Maker Ltd",
                source=sources[0] if sources else None,
                treatment_id=treatment,
            )
            product_id = made.id
        else:
            product_id = existing[0]
        made_lot = products.add_lot(
            clinic["manager"],
            product_id,
            lot_number=number,
            expiry_date=dt.date.today() + dt.timedelta(days=200),
            supplier="Supplier Ltd",
            supplier_accreditation="GMP certificate",
        )
        clinic["products"][key] = (product_id, made_lot.id)
    result: tuple[int, int] = clinic["products"][key]
    return result


def sign_one(
    clinic: dict[str, Any],
    treatment: str = "ha_filler",
    *,
    given: str = "Zoë",
    family: str = "Lefèvre",
    answers: dict[str, object] | None = None,
    lot: str | None = None,
    choices: dict[str, bool] | None = None,
    **patient_fields: object,
) -> ConsentInfo:
    """Register a patient and take one consent through the services (overrides justified)."""
    doc = clinic["practitioner"]
    kb = knowledge()
    patient = patient_service.register(doc, factories.draft(given, family, **patient_fields))
    product_id, lot_id = product_for(clinic, treatment, lot)
    info = consultations.start(doc, patient.id)
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
        answers=answers if answers is not None else factories.no_answers(),
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    for review in consultations.reviews(info):
        for rule in review.unjustified:
            info = consultations.decide(
                doc,
                info.id,
                info.version,
                treatment=treatment,
                rule=rule,
                justification=JUSTIFICATION,
            )
        for rule in review.unacknowledged:
            info = consultations.decide(doc, info.id, info.version, treatment=treatment, rule=rule)
    return sign_treatment(doc, info.id, treatment, f"{given} {family}", choices=choices)


def sign_treatment(
    doc: ServiceContext,
    consultation_id: int,
    treatment: str,
    patient_name: str = "Zoë Lefèvre",
    *,
    choices: dict[str, bool] | None = None,
) -> ConsentInfo:
    """Sign the consent for one treatment of a screened consultation, as shown; the
    patient agrees to photographs and to the use of their data unless ``choices`` says."""
    text = consents.consent_text(doc, consultation_id, treatment, TEMPLATES)
    now = dt.datetime.now(dt.UTC)
    return consents.sign(
        doc,
        consultation_id,
        treatment,
        template_version=text.template_version,
        initials={section.id: "ZL" for section in text.sections},
        choices=choices or {"photographs": True, "data_processing": True},
        patient_signature=SignatureInput(patient_name, scribble(), 480, 160, now),
        practitioner_signature=SignatureInput("Dr Dana Doe", scribble(3), 480, 160, now),
        templates=TEMPLATES,
        kb=knowledge(),
    )


def bulk_records(
    db: Database, patient_id: int, practitioner_ids: list[int], count: int, *, seed: int = 7
) -> list[dict[str, Any]]:
    """``count`` register rows with every mix of treatment, outcome, overrides and state,
    spread over the last 400 days; returns what was written.

    Each table's rows are written together (one flush per table, in the order of ``n``,
    so the ids are those one flush per row would give): a few hundred separate flushes
    took half a second.
    """
    import random

    rng = random.Random(seed)
    treatments = ("exosome", "prp", "ha_filler", "botulinum_toxin")
    written: list[dict[str, Any]] = []
    now = utcnow().replace(microsecond=0)
    with db.session() as session:
        practitioners = [practitioner_ids[n % len(practitioner_ids)] for n in range(count)]
        visits = [
            Consultation(
                patient_id=patient_id,
                practitioner_id=practitioner,
                consultation_date=dt.date.today(),
                jurisdiction="GB",
                status="consented",
            )
            for practitioner in practitioners
        ]
        session.add_all(visits)
        session.flush()
        rows: list[ConsentRecord] = []
        for n, (practitioner, consultation) in enumerate(zip(practitioners, visits, strict=True)):
            outcome = ("clear", "caution", "relative")[n % 3]
            state = ("signed", "signed", "withdrawn", "voided")[rng.randrange(4)]
            # Pairs of records share a signing time, so the tie-breaks are exercised.
            signed_at = now - dt.timedelta(days=(n // 2) * 3, minutes=n % 2 * 0)
            rows.append(
                ConsentRecord(
                    document_number=f"B-{n:05d}",
                    consultation_id=consultation.id,
                    patient_id=patient_id,
                    practitioner_id=practitioner,
                    treatment_id=treatments[rng.randrange(len(treatments))],
                    template_version="v1",
                    signed_at=signed_at,
                    has_overrides=outcome == "relative",
                    outcome=outcome,
                    document_json="{}",
                    document_sha256="0" * 64,
                    pdf=b"%PDF-fake",
                    pdf_sha256="0" * 64,
                    state=state,
                )
            )
        session.add_all(rows)
        session.flush()
        for practitioner, row in zip(practitioners, rows, strict=True):
            if row.state != "signed":
                session.add(
                    ConsentEvent(
                        consent_id=row.id, kind=row.state, reason="bulk test", user_id=practitioner
                    )
                )
            written.append(
                {
                    "id": row.id,
                    "document_number": row.document_number,
                    "practitioner_id": practitioner,
                    "treatment_id": row.treatment_id,
                    "signed_at": row.signed_at,
                    "outcome": row.outcome,
                    "has_overrides": row.has_overrides,
                    "state": row.state,
                }
            )
    return written
