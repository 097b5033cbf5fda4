"""Plain, immutable views of records that services return (never live ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from consult.domain.roles import Role


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

    def expired_on(self, day: dt.date) -> bool:
        """True if the lot is past its expiry date on ``day``."""
        return self.expiry_date < day


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
    status: str
    step: str
    treatments: tuple[dict[str, Any], ...]
    answers: dict[str, Any]
    screening: dict[str, Any] | None
    overrides: tuple[dict[str, Any], ...]
    rule_set_version: str | None
    version: int
    updated_at: dt.datetime
