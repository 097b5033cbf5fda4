"""The treatment a consent was given for, as FHIR: a Procedure using a Medication.

The Medication is the product as the form records it: its name, its manufacturer (an
Organization), and the lot with its expiry date (``Medication.batch``), which is what a
receiver needs to find the patients of a recalled lot. The Procedure is the treatment
(Consult's treatment code and name) for the patient by the practitioner, using that
Medication; the Consent names it as the data its permission covers.

Consult records the consent, not the treatment itself, so the Procedure's status says
where the consent leaves it: ``preparation`` while the consent stands (the treatment may
go ahead), ``not-done`` once it is withdrawn, ``entered-in-error`` when the record is
voided.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consult.documents.fhir_base import TREATMENT_SYSTEM, Ids, Resource, coding, ref, resource
from consult.domain.states import ConsentState

_PROCEDURE_STATUS: Mapping[str, str] = {
    ConsentState.SIGNED: "preparation",
    ConsentState.WITHDRAWN: "not-done",
    ConsentState.VOIDED: "entered-in-error",
}


def medication(
    product: Mapping[str, Any], manufacturer_url: str | None, ids: Ids
) -> tuple[str, Resource]:
    """The product and its lot; ``manufacturer_url`` the manufacturer's Organization."""
    name = str(product.get("name") or "").strip()
    lot = str(product.get("lot") or "").strip()
    expiry = str(product.get("expiry") or "").strip()
    batch = {"lotNumber": lot or None, "expirationDate": expiry or None}
    body = resource(
        "Medication",
        code={"text": name} if name else None,
        manufacturer=ref(manufacturer_url) if manufacturer_url else None,
        batch={k: v for k, v in batch.items() if v is not None} or None,
    )
    key = "|".join((name, str(product.get("manufacturer") or ""), lot, expiry))
    return ids.url("medication", key), body


def procedure(
    doc: Mapping[str, Any],
    state: str,
    patient_url: str,
    practitioner_url: str,
    medication_url: str | None,
    ids: Ids,
) -> tuple[str, Resource]:
    """The treatment the consent was given for, with the product it uses."""
    treatment = doc.get("treatment") or {}
    treatment_id = str(treatment.get("id") or "treatment")
    name = str(treatment.get("name") or treatment_id)
    body = resource(
        "Procedure",
        status=_PROCEDURE_STATUS.get(state, "unknown"),
        code={"coding": [coding(TREATMENT_SYSTEM, treatment_id, name)], "text": name},
        subject=ref(patient_url),
        performer=[{"actor": ref(practitioner_url), "onBehalfOf": ref(ids.organization)}],
        usedReference=[ref(medication_url)] if medication_url else None,
    )
    return ids.url("procedure", doc["document_number"]), body
