"""Patients as a read-only table: name, date of birth, sex at birth and phone (in the
clinic's form), for the patient search and the reception desk's finder."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from consult.domain import phones
from consult.store.dto import PatientInfo
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.words import QT_TRANSLATE_NOOP


class PatientTableModel(RowsTableModel[PatientInfo]):
    """Read-only rows of patients: name, date of birth, sex, phone."""

    COL_NAME, COL_DOB, COL_SEX, COL_PHONE = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("PatientTableModel", "Name"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Date of birth"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Sex at birth"),
        QT_TRANSLATE_NOOP("PatientTableModel", "Phone"),
    )
    phone_region: str | None = None  # the clinic's country: its numbers in national form

    def patient(self, row: int) -> PatientInfo:
        """The patient on ``row``."""
        return self.item(row)

    def text(self, row: PatientInfo, column: int) -> str:
        if column == self.COL_NAME:
            return f"{row.family_name}, {row.given_name}"
        if column == self.COL_DOB:
            return row.date_of_birth.isoformat()
        if column == self.COL_SEX:
            return knowledge_label("sex", row.sex_at_birth)
        return phones.display(row.phone, self.phone_region)  # COL_PHONE

    def extra(self, row: PatientInfo, column: int, role: int) -> Any:
        return row.id if role == Qt.ItemDataRole.UserRole else None


__all__ = ["PatientTableModel"]
