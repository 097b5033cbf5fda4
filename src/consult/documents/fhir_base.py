"""What every resource of Consult's FHIR R4 export is built with: ids, references, profiles.

Every resource says which specification it is written to: ``meta.profile`` names the core
StructureDefinition of FHIR R4 with its version (``…/Consent|4.0.1``), so a receiver
that reads R5 or R4B knows what it holds. Ids are UUIDs, made from the clinic's own
UUID and the thing's number in the clinic (:class:`Ids`): the same record exported twice
has the same ids, and two clinics' bundles merged never share one.

Languages are BCP 47 tags (:data:`BCP47`): a resource the patient read (the Consent and
its form, the QuestionnaireResponse) carries the patient's language as its ``language``,
and the Patient says it in ``communication``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any, Final

FHIR_VERSION = "4.0.1"
"""FHIR R4, the release every resource of the export is written to and checked against."""
CORE_PROFILE = "http://hl7.org/fhir/StructureDefinition/{kind}|" + FHIR_VERSION

# Consult's own code systems and identifiers (URNs: nothing to resolve on the web).
DOCUMENT_NUMBER_SYSTEM = "urn:consult:consent-document-number"
PATIENT_ID_SYSTEM = "urn:consult:patient-id"
USER_ID_SYSTEM = "urn:consult:user-id"
TREATMENT_SYSTEM = "urn:consult:treatment"
RULE_SYSTEM = "urn:consult:screening-rule"
DECISION_SYSTEM = "urn:consult:decision"
CONSENT_EVENT_SYSTEM = "urn:consult:consent-event"
CONSENT_CHOICE_SYSTEM = "urn:consult:consent-choice"
URI_SYSTEM = "urn:ietf:rfc:3986"
"""The identifier system whose values are URIs (here the clinic's ``urn:uuid:``)."""

Resource = dict[str, Any]


def utc(value: dt.datetime) -> str:
    """An instant as FHIR writes it: UTC, to the second."""
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


def instant(text: object, fallback: dt.datetime) -> str:
    """A recorded ISO time as a FHIR instant; ``fallback`` when it is missing or unreadable."""
    if isinstance(text, str) and text:
        with contextlib.suppress(ValueError):
            parsed = dt.datetime.fromisoformat(text)
            if parsed.tzinfo is not None:
                return utc(parsed)
    return utc(fallback)


def coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    """A Coding; ``display`` as the code system writes it, or none."""
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


BCP47: Final = "urn:ietf:bcp:47"
"""The code system of languages in FHIR (IETF BCP 47 tags: ``en``, ``ja``)."""
_LANGUAGE_NAMES: Final = {"en": "English", "ja": "Japanese"}
_LANGUAGE_TAG: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def document_language(doc: Mapping[str, Any]) -> str:
    """The language the patient read the sealed document in: its ``language``, or
    English for a record sealed before records named one (they were all English)."""
    language = doc.get("language")
    if isinstance(language, str) and _LANGUAGE_TAG.fullmatch(language):
        return language
    return "en"


def language_concept(language: str) -> dict[str, Any]:
    """A CodeableConcept naming a BCP 47 language (with its English name where known)."""
    return {"coding": [coding(BCP47, language, _LANGUAGE_NAMES.get(language))]}


def ref(url: str, display: str | None = None) -> dict[str, str]:
    """A Reference to a resource of the bundle by its ``fullUrl``."""
    out = {"reference": url}
    if display:
        out["display"] = display
    return out


def resource(kind: str, **elements: Any) -> Resource:
    """A resource of type ``kind`` that names its R4 profile; ``None`` elements are left
    out (FHIR has no nulls)."""
    out: Resource = {"resourceType": kind, "meta": {"profile": [CORE_PROFILE.format(kind=kind)]}}
    out.update({name: value for name, value in elements.items() if value is not None})
    return out


def entry(url: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A bundle entry: the resource under its ``fullUrl``, its id the UUID in it."""
    with_id = {"resourceType": body["resourceType"], "id": url.removeprefix("urn:uuid:")}
    with_id.update({key: value for key, value in body.items() if key != "resourceType"})
    return {"fullUrl": url, "resource": with_id}


class Ids:
    """The ids of one clinic's resources: UUIDs made from the clinic's UUID.

    The clinic's own Organization has the clinic's UUID itself, which is kept when the
    clinic is renamed; every other id is a name-based UUID (version 5) of a kind and a
    key (the patient's number, the document number…) in the clinic's UUID's namespace.
    """

    def __init__(self, clinic_uuid: str) -> None:
        self.clinic = uuid.UUID(clinic_uuid)

    @property
    def organization(self) -> str:
        """The clinic's Organization."""
        return f"urn:uuid:{self.clinic}"

    def url(self, kind: str, key: object) -> str:
        """The ``urn:uuid:`` of the resource of ``kind`` with ``key`` in this clinic."""
        return f"urn:uuid:{uuid.uuid5(self.clinic, f'{kind}:{key}')}"
