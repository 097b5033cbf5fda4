"""The small editor under the face chart for the selected point: how much, in which
unit, how deep, which technique, and the area's name.

Placing a point selects it and puts the cursor in its amount, so that a point is charted
with a click and a number; the same fields are in the points' table for the keyboard.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from consult.domain.treatment_chart import (
    DEPTHS,
    TECHNIQUES,
    UNITS,
    ChartPoint,
    amount_text,
    parse_amount,
)
from consult.ui.treatment.words import DEPTH_WORDS, TECHNIQUE_WORDS, UNIT_WORDS, say


def _combo(
    parent: QWidget, values: tuple[str, ...], words: dict[str, str] | None, name: str
) -> QComboBox:
    combo = QComboBox(parent)
    for value in values:
        combo.addItem(say(words, value) if words is not None else value, value)
    combo.setAccessibleName(name)
    return combo


class PointEditor(QWidget):
    """The selected point's amount, unit, depth, technique and area.

    ``edited(index, point)`` after each change the practitioner makes; ``remove(index)``
    when they press "Remove point".
    """

    edited = Signal(int, object)
    remove = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = -1
        self.point: ChartPoint | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        row.addWidget(self.title)
        self.amount = QLineEdit(self)
        self.amount.setAccessibleName(self.tr("Amount"))
        self.amount.setPlaceholderText(self.tr("Amount"))
        self.amount.setMaximumWidth(90)
        row.addWidget(self.amount)
        self.unit_box = _combo(self, UNITS, dict(UNIT_WORDS), self.tr("Unit"))
        row.addWidget(self.unit_box)
        self.depth_box = _combo(self, DEPTHS, dict(DEPTH_WORDS), self.tr("Depth"))
        row.addWidget(self.depth_box)
        self.technique_box = _combo(self, TECHNIQUES, dict(TECHNIQUE_WORDS), self.tr("Technique"))
        row.addWidget(self.technique_box)
        self.area = QLineEdit(self)
        self.area.setAccessibleName(self.tr("Area of the point"))
        self.area.setPlaceholderText(self.tr("Area (e.g. glabella)"))
        row.addWidget(self.area, 1)
        self.remove_button = QPushButton(self.tr("Re&move point"), self)
        self.remove_button.setAccessibleName(self.tr("Remove point"))
        self.remove_button.setAutoDefault(False)
        row.addWidget(self.remove_button)
        self.amount.textEdited.connect(self._changed)
        self.area.textEdited.connect(self._changed)
        for combo in (self.unit_box, self.depth_box, self.technique_box):
            combo.activated.connect(self._changed)
        self.remove_button.clicked.connect(lambda: self.remove.emit(self.index))
        self.show_point(-1, None)

    def show_point(self, index: int, point: ChartPoint | None) -> None:
        """Edit point ``index`` (-1 and None: no point selected)."""
        self.index, self.point = index, point
        fields = (
            self.amount,
            self.unit_box,
            self.depth_box,
            self.technique_box,
            self.area,
            self.remove_button,
        )
        for field in fields:
            field.setEnabled(point is not None)
        if point is None:
            self.title.setText(self.tr("No point selected"))
            self.amount.clear()
            self.area.clear()
            return
        self.title.setText(self.tr("Point %1:").replace("%1", str(index + 1)))
        if parse_amount(self.amount.text()) != point.amount or not self.amount.hasFocus():
            self.amount.setText(amount_text(point.amount))
        if self.area.text() != point.area:
            self.area.setText(point.area)
        for combo, value in (
            (self.unit_box, point.unit),
            (self.depth_box, point.depth),
            (self.technique_box, point.technique),
        ):
            combo.setCurrentIndex(max(combo.findData(value), 0))

    def _changed(self) -> None:
        if self.point is None:
            return
        amount = parse_amount(self.amount.text())
        changed = dataclasses.replace(
            self.point,
            amount=amount if amount is not None and amount > 0 else self.point.amount,
            unit=str(self.unit_box.currentData()),
            depth=str(self.depth_box.currentData()),
            technique=str(self.technique_box.currentData()),
            area=self.area.text().strip(),
        )
        if changed != self.point:
            self.point = changed
            self.edited.emit(self.index, changed)
