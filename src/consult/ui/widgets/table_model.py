"""The read-only table model every list in the application is built on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from consult.ui.widgets.tones import qtone

AnyIndex = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")

_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table of plain records, one per row.

    A subclass names its columns in ``HEADERS``, each marked
    ``QT_TRANSLATE_NOOP("<its class name>", "Name")``: ``headerData`` translates them with
    ``self.tr``, which looks in the context of each class of the model's, its own first.
    It says what each cell reads in :meth:`text` and, when it needs to, gives any other
    role (colour, icon, tooltip, ``UserRole`` id, alignment) in :meth:`extra`.
    """

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []

    # --- the rows ----------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RowT]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> Sequence[RowT]:
        """Every row's record, in table order."""
        return tuple(self._rows)

    def item(self, row: int) -> RowT:
        """The record on ``row``."""
        return self._rows[row]

    def row_of(self, predicate: Callable[[RowT], bool]) -> int:
        """The first row whose record matches ``predicate``, or -1."""
        return next((n for n, record in enumerate(self._rows) if predicate(record)), -1)

    def replace_row(self, index: int, row: RowT) -> None:
        """Show a changed record on row ``index``."""
        self._rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.HEADERS) - 1))

    # --- what subclasses say -----------------------------------------------------------

    def text(self, row: RowT, column: int) -> str:
        """What a cell reads (its display and accessible text)."""
        raise NotImplementedError

    def extra(self, row: RowT, column: int, role: int) -> Any:
        """A cell's data for any role but display and accessible text; None by default."""
        return None

    # --- QAbstractTableModel -----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        record = self._rows[index.row()]
        if role in _TEXT_ROLES:
            return self.text(record, index.column())
        return self.extra(record, index.column(), role)


def emphasised(role: int) -> Any:
    """A cell's data for ``role`` when it must stand out as something wrong (overdue, a
    grave complication): the error tone and a bold font, so that it is told by its
    weight as well as by its colour; None for any other role.

    Meant to be returned from :meth:`RowsTableModel.extra` for the cells concerned.
    """
    if role == Qt.ItemDataRole.ForegroundRole:
        return qtone("error")
    if role == Qt.ItemDataRole.FontRole:
        font = QFont()
        font.setBold(True)
        return font
    return None


def read_only_table(
    parent: QWidget, model: QAbstractTableModel, name: str, stretch: int
) -> QTableView:
    """A read-only table that selects one whole row; column ``stretch`` takes the spare
    width, the others fit their contents."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
