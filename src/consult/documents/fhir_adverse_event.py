"""A complication after a treatment as a FHIR R4 AdverseEvent.

``actuality`` ``actual`` (it happened to the patient); ``event`` what happened: the
complication's category in Consult's closed vocabulary (:mod:`consult.domain.
complications`, code system :data:`CATEGORY_SYSTEM`) with the practitioner's description
as its text; ``date`` and ``detected`` the day it was noticed, ``recordedDate`` when it
was first recorded; ``severity`` and ``outcome`` in HL7's R4 code systems (their
bindings are required); ``seriousness`` HL7's ``Serious`` for an event Consult records
as serious in the regulators' sense (ICH E2A: R4's severity scale stops at severe, so
the event is ``severe`` as well), ``Non-serious`` otherwise; ``suspectEntity`` the
Medication with the lot used (the same resource as the treatment's) and the treatment's
Procedure. What was done about it and the follow-up date, which R4's AdverseEvent has no
element for, ride in the extensions :data:`ACTION_EXTENSION` and
:data:`FOLLOW_UP_EXTENSION`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from consult.documents.fhir_base import Ids, Resource, coding, ref, resource, utc
from consult.domain import complications as vocabulary

CATEGORY_SYSTEM: Final = "urn:consult:complication-category"
COMPLICATION_ID_SYSTEM: Final = "urn:consult:complication-id"
ACTION_EXTENSION: Final = "urn:consult:fhir:extension:action-taken"
FOLLOW_UP_EXTENSION: Final = "urn:consult:fhir:extension:follow-up-date"
SEVERITY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
OUTCOME_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
SERIOUSNESS_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"

_SEVERITY: Final = {
    "mild": ("mild", "Mild"),
    "moderate": ("moderate", "Moderate"),
    "severe": ("severe", "Severe"),
    "serious": ("severe", "Severe"),
}
_OUTCOME: Final = {
    "ongoing": ("ongoing", "Ongoing"),
    "resolved": ("resolved", "Resolved"),
    "resolved_with_sequelae": ("resolvedWithSequelae", "Resolved with Sequelae"),
    "unknown": ("unknown", "Unknown"),
}


@dataclass(frozen=True)
class ComplicationExport:
    """A complication as the store hands it to the FHIR writer; ``product`` the product
    and lot it is linked to (as :func:`consult.documents.fhir_product.medication` takes
    them), None when none is named."""

    complication_id: int
    category: str
    description: str
    noticed_on: dt.date
    severity: str
    action_taken: str
    outcome: str
    follow_up_on: dt.date | None
    recorded_at: dt.datetime
    product: Mapping[str, Any] | None = None


def adverse_event(
    event: ComplicationExport,
    *,
    urls: Mapping[str, str],
    medication_url: str | None,
    ids: Ids,
) -> tuple[str, Resource]:
    """The complication as an AdverseEvent; ``urls`` names the patient and the procedure."""
    severity = _SEVERITY.get(event.severity)
    outcome = _OUTCOME.get(event.outcome)
    serious = event.severity == "serious"
    extensions = [
        {"url": ACTION_EXTENSION, "valueString": event.action_taken.strip()}
        if event.action_taken.strip()
        else None,
        {"url": FOLLOW_UP_EXTENSION, "valueDate": event.follow_up_on.isoformat()}
        if event.follow_up_on is not None
        else None,
    ]
    suspects = [ref(medication_url)] if medication_url else []
    suspects.append(ref(urls["procedure"]))
    body = resource(
        "AdverseEvent",
        extension=[x for x in extensions if x is not None] or None,
        identifier={
            "system": COMPLICATION_ID_SYSTEM,
            "value": str(event.complication_id),
            "assigner": ref(ids.organization),
        },
        actuality="actual",
        event={
            "coding": [coding(CATEGORY_SYSTEM, event.category, vocabulary.word(event.category))],
            "text": event.description.strip() or vocabulary.word(event.category),
        },
        subject=ref(urls["patient"]),
        date=event.noticed_on.isoformat(),
        detected=event.noticed_on.isoformat(),
        recordedDate=utc(event.recorded_at),
        seriousness={
            "coding": [
                coding(SERIOUSNESS_SYSTEM, "Serious", "Serious")
                if serious
                else coding(SERIOUSNESS_SYSTEM, "Non-serious", "Non-serious")
            ]
        },
        severity={"coding": [coding(SEVERITY_SYSTEM, *severity)]} if severity else None,
        outcome={"coding": [coding(OUTCOME_SYSTEM, *outcome)]} if outcome else None,
        suspectEntity=[{"instance": suspect} for suspect in suspects],
    )
    return ids.url("adverse-event", event.complication_id), body
