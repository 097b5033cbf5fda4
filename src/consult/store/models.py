"""The database tables, as SQLAlchemy 2.x typed models.

Every record a user can edit carries a ``version`` column that SQLAlchemy checks on each
UPDATE (optimistic locking): a save based on an out-of-date read fails instead of
silently overwriting another workstation's change. Sealed consent documents and audit
entries are written once and never updated.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from consult.domain.states import ConsentState, ConsultationStatus, ConsultationStep

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL, JSON text elsewhere.
JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigID = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A record that can be edited: optimistic locking on ``version``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


def new_uuid() -> str:
    """A random UUID as text: a clinic's identity, fixed when it is set up."""
    return str(uuid.uuid4())


class Clinic(Versioned, Base):
    """The clinic this database belongs to (one row)."""

    __tablename__ = "clinic"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    jurisdiction: Mapped[str] = mapped_column(String(8))
    regenerative_medicine_plan: Mapped[str | None] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Who the clinic is, whatever it is called: its FHIR Organization's id (migration 0009).
    uuid: Mapped[str] = mapped_column(String(36), default=new_uuid)


class User(Versioned, Base):
    """A person who signs in. Never deleted: their signatures stay attributable."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200), default="")  # space-separated, sorted
    qualification: Mapped[str | None] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_signin_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The language of this user's interface ("ja"); None: the workstation's (migration 0008).
    interface_language: Mapped[str | None] = mapped_column(String(16))
    # A PIN (4-8 digits) that takes patient mode back, as the password does; its argon2id
    # hash only. None: the password alone (migration 0020).
    unlock_pin_hash: Mapped[str | None] = mapped_column(String(255))


class Patient(Versioned, Base):
    """A patient's identity and contact details (no clinical answers: those are per visit)."""

    __tablename__ = "patient"
    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    sex_at_birth: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    # The language the patient reads their intake, consent and form in (migration 0010).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    # Folded (lower case, no accents) "given family" and "family given", for search.
    search_name: Mapped[str] = mapped_column(String(450), index=True)
    phone_digits: Mapped[str] = mapped_column(String(40), default="", index=True)

    __table_args__ = (Index("ix_patient_dob", "date_of_birth"),)


class PatientNameToken(Base):
    """One folded word of a patient's name, with the patient's sort key.

    Search by name prefix reads only this table's index (token range, then the first
    page in name order) before it fetches the patients on that page.
    """

    __tablename__ = "patient_name_token"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(200), primary_key=True)
    search_name: Mapped[str] = mapped_column(String(450))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        Index(
            "ix_patient_name_token_search",
            "token",
            "search_name",
            "date_of_birth",
            "patient_id",
        ),
    )


class Product(Versioned, Base):
    """A product the clinic uses (an exosome serum, a filler, a toxin …)."""

    __tablename__ = "product"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    manufacturer: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str | None] = mapped_column(String(32))
    treatment_id: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lots: Mapped[list[ProductLot]] = relationship(
        back_populates="product", order_by="ProductLot.expiry_date"
    )

    __table_args__ = (UniqueConstraint("name", "manufacturer", name="uq_product_name_maker"),)


class ProductLot(Versioned, Base):
    """One lot (batch) of a product, with its expiry and the supplier's accreditation."""

    __tablename__ = "product_lot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(64))
    expiry_date: Mapped[dt.date] = mapped_column(Date)
    supplier: Mapped[str] = mapped_column(String(200), default="")
    supplier_accreditation: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[Product] = relationship(back_populates="lots")

    __table_args__ = (UniqueConstraint("product_id", "lot_number", name="uq_lot_product_lot"),)


class Consultation(Versioned, Base):
    """One visit: planned treatments, the intake answers, screening and overrides."""

    __tablename__ = "consultation"
    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    consultation_date: Mapped[dt.date] = mapped_column(Date, index=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(
        String(16), default=ConsultationStatus.DRAFT.value, index=True
    )
    step: Mapped[str] = mapped_column(String(32), default=ConsultationStep.TREATMENTS.value)
    treatments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    rule_set_version: Mapped[str | None] = mapped_column(String(64))
    # What the patient answered in patient mode, and which answers the practitioner then
    # changed (migration 0011; None if the practitioner typed the intake): see
    # consult.store.services.patient_answers. Written without bumping ``version``.
    patient_answers: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # A repeat visit's sections confirmed so far, {section id: "unchanged" | "update"}
    # (migration 0018; None: not a repeat visit, or none confirmed yet).
    section_confirmations: Mapped[dict[str, str] | None] = mapped_column(JSONType)


class ConsentRecord(Base):
    """One treatment's consent. Written once when signed; never updated afterwards.

    Withdrawal and voiding are :class:`ConsentEvent` rows, not changes to this row.
    """

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    document_number: Mapped[str] = mapped_column(String(32), unique=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    treatment_id: Mapped[str] = mapped_column(String(64), index=True)
    template_version: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    has_overrides: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(16))
    document_json: Mapped[str] = mapped_column(Text)
    document_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    # The sealed PDF signed by the clinic (PAdES, an incremental update: it starts with
    # ``pdf``); None for a form sealed before forms were signed (migration 0007).
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Not sealed: repeats the withdrawn / voided events (written with them), for the register.
    state: Mapped[str] = mapped_column(
        String(16), default=ConsentState.SIGNED.value, server_default=ConsentState.SIGNED.value
    )

    __table_args__ = (
        UniqueConstraint(
            "consultation_id", "treatment_id", name="uq_consent_record_consultation_treatment"
        ),
        # The consent register's filters and sort orders (migration 0004).
        Index("ix_consent_record_register_signed", "signed_at", "id", "state"),
        Index("ix_consent_record_register_treatment", "treatment_id", "signed_at", "id", "state"),
        Index(
            "ix_consent_record_register_practitioner",
            "practitioner_id",
            "signed_at",
            "id",
            "state",
        ),
        Index("ix_consent_record_register_outcome", "outcome", "signed_at", "id", "state"),
        Index("ix_consent_record_register_overrides", "has_overrides", "signed_at", "id", "state"),
        Index("ix_consent_record_register_state", "state", "signed_at", "id"),
    )


class ConsentEvent(Base):
    """Something that happened to a signed consent: withdrawn, voided, printed, handed over."""

    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TreatmentRecord(Base):
    """What was given: product, lot and expiry, source, route and site (for recalls)."""

    __tablename__ = "treatment_record"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent_record.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    treatment_id: Mapped[str] = mapped_column(String(64))
    route: Mapped[str] = mapped_column(String(32))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("product_lot.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(32))
    site: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """One entry of the append-only, hash-chained audit log."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    workstation: Mapped[str] = mapped_column(String(200), default="")
    event: Mapped[str] = mapped_column(String(64), index=True)
    record_type: Mapped[str] = mapped_column(String(32), default="")
    record_id: Mapped[str] = mapped_column(String(64), default="")
    patient_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class TreatmentChart(Versioned, Base):
    """What was actually done for one consented treatment (issue 20): the chart.

    One per treatment record (written at consent with the *planned* product and lot, and
    left as it is: the sealed consent form names those). The chart names the lot actually
    used, which may be another in-date lot of the same product (``lot_reason`` says why),
    the treated areas and notes; injectables add :class:`InjectionPoint` rows. A draft is
    saved as the practitioner goes; signing it off seals it (``document_json`` and its
    SHA-256, audited) and nothing here changes afterwards: corrections are
    :class:`TreatmentAddendum` rows. See docs/treatment-record.md.
    """

    __tablename__ = "treatment_chart"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    treatment_record_id: Mapped[int] = mapped_column(ForeignKey("treatment_record.id"), unique=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    treatment_id: Mapped[str] = mapped_column(String(64))
    route: Mapped[str] = mapped_column(String(32))
    # The product and lot actually used (the whole treatment's, for a treatment without
    # points; an injection point names its own).
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("product_lot.id"), index=True)
    lot_reason: Mapped[str] = mapped_column(Text, default="")
    areas: Mapped[list[str]] = mapped_column(JSONType, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    treated_on: Mapped[dt.date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    document_json: Mapped[str | None] = mapped_column(Text)
    document_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint(
            "consultation_id", "treatment_id", name="uq_treatment_chart_consultation_treatment"
        ),
    )


class InjectionPoint(Base):
    """One injection on the face chart: where, which lot, how much, how deep, how.

    ``x`` and ``y`` are fractions (0 to 1) of the diagram of ``view`` (front, left,
    right). ``patient_id`` repeats the chart's so that "which patients received lot X,
    where and how much" is one indexed read of this table. Replaced as a whole while the
    chart is a draft; never changed once it is signed off.
    """

    __tablename__ = "injection_point"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    chart_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_chart.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    view: Mapped[str] = mapped_column(String(8))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(64), default="")
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("product_lot.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    unit: Mapped[str] = mapped_column(String(8))
    depth: Mapped[str] = mapped_column(String(32), default="")
    technique: Mapped[str] = mapped_column(String(32), default="")

    __table_args__ = (
        UniqueConstraint("chart_id", "number", name="uq_injection_point_chart_number"),
        Index("ix_injection_point_lot", "lot_id", "patient_id"),
    )


class TreatmentAddendum(Base):
    """A correction or note added to a signed-off chart: written once, hash-chained.

    ``prev_sha256`` is the chart's seal for the first addendum and the previous
    addendum's ``sha256`` after it, so that removing or changing one breaks the chain.
    """

    __tablename__ = "treatment_addendum"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    chart_id: Mapped[int] = mapped_column(ForeignKey("treatment_chart.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    prev_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)


# --- issue 20, part 3: complications, follow-up reviews, lot quarantine -----------------


class Complication(Versioned, Base):
    """An adverse event after a treatment (issue 20): what happened, how bad, what was
    done, how it ended, linked to the lot used.

    Edited in place (optimistic locking); every save is audited with the values before
    and after, which is the event's history. Vocabulary: :mod:`consult.domain.complications`.
    """

    __tablename__ = "complication"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    treatment_id: Mapped[str] = mapped_column(String(64))
    treatment_record_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_record.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("product_lot.id"), index=True)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    noticed_on: Mapped[dt.date] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(16))
    action_taken: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32), index=True)
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class LotQuarantine(Base):
    """A lot taken out of use, with the reason; released by setting ``released_at``.

    A lot is quarantined while it has a row without ``released_at``; the rows kept after
    release are the lot's history of quarantines.
    """

    __tablename__ = "lot_quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("product_lot.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    quarantined_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    quarantined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    release_reason: Mapped[str] = mapped_column(Text, default="")


class ReviewMark(Base):
    """Reception's mark on a treatment's follow-up review: the patient was called, or the
    review was booked (written once; the newest mark is the review's state)."""

    __tablename__ = "review_mark"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    treatment_record_id: Mapped[int] = mapped_column(ForeignKey("treatment_record.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsentReconfirmation(Base):
    """A repeat visit's re-confirmation of a signed consent (issue 21): the patient's one
    signature that nothing has changed, sealed like a consent (``consult.reconfirmation/1``,
    its hash and PDF) and never updated. It names the consent it re-confirms, which stays
    the consent of the treatment; ``session_number`` counts the visits under it."""

    __tablename__ = "consent_reconfirmation"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    document_number: Mapped[str] = mapped_column(String(32), unique=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consent_record.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    treatment_id: Mapped[str] = mapped_column(String(64))
    session_number: Mapped[int] = mapped_column(Integer)
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    document_json: Mapped[str] = mapped_column(Text)
    document_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (
        UniqueConstraint(
            "consultation_id",
            "treatment_id",
            name="uq_consent_reconfirmation_consultation_treatment",
        ),
    )


class Photo(Base):
    """A before, after or progress photo of a treated area (issue 20; migration 0013).

    Taken only while the patient's photograph consent for the consultation stands, and
    stored as imported after its metadata (location above all) was stripped: the bytes,
    their SHA-256, size and a thumbnail. Withdrawing the photograph consent sets
    ``hidden_at`` (every view and export leaves the photo out from then on); past the
    clinic's retention a manager may delete it: ``data`` and ``thumbnail`` are emptied
    (``deleted_at``), the row stays as a tombstone with its hash. See
    :mod:`consult.store.services.photos`.
    """

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    # The treatment record the photo belongs to, where one is named (optional).
    treatment_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_record.id"), index=True
    )
    area: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    mime: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)
    hidden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (Index("ix_photo_patient_taken", "patient_id", "taken_at"),)


class PhotoConsentWithdrawal(Base):
    """The patient withdrew their photograph consent for one consultation (written once).

    The consent form itself stays as sealed; this row, audited, hides the consultation's
    photos and refuses new ones.
    """

    __tablename__ = "photo_consent_withdrawal"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class KioskStation(Base):
    """A tablet registered by a manager to take intakes in patient mode (``consult
    kiosk``, issue 19): it signs in with its own secret, never as a user, and reaches only
    the consultation a practitioner sends to it (:mod:`consult.store.services.kiosk`)."""

    __tablename__ = "kiosk_station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # argon2id of the station's secret (kept in the station's own configuration folder).
    secret_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    registered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the station last asked for work: a station seen recently is waiting.
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class KioskHandover(Base):
    """One intake sent to a kiosk station, from the practitioner's hand-over to their
    taking it back. It carries all the station may know: what the questionnaire needs
    (``intake``: treatments, sex at birth, date of birth, consultation date, language,
    and at a repeat visit the last intake's answers and date; no name, no contact
    details, no screening) and what the patient answered there."""

    __tablename__ = "kiosk_handover"
    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("kiosk_station.id"), index=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    # sent, finished, paused (the patient stopped answering) or returned.
    state: Mapped[str] = mapped_column(String(16), index=True)
    intake: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Counts only (done, sections, answered, asked): what the desk's panel shows.
    progress: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # A repeat visit: the sections the patient confirmed on the station, and how
    # ({section id: "unchanged" | "update"}; migration 0019). None at a first visit.
    confirmations: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ConsultationOutcome(Base):
    """A consultation that ends with treatments not given (issue 21): which, why (the
    findings and the practitioner's reason) and the letter handed to the patient.

    Written once, when the practitioner records it; ``letter`` is everything the letter
    prints, in the patient's language, as it stood then (the findings' sentences, the
    clinic, the practitioner), so that it is printed again the same whatever changes
    later. See :mod:`consult.store.services.outcomes`.
    """

    __tablename__ = "consultation_outcome"

    id: Mapped[int] = mapped_column(BigID, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    reason_kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text, default="")
    treatments: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    language: Mapped[str] = mapped_column(String(16))
    letter: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
