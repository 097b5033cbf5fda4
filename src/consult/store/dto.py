"""Plain, immutable views of records that services return (never live ORM objects), and
the queries the register and recall services take.

Every service returns these, so the interface and the command line never hold a live
ORM object (nor a session to lazy-load through): what they show is what was read in the
service's own transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from consult.domain.roles import Role
from consult.domain.states import ConsentState, ConsultationStatus, ConsultationStep
from consult.store.errors import QT_TRANSLATE_NOOP, ErrorText, ValidationError


@dataclass(frozen=True)
class ClinicInfo:
    """The clinic."""

    id: int
    name: str
    address: str
    jurisdiction: str
    regenerative_medicine_plan: str | None
    version: int


@dataclass(frozen=True)
class UserInfo:
    """A user, without the password hash."""

    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    qualification: str | None
    active: bool
    must_change_password: bool
    version: int

    def has(self, *roles: Role) -> bool:
        """True if the user holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class PatientInfo:
    """A patient's identity and contact details."""

    id: int
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex_at_birth: str
    phone: str
    email: str
    address: str
    version: int
    language: str = "en"
    """The language the patient reads their intake, consent texts and form in."""

    @property
    def full_name(self) -> str:
        """Given name then family name."""
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True)
class PatientDraft:
    """What a user typed into the patient form (validated by the service)."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    sex_at_birth: str
    phone: str = ""
    email: str = ""
    address: str = ""
    language: str = "en"


@dataclass(frozen=True)
class LotInfo:
    """One lot of a product."""

    id: int
    product_id: int
    lot_number: str
    expiry_date: dt.date
    supplier: str
    supplier_accreditation: str
    version: int
    quarantine_reason: str | None = None
    """Why the lot is quarantined (None: it is not): it cannot be chosen until released."""

    def expired_on(self, day: dt.date) -> bool:
        """True if the lot is past its expiry date on ``day``."""
        return self.expiry_date < day

    @property
    def quarantined(self) -> bool:
        """True while the lot is quarantined."""
        return self.quarantine_reason is not None


@dataclass(frozen=True)
class ProductInfo:
    """A product and its lots."""

    id: int
    name: str
    manufacturer: str
    source: str | None
    treatment_id: str
    active: bool
    lots: tuple[LotInfo, ...]
    version: int


@dataclass(frozen=True)
class ConsultationInfo:
    """A consultation: planned treatments, intake answers, screening and overrides."""

    id: int
    patient_id: int
    practitioner_id: int
    consultation_date: dt.date
    jurisdiction: str
    status: ConsultationStatus
    step: ConsultationStep
    treatments: tuple[dict[str, Any], ...]
    answers: dict[str, Any]
    screening: dict[str, Any] | None
    overrides: tuple[dict[str, Any], ...]
    rule_set_version: str | None
    version: int
    updated_at: dt.datetime
    section_confirmations: dict[str, str] = field(default_factory=dict)
    """At a repeat visit, the intake's sections confirmed so far and how ("unchanged",
    "update")."""


@dataclass(frozen=True)
class ConsentInfo:
    """A signed consent record, without its PDF bytes."""

    id: int
    document_number: str
    consultation_id: int
    patient_id: int
    practitioner_id: int
    treatment_id: str
    template_version: str
    signed_at: dt.datetime
    outcome: str
    has_overrides: bool
    document_sha256: str
    pdf_sha256: str
    state: ConsentState
    language: str
    """The form's language (:func:`consult.documents.consent_pdf.form_language` of its
    record): what a printed copy's mark is written in, so a print button can quote it."""


# --- the consent register ------------------------------------------------------------

SORT_KEYS = ("signed_at", "document_number", "treatment_id", "outcome", "has_overrides", "state")
"""What the register can be sorted by (its columns' names)."""
OUTCOMES = ("clear", "caution", "relative")
"""The screening outcomes a signed consent can have (absolute and clarify never sign)."""


@dataclass(frozen=True)
class RegisterFilters:
    """What the manager filters the register by, and how it is sorted.

    Dates are the workstation's local calendar days; ``date_to`` is included.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    practitioner_id: int | None = None
    treatment_id: str | None = None
    outcome: str | None = None
    has_overrides: bool | None = None
    state: str | None = None
    sort: str = "signed_at"
    descending: bool = True

    def check(self) -> None:
        """Raise :class:`ValidationError` naming the first filter that cannot be used."""
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError(
                "date_to",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "The end date is before the start date.")
                ),
            )
        if self.state is not None and self.state not in set(ConsentState):
            raise ValidationError("state", f"unknown state {self.state!r}")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValidationError("outcome", f"unknown outcome {self.outcome!r}")
        if self.sort not in SORT_KEYS:
            raise ValidationError("sort", f"cannot sort by {self.sort!r}")

    def sorted_by(self, sort: str, descending: bool) -> RegisterFilters:
        """The same filters, sorted another way."""
        return replace(self, sort=sort, descending=descending)

    def describe(self) -> dict[str, Any]:
        """The filters that are set, for the audit log."""
        out: dict[str, Any] = {}
        for key in (
            "date_from",
            "date_to",
            "practitioner_id",
            "treatment_id",
            "outcome",
            "has_overrides",
            "state",
        ):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register."""

    id: int
    document_number: str
    signed_at: dt.datetime
    patient_id: int
    patient_name: str
    date_of_birth: dt.date | None
    practitioner_id: int
    practitioner_name: str
    treatment_id: str
    outcome: str
    has_overrides: bool
    state: ConsentState


Cursor = tuple[Any, ...]
"""Where a page of the register ended: the last row's sort columns."""


@dataclass(frozen=True)
class RegisterPage:
    """A page of the register; pass ``cursor`` as ``after`` for the next (None: the end)."""

    rows: tuple[RegisterRow, ...]
    cursor: Cursor | None


@dataclass(frozen=True)
class ExportResult:
    """What an export of the register wrote."""

    path: Path
    format: str
    records: int


# --- one signed record, as a manager reviews it ---------------------------------------


@dataclass(frozen=True)
class FindingLine:
    """A screening finding on a signed record, with the practitioner's decision."""

    rule: str
    severity: str
    message: str
    decision: str  # "justified" (a relative finding overridden), "acknowledged" or ""
    justification: str
    decided_by: str
    decided_at: str


@dataclass(frozen=True)
class SignatureLine:
    """Who signed, as what, and when."""

    role: str
    name: str
    qualification: str | None
    meaning: str
    signed_at: str
    points: int


@dataclass(frozen=True)
class EventLine:
    """Something that happened to the record after signing."""

    kind: str
    reason: str
    user_name: str
    at: dt.datetime


@dataclass(frozen=True)
class AuditLine:
    """One audit entry about the record."""

    id: int
    at: dt.datetime
    username: str
    workstation: str
    event: str
    details: dict[str, Any]


@dataclass(frozen=True)
class RecordDetail:
    """Everything a manager reviews about one signed consent (the PDF apart)."""

    info: ConsentInfo
    patient: PatientInfo
    practitioner_name: str
    treatment_name: str
    route: str
    product: dict[str, Any] | None
    findings: tuple[FindingLine, ...]
    signatures: tuple[SignatureLine, ...]
    intake: tuple[tuple[str, str], ...]
    choices: dict[str, bool]
    events: tuple[EventLine, ...]
    audit_trail: tuple[AuditLine, ...]
    may_change: bool


# --- the reception desk --------------------------------------------------------------


@dataclass(frozen=True)
class FormRow:
    """A signed consent form as reception sees it: who, what, printed, handed over."""

    consent_id: int
    document_number: str
    patient_id: int
    patient_name: str
    date_of_birth: dt.date | None
    practitioner_name: str
    treatment_id: str
    signed_at: dt.datetime
    state: ConsentState
    prints: int
    handed_over_at: dt.datetime | None
    language: str
    """The form's language (:func:`consult.documents.consent_pdf.form_language` of its
    record): what a printed copy's mark is written in, so the desk can quote it."""


@dataclass(frozen=True)
class DeskConsultation:
    """One of the day's consultations, for the reception desk (no intake answers)."""

    consultation_id: int
    patient_id: int
    patient_name: str
    date_of_birth: dt.date
    practitioner_name: str
    status: ConsultationStatus
    treatments: tuple[str, ...]
    forms_signed: int


# --- lot recall ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecallCriteria:
    """A recall search: a lot number and/or a product name, or an expiry window."""

    lot: str = ""
    product: str = ""
    expiry_from: dt.date | None = None
    expiry_to: dt.date | None = None

    def check(self) -> None:
        """Raise :class:`ValidationError` if nothing to search by was given."""
        if not (self.lot.strip() or self.product.strip() or self.expiry_from or self.expiry_to):
            raise ValidationError(
                "lot",
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors", "Give a lot number, a product or an expiry window."
                    )
                ),
            )
        if self.expiry_from and self.expiry_to and self.expiry_from > self.expiry_to:
            raise ValidationError(
                "expiry_to",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "The end of the window is before its start.")
                ),
            )

    def describe(self) -> dict[str, Any]:
        """The criteria, for the audit log."""
        return {
            "lot": self.lot.strip(),
            "product": self.product.strip(),
            "expiry_from": self.expiry_from.isoformat() if self.expiry_from else None,
            "expiry_to": self.expiry_to.isoformat() if self.expiry_to else None,
        }


@dataclass(frozen=True)
class RecallRow:
    """A patient treated with a recalled lot, with the contact details to reach them."""

    patient_id: int
    patient_name: str
    date_of_birth: dt.date
    phone: str
    email: str
    address: str
    product_name: str
    manufacturer: str
    lot_number: str
    expiry_date: dt.date
    treatment_id: str
    treated_at: dt.datetime
    """When the treatment was recorded (at consent), for the CSV's timestamp."""
    practitioner_name: str
    document_number: str
    consent_state: str
    treated_on: dt.date | None = None
    """The day of treatment: the chart's, else the day of consent."""
    charted: bool = False
    """True if the lot was read from the practitioner's chart; False: the planned lot
    (no treatment was charted)."""
    areas: tuple[str, ...] = ()
    """Where: the chart's areas and the areas of the points given from this lot."""
    doses: tuple[tuple[str, str], ...] = ()
    """How much of this lot: (amount, unit) totals of the chart's points, e.g.
    (("20", "units"),); empty for a treatment charted without points or not charted."""


@dataclass(frozen=True)
class RecallResult:
    """A recall search's rows, and the treatments left out because their consent was
    withdrawn or voided (said in a note, never silently)."""

    rows: tuple[RecallRow, ...]
    left_out: tuple[RecallRow, ...] = ()


# --- the manager's dashboard ---------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    """Consents signed for one treatment in one month (UTC months, voided ones left out)."""

    month: str  # YYYY-MM
    treatment_id: str
    count: int


@dataclass(frozen=True)
class OverrideRate:
    """How often a practitioner overrode a relative contraindication, over a period."""

    practitioner_id: int
    practitioner_name: str
    consents: int
    with_overrides: int

    @property
    def rate(self) -> float:
        """The share of consents with an override (0 when there were none)."""
        return self.with_overrides / self.consents if self.consents else 0.0


@dataclass(frozen=True)
class Dashboard:
    """The manager's figures for a period."""

    date_from: dt.date
    date_to: dt.date
    per_month: tuple[MonthCount, ...] = field(default_factory=tuple)
    override_rates: tuple[OverrideRate, ...] = field(default_factory=tuple)
