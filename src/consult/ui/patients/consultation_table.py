"""Consultations as a read-only table (date, patient, status, step, treatments,
practitioner): a patient's consultations, and the consultations of a day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QWidget

from consult.store.services.consultation_overview import ConsultationRow
from consult.ui.widgets.formatting import consultation_treatments
from consult.ui.widgets.table_model import RowsTableModel, read_only_table
from consult.ui.widgets.words import QT_TRANSLATE_NOOP, status_text, step_text


class ConsultationTableModel(RowsTableModel[ConsultationRow]):
    """Read-only rows of consultations: date, patient, status, step, treatments, practitioner."""

    COL_DATE, COL_PATIENT, COL_STATUS, COL_STEP, COL_TREATMENTS, COL_PRACTITIONER = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Date"),
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Patient"),
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Status"),
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Step"),
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Treatments"),
        QT_TRANSLATE_NOOP("ConsultationTableModel", "Practitioner"),
    )

    def row(self, row: int) -> ConsultationRow:
        """The consultation on ``row``."""
        return self.item(row)

    def text(self, row: ConsultationRow, column: int) -> str:
        info = row.consultation
        if column == self.COL_DATE:
            return info.consultation_date.isoformat()
        if column == self.COL_PATIENT:
            return row.patient.full_name
        if column == self.COL_STATUS:
            return status_text(info.status)
        if column == self.COL_STEP:
            return step_text(info.step)
        if column == self.COL_TREATMENTS:
            return consultation_treatments(info)
        return row.practitioner_name  # COL_PRACTITIONER

    def extra(self, row: ConsultationRow, column: int, role: int) -> Any:
        return row.consultation.id if role == Qt.ItemDataRole.UserRole else None


def consultation_table(model: ConsultationTableModel, name: str, parent: QWidget) -> QTableView:
    """A read-only, row-selecting table of consultations."""
    return read_only_table(parent, model, name, ConsultationTableModel.COL_TREATMENTS)


__all__ = ["ConsultationTableModel", "consultation_table"]
