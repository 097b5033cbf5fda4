"""The people and organisations of a FHIR export: the clinic, its patients and
practitioners, and the manufacturers of the products used.

The clinic's Organization has the clinic's UUID as its id and carries it as an
identifier: its id is the same in every export, before and after a rename, so a
receiver that has filed the clinic once recognises it again. Its name and address are
the clinic's at the time of the export (the signed form keeps the ones it was signed
under). Patients and practitioners are named by their numbers in the clinic, each an
identifier assigned by the clinic's Organization. A patient's ``communication`` is the
language they read their consent in (the sealed record's, English for records sealed
before the patient's language was recorded), marked preferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from consult.documents.fhir_base import (
    PATIENT_ID_SYSTEM,
    URI_SYSTEM,
    USER_ID_SYSTEM,
    Ids,
    Resource,
    coding,
    document_language,
    language_concept,
    ref,
    resource,
)

_GENDER = {"female": "female", "male": "male", "intersex": "other"}
_ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"


@dataclass(frozen=True)
class ClinicIdentity:
    """The clinic as an export names it: its lasting UUID, and its name and address now."""

    uuid: str
    name: str
    address: str = ""


def organization(clinic: ClinicIdentity, ids: Ids) -> tuple[str, Resource]:
    """The clinic's Organization (a healthcare provider), under its lasting id."""
    body = resource(
        "Organization",
        identifier=[{"system": URI_SYSTEM, "value": ids.organization}],
        active=True,
        type=[{"coding": [coding(_ORGANIZATION_TYPE, "prov", "Healthcare Provider")]}],
        name=clinic.name.strip() or "Clinic",
        address=[{"text": clinic.address.strip()}] if clinic.address.strip() else None,
    )
    return ids.organization, body


def manufacturer(name: str, ids: Ids) -> tuple[str, Resource]:
    """A product's manufacturer, an Organization known by its name only."""
    body = resource(
        "Organization",
        type=[{"coding": [coding(_ORGANIZATION_TYPE, "bus", "Non-Healthcare Business")]}],
        name=name,
    )
    return ids.url("manufacturer", name.casefold()), body


def _assigned(system: str, value: object, ids: Ids) -> dict[str, Any]:
    return {"system": system, "value": str(value), "assigner": ref(ids.organization)}


def patient(doc: Mapping[str, Any], ids: Ids) -> tuple[str, Resource]:
    """The patient as the sealed document records them."""
    person = doc["patient"]
    full = str(person.get("full_name") or "").strip()
    telecom = [
        {"system": system, "value": str(person[key])}
        for system, key in (("phone", "phone"), ("email", "email"))
        if person.get(key)
    ]
    body = resource(
        "Patient",
        identifier=[_assigned(PATIENT_ID_SYSTEM, person["id"], ids)],
        name=[{"text": full}] if full else None,
        telecom=telecom or None,
        gender=_GENDER.get(str(person.get("sex_at_birth")), "unknown"),
        birthDate=person.get("date_of_birth") or None,
        communication=[{"language": language_concept(document_language(doc)), "preferred": True}],
        managingOrganization=ref(ids.organization),
    )
    return ids.url("patient", person["id"]), body


def practitioner(practitioner_id: int, doc: Mapping[str, Any], ids: Ids) -> tuple[str, Resource]:
    """The practitioner who took the consent, named and qualified as they signed."""
    signer: Mapping[str, Any] = next(
        (s for s in doc.get("signatures", []) if s.get("role") == "practitioner"), {}
    )
    body = resource(
        "Practitioner",
        identifier=[_assigned(USER_ID_SYSTEM, practitioner_id, ids)],
        name=[{"text": str(signer["name"])}] if signer.get("name") else None,
        qualification=(
            [{"code": {"text": str(signer["qualification"])}}]
            if signer.get("qualification")
            else None
        ),
    )
    return ids.url("practitioner", practitioner_id), body
