"""The products page's two tables: the products (with how many of their lots are in
date) and the lots of the product chosen (an expired or quarantined lot says so in
words, with an icon and a colour, not by colour alone)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QStyle, QWidget

from consult.store.dto import LotInfo, ProductInfo
from consult.store.services import products as product_service
from consult.ui.widgets.formatting import knowledge_label, treatment_name
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.tones import qtone
from consult.ui.widgets.words import QT_TRANSLATE_NOOP


class ProductTableModel(RowsTableModel[ProductInfo]):
    """Read-only rows of products: name, manufacturer, source, treatment, lots in date."""

    COL_NAME, COL_MAKER, COL_SOURCE, COL_TREATMENT, COL_LOTS, COL_ACTIVE = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("ProductTableModel", "Name"),
        QT_TRANSLATE_NOOP("ProductTableModel", "Manufacturer"),
        QT_TRANSLATE_NOOP("ProductTableModel", "Source"),
        QT_TRANSLATE_NOOP("ProductTableModel", "Treatment"),
        QT_TRANSLATE_NOOP("ProductTableModel", "Lots in date"),
        QT_TRANSLATE_NOOP("ProductTableModel", "In use"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()

    def set_rows(self, rows: Sequence[ProductInfo]) -> None:
        """Replace every row (lots in date are counted as of today)."""
        self.today = dt.date.today()
        super().set_rows(rows)

    def product(self, row: int) -> ProductInfo:
        """The product on ``row``."""
        return self.item(row)

    def text(self, row: ProductInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_MAKER:
            return row.manufacturer
        if column == self.COL_SOURCE:
            return knowledge_label("product_source", row.source) if row.source else "—"
        if column == self.COL_TREATMENT:
            return treatment_name(row.treatment_id)
        if column == self.COL_LOTS:
            usable = len(product_service.usable_lots(row, self.today))
            return fill(self.tr("%1 of %2"), usable, len(row.lots))
        return self.tr("Yes") if row.active else self.tr("No (withdrawn)")  # COL_ACTIVE

    def extra(self, row: ProductInfo, column: int, role: int) -> Any:
        return row.id if role == Qt.ItemDataRole.UserRole else None


class LotTableModel(RowsTableModel[LotInfo]):
    """The lots of one product; an expired lot says so in words, with an icon and colour."""

    COL_LOT, COL_EXPIRY, COL_STATUS, COL_SUPPLIER, COL_ACCREDITATION = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("LotTableModel", "Lot"),
        QT_TRANSLATE_NOOP("LotTableModel", "Expiry"),
        QT_TRANSLATE_NOOP("LotTableModel", "Status"),
        QT_TRANSLATE_NOOP("LotTableModel", "Supplier"),
        QT_TRANSLATE_NOOP("LotTableModel", "Supplier accreditation"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()

    def set_rows(self, rows: Sequence[LotInfo], today: dt.date | None = None) -> None:
        """Replace every row (newest expiry first); lots expire as of ``today``."""
        self.today = today or dt.date.today()
        super().set_rows(sorted(rows, key=lambda lot: lot.expiry_date, reverse=True))

    def lot(self, row: int) -> LotInfo:
        """The lot on ``row``."""
        return self.item(row)

    def text(self, row: LotInfo, column: int) -> str:
        if column == self.COL_LOT:
            return row.lot_number
        if column == self.COL_EXPIRY:
            return row.expiry_date.isoformat()
        if column == self.COL_STATUS:
            if row.quarantine_reason is not None:
                return self.tr("Quarantined: %1").replace("%1", row.quarantine_reason)
            expired = row.expired_on(self.today)
            return self.tr("Expired: cannot be used") if expired else self.tr("In date")
        if column == self.COL_SUPPLIER:
            return row.supplier
        return row.supplier_accreditation  # COL_ACCREDITATION

    def extra(self, row: LotInfo, column: int, role: int) -> Any:
        expired = row.expired_on(self.today) or row.quarantined
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_STATUS:
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if expired
                else QStyle.StandardPixmap.SP_DialogApplyButton
            )
            return QApplication.style().standardIcon(icon)
        if role == Qt.ItemDataRole.ForegroundRole and expired:
            return QBrush(qtone("error"))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


__all__ = ["LotTableModel", "ProductTableModel"]
