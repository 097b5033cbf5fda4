"""Who signed a consent, and what: a FHIR Provenance with the handwritten signatures.

The Provenance targets the Consent, the QuestionnaireResponse and the Procedure; its
entity is the sealed document, by its SHA-256 (the hash printed on the form). Each
handwritten signature is a FHIR Signature typed as ASTM E1762 does (the patient's a
consent signature, the practitioner's an author's signature) whose data is the
signature drawn as a PNG (``sigFormat`` ``image/png``); the signature as recorded (the
vector strokes, the pad's size, the signer's name and time) rides along in the
extension :data:`STROKES_EXTENSION`, as JSON (RFC 8785) in an attachment. A withdrawal or
a voiding is a reason of the Provenance.

A parent or guardian, a witness or an interpreter who signed beside them (issue 21) is
an agent too, named (Consult keeps no other record of them, so the reference is their
name as a display) with their role: a guardian (v3 RoleCode GUARD) acting on the
patient's behalf, a witness (v3 ParticipationType WIT), an interpreter (participant
type ``translator``); their signatures are typed as ASTM E1762 types them (consent,
consent witness, interpreter).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from consult.documents.fhir_base import (
    CONSENT_EVENT_SYSTEM,
    URI_SYSTEM,
    Resource,
    coding,
    instant,
    ref,
    resource,
    utc,
)
from consult.documents.fhir_signature import signature_png
from consult.domain.canonical import jcs_bytes
from consult.domain.consent_signers import signers_of

STROKES_EXTENSION = "urn:consult:fhir:extension:signature-strokes"
"""The extension of a Signature that holds the handwritten signature as recorded."""
_SIGNATURE_TYPE = {
    "patient": ("1.2.840.10065.1.12.1.7", "Consent Signature"),
    "practitioner": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
    "guardian": ("1.2.840.10065.1.12.1.7", "Consent Signature"),
    "witness": ("1.2.840.10065.1.12.1.11", "Consent Witness Signature"),
    "interpreter": ("1.2.840.10065.1.12.1.12", "Interpreter Signature"),
}
_SIGNER_ROLE: Mapping[str, tuple[str, str, str, str]] = {
    # role: (agent type, role's code system, code, display)
    "guardian": (
        "attester",
        "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
        "GUARD",
        "guardian",
    ),
    "witness": (
        "verifier",
        "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "WIT",
        "witness",
    ),
    "interpreter": (
        "informant",
        "http://terminology.hl7.org/CodeSystem/participant-type",
        "translator",
        "Translator",
    ),
}
_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"


def signature(
    sig: Mapping[str, Any],
    who: str | None,
    signed_at: dt.datetime,
    on_behalf_of: str | None = None,
) -> dict[str, Any]:
    """One handwritten signature as a FHIR Signature: a PNG, and the strokes beside it.
    ``who`` the signer's fullUrl, or None for one known by name only (an extra signer)."""
    code, display = _SIGNATURE_TYPE.get(str(sig.get("role")), _SIGNATURE_TYPE["patient"])
    recorded = jcs_bytes(dict(sig))
    out: dict[str, Any] = {
        "extension": [
            {
                "url": STROKES_EXTENSION,
                "valueAttachment": {
                    "contentType": "application/json",
                    "data": base64.b64encode(recorded).decode("ascii"),
                    "size": len(recorded),
                },
            }
        ],
        "type": [coding("urn:iso-astm:E1762-95:2013", code, display)],
        "when": instant(sig.get("signed_at"), signed_at),
        "who": ref(who, str(sig.get("name") or "") or None)
        if who is not None
        else {"display": str(sig.get("name") or "—")},
    }
    if on_behalf_of is not None:
        out["onBehalfOf"] = ref(on_behalf_of)
    png = signature_png(sig)
    if png is not None:
        out["sigFormat"] = "image/png"
        out["data"] = base64.b64encode(png).decode("ascii")
    return out


def provenance(
    doc: Mapping[str, Any],
    *,
    document_sha256: str,
    signed_at: dt.datetime,
    events: Sequence[tuple[str, str, dt.datetime]],
    urls: Mapping[str, str],
) -> Resource:
    """The Provenance of one sealed document; ``urls`` the fullUrls of its ``patient``,
    ``practitioner``, ``consent``, ``response`` and ``procedure``."""
    number = str(doc["document_number"])
    signatures = []
    agents = []
    for sig in doc.get("signatures", []):
        patient_signed = sig.get("role") == "patient"
        who = urls["patient"] if patient_signed else urls["practitioner"]
        signatures.append(signature(sig, who, signed_at))
        role = "attester" if patient_signed else "author"
        agents.append({"type": {"coding": [coding(_PARTICIPANT, role)]}, "who": ref(who)})
    for signer in signers_of(doc):
        kind = str(signer.get("role"))
        if kind not in _SIGNER_ROLE:
            continue
        agent_type, system, code, display = _SIGNER_ROLE[kind]
        behalf = urls["patient"] if kind == "guardian" else None
        signatures.append(signature(signer, None, signed_at, behalf))
        agent: dict[str, Any] = {
            "type": {"coding": [coding(_PARTICIPANT, agent_type)]},
            "role": [{"coding": [coding(system, code, display)]}],
            "who": {"display": str(signer.get("name") or "—")},
        }
        if behalf is not None:
            agent["onBehalfOf"] = ref(behalf)
        agents.append(agent)
    reasons = [
        {"coding": [coding(CONSENT_EVENT_SYSTEM, kind)], "text": reason}
        for kind, reason, _at in events
    ]
    return resource(
        "Provenance",
        target=[ref(urls["consent"]), ref(urls["response"]), ref(urls["procedure"])],
        recorded=utc(signed_at),
        reason=reasons or None,
        activity={"coding": [coding(_OPERATION, "CREATE", "create")]},
        agent=agents or [{"who": ref(urls["practitioner"])}],
        entity=[
            {
                "role": "source",
                "what": {
                    "identifier": {"system": URI_SYSTEM, "value": f"urn:sha256:{document_sha256}"},
                    "display": f"Sealed consent document {number}",
                },
            }
        ],
        signature=signatures or None,
    )
