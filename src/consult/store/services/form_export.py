"""A signed consent form written out of Consult, to a file or a pipe (``consult consent
pdf``): what a print gives, or the sealed PDF exactly as signed.

Either holds the patient's health answers, so only practitioners and managers may
export a form (reception prints copies at the desk, through
:func:`consult.store.services.consents.pdf`). The export is logged once the caller has
delivered the bytes, saying where to and what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
    ValidationError,
)
from consult.store.models import ConsentRecord
from consult.store.services.consents import original_of, printed_copy
from consult.store.services.context import ServiceContext

_MARKED = (ConsentState.VOIDED, ConsentState.WITHDRAWN)


@dataclass(frozen=True)
class ExportedForm:
    """What was written: the form's number and ``written``, one of "sealed" (the stored
    bytes), "copy" (a dated copy), "voided" or "withdrawn" (a copy with that mark)."""

    document_number: str
    written: str


def export_form(
    ctx: ServiceContext,
    record: int | str,
    *,
    sealed: bool,
    to: str,
    deliver: Callable[[bytes], object],
) -> ExportedForm:
    """Give the form ``record`` (its id, or its document number) to ``deliver``, then log
    the export as going ``to`` there.

    ``sealed``: the original byte for byte (the signed PDF, which ``consult verify FILE``
    checks); otherwise what a print gives (a copy dated today, or a VOID or WITHDRAWN
    watermark with the date and reason on every page).
    Nothing is logged if ``deliver`` fails.
    """
    ctx.require("open signed consent forms", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        query = select(ConsentRecord).where(
            ConsentRecord.id == record
            if isinstance(record, int)
            else ConsentRecord.document_number == record
        )
        row = session.execute(query).scalar_one_or_none()
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "There is no consent record %1."), record
                )
            )
        if sealed:
            # The original: the sealed PDF signed by the clinic (it starts with the sealed
            # bytes), or the sealed bytes alone for a form sealed before forms were signed.
            data, written = original_of(row).data, "sealed"
        else:
            try:
                data = printed_copy(session, row)
            except ValueError as exc:
                raise ValidationError(row.document_number, str(exc)) from exc
            written = str(row.state) if row.state in _MARKED else "copy"
        number, record_id, patient_id = row.document_number, row.id, row.patient_id
    deliver(data)
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "consent.exported",
            record_type="consent",
            record_id=record_id,
            patient_id=patient_id,
            details={"document_number": number, "to": to, "as": written},
        )
    return ExportedForm(number, written)
