"""Exports of signed consents as CSV: the register and the recall list.

Nothing here reads the database: the store hands in rows one at a time, so an export of a
hundred thousand records never holds them all. Every writer reports progress, can be
cancelled, and leaves no half-written file (:mod:`consult.documents.export_files`). The
register as a FHIR R4 bundle is :mod:`consult.documents.fhir`.

CSV is written with the csv module (names with commas, quotes, line breaks and any
alphabet round-trip), UTF-8 with a byte-order mark so that spreadsheets pick the right
encoding. A cell that a spreadsheet would run as a formula gets a leading ``'``, except
a phone number the program has checked (see :func:`phone_cell`).

The recall list says where and how much of the lot each patient was given, as the Recall
page and ``consult recall`` do: the areas, and the dose in one column per unit of the
treatment chart, the unit in the column's name (``dose_units``, ``dose_ml``), so that a
spreadsheet can add them up. A treatment never charted, or charted without points, has
empty dose cells (and no areas when never charted). These columns come after the older
ones, so that a spreadsheet or an import set up for those still finds them in place.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from consult.documents.export_files import (
    PROGRESS_EVERY,
    Cancelled,
    ExportCancelled,
    Place,
    Progress,
    Ticker,
    atomic_file,
)
from consult.domain import phones
from consult.domain.treatment_chart import UNITS

__all__ = [
    "AREAS_SEPARATOR",
    "DOSE_COLUMNS",
    "PROGRESS_EVERY",
    "RECALL_COLUMNS",
    "REGISTER_COLUMNS",
    "Cancelled",
    "ExportCancelled",
    "Place",
    "Progress",
    "RecallLine",
    "RegisterLine",
    "phone_cell",
    "recall_dose_cells",
    "register_cells",
    "safe_cell",
    "write_recall_csv",
    "write_register_csv",
]

_log = logging.getLogger(__name__)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

AREAS_SEPARATOR = "; "
"""Between the areas in the recall list's ``areas`` cell (an area's name may hold a comma)."""

DOSE_COLUMNS = {"units": "dose_units", "mL": "dose_ml"}
"""The recall list's dose columns, one per unit a chart doses in
(:data:`consult.domain.treatment_chart.UNITS`), named with the unit."""


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
    @property
    def areas(self) -> Sequence[str]: ...
    @property
    def doses(self) -> Sequence[tuple[str, str]]: ...


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
    "areas",
    *(DOSE_COLUMNS[unit] for unit in UNITS),
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


def recall_dose_cells(row: RecallLine) -> list[str]:
    """The dose cells of one recall line, one per unit (:data:`DOSE_COLUMNS`), each the
    amount of the lot given in that unit; empty where none was charted. An amount in a
    unit the chart does not know (not written by the app) is logged and left out."""
    amounts: dict[str, str] = {}
    for amount, unit in row.doses:
        if unit in DOSE_COLUMNS:
            amounts[unit] = amount
        else:
            _log.warning(
                "recall list: %s %s of lot %s (consent %s) is in no dose column",
                amount,
                unit,
                row.lot_number,
                row.document_number or "none",
            )
    return [safe_cell(amounts.get(unit, "")) for unit in UNITS]


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
    ticker = Ticker(total, progress, cancelled)
    ticker.check()
    with atomic_file(path) as handle:
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
    ticker = Ticker(len(rows), progress, cancelled)
    with atomic_file(path) as handle:
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
                        AREAS_SEPARATOR.join(r.areas),
                    )
                ]
                + recall_dose_cells(r)
            )
            ticker.step()
        ticker.finish()
    return ticker.done
