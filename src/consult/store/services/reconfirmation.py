"""Repeat visits: starting from the last intake, and re-confirming a consent with one
signature where nothing the rules read has changed (issue 21, docs/repeat-visits.md).

:func:`repeat_start` says which planned treatments have a consent still valid and gives
the patient's last intake to confirm section by section. Once the consultation is
screened, :func:`check` compares it with the visit the consent was signed on
(:func:`consult.domain.reconfirmation.compare`): the answers the current rules read, the
ages they test, the findings, the consent text's version and the product. Where nothing
differs, :func:`reconfirm` seals the patient's one signature as a re-confirmation record
(``consult.reconfirmation/1``: the original's document number and SHA-256, what was
screened again, the signature, the practitioner), its PDF signed by the clinic like a
consent's, with the treatment record and the audit entry in the same transaction.
Anything else needs a full consent, and the check says why.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents import paper
from consult.documents.reconfirmation_pdf import statement
from consult.domain import clinic_zone
from consult.domain.canonical import sha256_hex
from consult.domain.errors import IntakeError
from consult.domain.intake import Intake, answer_state, parse_intake
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import SOURCE_LANGUAGE
from consult.domain.reconfirmation import (
    SCHEMA,
    Change,
    Difference,
    Standing,
    Validity,
    VisitFacts,
    age_limits,
    compare,
    reconfirmation_number,
    rule_reads,
    seal_reconfirmation,
)
from consult.domain.review import review
from consult.domain.roles import Role
from consult.domain.signatures import signature_problem
from consult.domain.states import ConsultationStatus
from consult.knowledge.consent_templates import ConsentTemplate
from consult.proof.press import FormKind
from consult.store import audit
from consult.store.consultation_end import end_if_settled, refuse_not_given
from consult.store.domain_refusals import domain_refusal
from consult.store.dto import ConsentInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
    SealedRecordError,
    Term,
    ValidationError,
    listed,
)
from consult.store.models import (
    Clinic,
    ConsentReconfirmation,
    ConsentRecord,
    Consultation,
    Patient,
    Product,
    ProductLot,
    User,
    utcnow,
)
from consult.store.services.clinic_signing import press_sealed
from consult.store.services.consent_validity import (
    latest_consent,
    standing_of,
)
from consult.store.services.consents import (
    SignatureInput,
    add_planned_treatment,
    consent_info,
    patient_risk,
)
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RepeatStart:
    """Where a repeat visit starts: the patient's last intake, and the planned
    treatments whose consent is still valid."""

    answers: Mapping[str, Any]
    """The last intake's answers (the consultation of ``consultation_id``)."""
    consultation_id: int
    consultation_date: dt.date
    valid: Mapping[str, Standing]
    """By treatment id: the consent's standing (valid, until a date)."""


@dataclass(frozen=True)
class ReconfirmCheck:
    """Whether one treatment of a screened consultation may be re-confirmed."""

    treatment_id: str
    original: ConsentInfo | None
    standing: Standing | None
    differences: tuple[Difference, ...]

    @property
    def allowed(self) -> bool:
        """Nothing new: one signature re-confirms the original."""
        return self.original is not None and not self.differences


@dataclass(frozen=True)
class ReconfirmationInfo:
    """A sealed re-confirmation, without its PDF bytes."""

    id: int
    document_number: str
    consent_id: int
    consultation_id: int
    patient_id: int
    treatment_id: str
    session_number: int
    signed_at: dt.datetime
    document_sha256: str
    pdf_sha256: str
    signed: bool


def reconfirmation_info(row: ConsentReconfirmation) -> ReconfirmationInfo:
    """The plain view of a re-confirmation record."""
    return ReconfirmationInfo(
        id=row.id,
        document_number=row.document_number,
        consent_id=row.consent_id,
        consultation_id=row.consultation_id,
        patient_id=row.patient_id,
        treatment_id=row.treatment_id,
        session_number=row.session_number,
        signed_at=row.signed_at,
        document_sha256=row.document_sha256,
        pdf_sha256=row.pdf_sha256,
        signed=row.signed_pdf is not None,
    )


def reconfirmed_treatments(session: Session, consultation_id: int) -> set[str]:
    """The treatments of a consultation re-confirmed in it."""
    return set(
        session.execute(
            select(ConsentReconfirmation.treatment_id).where(
                ConsentReconfirmation.consultation_id == consultation_id
            )
        ).scalars()
    )


# Where a repeat visit starts ------------------------------------------------------------


def repeat_start(
    ctx: ServiceContext, consultation_id: int, treatment_ids: Sequence[str]
) -> RepeatStart | None:
    """The last intake to start the consultation from, if any planned treatment has a
    consent still valid (None: a first visit, or every consent to be given afresh)."""
    ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        day = row.consultation_date
        valid: dict[str, Standing] = {}
        for treatment_id in dict.fromkeys(treatment_ids):
            consent = latest_consent(
                session, row.patient_id, treatment_id, before_consultation=row.id
            )
            if consent is None:
                continue
            found = standing_of(session, consent, day)
            if found.validity == Validity.VALID:
                valid[treatment_id] = found
        if not valid:
            return None
        last = session.execute(
            select(Consultation)
            .where(
                Consultation.patient_id == row.patient_id,
                Consultation.id != row.id,
                Consultation.status == ConsultationStatus.CONSENTED,
            )
            .order_by(Consultation.consultation_date.desc(), Consultation.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if last is None:
            return None
        return RepeatStart(dict(last.answers), last.id, last.consultation_date, valid)


# Whether a treatment may be re-confirmed ------------------------------------------------


def _facts(
    row: Consultation, treatment_id: str, kb: KnowledgeBase, template_version: str
) -> tuple[VisitFacts, Intake]:
    """What the comparison reads of a screened consultation; IntakeError if its stored
    intake does not read under the current knowledge base."""
    assert row.screening is not None
    intake = parse_intake(row.screening["intake"], kb)
    planned = next(t for t in row.treatments if t["id"] == treatment_id)
    entry = next(e for e in row.screening["result"]["results"] if e["treatment"] == treatment_id)
    facts = VisitFacts(
        date_of_birth=intake.patient.date_of_birth,
        consultation_date=intake.consultation_date,
        effective_answers=answer_state(intake, kb).effective,
        findings=frozenset(str(f["rule"]) for f in entry.get("findings", [])),
        template_version=template_version,
        product_id=planned.get("product_id"),
        route=str(planned.get("route")),
    )
    return facts, intake


def _check(
    session: Session,
    row: Consultation,
    treatment_id: str,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase,
) -> tuple[ReconfirmCheck, ConsentRecord | None]:
    if row.screening is None or row.rule_set_version != kb.version:
        raise ValidationError(
            "screening",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Screen the consultation with the rules in force.")
            ),
        )
    if not any(t["id"] == treatment_id for t in row.treatments):
        raise ValidationError(
            "treatment",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "%1 is not planned in this consultation."),
                Term("treatment", treatment_id),
            ),
        )
    consent = latest_consent(session, row.patient_id, treatment_id, before_consultation=row.id)
    if consent is None:
        return ReconfirmCheck(treatment_id, None, None, (Difference(Change.NO_CONSENT),)), None
    found = standing_of(session, consent, row.consultation_date)
    if found.validity != Validity.VALID:
        return (
            ReconfirmCheck(
                treatment_id,
                consent_info(consent),
                found,
                (Difference(Change.NOT_VALID, (found.validity.value,)),),
            ),
            consent,
        )
    template = templates.get(treatment_id)
    current_version = template.version if template is not None else ""
    original_row = session.get(Consultation, consent.consultation_id)
    assert original_row is not None  # a foreign key
    now, intake = _facts(row, treatment_id, kb, current_version)
    planned = next(t for t in intake.treatments if t.id == treatment_id)
    reads = rule_reads(kb, treatment_id, planned.route, planned.product_source)
    try:
        before, _ = _facts(original_row, treatment_id, kb, consent.template_version)
    except IntakeError:
        _log.info("the intake of consultation %s no longer reads", original_row.id)
        differences: tuple[Difference, ...] = (Difference(Change.ANSWER, tuple(sorted(reads))),)
    else:
        differences = compare(
            before,
            now,
            reads=reads,
            ages=age_limits(kb, treatment_id, planned.route, planned.product_source),
        )
    return ReconfirmCheck(treatment_id, consent_info(consent), found, differences), consent


def check(
    ctx: ServiceContext,
    consultation_id: int,
    treatment_id: str,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase,
) -> ReconfirmCheck:
    """Whether a treatment of a screened consultation may be re-confirmed with one
    signature, and if not, what needs the full consent."""
    ctx.require("take consent", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        return _check(session, row, treatment_id, templates, kb)[0]


# Sealing a re-confirmation --------------------------------------------------------------


def _signature(sig: SignatureInput) -> dict[str, Any]:
    problem = signature_problem(sig.strokes)
    if problem:
        raise ValidationError("patient_signature", domain_refusal(problem))
    if not sig.name.strip():
        raise ValidationError(
            "patient_signature",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The signer's printed name is required.")),
        )
    return {
        "role": "patient",
        "name": sig.name.strip(),
        "meaning": "consent re-confirmed",
        "signed_at": sig.signed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "width": int(sig.width),
        "height": int(sig.height),
        "strokes": [
            [{k: point[k] for k in ("x", "y", "t", "p") if k in point} for point in stroke]
            for stroke in sig.strokes
        ],
    }


def _ready(row: Consultation, treatment_id: str) -> dict[str, Any]:
    """The treatment's screening entry, if it may go to consent."""
    if row.status not in (ConsultationStatus.DRAFT, ConsultationStatus.SCREENED):
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This consultation is %1."),
                Term("status", row.status),
            ),
        )
    assert row.screening is not None
    for item in review(row.screening["result"], row.overrides):
        if item.treatment == treatment_id and not item.can_consent:
            raise ValidationError(
                "treatment",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 cannot go to consent: screening says %2."),
                    Term("treatment", treatment_id),
                    item.status,
                ),
            )
    return next(e for e in row.screening["result"]["results"] if e["treatment"] == treatment_id)


def _document(
    session: Session,
    row: Consultation,
    consent: ConsentRecord,
    entry: Mapping[str, Any],
    standing: Standing,
    kb: KnowledgeBase,
    signature: dict[str, Any],
    number: str,
    signed_at: dt.datetime,
    practitioner: User,
) -> dict[str, Any]:
    patient = session.get(Patient, row.patient_id)
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    assert patient is not None
    planned = next(t for t in row.treatments if t["id"] == consent.treatment_id)
    product = session.get(Product, planned["product_id"])
    lot = session.get(ProductLot, planned["lot_id"])
    original = json.loads(consent.document_json)
    # The sections confirmed at the intake (saved with the draft); for a visit saved
    # without them, the sections answered.
    sections = set(row.section_confirmations or ()) or {
        q.section for q in kb.questions if q.id in row.answers
    }
    # Sealed in the patient's language, as the form prints it: the names, the findings
    # in the patient's words and the statement they sign (English standing in).
    language = patient.language or SOURCE_LANGUAGE
    texts = kb.texts(language)
    return {
        "schema": SCHEMA,
        "language": language,
        "document_number": number,
        "clinic": {
            "name": clinic.name,
            "address": clinic.address,
            "jurisdiction": clinic.jurisdiction,
        },
        "patient": {
            "id": patient.id,
            "full_name": f"{patient.given_name} {patient.family_name}",
            "date_of_birth": patient.date_of_birth.isoformat(),
        },
        "consultation": {"id": row.id, "date": row.consultation_date.isoformat()},
        "treatment": {
            "id": consent.treatment_id,
            "name": texts.label("treatment", consent.treatment_id).text,
            "route": planned["route"],
            "route_label": texts.label("route", planned["route"]).text,
            "product": None
            if product is None or lot is None
            else {
                "name": product.name,
                "manufacturer": product.manufacturer,
                "source": product.source,
                "lot": lot.lot_number,
                "expiry": lot.expiry_date.isoformat(),
            },
        },
        "original": {
            "document_number": consent.document_number,
            "document_sha256": consent.document_sha256,
            "signed_at": consent.signed_at.isoformat(timespec="seconds"),
            "template_version": consent.template_version,
            "language": original.get("language", "en"),
        },
        **({"course": standing.course.to_json()} if standing.course is not None else {}),
        "session": standing.next_session,
        "valid_until": standing.valid_until.isoformat() if standing.valid_until else None,
        "rescreened": {
            "rule_set_version": row.rule_set_version,
            "outcome": entry["outcome"],
            "findings": [
                {
                    "rule": f["rule"],
                    "severity": f["severity"],
                    "patient_risk": str(patient_risk(f, texts)),
                }
                for f in entry.get("findings", [])
                if not f.get("same_as")
            ],
            "sections": len(sections),
        },
        "statement": statement(language),
        "signatures": [signature],
        "practitioner": {
            "name": practitioner.display_name,
            "qualification": texts.label("qualification", practitioner.qualification).text
            if practitioner.qualification
            else None,
        },
        "signed_at": signed_at.isoformat(timespec="seconds"),
    }


def _zone_and_paper(session: Session) -> tuple[dt.tzinfo | None, paper.Paper]:
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    settings = clinic.settings or {}
    return (
        clinic_zone.clinic_zone(settings.get(clinic_zone.SETTING)),
        paper.paper_for(clinic.jurisdiction, settings.get(paper.SETTING)),
    )


def reconfirm(
    ctx: ServiceContext,
    consultation_id: int,
    treatment_id: str,
    *,
    patient_signature: SignatureInput,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase,
) -> ReconfirmationInfo:
    """Seal the patient's re-confirmation of a treatment's valid consent: one
    transaction, all or nothing; refused (saying why) where a full consent is needed."""
    user = ctx.require("take consent", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id, with_for_update=True)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        if row.practitioner_id != user.id:
            raise ValidationError(
                "practitioner",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Only the practitioner of this consultation takes consent."
                    )
                ),
            )
        if (
            treatment_id in reconfirmed_treatments(session, row.id)
            or session.execute(
                select(ConsentRecord.id).where(
                    ConsentRecord.consultation_id == row.id,
                    ConsentRecord.treatment_id == treatment_id,
                )
            ).first()
        ):
            raise SealedRecordError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Consent for %1 is already given in this visit."
                    ),
                    Term("treatment", treatment_id),
                )
            )
        result, consent = _check(session, row, treatment_id, templates, kb)
        if not result.allowed or consent is None or result.standing is None:
            raise ValidationError(
                "reconfirmation",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "A full consent is needed: %1"),
                    listed([d.change.value for d in result.differences]),
                ),
            )
        entry = _ready(row, treatment_id)
        refuse_not_given(session, row, treatment_id)
        practitioner = session.get(User, user.id)
        assert practitioner is not None
        signature = _signature(patient_signature)
        signed_at = utcnow().replace(microsecond=0)
        position = [t["id"] for t in row.treatments].index(treatment_id) + 1
        number = reconfirmation_number(row.consultation_date.year, row.id, position)
        sealed = seal_reconfirmation(
            _document(
                session,
                row,
                consent,
                entry,
                result.standing,
                kb,
                signature,
                number,
                signed_at,
                practitioner,
            )
        )
        zone, sheet = _zone_and_paper(session)
        pressed = press_sealed(
            ctx,
            session,
            sealed,
            number,
            zone=zone,
            paper=sheet,
            kb=kb,
            kind=FormKind.RECONFIRMATION,
        )
        pdf, signed_form = pressed.pdf, pressed.signed
        pdf_hash = sha256_hex(pdf)
        record = ConsentReconfirmation(
            document_number=number,
            consent_id=consent.id,
            consultation_id=row.id,
            patient_id=row.patient_id,
            practitioner_id=user.id,
            treatment_id=treatment_id,
            session_number=result.standing.next_session,
            signed_at=signed_at,
            document_json=sealed.canonical.decode("utf-8"),
            document_sha256=sealed.sha256,
            pdf=pdf,
            pdf_sha256=pdf_hash,
            signed_pdf=signed_form.data if signed_form is not None else None,
        )
        session.add(record)
        # The session's treatment record, against the consent it was given under.
        add_planned_treatment(session, row, treatment_id, consent.id, user.id)
        session.flush()
        row.updated_at = utcnow()  # its version moves, as at a signing
        audit.append(
            session,
            ctx.actor,
            "consent.reconfirmed",
            record_type="reconfirmation",
            record_id=record.id,
            patient_id=row.patient_id,
            details={
                "document_number": number,
                "consent": consent.document_number,
                "consent_sha256": consent.document_sha256,
                "treatment": treatment_id,
                "session": record.session_number,
                "document_sha256": sealed.sha256,
                "pdf_sha256": pdf_hash,
                **(
                    {
                        "signed_pdf_sha256": sha256_hex(signed_form.data),
                        "certificate_sha256": signed_form.certificate_sha256,
                        "timestamped": signed_form.timestamped,
                    }
                    if signed_form is not None
                    else {}
                ),
            },
        )
        # Re-confirmed last, the others settled: the consultation ends (consultation_end).
        end_if_settled(session, ctx.actor, row, "consent.reconfirmed")
        session.flush()
        return reconfirmation_info(record)


# Reading them back ----------------------------------------------------------------------


def for_patient(ctx: ServiceContext, patient_id: int) -> list[ReconfirmationInfo]:
    """A patient's re-confirmations, newest first."""
    ctx.require("find signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(ConsentReconfirmation)
            .where(ConsentReconfirmation.patient_id == patient_id)
            .order_by(ConsentReconfirmation.signed_at.desc(), ConsentReconfirmation.id.desc())
        ).scalars()
        return [reconfirmation_info(row) for row in rows]


def pdf(ctx: ServiceContext, reconfirmation_id: int) -> bytes:
    """The re-confirmation form as the clinic signed it (its sealed PDF if unsigned);
    practitioners and managers; logged."""
    ctx.require("open signed consent forms", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentReconfirmation, reconfirmation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Re-confirmation %1 does not exist."),
                    reconfirmation_id,
                )
            )
        audit.append(
            session,
            ctx.actor,
            "reconfirmation.viewed",
            record_type="reconfirmation",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"document_number": row.document_number},
        )
        return bytes(row.signed_pdf if row.signed_pdf is not None else row.pdf)


def verify(ctx: ServiceContext, reconfirmation_id: int) -> list[str]:
    """What is wrong with a stored re-confirmation (empty: nothing): its record's hash,
    its PDF's, the signed PDF beginning with the sealed one, and the consent it names."""
    ctx.require("verify signed forms", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentReconfirmation, reconfirmation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Re-confirmation %1 does not exist."),
                    reconfirmation_id,
                )
            )
        problems: list[str] = []
        document = json.loads(row.document_json)
        if seal_reconfirmation(document).sha256 != row.document_sha256:
            problems.append("the record does not match its SHA-256")
        if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
            problems.append("the PDF does not match its SHA-256")
        if row.signed_pdf is not None and not bytes(row.signed_pdf).startswith(bytes(row.pdf)):
            problems.append("the signed PDF does not begin with the sealed one")
        consent = session.get(ConsentRecord, row.consent_id)
        named = document.get("original", {})
        if consent is None or (
            named.get("document_number"),
            named.get("document_sha256"),
        ) != (consent.document_number, consent.document_sha256):
            problems.append("the consent it names is not the one stored")
        return problems
