"""A signed-off treatment chart as FHIR: the Procedure, done, with where and how much.

The Procedure is the one the Consent names (``Consent.provision.data``): while no chart is
signed off it says where the consent leaves the treatment (:mod:`.fhir_product`); once
the practitioner signs the chart off it is the treatment as given, from the sealed chart
(never the rows as they stand):

- ``status`` ``completed`` (``entered-in-error`` when the consent was voided: the
  treatment stands on a record declared wrong);
- ``performedDateTime`` the day of treatment, ``performer`` and ``recorder`` the
  practitioner who signed the chart off;
- ``bodySite`` the treated areas and the points' areas (:mod:`.fhir_body_site`);
- ``usedReference`` a Medication per lot used, with its lot number and expiry (the chart
  may use another lot than the one planned, and a point another lot than the chart);
- one ``note`` per point in words, and the same point in the extension
  :data:`INJECTION_POINT_EXTENSION` (number, view, x and y, area, lot, amount with its
  unit, depth, technique) for a receiver that reads data; the chart's notes and each
  addendum (author, time) as notes too;
- the Consent the treatment was given under in R5's ``Procedure.supportingInfo`` as HL7's
  cross-version extension for R4 (:data:`SUPPORTING_INFO`): R4's ``reasonReference``
  may not point to a Consent;
- ``identifier`` the chart's number in the clinic and its seal (SHA-256 of the sealed
  RFC 8785 JSON), which ``consult verify`` rechecks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from consult.documents.fhir_base import (
    TREATMENT_SYSTEM,
    USER_ID_SYSTEM,
    Ids,
    Resource,
    coding,
    ref,
    resource,
    utc,
)
from consult.documents.fhir_body_site import body_site
from consult.domain.states import ConsentState

INJECTION_POINT_EXTENSION: Final = "urn:consult:fhir:extension:injection-point"
SUPPORTING_INFO: Final = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Procedure.supportingInfo"
)
"""HL7's R5-in-R4 extension for ``Procedure.supportingInfo`` (Reference(Any))."""
CHART_ID_SYSTEM: Final = "urn:consult:treatment-chart-id"
CHART_SEAL_SYSTEM: Final = "urn:consult:treatment-chart-sha256"
UCUM: Final = "http://unitsofmeasure.org"
_UCUM_UNITS: Final = {"mL": "mL"}
"""Units with a UCUM code; a toxin's units are the product's own biological units, which
UCUM has no code for, so they are written as words only."""


@dataclass(frozen=True)
class Addendum:
    """A correction written after sign-off, as the export shows it."""

    text: str
    author: str
    at: dt.datetime
    sha256: str


@dataclass(frozen=True)
class TreatmentExport:
    """A signed-off chart as the store hands it: the sealed document and its hash, the
    addenda, and the expiry of each lot the document names (by lot number)."""

    document: Mapping[str, Any]
    document_sha256: str
    addenda: tuple[Addendum, ...] = ()
    lot_expiries: Mapping[str, str] = field(default_factory=dict)


def products_used(chart: TreatmentExport) -> list[dict[str, Any]]:
    """The product and lot of each lot the chart used, the chart's own first, as
    :func:`consult.documents.fhir_product.medication` takes them."""
    product = chart.document.get("product")
    if not isinstance(product, Mapping):
        return []
    lots = [product.get("lot")]
    lots += [p.get("lot") for p in _points(chart)]
    out: list[dict[str, Any]] = []
    for lot in dict.fromkeys(str(x) for x in lots if x):
        expiry = product.get("expiry") if lot == product.get("lot") else None
        out.append(
            {
                "name": product.get("name"),
                "manufacturer": product.get("manufacturer"),
                "lot": lot,
                "expiry": expiry or chart.lot_expiries.get(lot),
            }
        )
    return out


def signer(chart: TreatmentExport, ids: Ids) -> tuple[str, Resource]:
    """The practitioner who signed the chart off, named and qualified as sealed."""
    who = chart.document.get("signed_by") or {}
    user_id = who.get("id")
    body = resource(
        "Practitioner",
        identifier=[
            {"system": USER_ID_SYSTEM, "value": str(user_id), "assigner": ref(ids.organization)}
        ],
        name=[{"text": str(who["name"])}] if who.get("name") else None,
        qualification=(
            [{"code": {"text": str(who["qualification"])}}] if who.get("qualification") else None
        ),
    )
    return ids.url("practitioner", user_id), body


def _points(chart: TreatmentExport) -> list[Mapping[str, Any]]:
    points = chart.document.get("points")
    return [p for p in points if isinstance(p, Mapping)] if isinstance(points, list) else []


def _number(text: object) -> int | float | None:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _quantity(amount: object, unit: str) -> dict[str, Any] | None:
    value = _number(amount)
    if value is None:
        return None
    out: dict[str, Any] = {"value": value, "unit": unit}
    if unit in _UCUM_UNITS:
        out.update(system=UCUM, code=_UCUM_UNITS[unit])
    return out


def _point_extension(point: Mapping[str, Any]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []

    def put(name: str, kind: str, value: object) -> None:
        if value not in (None, ""):
            parts.append({"url": name, kind: value})

    put("number", "valueInteger", point.get("number"))
    put("view", "valueCode", point.get("view"))
    put("x", "valueDecimal", _number(point.get("x")))
    put("y", "valueDecimal", _number(point.get("y")))
    put("area", "valueString", point.get("area"))
    put("lot", "valueString", point.get("lot"))
    put("amount", "valueQuantity", _quantity(point.get("amount"), str(point.get("unit") or "")))
    put("depth", "valueCode", point.get("depth"))
    put("technique", "valueCode", str(point.get("technique") or "") or None)
    return {"url": INJECTION_POINT_EXTENSION, "extension": parts}


def point_text(point: Mapping[str, Any]) -> str:
    """A point in words, for a reader of the notes."""
    where = ", ".join(str(x) for x in (point.get("view"), point.get("area")) if x)
    how = ", ".join(
        str(x).replace("_", " ") for x in (point.get("depth"), point.get("technique")) if x
    )
    text = f"Point {point.get('number')} ({where}): {point.get('amount')} {point.get('unit')}"
    if how:
        text += f", {how}"
    if point.get("lot"):
        text += f"; lot {point.get('lot')}"
    return text


def _areas(chart: TreatmentExport) -> Iterator[dict[str, Any]]:
    areas = chart.document.get("areas")
    words = [str(a) for a in areas] if isinstance(areas, list) else []
    words += [str(p.get("area")) for p in _points(chart) if p.get("area")]
    seen: set[str] = set()
    for word in words:
        concept = body_site(word)
        if concept is not None and concept["text"].casefold() not in seen:
            seen.add(concept["text"].casefold())
            yield concept


def _notes(chart: TreatmentExport, signed_at: str | None) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    if str(chart.document.get("notes") or "").strip():
        notes.append({"text": str(chart.document["notes"]).strip(), "time": signed_at})
    if chart.document.get("lot_reason"):
        notes.append({"text": f"Another lot than planned: {chart.document['lot_reason']}"})
    notes += [{"text": point_text(p)} for p in _points(chart)]
    notes += [
        {
            "authorString": a.author,
            "time": utc(a.at),
            "text": f"Addendum after sign-off: {a.text}",
        }
        for a in chart.addenda
    ]
    return [{k: v for k, v in n.items() if v is not None} for n in notes]


def performed_procedure(
    chart: TreatmentExport,
    *,
    state: str,
    treatment_name: str,
    urls: Mapping[str, str],
    medication_urls: Sequence[str],
    ids: Ids,
) -> Resource:
    """The Procedure of a signed-off chart. ``urls`` names the patient, the consent and
    the chart's ``signer`` (:func:`signer`)."""
    doc = chart.document
    treatment_id = str(doc.get("treatment") or "treatment")
    signed_at = doc.get("signed_at")
    signed = utc(dt.datetime.fromisoformat(signed_at)) if isinstance(signed_at, str) else None
    return resource(
        "Procedure",
        extension=[
            {"url": SUPPORTING_INFO, "valueReference": ref(urls["consent"])},
            *(_point_extension(p) for p in _points(chart)),
        ],
        identifier=[
            {
                "system": CHART_ID_SYSTEM,
                "value": str(doc.get("chart_id")),
                "assigner": ref(ids.organization),
            },
            {"system": CHART_SEAL_SYSTEM, "value": chart.document_sha256},
        ],
        status="entered-in-error" if state == ConsentState.VOIDED else "completed",
        code={
            "coding": [coding(TREATMENT_SYSTEM, treatment_id, treatment_name)],
            "text": treatment_name,
        },
        subject=ref(urls["patient"]),
        performedDateTime=str(doc["treated_on"]) if doc.get("treated_on") else None,
        recorder=ref(urls["signer"]),
        performer=[{"actor": ref(urls["signer"]), "onBehalfOf": ref(ids.organization)}],
        bodySite=list(_areas(chart)) or None,
        note=_notes(chart, signed) or None,
        usedReference=[ref(url) for url in medication_urls] or None,
    )
