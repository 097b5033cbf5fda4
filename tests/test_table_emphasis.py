"""The cells that must stand out as something wrong (a review overdue, a grave
complication) are drawn in the error tone and bold, through
:func:`consult.ui.widgets.table_model.emphasised`; the others are left as they are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication

from consult.store.services.complications import ComplicationInfo
from consult.store.services.follow_up import ReviewRow
from consult.ui.desk.reviews_panel import ReviewTableModel
from consult.ui.manager.complications_page import ComplicationTableModel
from consult.ui.widgets.table_model import RowsTableModel, emphasised
from consult.ui.widgets.tones import qtone

FOREGROUND = Qt.ItemDataRole.ForegroundRole
FONT = Qt.ItemDataRole.FontRole
TODAY = dt.date(2026, 12, 2)


def _review(days_overdue: int) -> ReviewRow:
    return ReviewRow(
        treatment_record_id=1,
        patient_id=1,
        patient_name="Amelia Overdue",
        phone="+44 7700 900123",
        treatment_id="ha_filler",
        treated_on=TODAY - dt.timedelta(days=14 + days_overdue),
        due_on=TODAY - dt.timedelta(days=days_overdue),
        days_overdue=days_overdue,
        mark=None,
        marked_at=None,
        marked_by="",
    )


def _complication(severity: str) -> ComplicationInfo:
    return ComplicationInfo(
        id=1,
        patient_id=1,
        patient_name="Zoë Lefèvre",
        consultation_id=1,
        treatment_id="ha_filler",
        treated_on=TODAY,
        product_name="",
        manufacturer="",
        lot_number="",
        expiry_date=None,
        category="swelling",
        description="Swollen lip",
        noticed_on=TODAY,
        severity=severity,
        action_taken="",
        outcome="ongoing",
        follow_up_on=None,
        recorded_by="doc",
        updated_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
        version=1,
    )


def _is_emphasised(model: RowsTableModel[Any], row: int, column: int) -> bool:
    index = model.index(row, column)
    colour, font = model.data(index, FOREGROUND), model.data(index, FONT)
    if colour is None and font is None:
        return False
    assert isinstance(colour, QColor) and colour == qtone("error")
    assert isinstance(font, QFont) and font.bold()
    return True


def test_emphasis_is_the_error_tone_and_bold_and_nothing_else(qapp: QApplication) -> None:
    colour, font = emphasised(FOREGROUND), emphasised(FONT)
    assert isinstance(colour, QColor) and colour == qtone("error")
    assert isinstance(font, QFont) and font.bold()
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.UserRole,
    ):
        assert emphasised(role) is None


def test_only_an_overdue_review_stands_out(qapp: QApplication) -> None:
    model = ReviewTableModel(lambda phone: phone)
    model.set_rows([_review(6), _review(0), _review(-3)])
    overdue = ReviewTableModel.COL_OVERDUE
    assert [_is_emphasised(model, row, overdue) for row in range(3)] == [True, False, False]
    assert not _is_emphasised(model, 0, ReviewTableModel.COL_PATIENT)


def test_only_a_grave_complications_severity_stands_out(qapp: QApplication) -> None:
    model = ComplicationTableModel()
    model.set_rows([_complication(s) for s in ("severe", "serious", "moderate", "mild")])
    severity = ComplicationTableModel.COL_SEVERITY
    assert [_is_emphasised(model, row, severity) for row in range(4)] == [
        True,
        True,
        False,
        False,
    ]
    assert not _is_emphasised(model, 0, ComplicationTableModel.COL_PATIENT)
