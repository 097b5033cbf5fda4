"""The audit log as a table model: entries newest first, a page at a time (the log can
hold far more entries than a view should load at once)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from consult.store.services.audit_log import AuditRow
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

AnyIndex = QModelIndex | QPersistentModelIndex


def details_text(details: dict[str, Any]) -> str:
    """An entry's details on one line."""
    if not details:
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


class AuditTableModel(QAbstractTableModel):
    """Audit entries, newest first, fetched a page at a time.

    The model does not query: :meth:`fetchMore` emits :attr:`more_wanted` and the page
    delivers the next rows with :meth:`append_rows` when the background query ends.
    """

    COL_AT, COL_USER, COL_WORKSTATION, COL_EVENT, COL_RECORD, COL_PATIENT, COL_DETAILS = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("AuditTableModel", "Time"),
        QT_TRANSLATE_NOOP("AuditTableModel", "User"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Workstation"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Event"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Record"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Patient"),
        QT_TRANSLATE_NOOP("AuditTableModel", "Details"),
    )
    more_wanted = Signal(int)  # the id the next page starts below

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []
        self.has_more = False
        self.loading = False

    def set_rows(self, rows: Sequence[AuditRow], has_more: bool) -> None:
        """Replace every row (a new search)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.has_more = has_more
        self.loading = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[AuditRow], has_more: bool) -> None:
        """Add the next page."""
        self.loading = False
        self.has_more = has_more
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def entry(self, row: int) -> AuditRow:
        """The entry on ``row``."""
        return self._rows[row]

    def rows(self) -> list[AuditRow]:
        """Every row loaded so far."""
        return list(self._rows)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._rows:
            self.loading = True
            self.more_wanted.emit(self._rows[-1].id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.COL_AT:
                return entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if column == self.COL_USER:
                return entry.username or "—"
            if column == self.COL_WORKSTATION:
                return entry.workstation
            if column == self.COL_EVENT:
                return entry.event
            if column == self.COL_RECORD:
                return f"{entry.record_type} {entry.record_id}".strip()
            if column == self.COL_PATIENT:
                return "" if entry.patient_id is None else str(entry.patient_id)
            if column == self.COL_DETAILS:
                return details_text(entry.details)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_DETAILS:
            return json.dumps(entry.details, ensure_ascii=False, indent=2, sort_keys=True)
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None


__all__ = ["AuditTableModel", "details_text"]
