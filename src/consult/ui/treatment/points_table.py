"""The chart's points as a table beside the face chart: the keyboard's way to the points.

:class:`PointsModel` holds the points being charted (the one copy the chart, the table
and the point editor show); each column but the number and the place is edited in the
table, the fixed vocabularies through a combo box (:class:`ChoiceDelegate`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from consult.domain.treatment_chart import (
    DEPTHS,
    TECHNIQUES,
    UNITS,
    ChartPoint,
    amount_text,
    parse_amount,
)
from consult.store.services.treatment_records import LotChoice
from consult.ui.treatment.words import DEPTH_WORDS, TECHNIQUE_WORDS, UNIT_WORDS, VIEW_WORDS, say

NUMBER, PLACE, AREA, AMOUNT, UNIT, DEPTH, TECHNIQUE, LOT = range(8)
_FIELDS = {AREA: "area", UNIT: "unit", DEPTH: "depth", TECHNIQUE: "technique", LOT: "lot_id"}
ModelIndex = QModelIndex | QPersistentModelIndex


class PointsModel(QAbstractTableModel):
    """The points being charted, in order; ``changed`` after every edit of them.

    A point's ``lot_id`` None means "the chart's lot" (it follows the lot chosen for the
    treatment); :attr:`lots` are the lots a point may name instead.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[ChartPoint] = []
        self.editable = True
        self.lots: list[LotChoice] = []
        self.chart_lot: int | None = None
        self.headers = (
            self.tr("#"),
            self.tr("Place"),
            self.tr("Area"),
            self.tr("Amount"),
            self.tr("Unit"),
            self.tr("Depth"),
            self.tr("Technique"),
            self.tr("Lot"),
        )

    # --- the points ---------------------------------------------------------------

    def set_points(self, points: Sequence[ChartPoint]) -> None:
        """Show ``points`` (no ``changed``: they are what is stored)."""
        self.beginResetModel()
        self.points = list(points)
        self.endResetModel()

    def add(self, point: ChartPoint) -> int:
        """Add a point at the end; its index."""
        row = len(self.points)
        self.beginInsertRows(QModelIndex(), row, row)
        self.points.append(point)
        self.endInsertRows()
        self.changed.emit()
        return row

    def remove(self, row: int) -> None:
        """Remove point ``row`` (the others are numbered again)."""
        if not 0 <= row < len(self.points):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.points[row]
        self.endRemoveRows()
        if self.points:
            self.dataChanged.emit(self.index(row, NUMBER), self.index(len(self.points) - 1, NUMBER))
        self.changed.emit()

    def replace(self, row: int, point: ChartPoint) -> None:
        """Change point ``row``."""
        if not 0 <= row < len(self.points) or self.points[row] == point:
            return
        self.points[row] = point
        self.dataChanged.emit(self.index(row, 0), self.index(row, LOT))
        self.changed.emit()

    def lot_number(self, lot_id: int | None) -> str:
        """A lot's number as the table shows it."""
        wanted = self.chart_lot if lot_id is None else lot_id
        return next((lot.lot_number for lot in self.lots if lot.id == wanted), "")

    # --- the table ----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One row per point."""
        return 0 if parent.isValid() else len(self.points)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The columns of :data:`_FIELDS` and the number, place and amount."""
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """The column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Every column but the number and place is edited in place (if editable)."""
        flags = super().flags(index)
        if self.editable and index.column() not in (NUMBER, PLACE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A point's cell, in words (display) or as stored (edit)."""
        if not index.isValid():
            return None
        point = self.points[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            if column == AMOUNT:
                return amount_text(point.amount)
            if column in _FIELDS:
                return getattr(point, _FIELDS[column])
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (NUMBER, AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            NUMBER: str(index.row() + 1),
            PLACE: say(VIEW_WORDS, point.view),
            AREA: point.area,
            AMOUNT: amount_text(point.amount),
            UNIT: say(UNIT_WORDS, point.unit),
            DEPTH: say(DEPTH_WORDS, point.depth),
            TECHNIQUE: say(TECHNIQUE_WORDS, point.technique),
            LOT: self.lot_number(point.lot_id),
        }[column]

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """An edit in the table; an amount that is not a number is refused."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        point = self.points[index.row()]
        column = index.column()
        if column == AMOUNT:
            amount = parse_amount(str(value))
            if amount is None or amount <= 0:
                return False
            changed = dataclasses.replace(point, amount=amount)
        elif column == LOT:
            changed = dataclasses.replace(
                point, lot_id=None if value in (None, self.chart_lot) else int(value)
            )
        elif column == AREA:
            changed = dataclasses.replace(point, area=str(value).strip())
        elif column == UNIT:
            changed = dataclasses.replace(point, unit=str(value))
        elif column == DEPTH:
            changed = dataclasses.replace(point, depth=str(value))
        elif column == TECHNIQUE:
            changed = dataclasses.replace(point, technique=str(value))
        else:
            return False
        self.replace(index.row(), changed)
        return True

    def choices(self, column: int) -> list[tuple[Any, str]]:
        """The values a combo-box column offers, with their words."""
        if column == UNIT:
            return [(unit, say(UNIT_WORDS, unit)) for unit in UNITS]
        if column == DEPTH:
            return [(depth, say(DEPTH_WORDS, depth)) for depth in DEPTHS]
        if column == TECHNIQUE:
            return [(technique, say(TECHNIQUE_WORDS, technique)) for technique in TECHNIQUES]
        if column == LOT:
            return [(lot.id, lot.lot_number) for lot in self.lots]
        return []


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the columns with a fixed vocabulary; a line edit for the rest."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        """A combo box of the model's choices for the column, if it has any."""
        model = index.model()
        choices = model.choices(index.column()) if isinstance(model, PointsModel) else []
        if not choices:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for value, text in choices:
            combo.addItem(text, value)
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        """Select the point's value."""
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            model = index.model()
            if value is None and isinstance(model, PointsModel):
                value = model.chart_lot
            found = editor.findData(value)
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        """Store the chosen value."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def points_table(parent: QWidget, model: PointsModel) -> QTableView:
    """The points' table: one row selected at a time, edited in place."""
    table = QTableView(parent)
    table.setModel(model)
    table.setItemDelegate(ChoiceDelegate(table))
    table.setAccessibleName(QCoreApplication.translate("PointsTable", "Injection points"))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(AREA, QHeaderView.ResizeMode.Stretch)
    return table
