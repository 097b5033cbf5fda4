"""``consult verify``'s walk through every re-confirmation (issue 21).

A re-confirmation (:mod:`consult.store.services.reconfirmation`) is a sealed record of
its own, and it stands only together with the consent it names: a patient's one
signature re-confirms *that* consent, whose document number and SHA-256 the form prints.
So besides what a consent record is checked for (its JSON and PDF against their hashes
and the hashes logged when it was sealed, its signed PDF against the signing entry, the
sealed PDF as its exact prefix, the PAdES signature, the record embedded in it), each
re-confirmation is checked for the link: the consent it names (number and SHA-256) must
be the stored consent of its ``consent_id``, for the same patient and treatment. The
register's columns must agree with the sealed record, and every ``consent.reconfirmed``
entry of the audit log must still have its record.

Kept apart from :mod:`consult.store.integrity` (which calls it) so that each kind of
sealed record has its checks in one small module; it returns what it found rather than
writing into the report, which that module owns.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.domain.canonical import sha256_hex
from consult.domain.reconfirmation import seal_reconfirmation
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding
from consult.store.models import (
    AuditEntry,
    ConsentReconfirmation,
    ConsentRecord,
    ProductLot,
    TreatmentRecord,
)

__all__ = ["RECONFIRMED", "ReconfirmationFindings", "check_reconfirmations"]

_log = logging.getLogger(__name__)

RECONFIRMED = "consent.reconfirmed"
"""The audit entry written in the re-confirmation's transaction."""

_PAGE = 200


@dataclass
class ReconfirmationFindings:
    """What the walk found: how many records, what is wrong, what is only a warning."""

    records: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Logged:
    """What the ``consent.reconfirmed`` entry recorded."""

    entry_id: int
    user_id: int | None
    patient_id: int | None
    details: dict[str, Any]


def _logged(session: Session) -> dict[str, _Logged]:
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.record_id,
            AuditEntry.user_id,
            AuditEntry.patient_id,
            AuditEntry.details,
        )
        .where(AuditEntry.event == RECONFIRMED)
        .order_by(AuditEntry.id)
    )
    return {
        str(record_id): _Logged(entry_id, user_id, patient_id, dict(details or {}))
        for entry_id, record_id, user_id, patient_id, details in rows
    }


def _named(document_number: object, record_id: object) -> Finding:
    """What a finding about a re-confirmation calls it ("re-confirmation RC-… (record 4)")."""
    return Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "re-confirmation %1 (record %2)"),
        document_number,
        record_id,
    )


def _check_seal(name: Finding, row: ConsentReconfirmation, problems: list[str]) -> dict[str, Any]:
    """The record's JSON and PDF against their hashes; the record as read."""
    try:
        loaded = json.loads(row.document_json)
        recomputed = seal_reconfirmation(loaded).sha256 if isinstance(loaded, dict) else ""
    except ValueError:
        loaded, recomputed = {}, ""
    if recomputed != row.document_sha256 or (
        sha256_hex(row.document_json.encode("utf-8")) != row.document_sha256
    ):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: its sealed JSON does not match its hash"),
                name,
            )
        )
    if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: its stored PDF does not match its hash"),
                name,
            )
        )
    return loaded if isinstance(loaded, dict) else {}


def _check_log(
    name: Finding, row: ConsentReconfirmation, logged: _Logged | None, problems: list[str]
) -> None:
    if logged is None:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: no re-confirmation entry in the audit log"
                ),
                name,
            )
        )
        return
    said = logged.details
    relogged = QT_TRANSLATE_NOOP(
        "VerifyFindings", "%1: its %2 differs from the one logged when it was sealed"
    )
    for what, shown, expected in (
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "JSON hash"),
            row.document_sha256,
            said.get("document_sha256"),
        ),
        (QT_TRANSLATE_NOOP("VerifyFindings", "PDF hash"), row.pdf_sha256, said.get("pdf_sha256")),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "document number"),
            row.document_number,
            said.get("document_number"),
        ),
        (QT_TRANSLATE_NOOP("VerifyFindings", "session"), row.session_number, said.get("session")),
        (QT_TRANSLATE_NOOP("VerifyFindings", "treatment"), row.treatment_id, said.get("treatment")),
    ):
        if shown != expected:
            problems.append(Finding(relogged, name, Finding(what)))
    if logged.patient_id != row.patient_id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: sealed for another patient according to the audit log"
                ),
                name,
            )
        )
    if logged.user_id != row.practitioner_id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: the register's practitioner (user %2) is not the one "
                    "who sealed it (user %3)",
                ),
                name,
                row.practitioner_id,
                logged.user_id,
            )
        )


def _check_columns(
    name: Finding, row: ConsentReconfirmation, document: dict[str, Any], problems: list[str]
) -> None:
    def differs(column: str, shown: Any, sealed: Any) -> None:
        words = QT_TRANSLATE_NOOP(
            "VerifyFindings", "%1: the register's %2 (%3) differs from the sealed record (%4)"
        )
        problems.append(Finding(words, name, Finding(column), shown, sealed))

    patient = document.get("patient") or {}
    consultation = document.get("consultation") or {}
    treatment = document.get("treatment") or {}
    if patient.get("id") != row.patient_id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: the sealed record is for another patient"),
                name,
            )
        )
    if document.get("document_number") != row.document_number:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "document number"),
            row.document_number,
            document.get("document_number"),
        )
    if consultation.get("id") != row.consultation_id:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "consultation"),
            row.consultation_id,
            consultation.get("id"),
        )
    if treatment.get("id") != row.treatment_id:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "treatment"), row.treatment_id, treatment.get("id")
        )
    if document.get("session") != row.session_number:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "session"),
            row.session_number,
            document.get("session"),
        )


def _check_original(
    name: Finding,
    row: ConsentReconfirmation,
    document: dict[str, Any],
    consent: ConsentRecord | None,
    logged: _Logged | None,
    problems: list[str],
) -> None:
    """The consent it re-confirms: the one it names, for the same patient and treatment."""
    if consent is None:
        gone = QT_TRANSLATE_NOOP(
            "VerifyFindings", "%1: the consent it re-confirms (record %2) is gone"
        )
        problems.append(Finding(gone, name, row.consent_id))
        return
    named = document.get("original") or {}
    if named.get("document_number") != consent.document_number:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: it names consent %2, but its consent record is %3"
                ),
                name,
                named.get("document_number"),
                consent.document_number,
            )
        )
    if named.get("document_sha256") != consent.document_sha256:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: it names the consent's SHA-256 %2, but the stored consent %3 has %4",
                ),
                name,
                named.get("document_sha256"),
                consent.document_number,
                consent.document_sha256,
            )
        )
    if logged is not None and (
        logged.details.get("consent"),
        logged.details.get("consent_sha256"),
    ) != (consent.document_number, consent.document_sha256):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: the consent logged when it was sealed is not the stored consent %2",
                ),
                name,
                consent.document_number,
            )
        )
    if (consent.patient_id, consent.treatment_id) != (row.patient_id, row.treatment_id):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: it re-confirms consent %2, which is another "
                    "patient's or another treatment's",
                ),
                name,
                consent.document_number,
            )
        )


def _check_treatment(
    name: Finding,
    row: ConsentReconfirmation,
    document: dict[str, Any],
    records: list[TreatmentRecord],
    lots: dict[int, ProductLot],
    problems: list[str],
) -> None:
    """The session's treatment record, written with it against the consent."""
    if len(records) != 1:
        count = QT_TRANSLATE_NOOP(
            "VerifyFindings", "%1: it has %2 treatment records (one is written with it)"
        )
        problems.append(Finding(count, name, len(records)))
        if not records:
            return
    record = records[0]
    gives = QT_TRANSLATE_NOOP(
        "VerifyFindings", "%1: its treatment record gives %2 %3, the re-confirmation %4"
    )
    for column, shown, expected in (
        (QT_TRANSLATE_NOOP("VerifyFindings", "patient"), record.patient_id, row.patient_id),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "practitioner"),
            record.practitioner_id,
            row.practitioner_id,
        ),
        (QT_TRANSLATE_NOOP("VerifyFindings", "treatment"), record.treatment_id, row.treatment_id),
    ):
        if shown != expected:
            problems.append(Finding(gives, name, Finding(column), shown, expected))
    sealed = (document.get("treatment") or {}).get("product")
    lot = lots.get(record.lot_id) if record.lot_id is not None else None
    if isinstance(sealed, dict) and (
        lot is None
        or (lot.lot_number, lot.expiry_date.isoformat())
        != (sealed.get("lot"), sealed.get("expiry"))
    ):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: its treatment record gives lot %2, the sealed record lot %3 (expiry %4)",
                ),
                name,
                lot.lot_number if lot else None,
                sealed.get("lot"),
                sealed.get("expiry"),
            )
        )


def _check_signed_form(
    name: Finding,
    row: ConsentReconfirmation,
    logged: _Logged | None,
    problems: list[str],
    warnings: list[str],
) -> None:
    expected = logged.details.get("signed_pdf_sha256") if logged is not None else None
    if row.signed_pdf is None:
        if expected:
            warnings.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: its signed PDF, logged when it was sealed, is no longer stored; its "
                        "sealed PDF still holds, but only the database vouches for it now",
                    ),
                    name,
                )
            )
        return
    # For start-up speed only, as in consult.store.integrity: pyHanko is loaded when
    # records are verified, never when a database is opened or backed up.
    from consult.proof.stored_form import signed_form_problems

    signed = bytes(row.signed_pdf)
    if logged is not None and expected != sha256_hex(signed):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: its signed PDF differs from the one logged when it was sealed",
                ),
                name,
            )
            if expected
            else Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: it has a signed PDF, but none was logged when it was sealed",
                ),
                name,
            )
        )
    # signed_form_problems's own findings (Findings too), each after the record's name.
    about = QT_TRANSLATE_NOOP("VerifyFindings", "%1: %2")
    problems.extend(
        Finding(about, name, problem)
        for problem in signed_form_problems(
            signed,
            bytes(row.pdf),
            record_sha256=row.document_sha256,
            document_number=row.document_number,
            certificate_sha256=(
                logged.details.get("certificate_sha256") if logged is not None else None
            ),
        )
    )


def check_reconfirmations(
    session: Session,
    progress: Callable[[int, int], None] | None = None,
) -> ReconfirmationFindings:
    """Every re-confirmation, a page of records at a time (see the module);
    ``progress`` is told (done, total)."""
    found = ReconfirmationFindings()
    logged = _logged(session)
    total = int(
        session.execute(select(func.count()).select_from(ConsentReconfirmation)).scalar_one()
    )
    seen: set[str] = set()
    last_id = 0
    while True:
        batch = list(
            session.execute(
                select(ConsentReconfirmation)
                .where(ConsentReconfirmation.id > last_id)
                .order_by(ConsentReconfirmation.id)
                .limit(_PAGE)
            ).scalars()
        )
        if not batch:
            break
        consent_ids = {r.consent_id for r in batch}
        consents = {
            consent.id: consent
            for consent in session.execute(
                select(ConsentRecord).where(ConsentRecord.id.in_(consent_ids))
            ).scalars()
        }
        treated: dict[tuple[int, int], list[TreatmentRecord]] = defaultdict(list)
        for record in session.execute(
            select(TreatmentRecord).where(TreatmentRecord.consent_id.in_(consent_ids))
        ).scalars():
            if record.consent_id is not None:
                treated[(record.consent_id, record.consultation_id)].append(record)
        lots = {
            lot.id: lot
            for lot in session.execute(
                select(ProductLot).where(
                    ProductLot.id.in_(
                        {r.lot_id for rs in treated.values() for r in rs if r.lot_id is not None}
                    )
                )
            ).scalars()
        }
        for row in batch:
            name = _named(row.document_number, row.id)
            entry = logged.get(str(row.id))
            problems: list[str] = []
            document = _check_seal(name, row, problems)
            _check_log(name, row, entry, problems)
            _check_columns(name, row, document, problems)
            _check_original(name, row, document, consents.get(row.consent_id), entry, problems)
            _check_treatment(
                name,
                row,
                document,
                treated.get((row.consent_id, row.consultation_id), []),
                lots,
                problems,
            )
            _check_signed_form(name, row, entry, problems, found.warnings)
            found.problems.extend(problems)
            seen.add(str(row.id))
        found.records += len(batch)
        last_id = batch[-1].id
        if progress is not None:
            progress(found.records, total)
    for record_id, entry in logged.items():
        if record_id not in seen:
            number = entry.details.get("document_number") or "?"
            found.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: sealed (audit entry %2), but the record is gone (deleted)",
                    ),
                    _named(number, record_id),
                    entry.entry_id,
                )
            )
    if found.problems:
        _log.warning("%d problem(s) with re-confirmations", len(found.problems))
    return found
