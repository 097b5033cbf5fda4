"""The consent register as a table model: a page of rows at a time, sorted by the
database (the register can hold far more records than a view should load at once)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QWidget

from consult.domain.states import ConsentState
from consult.store import dto
from consult.store.dto import Cursor, RegisterFilters, RegisterRow
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import qtone
from consult.ui.widgets.words import QT_TRANSLATE_NOOP, outcome_text, state_text

AnyIndex = QModelIndex | QPersistentModelIndex
PageFetcher = Callable[[RegisterFilters, Cursor | None], dto.RegisterPage]
"""Fetches the page of register rows after a cursor (None: the first page)."""


class RegisterTableModel(QAbstractTableModel):
    """The register, a page at a time: ``fetchMore`` asks for the next page.

    With a ``runner`` the pages are fetched off the GUI thread (rows arrive later, and a
    page for filters that have since changed is dropped); without one, synchronously.
    Sorting asks the database: :meth:`sort` changes the filters' sort order.
    """

    (
        COL_SIGNED,
        COL_DOCUMENT,
        COL_PATIENT,
        COL_PRACTITIONER,
        COL_TREATMENT,
        COL_OUTCOME,
        COL_OVERRIDES,
        COL_STATE,
    ) = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("RegisterTableModel", "Signed"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Document"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Patient"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Practitioner"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Treatment"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Outcome"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "Overrides"),
        QT_TRANSLATE_NOOP("RegisterTableModel", "State"),
    )
    SORT_KEYS: ClassVar[dict[int, str]] = {
        COL_SIGNED: "signed_at",
        COL_DOCUMENT: "document_number",
        COL_TREATMENT: "treatment_id",
        COL_OUTCOME: "outcome",
        COL_OVERRIDES: "has_overrides",
        COL_STATE: "state",
    }
    loading_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        fetch: PageFetcher,
        runner: LatestOnly | None = None,
        names: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fetch_page = fetch
        self._runner = runner
        self._names = dict(names or {})
        self._rows: list[RegisterRow] = []
        self._cursor: Cursor | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.filters = RegisterFilters()

    # --- paging -----------------------------------------------------------------------

    def set_filters(self, filters: RegisterFilters) -> None:
        """Start again from the first page with other filters (or another sort order)."""
        self.beginResetModel()
        self.filters = filters
        self._rows = []
        self._cursor = None
        # Nothing to fetch while views and testers react to the reset: the first page is
        # asked for right after it, once.
        self._exhausted = True
        self._loading = False
        self._generation += 1
        self.endResetModel()
        self._exhausted = False
        self._request()

    def refresh(self) -> None:
        """Load the register again with the same filters."""
        self.set_filters(self.filters)

    def is_loading(self) -> bool:
        """True while a page is being fetched."""
        return self._loading

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request()

    def _request(self) -> None:
        filters, cursor, generation = self.filters, self._cursor, self._generation
        self._set_loading(True)
        if self._runner is None:
            try:
                page = self._fetch_page(filters, cursor)
            except Exception as exc:
                self._failed(exc, generation)
                return
            self._arrived(page, generation)
            return
        fetch = self._fetch_page
        self._runner.submit(
            lambda: fetch(filters, cursor),
            lambda page: self._arrived(page, generation),
            lambda exc: self._failed(exc, generation),
        )

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _arrived(self, page: dto.RegisterPage, generation: int) -> None:
        if generation != self._generation:
            return
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._cursor = page.cursor
        self._exhausted = page.cursor is None
        self._set_loading(False)

    def _failed(self, exc: Exception, generation: int) -> None:
        if generation != self._generation:
            return
        self._exhausted = True
        self._set_loading(False)
        self.failed.emit(refusal_text(exc))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.filters.sort, self.filters.descending):
            self.set_filters(self.filters.sorted_by(key, descending))

    def sort_column(self) -> int:
        """The column the register is sorted by."""
        return next(c for c, key in self.SORT_KEYS.items() if key == self.filters.sort)

    # --- the table --------------------------------------------------------------------

    def record(self, row: int) -> RegisterRow:
        """The register line on ``row``."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            if section in self.SORT_KEYS:
                return self.tr("Click to sort by this column")
            return self.tr("Filter by practitioner above; this column does not sort")
        return None

    def text(self, row: RegisterRow, column: int) -> str:
        """What a cell shows."""
        if column == self.COL_SIGNED:
            return local_time(row.signed_at)
        if column == self.COL_DOCUMENT:
            return row.document_number
        if column == self.COL_PATIENT:
            return row.patient_name
        if column == self.COL_PRACTITIONER:
            return row.practitioner_name
        if column == self.COL_TREATMENT:
            return self._names.get(row.treatment_id, row.treatment_id)
        if column == self.COL_OUTCOME:
            return outcome_text(row.outcome)
        if column == self.COL_OVERRIDES:
            return self.tr("Yes") if row.has_overrides else ""
        if column == self.COL_STATE:
            return state_text(row.state)
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.HEADERS):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and row.state == ConsentState.VOIDED:
            return qtone("muted")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.COL_PATIENT:
            born = row.date_of_birth.isoformat() if row.date_of_birth else "?"
            return self.tr("Born %1").replace("%1", born)
        return None


__all__ = ["AnyIndex", "PageFetcher", "RegisterTableModel"]
