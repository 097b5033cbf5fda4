"""The consent register as a FHIR R4 (4.0.1) ``collection`` Bundle, written one record at
a time.

For each signed consent the bundle holds: the Consent (the signed PDF as its source, the
patient's photograph and data choices as nested provisions: :mod:`.fhir_consent`), the
Procedure it permits with the Medication used, its manufacturer, lot and expiry
(:mod:`.fhir_product`; once the treatment's chart is signed off, the Procedure as given,
with its areas, points and the lots used: :mod:`.fhir_treatment`), the photos of the
treatment as Media (:mod:`.fhir_media`), its complications as AdverseEvents
(:mod:`.fhir_adverse_event`), the intake as a QuestionnaireResponse with typed answers to the
Questionnaire made from the knowledge base (:mod:`.fhir_questionnaire`), a DetectedIssue
for every finding with its severity (:mod:`.fhir_findings`), and a Provenance with the
handwritten signatures as PNG images (:mod:`.fhir_provenance`). The clinic's
Organization, the Questionnaire, each patient, practitioner, manufacturer and product
lot appear once. docs/fhir.md describes the bundle for a receiver.

Nothing here reads the database: the store hands in :class:`ExportRecord` values one at
a time, so a bundle of a hundred thousand records is never held whole; progress,
cancelling and the atomic file are those of every export
(:mod:`consult.documents.export_files`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consult.documents.export_files import Cancelled, Progress, Ticker, atomic_file
from consult.documents.fhir_adverse_event import ComplicationExport, adverse_event
from consult.documents.fhir_base import (
    DOCUMENT_NUMBER_SYSTEM,
    Ids,
    Resource,
    document_language,
    entry,
    ref,
    utc,
)
from consult.documents.fhir_base import resource as fhir_resource
from consult.documents.fhir_consent import consent
from consult.documents.fhir_findings import detected_issues
from consult.documents.fhir_media import PhotoExport, media
from consult.documents.fhir_parties import (
    ClinicIdentity,
    manufacturer,
    organization,
    patient,
    practitioner,
)
from consult.documents.fhir_product import medication, procedure
from consult.documents.fhir_provenance import provenance
from consult.documents.fhir_questionnaire import IntakeQuestionnaire
from consult.documents.fhir_treatment import (
    Addendum,
    TreatmentExport,
    performed_procedure,
    products_used,
    signer,
)
from consult.domain.knowledge_model import KnowledgeBase

__all__ = [
    "Addendum",
    "ClinicIdentity",
    "ComplicationExport",
    "ExportRecord",
    "PhotoExport",
    "TreatmentExport",
    "write_fhir_bundle",
]


@dataclass(frozen=True)
class ExportRecord:
    """One signed consent as the store hands it to the FHIR writer.

    ``answers`` are the consultation's intake answers as given (question id to value),
    frozen with its first signed consent; ``state_events`` its withdrawal or voiding;
    ``treatment`` the treatment's chart once signed off; ``photos`` those that may be shown
    (never one hidden by a withdrawal); ``complications`` the treatment's adverse events.
    """

    consent_id: int
    document: Mapping[str, Any]
    document_sha256: str
    pdf: bytes
    state: str
    practitioner_id: int
    signed_at: dt.datetime
    state_events: tuple[tuple[str, str, dt.datetime], ...] = ()  # (kind, reason, at)
    answers: Mapping[str, Any] = field(default_factory=dict)
    treatment: TreatmentExport | None = None
    photos: tuple[PhotoExport, ...] = ()
    complications: tuple[ComplicationExport, ...] = ()


class _BundleBuilder:
    """Turns records into bundle entries, each shared resource given once."""

    def __init__(self, clinic: ClinicIdentity, kb: KnowledgeBase) -> None:
        self.clinic = clinic
        self.ids = Ids(clinic.uuid)
        self.intake = IntakeQuestionnaire(kb)
        self._seen: set[str] = set()

    def _once(self, url: str, body: Resource) -> list[dict[str, Any]]:
        if url in self._seen:
            return []
        self._seen.add(url)
        return [entry(url, body)]

    def entries(self, record: ExportRecord) -> list[dict[str, Any]]:
        """The entries one record adds to the bundle (shared ones the first time only)."""
        doc, ids = record.document, self.ids
        number = str(doc["document_number"])
        out = self._once(*organization(self.clinic, ids))
        out += self._once(
            ids.url("questionnaire", self.intake.version), self.intake.questionnaire()
        )
        patient_url, patient_body = patient(doc, ids)
        practitioner_url, practitioner_body = practitioner(record.practitioner_id, doc, ids)
        out += self._once(patient_url, patient_body)
        out += self._once(practitioner_url, practitioner_body)
        medication_url = None
        product = (doc.get("treatment") or {}).get("product")
        if product:
            medication_url = self._medication(product, out)
        procedure_url, procedure_body = procedure(
            doc, record.state, patient_url, practitioner_url, medication_url, ids
        )
        urls = {
            "patient": patient_url,
            "practitioner": practitioner_url,
            "organization": ids.organization,
            "procedure": procedure_url,
            "consent": ids.url("consent", number),
            "response": ids.url("questionnaire-response", number),
        }
        if record.treatment is not None:
            procedure_body = self._performed(record, urls, out)
        out.append(entry(urls["consent"], self._consent(record, urls)))
        out.append(entry(procedure_url, procedure_body))
        for photo in record.photos:
            out.append(entry(*media(photo, urls=urls, ids=ids)))
        for event in record.complications:
            suspect = self._medication(event.product, out) if event.product else None
            out.append(entry(*adverse_event(event, urls=urls, medication_url=suspect, ids=ids)))
        out.append(entry(urls["response"], self._response(record, urls)))
        for url, issue in detected_issues(
            doc, state=record.state, signed_at=record.signed_at, urls=urls, ids=ids
        ):
            out.append(entry(url, issue))
        out.append(
            entry(
                ids.url("provenance", number),
                provenance(
                    doc,
                    document_sha256=record.document_sha256,
                    signed_at=record.signed_at,
                    events=record.state_events,
                    urls=urls,
                ),
            )
        )
        return out

    def _medication(self, product: Mapping[str, Any], out: list[dict[str, Any]]) -> str:
        """The Medication of a product and lot (and its manufacturer), added to ``out``
        the first time; returns its URL."""
        maker_url = None
        if str(product.get("manufacturer") or "").strip():
            maker_url, maker = manufacturer(str(product["manufacturer"]).strip(), self.ids)
            out += self._once(maker_url, maker)
        medication_url, medication_body = medication(product, maker_url, self.ids)
        out += self._once(medication_url, medication_body)
        return medication_url

    def _performed(
        self, record: ExportRecord, urls: dict[str, str], out: list[dict[str, Any]]
    ) -> Resource:
        """The Procedure of the record's signed-off chart (its signer and lots to ``out``)."""
        chart = record.treatment
        assert chart is not None
        signer_url, signer_body = signer(chart, self.ids)
        out += self._once(signer_url, signer_body)
        treatment = record.document.get("treatment") or {}
        return performed_procedure(
            chart,
            state=record.state,
            treatment_name=str(treatment.get("name") or treatment.get("id") or "treatment"),
            urls={**urls, "signer": signer_url},
            medication_urls=[self._medication(p, out) for p in products_used(chart)],
            ids=self.ids,
        )

    def _consent(self, record: ExportRecord, urls: Mapping[str, str]) -> Resource:
        return consent(
            record.document,
            state=record.state,
            pdf=record.pdf,
            signed_at=record.signed_at,
            urls=urls,
            assigner=self.ids.organization,
        )

    def _response(self, record: ExportRecord, urls: Mapping[str, str]) -> Resource:
        doc = record.document
        number = str(doc["document_number"])
        items = self.intake.response_items(doc.get("intake_summary", []), record.answers, number)
        return fhir_resource(
            "QuestionnaireResponse",
            language=document_language(doc),  # the language the patient answered in
            identifier={
                "system": DOCUMENT_NUMBER_SYSTEM,
                "value": number,
                "assigner": ref(self.ids.organization),
            },
            questionnaire=self.intake.canonical,
            status="completed",
            subject=ref(urls["patient"]),
            authored=utc(record.signed_at),
            author=ref(urls["practitioner"]),
            source=ref(urls["patient"]),
            item=items or None,
        )


def write_fhir_bundle(
    records: Iterable[ExportRecord],
    path: Path,
    *,
    clinic: ClinicIdentity,
    kb: KnowledgeBase,
    total: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write the records as a FHIR R4 ``collection`` Bundle; returns the number of
    consents written. ``clinic`` names the clinic's Organization, ``kb`` gives the
    intake's Questionnaire and the types of its answers."""
    ticker = Ticker(total, progress, cancelled)
    ticker.check()
    builder = _BundleBuilder(clinic, kb)
    head = fhir_resource("Bundle", type="collection", timestamp=utc(now or dt.datetime.now(dt.UTC)))
    with atomic_file(path, "wb") as handle:
        handle.write(json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8"))
        put = _EntryWriter(handle.write)
        for record in records:
            for item in builder.entries(record):
                put(item)
            ticker.step()
        handle.write(b"}\n" if put.first else b"\n]}\n")
        ticker.finish()
    return ticker.done


class _EntryWriter:
    """Writes entries into the open ``entry`` array, opening it with the first (FHIR
    allows no empty array, so a bundle without records has no ``entry`` at all)."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._write = write
        self.first = True

    def __call__(self, item: dict[str, Any]) -> None:
        self._write(b', "entry": [\n' if self.first else b",\n")
        self.first = False
        self._write(json.dumps(item, ensure_ascii=False).encode("utf-8"))
