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


def _check_seal(name: str, row: ConsentReconfirmation, problems: list[str]) -> dict[str, Any]:
    """The record's JSON and PDF against their hashes; the record as read."""
    try:
        loaded = json.loads(row.document_json)
        recomputed = seal_reconfirmation(loaded).sha256 if isinstance(loaded, dict) else ""
    except ValueError:
        loaded, recomputed = {}, ""
    if recomputed != row.document_sha256 or (
        sha256_hex(row.document_json.encode("utf-8")) != row.document_sha256
    ):
        problems.append(f"{name}: its sealed JSON does not match its hash")
    if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
        problems.append(f"{name}: its stored PDF does not match its hash")
    return loaded if isinstance(loaded, dict) else {}


def _check_log(
    name: str, row: ConsentReconfirmation, logged: _Logged | None, problems: list[str]
) -> None:
    if logged is None:
        problems.append(f"{name}: no re-confirmation entry in the audit log")
        return
    said = logged.details
    for what, shown, expected in (
        ("JSON hash", row.document_sha256, said.get("document_sha256")),
        ("PDF hash", row.pdf_sha256, said.get("pdf_sha256")),
        ("document number", row.document_number, said.get("document_number")),
        ("session", row.session_number, said.get("session")),
        ("treatment", row.treatment_id, said.get("treatment")),
    ):
        if shown != expected:
            problems.append(f"{name}: its {what} differs from the one logged when it was sealed")
    if logged.patient_id != row.patient_id:
        problems.append(f"{name}: sealed for another patient according to the audit log")
    if logged.user_id != row.practitioner_id:
        problems.append(
            f"{name}: the register's practitioner (user {row.practitioner_id}) is not the one "
            f"who sealed it (user {logged.user_id})"
        )


def _check_columns(
    name: str, row: ConsentReconfirmation, document: dict[str, Any], problems: list[str]
) -> None:
    def differs(column: str, shown: Any, sealed: Any) -> None:
        problems.append(
            f"{name}: the register's {column} ({shown}) differs from the sealed record ({sealed})"
        )

    patient = document.get("patient") or {}
    consultation = document.get("consultation") or {}
    treatment = document.get("treatment") or {}
    if patient.get("id") != row.patient_id:
        problems.append(f"{name}: the sealed record is for another patient")
    if document.get("document_number") != row.document_number:
        differs("document number", row.document_number, document.get("document_number"))
    if consultation.get("id") != row.consultation_id:
        differs("consultation", row.consultation_id, consultation.get("id"))
    if treatment.get("id") != row.treatment_id:
        differs("treatment", row.treatment_id, treatment.get("id"))
    if document.get("session") != row.session_number:
        differs("session", row.session_number, document.get("session"))


def _check_original(
    name: str,
    row: ConsentReconfirmation,
    document: dict[str, Any],
    consent: ConsentRecord | None,
    logged: _Logged | None,
    problems: list[str],
) -> None:
    """The consent it re-confirms: the one it names, for the same patient and treatment."""
    if consent is None:
        problems.append(f"{name}: the consent it re-confirms (record {row.consent_id}) is gone")
        return
    named = document.get("original") or {}
    if named.get("document_number") != consent.document_number:
        problems.append(
            f"{name}: it names consent {named.get('document_number')}, but its consent record "
            f"is {consent.document_number}"
        )
    if named.get("document_sha256") != consent.document_sha256:
        problems.append(
            f"{name}: it names the consent's SHA-256 {named.get('document_sha256')}, but the "
            f"stored consent {consent.document_number} has {consent.document_sha256}"
        )
    if logged is not None and (
        logged.details.get("consent"),
        logged.details.get("consent_sha256"),
    ) != (consent.document_number, consent.document_sha256):
        problems.append(
            f"{name}: the consent logged when it was sealed is not the stored consent "
            f"{consent.document_number}"
        )
    if (consent.patient_id, consent.treatment_id) != (row.patient_id, row.treatment_id):
        problems.append(
            f"{name}: it re-confirms consent {consent.document_number}, which is another "
            "patient's or another treatment's"
        )


def _check_treatment(
    name: str,
    row: ConsentReconfirmation,
    document: dict[str, Any],
    records: list[TreatmentRecord],
    lots: dict[int, ProductLot],
    problems: list[str],
) -> None:
    """The session's treatment record, written with it against the consent."""
    if len(records) != 1:
        problems.append(f"{name}: it has {len(records)} treatment records (one is written with it)")
        if not records:
            return
    record = records[0]
    where = f"{name}: its treatment record"
    for column, shown, expected in (
        ("patient", record.patient_id, row.patient_id),
        ("practitioner", record.practitioner_id, row.practitioner_id),
        ("treatment", record.treatment_id, row.treatment_id),
    ):
        if shown != expected:
            problems.append(f"{where} gives {column} {shown}, the re-confirmation {expected}")
    sealed = (document.get("treatment") or {}).get("product")
    lot = lots.get(record.lot_id) if record.lot_id is not None else None
    if isinstance(sealed, dict) and (
        lot is None
        or (lot.lot_number, lot.expiry_date.isoformat())
        != (sealed.get("lot"), sealed.get("expiry"))
    ):
        problems.append(
            f"{where} gives lot {lot.lot_number if lot else None}, the sealed record lot "
            f"{sealed.get('lot')} (expiry {sealed.get('expiry')})"
        )


def _check_signed_form(
    name: str,
    row: ConsentReconfirmation,
    logged: _Logged | None,
    problems: list[str],
    warnings: list[str],
) -> None:
    expected = logged.details.get("signed_pdf_sha256") if logged is not None else None
    if row.signed_pdf is None:
        if expected:
            warnings.append(
                f"{name}: its signed PDF, logged when it was sealed, is no longer stored; its "
                "sealed PDF still holds, but only the database vouches for it now"
            )
        return
    # For start-up speed only, as in consult.store.integrity: pyHanko is loaded when
    # records are verified, never when a database is opened or backed up.
    from consult.proof.stored_form import signed_form_problems

    signed = bytes(row.signed_pdf)
    if logged is not None and expected != sha256_hex(signed):
        problems.append(
            f"{name}: its signed PDF differs from the one logged when it was sealed"
            if expected
            else f"{name}: it has a signed PDF, but none was logged when it was sealed"
        )
    problems.extend(
        f"{name}: {problem}"
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
            name = f"re-confirmation {row.document_number} (record {row.id})"
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
                f"re-confirmation {number} (record {record_id}): sealed (audit entry "
                f"{entry.entry_id}), but the record is gone (deleted)"
            )
    if found.problems:
        _log.warning("%d problem(s) with re-confirmations", len(found.problems))
    return found
