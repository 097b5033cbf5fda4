"""One signed consent as a manager (or its practitioner) reviews it: the findings and the
decisions on them, the signatures, the intake, the events since and the audit trail.

It is read from the sealed document, never from the consultation (which may have moved
on), and the view is logged before it is read, so the trail shown includes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store import audit
from consult.store.dto import AuditLine, EventLine, FindingLine, RecordDetail, SignatureLine
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
)
from consult.store.models import AuditEntry, ConsentEvent, ConsentRecord, Patient, User
from consult.store.services.consents import consent_info
from consult.store.services.context import ServiceContext
from consult.store.services.patients import patient_info


def record_detail(ctx: ServiceContext, consent_id: int) -> RecordDetail:
    """A signed record with its findings, overrides, signatures, events and audit trail.

    Practitioners and managers (the record holds the intake); the view is logged first,
    so the trail shown includes it.
    """
    user = ctx.require("read a consent record", Role.MANAGER, Role.PRACTITIONER)
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
            details={"document_number": row.document_number},
        )
        document: dict[str, Any] = json.loads(row.document_json)
        patient = session.get(Patient, row.patient_id)
        practitioner = session.get(User, row.practitioner_id)
        assert patient is not None and practitioner is not None
        treatment = document.get("treatment", {})
        signatures = tuple(
            SignatureLine(
                role=str(s.get("role", "")),
                name=str(s.get("name", "")),
                qualification=s.get("qualification"),
                meaning=str(s.get("meaning", "")),
                signed_at=str(s.get("signed_at", "")),
                points=sum(len(stroke) for stroke in s.get("strokes", [])),
            )
            for s in document.get("signatures", [])
        )
        return RecordDetail(
            info=consent_info(row),
            patient=patient_info(patient),
            practitioner_name=practitioner.display_name,
            treatment_name=str(treatment.get("name", row.treatment_id)),
            route=str(treatment.get("route", "")),
            product=treatment.get("product"),
            findings=_findings(document),
            signatures=signatures,
            intake=tuple(
                (str(item.get("label", "")), str(item.get("answer", "")))
                for item in document.get("intake_summary", [])
            ),
            choices={k: bool(v) for k, v in document.get("choices", {}).items()},
            events=_events(session, row.id),
            audit_trail=_audit_trail(session, row.id, row.patient_id),
            may_change=row.state != ConsentState.VOIDED
            and (user.has(Role.MANAGER) or row.practitioner_id == user.id),
        )


def _findings(document: Mapping[str, Any]) -> tuple[FindingLine, ...]:
    decisions = {str(d.get("rule")): d for d in document.get("overrides", [])}
    lines = []
    for finding in document.get("findings", []):
        decision = decisions.get(str(finding.get("rule")), {})
        lines.append(
            FindingLine(
                rule=str(finding.get("rule", "")),
                severity=str(finding.get("severity", "")),
                message=str(finding.get("message", "")),
                decision=str(decision.get("kind") or ""),
                justification=str(decision.get("justification") or ""),
                decided_by=str(decision.get("by") or ""),
                decided_at=str(decision.get("at") or ""),
            )
        )
    return tuple(lines)


def _events(session: Session, consent_id: int) -> tuple[EventLine, ...]:
    rows = session.execute(
        select(ConsentEvent.kind, ConsentEvent.reason, User.display_name, ConsentEvent.at)
        .join(User, User.id == ConsentEvent.user_id)
        .where(ConsentEvent.consent_id == consent_id)
        .order_by(ConsentEvent.id)
    ).all()
    return tuple(EventLine(kind, reason, name, at) for kind, reason, name, at in rows)


def _audit_trail(session: Session, consent_id: int, patient_id: int) -> tuple[AuditLine, ...]:
    """The audit entries about one consent record, oldest first."""
    rows = session.execute(
        select(AuditEntry)
        .where(
            AuditEntry.patient_id == patient_id,  # indexed; narrows before the record id
            AuditEntry.record_type == "consent",
            AuditEntry.record_id == str(consent_id),
        )
        .order_by(AuditEntry.id)
    ).scalars()
    return tuple(
        AuditLine(e.id, e.at, e.username, e.workstation, e.event, dict(e.details)) for e in rows
    )
