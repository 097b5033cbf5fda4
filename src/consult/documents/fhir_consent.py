"""A signed consent as a FHIR R4 Consent: the treatment permitted, and the patient's choices.

The base provision permits the practitioner to carry out the treatment (the Procedure it
names as its data). The two choices the form asks as yes or no are nested provisions, a
``permit`` for a yes and a ``deny`` for a no, so a receiver reads them without Consult:

- photographs: taking photographs of the treated area (``collect``), for the patient's
  care (purpose ``TREAT``), kept as Media in the medical record;
- data processing: using the record, de-identified, to review the clinic's treatments
  (``use``, purpose ``HQUALIMP``, health quality improvement).

The signed form itself (the PDF) is the Consent's source attachment, and LOINC 59284-0,
"Patient Consent", its category. The Consent and its form's attachment are in the
language the patient read (BCP 47: the record's ``language``, English if it names none).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from consult.documents.fhir_base import (
    CONSENT_CHOICE_SYSTEM,
    DOCUMENT_NUMBER_SYSTEM,
    TREATMENT_SYSTEM,
    Resource,
    coding,
    document_language,
    ref,
    resource,
    utc,
)
from consult.domain.states import ConsentState

LOINC = "http://loinc.org"
PATIENT_CONSENT = ("59284-0", "Patient Consent")
"""LOINC 59284-0, whose display (its long common name) is "Patient Consent"."""
_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
_RESOURCE_TYPES = "http://hl7.org/fhir/resource-types"
_CONSENT_STATUS: Mapping[str, str] = {
    ConsentState.SIGNED: "active",
    ConsentState.WITHDRAWN: "inactive",
    ConsentState.VOIDED: "entered-in-error",
}


def _choice(
    doc: Mapping[str, Any],
    key: str,
    display: str,
    action: tuple[str, str],
    purpose: tuple[str, str],
    data_class: tuple[str, str] | None = None,
) -> dict[str, Any]:
    given = bool((doc.get("choices") or {}).get(key))
    provision: dict[str, Any] = {
        "type": "permit" if given else "deny",
        "action": [{"coding": [coding(_ACTION, *action)]}],
        "purpose": [coding(_ACT_REASON, *purpose)],
    }
    if data_class is not None:
        provision["class"] = [coding(_RESOURCE_TYPES, *data_class)]
    provision["code"] = [{"coding": [coding(CONSENT_CHOICE_SYSTEM, key, display)], "text": display}]
    return provision


def choices(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The patient's photograph and data choices as nested permit/deny provisions."""
    return [
        _choice(
            doc,
            "photographs",
            "Photographs of the treated area for the medical record",
            ("collect", "Collect"),
            ("TREAT", "treatment"),
            ("Media", "Media"),
        ),
        _choice(
            doc,
            "data_processing",
            "Use of the de-identified record to review the clinic's treatments",
            ("use", "Use"),
            ("HQUALIMP", "health quality improvement"),
        ),
    ]


def consent(
    doc: Mapping[str, Any],
    *,
    state: str,
    pdf: bytes,
    signed_at: dt.datetime,
    urls: Mapping[str, str],
    assigner: str,
) -> Resource:
    """The Consent of one sealed document; ``urls`` the fullUrls of its ``patient``,
    ``practitioner``, ``organization`` and ``procedure``."""
    number = str(doc["document_number"])
    signed = utc(signed_at)
    treatment = doc.get("treatment") or {}
    template = doc.get("template") or {}
    treatment_id = str(treatment.get("id") or "treatment")
    name = str(treatment.get("name") or treatment_id)
    language = document_language(doc)
    return resource(
        "Consent",
        language=language,
        identifier=[{"system": DOCUMENT_NUMBER_SYSTEM, "value": number, "assigner": ref(assigner)}],
        status=_CONSENT_STATUS.get(state, "active"),
        scope={"coding": [coding(_SCOPE, "treatment", "Treatment")]},
        category=[{"coding": [coding(LOINC, *PATIENT_CONSENT)]}],
        patient=ref(urls["patient"]),
        dateTime=signed,
        performer=[ref(urls["patient"])],
        organization=[ref(urls["organization"])],
        sourceAttachment={
            "contentType": "application/pdf",
            "language": language,
            "data": base64.b64encode(pdf).decode("ascii"),
            "size": len(pdf),
            # FHIR R4's Attachment.hash is SHA-1 by definition.
            "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
            "title": f"{template.get('title') or 'Consent'} {number}",
            "creation": signed,
        },
        policyRule={
            "coding": [coding(_ACT_CODE, "OPTIN", "opt-in")],
            "text": f"{template.get('id', '')} version {template.get('version', '')}".strip(),
        },
        provision={
            "type": "permit",
            "period": {"start": signed},
            "actor": [
                {
                    "role": {"coding": [coding(_PARTICIPATION, "PPRF", "primary performer")]},
                    "reference": ref(urls["practitioner"]),
                }
            ],
            "code": [{"coding": [coding(TREATMENT_SYSTEM, treatment_id, name)], "text": name}],
            "data": [{"meaning": "instance", "reference": ref(urls["procedure"])}],
            "provision": choices(doc),
        },
    )
