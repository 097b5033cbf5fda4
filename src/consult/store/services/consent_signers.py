"""The extra signers of a consent (a parent or guardian, a witness, an interpreter) as the
signing service takes them: which one a treatment needs, and each one's sealed entry.

:mod:`consult.domain.consent_signers` says who must sign; this module reads what it
decides on from the consultation (the patient's age on the consultation date, whether
the treatment is blocked, the clinic's ``witness_required`` setting, the patient's
language) and turns what the pads captured into the record's ``signers`` list, refusing
what the rules refuse. The consent service calls it inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.documents.form_words import form_words
from consult.domain.conditions import age_on
from consult.domain.consent_signers import (
    MEANINGS,
    WITNESS_SETTING,
    GuardianNeed,
    SignerNeeds,
    SignerRole,
    guardian_need,
    witness_required_for,
)
from consult.domain.knowledge_texts import SOURCE_LANGUAGE
from consult.domain.review import review
from consult.domain.signatures import signer_problem
from consult.store.domain_refusals import domain_refusal
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    ValidationError,
)
from consult.store.models import Clinic, Consultation, Patient


@dataclass(frozen=True)
class SignerInput:
    """One extra signer captured on a pad: who they are and their signature.

    ``relationship``: a guardian's relationship to the patient ("mother"). ``language``:
    the language an interpreter interpreted into (the patient's); ``desk_language`` the
    practitioner's, the statement's second language.
    """

    role: SignerRole
    name: str
    strokes: Sequence[Sequence[Mapping[str, Any]]]
    width: int
    height: int
    signed_at: dt.datetime
    relationship: str = ""
    language: str = ""
    desk_language: str = SOURCE_LANGUAGE


def needs_of(session: Session, row: Consultation, treatment_id: str) -> SignerNeeds:
    """Which extra signers the consent for ``treatment_id`` of ``row`` takes."""
    patient = session.get(Patient, row.patient_id)
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    age = age_on(patient.date_of_birth, row.consultation_date) if patient else 99
    blocked = any(
        item.treatment == treatment_id and item.status == "blocked"
        for item in review(row.screening["result"] if row.screening else {}, row.overrides)
    )
    setting = (clinic.settings or {}).get(WITNESS_SETTING)
    return SignerNeeds(
        guardian=guardian_need(age, blocked),
        witness_required=witness_required_for(setting, treatment_id),
        patient_language=(patient.language if patient else None) or SOURCE_LANGUAGE,
    )


def interpreter_statement(into: str, language: str) -> dict[str, str]:
    """The interpreter's statement, in ``language``, naming the language interpreted
    ``into``: the form's words (``interpreter.statement``), as the form prints them."""
    words = form_words(language)
    key = f"language.{into}"
    name = words.text(key) if words.has(key) else into
    return {"language": language, "text": words.text("interpreter.statement", language=name)}


def _entry(signer: SignerInput, patient_language: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "role": str(signer.role),
        "name": signer.name.strip(),
        "meaning": MEANINGS[signer.role],
    }
    if signer.role == SignerRole.GUARDIAN:
        entry["relationship"] = signer.relationship.strip()
    if signer.role == SignerRole.INTERPRETER:
        into = signer.language.strip() or patient_language
        entry["language"] = into
        languages = dict.fromkeys((into, signer.desk_language or SOURCE_LANGUAGE))
        entry["statement"] = [interpreter_statement(into, language) for language in languages]
    entry.update(
        {
            "signed_at": signer.signed_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "width": int(signer.width),
            "height": int(signer.height),
            "strokes": [
                [{k: point[k] for k in ("x", "y", "t", "p") if k in point} for point in stroke]
                for stroke in signer.strokes
            ],
        }
    )
    return entry


def signer_entries(signers: Sequence[SignerInput], needs: SignerNeeds) -> list[dict[str, Any]]:
    """The record's ``signers`` list (guardian, witness, interpreter, in that order).

    Raises ValidationError (field ``signers.<role>``) for a signer the consent cannot
    take (a guardian for an adult, or where a rule forbids the treatment), a second
    signer in one role, a required signer missing, or an entry refused by
    :func:`consult.domain.signatures.signer_problem`.
    """
    by_role: dict[SignerRole, SignerInput] = {}
    for signer in signers:
        role = SignerRole(signer.role)
        if role in by_role:
            raise ValidationError(
                f"signers.{role}",
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Only one %1 signs a consent."), role),
            )
        by_role[role] = signer
    if SignerRole.GUARDIAN in by_role and needs.guardian == GuardianNeed.REFUSED:
        raise ValidationError(
            "signers.guardian",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "A rule forbids this treatment for a patient under 18: no parent's or "
                    "guardian's consent can allow it.",
                )
            ),
        )
    if SignerRole.GUARDIAN in by_role and needs.guardian == GuardianNeed.NONE:
        raise ValidationError(
            "signers.guardian",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "The patient is an adult: no parent or guardian signs for them."
                )
            ),
        )
    for role in needs.required():
        if role not in by_role:
            raise ValidationError(f"signers.{role}", _MISSING[role])
    entries = []
    for role in SignerRole:
        if role in by_role:
            entry = _entry(by_role[role], needs.patient_language)
            problem = signer_problem(entry)
            if problem:
                raise ValidationError(f"signers.{role}", domain_refusal(problem))
            entries.append(entry)
    return entries


_MISSING: Mapping[SignerRole, str] = {
    SignerRole.GUARDIAN: ErrorText(
        QT_TRANSLATE_NOOP(
            "StoreErrors", "The patient is under 18: a parent or guardian must sign too."
        )
    ),
    SignerRole.WITNESS: ErrorText(
        QT_TRANSLATE_NOOP(
            "StoreErrors", "The clinic asks a witness to sign the consent for this treatment."
        )
    ),
    SignerRole.INTERPRETER: ErrorText(
        QT_TRANSLATE_NOOP("StoreErrors", "An interpreter must sign.")
    ),
}
