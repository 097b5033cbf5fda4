"""The reception desk's two tables: the signed forms (with their state in sight, since a
voided or withdrawn form prints marked) and the day's consultations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from consult.store.dto import DeskConsultation, FormRow
from consult.ui.widgets.copy_mark_word import copy_mark_word
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.table_model import RowsTableModel, RowT
from consult.ui.widgets.tones import qtone
from consult.ui.widgets.words import QT_TRANSLATE_NOOP, state_text, status_text


class NamedRowsModel(RowsTableModel[RowT]):
    """Rows that name treatments by their id."""

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = dict(names)

    def treatment(self, treatment_id: str) -> str:
        """A treatment's name (its id if the names given do not have it)."""
        return self._names.get(treatment_id, treatment_id)


class FormTableModel(NamedRowsModel[FormRow]):
    """Signed forms: document, patient, born, state, treatment, signed, practitioner,
    printed, handed over. The state comes early, so it is in sight on a narrow screen."""

    (
        COL_DOCUMENT,
        COL_PATIENT,
        COL_BORN,
        COL_STATE,
        COL_TREATMENT,
        COL_SIGNED,
        COL_PRACTITIONER,
        COL_PRINTED,
        COL_HANDED,
    ) = range(9)
    HEADERS = (
        QT_TRANSLATE_NOOP("FormTableModel", "Document"),
        QT_TRANSLATE_NOOP("FormTableModel", "Patient"),
        QT_TRANSLATE_NOOP("FormTableModel", "Born"),
        QT_TRANSLATE_NOOP("FormTableModel", "State"),
        QT_TRANSLATE_NOOP("FormTableModel", "Treatment"),
        QT_TRANSLATE_NOOP("FormTableModel", "Signed"),
        QT_TRANSLATE_NOOP("FormTableModel", "Practitioner"),
        QT_TRANSLATE_NOOP("FormTableModel", "Printed"),
        QT_TRANSLATE_NOOP("FormTableModel", "Handed over"),
    )

    def text(self, row: FormRow, column: int) -> str:
        values = (
            row.document_number,
            row.patient_name,
            row.date_of_birth.isoformat() if row.date_of_birth else "",
            state_text(row.state),
            self.treatment(row.treatment_id),
            local_time(row.signed_at),
            row.practitioner_name,
            self.tr("%n time(s)", "", row.prints) if row.prints else self.tr("Not yet"),
            local_time(row.handed_over_at) if row.handed_over_at else "",
        )
        return values[column]

    def extra(self, row: FormRow, column: int, role: int) -> Any:
        # The tooltip quotes the word the copy will carry, in the form's language.
        word = copy_mark_word(row) if column == self.COL_STATE else None
        if word is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return qtone("error")
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("A copy printed now is marked %1 on every page.").replace("%1", word)
        return None


class DeskConsultationModel(NamedRowsModel[DeskConsultation]):
    """The day's consultations: patient, practitioner, treatments, status, forms signed."""

    HEADERS = (
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Patient"),
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Born"),
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Practitioner"),
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Treatments"),
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Status"),
        QT_TRANSLATE_NOOP("DeskConsultationModel", "Forms signed"),
    )

    def text(self, row: DeskConsultation, column: int) -> str:
        values = (
            row.patient_name,
            row.date_of_birth.isoformat(),
            row.practitioner_name,
            ", ".join(self.treatment(t) for t in row.treatments),
            status_text(row.status),
            str(row.forms_signed),
        )
        return values[column]


__all__ = ["DeskConsultationModel", "FormTableModel", "NamedRowsModel"]
