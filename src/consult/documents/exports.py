"""Exports of signed consents: the register as CSV, a FHIR R4 bundle, the recall list.

Nothing here reads the database: the store hands in rows and records one at a time, so
an export of a hundred thousand records never holds them all. Every writer reports
``progress(done, total)``, checks ``cancelled()`` as it goes, writes to a temporary file
beside the target and renames it only when complete: a cancelled or failed export leaves
no half-written file.

CSV is written with the csv module (names with commas, quotes, line breaks and any
alphabet round-trip), UTF-8 with a byte-order mark so that spreadsheets pick the right
encoding. A cell that a spreadsheet would run as a formula gets a leading ``'``, except
a phone number the program has checked (see :func:`phone_cell`).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from consult.domain import phones
from consult.domain.canonical import canonical_bytes
from consult.domain.states import ConsentState

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Place = Callable[[Path], Path]
"""Puts a file written under a temporary name where it stays, and returns that path: what
a caller that places its own files (the command line's ``-o``) gives an export, so that
the export is logged under its final name, once it is there."""
PROGRESS_EVERY = 200
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written."""


class RegisterLine(Protocol):
    """A line of the consent register (the store's ``RegisterRow``)."""

    @property
    def document_number(self) -> str: ...
    @property
    def signed_at(self) -> dt.datetime: ...
    @property
    def patient_name(self) -> str: ...
    @property
    def date_of_birth(self) -> dt.date | None: ...
    @property
    def practitioner_name(self) -> str: ...
    @property
    def treatment_id(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def has_overrides(self) -> bool: ...
    @property
    def state(self) -> str: ...


class RecallLine(Protocol):
    """A line of a recall list (the store's ``RecallRow``)."""

    @property
    def patient_name(self) -> str: ...
    @property
    def date_of_birth(self) -> dt.date: ...
    @property
    def phone(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def product_name(self) -> str: ...
    @property
    def manufacturer(self) -> str: ...
    @property
    def lot_number(self) -> str: ...
    @property
    def expiry_date(self) -> dt.date: ...
    @property
    def treatment_id(self) -> str: ...
    @property
    def treated_at(self) -> dt.datetime: ...
    @property
    def practitioner_name(self) -> str: ...
    @property
    def document_number(self) -> str: ...
    @property
    def consent_state(self) -> str: ...


REGISTER_COLUMNS = (
    "document_number",
    "signed_at_utc",
    "patient",
    "date_of_birth",
    "practitioner",
    "treatment_id",
    "treatment",
    "outcome",
    "overrides",
    "state",
)

RECALL_COLUMNS = (
    "patient",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "product",
    "manufacturer",
    "lot",
    "expiry",
    "treatment_id",
    "treated_at_utc",
    "practitioner",
    "document_number",
    "consent_state",
)


def safe_cell(value: object) -> str:
    """A cell's text; one that a spreadsheet would take for a formula is quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def phone_cell(stored: str, region: str | None = None) -> str:
    """The phone column's cell: the number as the app shows it.

    A number the program has read and checked (stored in E.164) holds only digits,
    spaces, hyphens, parentheses and a leading "+": it cannot be a formula that does
    anything, so it is written without the apostrophe of :func:`safe_cell`, which a
    spreadsheet shows as part of the text ("'+44 …") and which spoils the number for
    dialling or for an import elsewhere. It is written in the clinic's display form:
    national for the clinic's own country ("07700 900123": no leading "+", and the
    space keeps it text, so the leading 0 is not lost as it would be from a bare digit
    string), international for others ("+33 6 12 34 56 78"). A number stored before
    numbers were checked is escaped like any other cell.
    """
    if phones.is_e164(stored):
        return phones.display(stored, region)
    return safe_cell(stored)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _atomic(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file written under a temporary name, renamed onto ``path`` only on success."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        # Patient data: readable by this user only (0600), whatever the umask says.
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.chmod(tmp, 0o600)
        if "b" in mode:
            handle: IO[Any] = os.fdopen(descriptor, mode)
        else:
            handle = os.fdopen(descriptor, mode, encoding="utf-8-sig", newline="")
        with handle:
            yield handle
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


class _Ticker:
    """Reports progress now and then and raises :class:`ExportCancelled` when asked."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled("The export was cancelled.")

    def step(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.check()
            if self._progress is not None:
                self._progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        self.check()
        if self._progress is not None:
            self._progress(self.done, max(self.total, self.done))


def register_cells(row: RegisterLine, treatment_names: Mapping[str, str]) -> list[str]:
    """The CSV cells of one register line, in :data:`REGISTER_COLUMNS` order."""
    return [
        safe_cell(v)
        for v in (
            row.document_number,
            _utc(row.signed_at),
            row.patient_name,
            row.date_of_birth.isoformat() if row.date_of_birth else "",
            row.practitioner_name,
            row.treatment_id,
            treatment_names.get(row.treatment_id, row.treatment_id),
            row.outcome,
            "yes" if row.has_overrides else "no",
            row.state,
        )
    ]


def write_register_csv(
    rows: Iterable[RegisterLine],
    path: Path,
    *,
    total: int = 0,
    treatment_names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write the register as CSV; returns the number of records written."""
    names = treatment_names or {}
    ticker = _Ticker(total, progress, cancelled)
    ticker.check()
    with _atomic(path) as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(REGISTER_COLUMNS)
        for row in rows:
            writer.writerow(register_cells(row, names))
            ticker.step()
        ticker.finish()
    return ticker.done


def write_recall_csv(
    rows: Sequence[RecallLine],
    path: Path,
    *,
    phone_region: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Write a recall list as CSV; returns the number of lines written.

    ``phone_region`` is the clinic's country (``phones.region_for_jurisdiction``): its
    numbers are written in national form, others (all, without it) in international form.
    """
    ticker = _Ticker(len(rows), progress, cancelled)
    with _atomic(path) as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(RECALL_COLUMNS)
        for r in rows:
            writer.writerow(
                [
                    safe_cell(r.patient_name),
                    safe_cell(r.date_of_birth.isoformat()),
                    phone_cell(r.phone, phone_region),
                ]
                + [
                    safe_cell(v)
                    for v in (
                        r.email,
                        r.address,
                        r.product_name,
                        r.manufacturer,
                        r.lot_number,
                        r.expiry_date.isoformat(),
                        r.treatment_id,
                        _utc(r.treated_at),
                        r.practitioner_name,
                        r.document_number,
                        r.consent_state,
                    )
                ]
            )
            ticker.step()
        ticker.finish()
    return ticker.done


# --- FHIR R4 --------------------------------------------------------------------------

_NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:consult:fhir-export")
DOCUMENT_NUMBER_SYSTEM = "urn:consult:consent-document-number"
RULE_SYSTEM = "urn:consult:screening-rule"
QUESTION_SYSTEM = "urn:consult:intake-question"
_SEVERITY = {"absolute": "high", "relative": "moderate", "caution": "low"}
_CONSENT_STATUS: Mapping[str, str] = {
    ConsentState.SIGNED: "active",
    ConsentState.WITHDRAWN: "inactive",
    ConsentState.VOIDED: "entered-in-error",
}
_GENDER = {"female": "female", "male": "male", "intersex": "other"}
_SIGNATURE_TYPE = {
    "patient": ("1.2.840.10065.1.12.1.7", "Consent Signature"),
    "practitioner": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
}


@dataclass(frozen=True)
class ExportRecord:
    """One signed consent as the store hands it to the FHIR writer."""

    consent_id: int
    document: Mapping[str, Any]
    document_sha256: str
    pdf: bytes
    state: str
    practitioner_id: int
    signed_at: dt.datetime
    state_events: tuple[tuple[str, str, dt.datetime], ...] = ()  # (kind, reason, at)


def _urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NS, f'{kind}:{key}')}"


def _ref(url: str, display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"reference": url}
    if display:
        out["display"] = display
    return out


def _entry(url: str, resource: dict[str, Any]) -> dict[str, Any]:
    resource = {**resource, "id": url.removeprefix("urn:uuid:")}
    return {"fullUrl": url, "resource": resource}


def _instant(text: str | None, fallback: dt.datetime) -> str:
    if text:
        with contextlib.suppress(ValueError):
            return _utc(dt.datetime.fromisoformat(text))
    return _utc(fallback)


def _patient(doc: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    person = doc["patient"]
    url = _urn("patient", person["id"])
    full = str(person.get("full_name", "")).strip()
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": "urn:consult:patient-id", "value": str(person["id"])}],
        "name": [{"text": full}] if full else [],
        "birthDate": person.get("date_of_birth"),
        "gender": _GENDER.get(str(person.get("sex_at_birth")), "unknown"),
    }
    telecom = [
        {"system": system, "value": str(person[key])}
        for system, key in (("phone", "phone"), ("email", "email"))
        if person.get(key)
    ]
    if telecom:
        resource["telecom"] = telecom
    if not resource["name"]:
        del resource["name"]
    return url, resource


def _practitioner(record: ExportRecord) -> tuple[str, dict[str, Any]]:
    url = _urn("practitioner", record.practitioner_id)
    signer: Mapping[str, Any] = next(
        (s for s in record.document.get("signatures", []) if s.get("role") == "practitioner"),
        {},
    )
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "identifier": [{"system": "urn:consult:user-id", "value": str(record.practitioner_id)}],
    }
    if signer.get("name"):
        resource["name"] = [{"text": str(signer["name"])}]
    if signer.get("qualification"):
        resource["qualification"] = [{"code": {"text": str(signer["qualification"])}}]
    return url, resource


def _organization(doc: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    clinic = doc.get("clinic", {})
    name = str(clinic.get("name") or "Clinic")
    resource: dict[str, Any] = {"resourceType": "Organization", "name": name}
    if clinic.get("address"):
        resource["address"] = [{"text": str(clinic["address"])}]
    return _urn("organization", name), resource


def consent_entries(
    record: ExportRecord, patient_url: str, practitioner_url: str, organization_url: str
) -> list[dict[str, Any]]:
    """The bundle entries of one signed consent: Consent (with the PDF),
    QuestionnaireResponse (the intake), one DetectedIssue per finding (an override as its
    mitigation) and a Provenance carrying the signatures."""
    doc = record.document
    number = str(doc["document_number"])
    signed = _utc(record.signed_at)
    treatment = doc.get("treatment", {})
    template = doc.get("template", {})
    consent_url = _urn("consent", number)
    response_url = _urn("questionnaire-response", number)
    identifier = {"system": DOCUMENT_NUMBER_SYSTEM, "value": number}
    pdf = record.pdf
    consent: dict[str, Any] = {
        "resourceType": "Consent",
        "identifier": [identifier],
        "status": _CONSENT_STATUS.get(record.state, "active"),
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment",
                    "display": "Treatment",
                }
            ]
        },
        "category": [
            {"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Consent"}]}
        ],
        "patient": _ref(patient_url),
        "dateTime": signed,
        "performer": [_ref(patient_url)],
        "organization": [_ref(organization_url)],
        "sourceAttachment": {
            "contentType": "application/pdf",
            "data": base64.b64encode(pdf).decode("ascii"),
            "size": len(pdf),
            # FHIR R4's Attachment.hash is SHA-1 by definition.
            "hash": base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii"),
            "title": f"{template.get('title') or 'Consent'} {number}",
            "creation": signed,
        },
        "policyRule": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "OPTIN",
                }
            ],
            "text": f"{template.get('id', '')} version {template.get('version', '')}".strip(),
        },
        "provision": {
            "type": "permit",
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "PRCP",
                            }
                        ]
                    },
                    "reference": _ref(practitioner_url),
                }
            ],
            "code": [{"text": str(treatment.get("name") or treatment.get("id") or "treatment")}],
        },
    }
    entries = [_entry(consent_url, consent)]

    items = []
    for answer in doc.get("intake_summary", []):
        item: dict[str, Any] = {
            "linkId": str(answer.get("question_id") or "question"),
            "text": str(answer.get("label") or answer.get("question_id") or "question"),
        }
        text = str(answer.get("answer") or "").strip()
        if text:
            item["answer"] = [{"valueString": text}]
        items.append(item)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": identifier,
        "status": "completed",
        "subject": _ref(patient_url),
        "authored": signed,
        "author": _ref(practitioner_url),
        "source": _ref(patient_url),
    }
    if items:
        response["item"] = items
    entries.append(_entry(response_url, response))

    decisions = {str(d.get("rule")): d for d in doc.get("overrides", [])}
    for index, finding in enumerate(doc.get("findings", []), start=1):
        rule = str(finding.get("rule") or f"finding-{index}")
        issue: dict[str, Any] = {
            "resourceType": "DetectedIssue",
            "status": "final",
            "code": {"coding": [{"system": RULE_SYSTEM, "code": rule}], "text": rule},
            "severity": _SEVERITY.get(str(finding.get("severity")), "low"),
            "patient": _ref(patient_url),
            "identifiedDateTime": signed,
            "author": _ref(practitioner_url),
            "implicated": [_ref(consent_url)],
        }
        if finding.get("message"):
            issue["detail"] = str(finding["message"])
        decision = decisions.get(rule)
        if decision:
            justified = decision.get("kind") == "justified"
            why = str(decision.get("justification") or "").strip()
            mitigation: dict[str, Any] = {
                "action": {
                    "coding": [
                        {"system": "urn:consult:decision", "code": str(decision.get("kind"))}
                    ],
                    "text": (
                        f"Overridden with a clinical justification: {why}"
                        if justified and why
                        else "Risk acknowledged by the practitioner"
                    ),
                },
                "author": _ref(practitioner_url, str(decision.get("by") or "") or None),
            }
            if decision.get("at"):
                mitigation["date"] = _instant(str(decision["at"]), record.signed_at)
            issue["mitigation"] = [mitigation]
        entries.append(_entry(_urn("detected-issue", f"{number}:{rule}"), issue))

    signatures = []
    agents = []
    for sig in doc.get("signatures", []):
        role = str(sig.get("role"))
        who = patient_url if role == "patient" else practitioner_url
        code, display = _SIGNATURE_TYPE.get(role, _SIGNATURE_TYPE["patient"])
        signatures.append(
            {
                "type": [
                    {"system": "urn:iso-astm:E1762-95:2013", "code": code, "display": display}
                ],
                "when": _instant(sig.get("signed_at"), record.signed_at),
                "who": _ref(who, str(sig.get("name") or "") or None),
                "sigFormat": "application/json",
                "data": base64.b64encode(canonical_bytes(dict(sig))).decode("ascii"),
            }
        )
        agents.append(
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                            "code": "attester" if role == "patient" else "author",
                        }
                    ]
                },
                "who": _ref(who),
            }
        )
    provenance: dict[str, Any] = {
        "resourceType": "Provenance",
        "target": [_ref(consent_url), _ref(response_url)],
        "recorded": signed,
        "activity": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-DataOperation",
                    "code": "CREATE",
                }
            ]
        },
        "agent": agents or [{"who": _ref(practitioner_url)}],
        "entity": [
            {
                "role": "source",
                "what": {
                    "identifier": {
                        "system": "urn:ietf:rfc:3986",
                        "value": f"urn:sha256:{record.document_sha256}",
                    },
                    "display": f"Sealed consent document {number}",
                },
            }
        ],
    }
    if signatures:
        provenance["signature"] = signatures
    for kind, reason, _at in record.state_events:
        provenance.setdefault("reason", []).append(
            {"coding": [{"system": "urn:consult:consent-event", "code": kind}], "text": reason}
        )
    entries.append(_entry(_urn("provenance", number), provenance))
    return entries


def write_fhir_bundle(
    records: Iterable[ExportRecord],
    path: Path,
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write a FHIR R4 ``collection`` Bundle, one record at a time; returns the number of
    consents written. Patients and practitioners appear once each."""
    ticker = _Ticker(total, progress, cancelled)
    ticker.check()
    seen: set[str] = set()
    stamp = _utc(now or dt.datetime.now(dt.UTC))
    with _atomic(path, "wb") as handle:
        head = {"resourceType": "Bundle", "type": "collection", "timestamp": stamp}
        handle.write(json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8"))
        first = True

        def put(entry: dict[str, Any]) -> None:
            nonlocal first
            # FHIR allows no empty arrays: "entry" is opened with its first element.
            handle.write(b', "entry": [\n' if first else b",\n")
            first = False
            handle.write(json.dumps(entry, ensure_ascii=False).encode("utf-8"))

        for record in records:
            patient_url, patient = _patient(record.document)
            practitioner_url, practitioner = _practitioner(record)
            organization_url, organization = _organization(record.document)
            for url, resource in (
                (organization_url, organization),
                (patient_url, patient),
                (practitioner_url, practitioner),
            ):
                if url not in seen:
                    seen.add(url)
                    put(_entry(url, resource))
            for entry in consent_entries(record, patient_url, practitioner_url, organization_url):
                put(entry)
            ticker.step()
        handle.write(b"}\n" if first else b"\n]}\n")
        ticker.finish()
    return ticker.done
