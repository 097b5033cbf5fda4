"""Informed consent: the text to sign, sealing the signed record, and its later events.

Signing is one transaction: the sealed document (its RFC 8785 canonical JSON, schema
``consult.consent/2``, and their SHA-256), the PDF rendered from it (and its SHA-256),
the treatment record and the audit entries are written together or not at all. A sealed
record is never updated; withdrawal and voiding are events added beside it.

The stored PDF leaves the database in three ways: as the original (practitioners and
managers view or save it: the sealed form as the clinic signed it, :func:`original_of`),
as a printed copy (anyone at the desk may print: "Copy" and the date
on every page, or a VOID or WITHDRAWN watermark with the date and reason), and as a
print preview (reception sees only who signed what, never the health pages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents import paper
from consult.documents.consent_pdf import (
    CopyMark,
    form_language,
    render_reception_view,
)
from consult.documents.copies import marked_copy
from consult.domain import clinic_zone
from consult.domain.canonical import sha256_hex
from consult.domain.consent_document import (
    SCHEMA,
    answer_text,
    check_sections_initialled,
    document_number,
    local_answer_text,
    seal,
)
from consult.domain.consent_signers import SignerNeeds
from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.domain.knowledge_texts import (
    SOURCE_LANGUAGE,
    KnowledgeTexts,
    LocalText,
    question_key,
    rule_key,
)
from consult.domain.reconfirmation import course_entry
from consult.domain.review import review
from consult.domain.roles import Role
from consult.domain.signatures import signature_problem
from consult.domain.states import ConsentState, ConsultationStatus
from consult.knowledge.consent_templates import ConsentTemplate, RenderedSection, render_for
from consult.store import audit
from consult.store.consent_events import HANDED_OVER, PRINTED, STATE_EVENTS, state_after
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
)
from consult.store.models import (
    Clinic,
    ConsentEvent,
    ConsentRecord,
    Consultation,
    Patient,
    Product,
    ProductLot,
    TreatmentRecord,
    User,
    utcnow,
)
from consult.store.services.clinic_signing import press_sealed
from consult.store.services.consent_signers import SignerInput, needs_of, signer_entries
from consult.store.services.context import ServiceContext
from consult.store.services.patient_answers import patient_answer_of
from consult.store.services.products import refuse_quarantined

_TAKES_CONSENT = (
    ConsultationStatus.DRAFT,
    ConsultationStatus.SCREENED,
    ConsultationStatus.CONSENTED,
)
"""A consultation in these may take a consent (one closed without consent may not)."""


@dataclass(frozen=True)
class ConsentText:
    """What the patient reads before signing, for one treatment of a consultation."""

    consultation_id: int
    treatment_id: str
    template_id: str
    template_version: str
    title: str
    sections: tuple[RenderedSection, ...]
    language: str = SOURCE_LANGUAGE
    """The patient's language, the one the text was rendered in (issue 18)."""
    title_untranslated: bool = False
    """Whether the title is the English standing in for a translation (to be marked)."""
    translation_version: str | None = None
    """The version of the template's translation into ``language`` (None in English)."""
    choice_words: Mapping[str, LocalText] = dataclasses.field(default_factory=dict)
    """The words of the photograph and data choices' answers in ``language``, by id
    (``yes``, ``no``)."""
    signers: SignerNeeds = dataclasses.field(default_factory=SignerNeeds)
    """Which extra signers (guardian, witness, interpreter) the consent takes (issue 21)."""

    @property
    def untranslated(self) -> bool:
        """Whether any part of the text is English standing in for a translation."""
        return self.title_untranslated or any(s.untranslated for s in self.sections)


@dataclass(frozen=True)
class SealedOriginal:
    """The original of a signed form, as it leaves Consult to be shown, saved or sent.

    ``signed``: the sealed form signed by the clinic (PAdES), the bytes ``consult verify
    FILE`` checks on their own; they start with the sealed bytes, which keep their hash.
    False for a form sealed before forms were signed: the sealed bytes alone, which only
    the clinic's database vouches for (``consult verify`` without a file).
    """

    data: bytes
    signed: bool


def original_of(row: ConsentRecord) -> SealedOriginal:
    """The original of ``row``: its signed PDF, or its sealed PDF if it has none."""
    if row.signed_pdf is not None:
        return SealedOriginal(bytes(row.signed_pdf), signed=True)
    return SealedOriginal(bytes(row.pdf), signed=False)


@dataclass(frozen=True)
class SignatureInput:
    """One signature captured on the pad."""

    name: str
    strokes: Sequence[Sequence[Mapping[str, Any]]]
    width: int
    height: int
    signed_at: dt.datetime


def consent_info(row: ConsentRecord) -> ConsentInfo:
    """The plain view of a consent record; its state is the register's copy of the events."""
    return ConsentInfo(
        id=row.id,
        document_number=row.document_number,
        consultation_id=row.consultation_id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        treatment_id=row.treatment_id,
        template_version=row.template_version,
        signed_at=row.signed_at,
        outcome=row.outcome,
        has_overrides=row.has_overrides,
        document_sha256=row.document_sha256,
        pdf_sha256=row.pdf_sha256,
        state=ConsentState(row.state),
        language=form_language(json.loads(row.document_json)),
    )


_SCREEN_FIRST = ErrorText(
    QT_TRANSLATE_NOOP("StoreErrors", "Screen the consultation before consent.")
)


def _screening_entry(row: Consultation, treatment_id: str) -> Mapping[str, Any]:
    if row.screening is None:
        raise ValidationError("screening", _SCREEN_FIRST)
    for entry in row.screening["result"]["results"]:
        if entry["treatment"] == treatment_id:
            return dict(entry)
    raise ValidationError(
        "treatment",
        ErrorText(
            QT_TRANSLATE_NOOP("StoreErrors", "%1 is not planned in this consultation."),
            Term("treatment", treatment_id),
        ),
    )


def _decisions(row: Consultation, treatment_id: str) -> list[dict[str, Any]]:
    """The latest decision per finding of one treatment."""
    latest: dict[str, dict[str, Any]] = {}
    for decision in row.overrides:
        if decision.get("treatment") == treatment_id:
            latest[str(decision["rule"])] = dict(decision)
    return list(latest.values())


def _product_source(session: Session, row: Consultation, treatment_id: str) -> str | None:
    """Where the product planned for the treatment comes from (None: no product, or none
    recorded)."""
    planned = next((t for t in row.treatments if t["id"] == treatment_id), None)
    if planned is None or planned.get("product_id") is None:
        return None
    product = session.get(Product, planned["product_id"])
    return product.source if product is not None else None


def _patient_language(session: Session, row: Consultation) -> str:
    """The language the patient of ``row`` reads (English if none is recorded)."""
    patient = session.get(Patient, row.patient_id)
    return (patient.language if patient is not None else None) or SOURCE_LANGUAGE


def patient_risk(finding: Mapping[str, Any], texts: KnowledgeTexts | None) -> str | LocalText:
    """A finding's patient_risk sentence in the patient's language (``texts``'s): as the
    screening stored it in English, else the rule's translation, or the stored English
    marked untranslated. Without ``texts``, the stored sentence (translated only in
    English)."""
    stored = str(finding.get("patient_risk") or "")
    if texts is None or texts.language == SOURCE_LANGUAGE or not stored:
        return stored
    return texts.text(rule_key(str(finding.get("rule", "")), "patient_risk"), stored)


def _render(
    session: Session,
    row: Consultation,
    treatment_id: str,
    template: ConsentTemplate,
    kb: KnowledgeBase | None = None,
) -> ConsentText:
    """The text the patient reads: the template for the clinic's jurisdiction and the
    planned product's source (a human-derived product adds the donor-derived infection
    risk, say), with the screening's patient-specific risks and, for each risk the
    practitioner went ahead with, the justification; in the patient's language, English
    standing in (flagged) where a translation is missing. ``kb`` gives the risk sentences'
    translations (without it, they stay English and are flagged outside English)."""
    entry = _screening_entry(row, treatment_id)
    language = _patient_language(session, row)
    texts = kb.texts(language) if kb is not None else None
    # Each finding in the patient's words (its patient_risk sentence), once: a finding the
    # same as another's is left out, and no rule id or practitioner's message is shown.
    findings = [f for f in entry.get("findings", []) if not f.get("same_as")]
    risks = [patient_risk(f, texts) for f in findings if f["severity"] in ("caution", "relative")]
    plain = {f["rule"]: patient_risk(f, texts) for f in findings}
    overrides = [
        (plain.get(d["rule"]) or "A risk found by the screening", d["justification"])
        for d in _decisions(row, treatment_id)
        if d.get("kind") == "justified"
    ]
    sections = render_for(
        template,
        row.jurisdiction,
        risks,
        overrides,
        product_source=_product_source(session, row, treatment_id),
        language=language,
    )
    title = template.title_for(language)
    return ConsentText(
        row.id,
        treatment_id,
        template.id,
        template.version,
        title.text,
        tuple(sections),
        language=language,
        title_untranslated=not title.translated,
        translation_version=template.translation_version(language),
        choice_words={
            answer: texts.answer(answer)
            if texts is not None
            else LocalText(english, language == SOURCE_LANGUAGE, language)
            for answer, english in (("yes", "Yes"), ("no", "No"))
        },
        signers=needs_of(session, row, treatment_id),
    )


def _ready(row: Consultation, treatment_id: str) -> None:
    if row.status not in _TAKES_CONSENT:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "This consultation is %1: no consent can be taken in it."
                ),
                Term("status", row.status),
            ),
        )
    if row.screening is None:
        raise ValidationError("screening", _SCREEN_FIRST)
    for item in review(row.screening["result"], row.overrides):
        if item.treatment == treatment_id:
            if not item.can_consent:
                raise ValidationError(
                    "treatment",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "%1 cannot go to consent: screening says %2."
                        ),
                        Term("treatment", treatment_id),
                        item.status,
                    ),
                )
            return
    raise ValidationError(
        "treatment",
        ErrorText(
            QT_TRANSLATE_NOOP("StoreErrors", "%1 is not planned in this consultation."),
            Term("treatment", treatment_id),
        ),
    )


def consent_text(
    ctx: ServiceContext,
    consultation_id: int,
    treatment_id: str,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase | None = None,
) -> ConsentText:
    """The consent text for one treatment, with the patient-specific risks inserted, in
    the patient's language (``kb`` translates the risk sentences: pass it, as
    :func:`sign` is given it, so that the text shown is the one sealed)."""
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
        _ready(row, treatment_id)
        refuse_not_given(session, row, treatment_id)
        return _render(session, row, treatment_id, _template(templates, treatment_id), kb)


def _template(templates: Mapping[str, ConsentTemplate], treatment_id: str) -> ConsentTemplate:
    try:
        return templates[treatment_id]
    except KeyError as exc:
        raise ValidationError(
            "treatment",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "no consent template for %1"),
                Term("treatment", treatment_id),
            ),
        ) from exc


def _signature(
    sig: SignatureInput, role: str, meaning: str, field: str, qualification: str | None
) -> dict[str, Any]:
    problem = signature_problem(sig.strokes)
    if problem:
        raise ValidationError(field, domain_refusal(problem))
    if not sig.name.strip():
        raise ValidationError(
            field,
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The signer's printed name is required.")),
        )
    return {
        "role": role,
        "name": sig.name.strip(),
        "qualification": qualification,
        "meaning": meaning,
        "signed_at": sig.signed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "width": int(sig.width),
        "height": int(sig.height),
        "strokes": [
            [{k: point[k] for k in ("x", "y", "t", "p") if k in point} for point in stroke]
            for stroke in sig.strokes
        ],
    }


def _build_document(
    session: Session,
    row: Consultation,
    text: ConsentText,
    kb: KnowledgeBase,
    initials: Mapping[str, str],
    choices: Mapping[str, bool],
    patient_sig: dict[str, Any],
    practitioner_sig: dict[str, Any],
    number: str,
    signed_at: dt.datetime,
    signers: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    patient = session.get(Patient, row.patient_id)
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    assert patient is not None
    planned = next(t for t in row.treatments if t["id"] == text.treatment_id)
    product = session.get(Product, planned["product_id"])
    lot = session.get(ProductLot, planned["lot_id"])
    entry = _screening_entry(row, text.treatment_id)
    texts = kb.texts(text.language)
    sections = [
        {
            **section.to_dict(),
            "initials": initials.get(section.id, "").strip(),
            **({"untranslated": True} if section.untranslated else {}),
        }
        for section in text.sections
    ]
    missing = check_sections_initialled(sections)
    if missing:
        raise ValidationError(
            "initials",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "The patient has not initialled “%1”."), missing
            ),
        )
    summary = [
        _summary_entry(q, row.answers.get(q.id), texts)
        for q in asked_questions(
            row.answers, patient.sex_at_birth, kb, [entry["id"] for entry in row.treatments]
        )
        if q.asked_for_treatment(text.treatment_id)
    ]
    # Patient mode (issue 19): where the practitioner changed an answer the patient gave
    # after discussing it, the entry also carries the patient's own (in the same words).
    for item in summary:
        differs, own = patient_answer_of(row, item["question_id"])
        if differs:
            own_entry = _summary_entry(kb.question(item["question_id"]), own, texts)
            item["patient_answers"] = own_entry["answer"]
    treatment = kb.treatment(text.treatment_id)
    name = texts.label("treatment", treatment.id)
    route = texts.label("route", planned["route"])
    source = texts.label("product_source", product.source) if product and product.source else None
    return {
        "schema": SCHEMA,
        "language": text.language,
        "document_number": number,
        "clinic": {
            "name": clinic.name,
            "address": clinic.address,
            "jurisdiction": clinic.jurisdiction,
            "regenerative_medicine_plan": clinic.regenerative_medicine_plan,
        },
        "patient": {
            "id": patient.id,
            "full_name": f"{patient.given_name} {patient.family_name}",
            "date_of_birth": patient.date_of_birth.isoformat(),
            "sex_at_birth": patient.sex_at_birth,
            "phone": patient.phone,
            "email": patient.email,
        },
        "consultation": {
            "id": row.id,
            "date": row.consultation_date.isoformat(),
            "rule_set_version": row.rule_set_version,
        },
        "treatment": {
            "id": treatment.id,
            "name": name.text,
            "route": planned["route"],
            "route_label": route.text,
            "product": None
            if product is None or lot is None
            else {
                "name": product.name,
                "manufacturer": product.manufacturer,
                "source": product.source,
                **({"source_label": source.text} if source is not None else {}),
                "lot": lot.lot_number,
                "expiry": lot.expiry_date.isoformat(),
                "supplier_accreditation": lot.supplier_accreditation,
            },
            **(
                {"untranslated": True}
                if not all(t.translated for t in (name, route, *([source] if source else [])))
                else {}
            ),
        },
        "intake_summary": summary,
        "findings": [_finding(f, texts) for f in entry.get("findings", [])],
        "overrides": [
            {
                "rule": d["rule"],
                "severity": d.get("severity"),
                "kind": d.get("kind"),
                "justification": d.get("justification", ""),
                "by": d.get("by_name"),
                "at": d.get("at"),
            }
            for d in _decisions(row, text.treatment_id)
        ],
        "template": {
            "id": text.template_id,
            "version": text.template_version,
            **(
                {"translation_version": text.translation_version}
                if text.translation_version is not None
                else {}
            ),
            "title": text.title,
            **({"title_untranslated": True} if text.title_untranslated else {}),
            "sections": sections,
        },
        "choices": {
            "photographs": bool(choices.get("photographs")),
            "data_processing": bool(choices.get("data_processing")),
        },
        "signatures": [patient_sig, practitioner_sig],
        # Issue 21: the guardian, witness and interpreter, only where someone signed
        # beside the patient and the practitioner (a record without them is as before).
        **({"signers": [dict(s) for s in signers]} if signers else {}),
        "signed_at": signed_at.isoformat(timespec="seconds"),
    }


def _finding(finding: Mapping[str, Any], texts: KnowledgeTexts) -> dict[str, Any]:
    """A finding as the record holds it: in English as screened; for a patient reading
    another language, its patient_risk sentence as they read it and its message in the
    same language (the form is printed in it), ``untranslated`` where English stands in
    for either. The rule id names the English."""
    found = dict(finding)
    if texts.language == SOURCE_LANGUAGE:
        return found
    rule = str(finding.get("rule", ""))
    translated = True
    for part in ("patient_risk", "message"):
        stored = finding.get(part)
        if isinstance(stored, str) and stored:
            local = texts.text(rule_key(rule, part), stored)
            found[part] = local.text
            translated = translated and local.translated
    if not translated:
        found["untranslated"] = True
    return found


def _summary_entry(question: Question, value: Any, texts: KnowledgeTexts) -> dict[str, Any]:
    """One line of the record's intake summary, as the patient read it: the question and
    the answer in the patient's language (in English, exactly as before issue 18)."""
    if texts.language == SOURCE_LANGUAGE:
        return {
            "question_id": question.id,
            "label": question.label,
            "answer": answer_text(question, value),
        }
    label = texts.text(question_key(question.id, "label"), question.label)
    answer = local_answer_text(question, value, texts)
    entry: dict[str, Any] = {"question_id": question.id, "label": label.text, "answer": answer.text}
    if not (label.translated and answer.translated):
        entry["untranslated"] = True
    return entry


def _paper(session: Session) -> paper.Paper:
    """The paper the clinic prints its forms on: its setting, or its jurisdiction's."""
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    return paper.paper_for(clinic.jurisdiction, (clinic.settings or {}).get(paper.SETTING))


def _zone(session: Session) -> dt.tzinfo | None:
    """The clock the clinic's forms print times by: its setting, or (None) this
    computer's zone."""
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    return clinic_zone.clinic_zone((clinic.settings or {}).get(clinic_zone.SETTING))


def sign(
    ctx: ServiceContext,
    consultation_id: int,
    treatment_id: str,
    *,
    template_version: str,
    initials: Mapping[str, str],
    choices: Mapping[str, bool],
    patient_signature: SignatureInput,
    practitioner_signature: SignatureInput,
    templates: Mapping[str, ConsentTemplate],
    kb: KnowledgeBase,
    signers: Sequence[SignerInput] = (),
    course: Mapping[str, int] | None = None,
) -> ConsentInfo:
    """Seal the consent for one treatment: one transaction, all or nothing.

    ``course``: the planned course it covers (``sessions``, ``weeks``; issue 21), where
    the template allows one; None: this treatment alone.

    ``signers``: a parent or guardian, a witness, an interpreter beside the patient and
    the practitioner; a signer the treatment requires (:attr:`ConsentText.signers`)
    cannot be left out, and a guardian cannot sign where a rule forbids the treatment.

    A treatment the consultation's outcome records as not given cannot be signed. When
    this signing settles the last planned treatment (the others signed, re-confirmed,
    recorded as not given, or blocked), the consultation ends: consented
    (:mod:`consult.store.consultation_end`).
    """
    user = ctx.require("take consent", Role.PRACTITIONER)
    for key in ("photographs", "data_processing"):
        if key not in choices:
            raise ValidationError(
                f"choices.{key}", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Answer yes or no."))
            )
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
        _ready(row, treatment_id)
        refuse_not_given(session, row, treatment_id)
        refuse_quarantined(session, [t for t in row.treatments if t["id"] == treatment_id])
        existing = session.execute(
            select(ConsentRecord.id).where(
                ConsentRecord.consultation_id == row.id, ConsentRecord.treatment_id == treatment_id
            )
        ).first()
        if existing:
            raise SealedRecordError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent for %1 is already signed."),
                    treatment_id,
                )
            )
        template = _template(templates, treatment_id)
        if template.version != template_version:
            raise ValidationError(
                "template",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "The consent text changed: show it again.")
                ),
            )
        try:
            planned_course = course_entry(template.course, course)
        except ValueError as exc:
            raise ValidationError("course", str(exc)) from exc
        text = _render(session, row, treatment_id, template, kb)
        practitioner = session.get(User, user.id)
        assert practitioner is not None
        patient_sig = _signature(
            patient_signature, "patient", "consent given", "patient_signature", None
        )
        practitioner_sig = _signature(
            practitioner_signature,
            "practitioner",
            "consent taken",
            "practitioner_signature",
            practitioner.qualification,
        )
        extra = signer_entries(signers, needs_of(session, row, treatment_id))
        signed_at = utcnow().replace(microsecond=0)
        position = [t["id"] for t in row.treatments].index(treatment_id) + 1
        number = document_number(row.consultation_date.year, row.id, position)
        sealed = seal(
            planned_course
            | _build_document(
                session,
                row,
                text,
                kb,
                initials,
                choices,
                patient_sig,
                practitioner_sig,
                number,
                signed_at,
                extra,
            )
        )
        pressed = press_sealed(
            ctx, session, sealed, number, zone=_zone(session), paper=_paper(session), kb=kb
        )
        pdf, signed_form = pressed.pdf, pressed.signed
        pdf_hash = sha256_hex(pdf)
        entry = _screening_entry(row, treatment_id)
        record = ConsentRecord(
            document_number=number,
            consultation_id=row.id,
            patient_id=row.patient_id,
            practitioner_id=user.id,
            treatment_id=treatment_id,
            template_version=template.version,
            signed_at=signed_at,
            has_overrides=any(d.get("kind") == "justified" for d in _decisions(row, treatment_id)),
            outcome=str(entry["outcome"]),
            document_json=sealed.canonical.decode("utf-8"),
            document_sha256=sealed.sha256,
            pdf=pdf,
            pdf_sha256=pdf_hash,
            signed_pdf=signed_form.data if signed_form is not None else None,
            state=ConsentState.SIGNED,
        )
        session.add(record)
        session.flush()
        add_planned_treatment(session, row, treatment_id, record.id, user.id)
        # The consultation's version moves with every signing, so that a save prepared
        # against the version before it is refused as a conflict, never applied after it.
        row.updated_at = utcnow()
        audit.append(
            session,
            ctx.actor,
            "consent.signed",
            record_type="consent",
            record_id=record.id,
            patient_id=row.patient_id,
            details={
                "document_number": number,
                "treatment": treatment_id,
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
                "template_version": template.version,
                **({"signers": [s["role"] for s in extra]} if extra else {}),
            },
        )
        # Signed last, after the other treatments were signed or recorded not given: the
        # consultation ends (consultation_end decides, in this transaction).
        end_if_settled(session, ctx.actor, row, "consent.signed")
        session.flush()
        return consent_info(record)


def add_planned_treatment(
    session: Session, row: Consultation, treatment_id: str, consent_id: int, by: int
) -> None:
    """Record the treatment as planned (product, lot, route, the product's source) under
    the consent ``consent_id`` it is given by: a signed consent, or a re-confirmation
    of one. The chart (store/services/treatment_records.py) says what was actually used."""
    planned = next(t for t in row.treatments if t["id"] == treatment_id)
    product = session.get(Product, planned["product_id"])
    session.add(
        TreatmentRecord(
            consultation_id=row.id,
            consent_id=consent_id,
            patient_id=row.patient_id,
            practitioner_id=by,
            treatment_id=treatment_id,
            route=planned["route"],
            product_id=planned["product_id"],
            lot_id=planned["lot_id"],
            source=product.source if product else None,
        )
    )


def _state(session: Session, consent_id: int) -> ConsentState:
    kinds = session.execute(
        select(ConsentEvent.kind).where(
            ConsentEvent.consent_id == consent_id, ConsentEvent.kind.in_(STATE_EVENTS)
        )
    ).scalars()
    return state_after(kinds)


def get(ctx: ServiceContext, consent_id: int) -> ConsentInfo:
    """A signed consent record and its state."""
    ctx.require("find signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        return consent_info(row)


def for_patient(ctx: ServiceContext, patient_id: int) -> list[ConsentInfo]:
    """A patient's signed consent forms, newest first."""
    ctx.require("find signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = (
            session.execute(
                select(ConsentRecord)
                .where(ConsentRecord.patient_id == patient_id)
                .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
            )
            .scalars()
            .all()
        )
        return [consent_info(row) for row in rows]


def pdf(ctx: ServiceContext, consent_id: int, *, purpose: str = "viewed") -> bytes:
    """The stored form; every access is logged.

    ``purpose`` "viewed" (on screen) or "exported" (saved to a file): the original, as
    :func:`original` gives it, for practitioners and managers only, since it holds the
    health answers. "printed": the copy to print, for the reception desk too: the sealed
    PDF with "Copy" and the date on every page, or, once the consent is voided or
    withdrawn, a VOID or WITHDRAWN watermark with the date and reason (see
    :func:`printed_copy`). The stored bytes never change.
    """
    data, _signed = _given(ctx, consent_id, purpose)
    return data


def original(ctx: ServiceContext, consent_id: int, *, purpose: str = "viewed") -> SealedOriginal:
    """The original of a signed form (:func:`original_of`), ``purpose`` "viewed" or
    "exported"; practitioners and managers only; logged, saying whether it was signed."""
    if purpose not in ("viewed", "exported"):
        raise ValidationError("purpose", f"unknown purpose {purpose!r}")
    data, signed = _given(ctx, consent_id, purpose)
    return SealedOriginal(data, signed)


def _given(ctx: ServiceContext, consent_id: int, purpose: str) -> tuple[bytes, bool]:
    """The bytes :func:`pdf` gives for ``purpose``, and whether they are signed; logged."""
    if purpose not in ("viewed", "printed", "exported"):
        raise ValidationError("purpose", f"unknown purpose {purpose!r}")
    if purpose == "printed":
        user = ctx.require(
            "print signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER
        )
    else:
        user = ctx.require("open signed consent forms", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        details: dict[str, Any] = {"document_number": row.document_number}
        if purpose == "printed":
            given = printed_copy(session, row), False
            details["marked"] = row.state if row.state in STATE_EVENTS else "copy"
            session.add(ConsentEvent(consent_id=row.id, kind=PRINTED, user_id=user.id))
        else:
            found = original_of(row)
            given = found.data, found.signed
            details["signed"] = found.signed
        audit.append(
            session,
            ctx.actor,
            f"consent.{purpose}",
            record_type="consent",
            record_id=row.id,
            patient_id=row.patient_id,
            details=details,
        )
        return given


def print_preview(ctx: ServiceContext, consent_id: int, *, kb: KnowledgeBase) -> bytes:
    """The form as it will print, to show on screen (logged as previewed).

    Practitioners and managers see every page of the printed copy. Reception sees only
    the identity and signature pages: the title block, the patient, the treatment and
    the signatures, rendered from the sealed record (its routes, sources and
    qualifications named by ``kb``) without the health answers, the findings or the
    consent text. Both carry the mark a print would.
    """
    user = ctx.require(
        "preview signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER
    )
    full = user.has(Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        if full:
            data = printed_copy(session, row)
        else:
            view = render_reception_view(
                json.loads(row.document_json),
                row.document_sha256,
                labels=kb,
                zone=_zone(session),
                paper=_paper(session),
            )
            data = marked_copy(view, copy_mark(session, row), zone=_zone(session))
        audit.append(
            session,
            ctx.actor,
            "consent.previewed",
            record_type="consent",
            record_id=row.id,
            patient_id=row.patient_id,
            details={
                "document_number": row.document_number,
                "pages": "all" if full else "identity and signatures",
            },
        )
        return data


def copy_mark(session: Session, row: ConsentRecord, today: dt.date | None = None) -> CopyMark:
    """What a copy of ``row`` printed ``today`` says on every page: "Copy" and the date,
    or VOID or WITHDRAWN with the event's time and reason, in the form's language."""
    printed_on = today or dt.datetime.now().astimezone(_zone(session)).date()
    language = form_language(json.loads(row.document_json))
    if row.state not in STATE_EVENTS:
        return CopyMark(printed_on, language=language)
    event = session.execute(
        select(ConsentEvent)
        .where(ConsentEvent.consent_id == row.id, ConsentEvent.kind == row.state)
        .order_by(ConsentEvent.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return CopyMark(
        printed_on,
        row.state,
        event.at if event is not None else None,
        event.reason if event is not None else "",
        language=language,
    )


def printed_copy(session: Session, row: ConsentRecord, today: dt.date | None = None) -> bytes:
    """The copy of the stored PDF that a print gives (see :func:`copy_mark`); the stored
    bytes are only read. Raises ValueError if they are not a readable PDF."""
    return marked_copy(bytes(row.pdf), copy_mark(session, row, today), zone=_zone(session))


def document(ctx: ServiceContext, consent_id: int) -> dict[str, Any]:
    """The sealed JSON document (practitioners and managers: it holds the intake)."""
    ctx.require("read a consent record", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        audit.append(
            session,
            ctx.actor,
            "consent.record_viewed",
            record_type="consent",
            record_id=row.id,
            patient_id=row.patient_id,
        )
        loaded: dict[str, Any] = json.loads(row.document_json)
        return loaded


def add_event(ctx: ServiceContext, consent_id: int, kind: str, reason: str = "") -> ConsentInfo:
    """Withdraw or void a signed consent (reason required), or mark it handed over.

    Withdrawing and voiding: managers and the treating practitioner. Handing over:
    reception, practitioners and managers. The sealed record itself never changes.
    """
    if kind not in (*STATE_EVENTS, HANDED_OVER):
        raise ValidationError("kind", f"unknown event {kind!r}")
    if kind == HANDED_OVER:
        user = ctx.require(
            "hand a form to the patient", Role.RECEPTION, Role.PRACTITIONER, Role.MANAGER
        )
    else:
        user = ctx.require(f"mark a consent {kind}", Role.MANAGER, Role.PRACTITIONER)
        if len(reason.strip()) < 5:
            raise ValidationError(
                "reason",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Give the reason (at least 5 characters).")
                ),
            )
    with ctx.unit_of_work() as session:
        # Locked: two workstations voiding at once must not both pass the state check.
        row = session.get(ConsentRecord, consent_id, with_for_update=True)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        if (
            kind != HANDED_OVER
            and Role.MANAGER not in user.roles
            and row.practitioner_id != user.id
        ):
            raise ValidationError(
                "user",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Only a manager or the treating practitioner can do this."
                    )
                ),
            )
        state = row.state
        if kind != HANDED_OVER and state == ConsentState.VOIDED:
            raise SealedRecordError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "This consent is already voided."))
            )
        if kind == ConsentState.WITHDRAWN and state == ConsentState.WITHDRAWN:
            raise SealedRecordError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "This consent is already withdrawn."))
            )
        session.add(
            ConsentEvent(consent_id=row.id, kind=kind, reason=reason.strip(), user_id=user.id)
        )
        session.flush()
        new_state = _state(session, row.id)
        if row.state != new_state:
            # Only the register's copy of the state: the sealed columns stay as signed.
            row.state = new_state
        audit.append(
            session,
            ctx.actor,
            f"consent.{kind}",
            record_type="consent",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"document_number": row.document_number, "reason": reason.strip()},
        )
        return consent_info(row)
