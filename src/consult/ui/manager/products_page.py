"""The product list for managers: products, their lots, and the forms to add them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import LotInfo, ProductInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import products as product_service
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.forms import FieldForm, to_date
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import qtone

ACCREDITATIONS = (
    "AABB accredited",
    "FACT accredited",
    "GMP certificate",
    "ISO 22716 GMP certificate",
    "CE mark, ISO 13485",
)


def source_label(source: str | None) -> str:
    """A product source as people read it."""
    if source is None:
        return "—"
    for choice in knowledge().product_sources:
        if choice.id == source:
            return str(choice.label)
    return source


def treatment_name(treatment_id: str) -> str:
    """A treatment's name (its id if the knowledge base does not know it)."""
    try:
        return str(knowledge().treatment(treatment_id).name)
    except KeyError:
        return treatment_id


class ProductTableModel(RowsTableModel[ProductInfo]):
    """Read-only rows of products: name, manufacturer, source, treatment, lots in date."""

    COL_NAME, COL_MAKER, COL_SOURCE, COL_TREATMENT, COL_LOTS, COL_ACTIVE = range(6)
    HEADERS = ("Name", "Manufacturer", "Source", "Treatment", "Lots in date", "In use")

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
            return source_label(row.source)
        if column == self.COL_TREATMENT:
            return treatment_name(row.treatment_id)
        if column == self.COL_LOTS:
            usable = len(product_service.usable_lots(row, self.today))
            return f"{usable} of {len(row.lots)}"
        return self.tr("Yes") if row.active else self.tr("No (withdrawn)")  # COL_ACTIVE

    def extra(self, row: ProductInfo, column: int, role: int) -> Any:
        return row.id if role == Qt.ItemDataRole.UserRole else None


class LotTableModel(RowsTableModel[LotInfo]):
    """The lots of one product; an expired lot says so in words, with an icon and colour."""

    COL_LOT, COL_EXPIRY, COL_STATUS, COL_SUPPLIER, COL_ACCREDITATION = range(5)
    HEADERS = ("Lot", "Expiry", "Status", "Supplier", "Supplier accreditation")

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
            expired = row.expired_on(self.today)
            return self.tr("Expired: cannot be used") if expired else self.tr("In date")
        if column == self.COL_SUPPLIER:
            return row.supplier
        return row.supplier_accreditation  # COL_ACCREDITATION

    def extra(self, row: LotInfo, column: int, role: int) -> Any:
        expired = row.expired_on(self.today)
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


class ProductDialog(QDialog):
    """Add a product, or edit one (name, manufacturer, source, treatment, in use)."""

    def __init__(
        self, session: AppSession, product: ProductInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.original = product
        self.result_product: ProductInfo | None = None
        self.setWindowTitle(self.tr("Edit product") if product else self.tr("Add a product"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = FieldForm()
        self.name = QLineEdit(self)
        self.form.add_field("name", self.tr("&Name"), self.name, self)
        self.manufacturer = QLineEdit(self)
        self.form.add_field("manufacturer", self.tr("&Manufacturer"), self.manufacturer, self)
        self.treatment = QComboBox(self)
        for treatment in knowledge().treatments:
            self.treatment.addItem(treatment.name, treatment.id)
        self.form.add_field("treatment_id", self.tr("&Treatment"), self.treatment, self)
        self.source = QComboBox(self)
        self.form.add_field("source", self.tr("S&ource"), self.source, self)
        self.active = QCheckBox(self.tr("In &use (offered in consultations)"), self)
        self.active.setChecked(True)
        self.active.setAccessibleName(self.tr("In use"))
        self.form.add_field("active", self.tr("Status"), self.active, self)
        self.active.setEnabled(product is not None)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.treatment.currentIndexChanged.connect(self._fill_sources)
        if product is not None:
            self.name.setText(product.name)
            self.manufacturer.setText(product.manufacturer)
            self.treatment.setCurrentIndex(max(0, self.treatment.findData(product.treatment_id)))
            self.active.setChecked(product.active)
        self._fill_sources()
        if product is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(product.source)))

    def _fill_sources(self) -> None:
        """Offer the sources the chosen treatment allows (or none, where it has none)."""
        current = self.source.currentData()
        self.source.clear()
        treatment_id = self.treatment.currentData()
        try:
            allowed = knowledge().treatment(treatment_id).product_sources
        except KeyError:
            allowed = ()
        if not allowed:
            self.source.addItem(self.tr("Not applicable"), None)
        for choice in knowledge().product_sources:
            if choice.id in allowed:
                self.source.addItem(choice.label, choice.id)
        self.source.setCurrentIndex(max(0, self.source.findData(current)))

    @classmethod
    def ask(
        cls, session: AppSession, product: ProductInfo | None, parent: QWidget | None
    ) -> ProductInfo | None:
        """Show the dialog; the saved product, or None if cancelled (tests replace this)."""
        dialog = cls(session, product, parent)
        dialog.exec()
        return dialog.result_product

    def save(self) -> None:
        """Save through the products service; a refusal is shown at its field."""
        self.form.clear_errors()
        self.error.clear_error()
        values: dict[str, Any] = {
            "name": self.name.text(),
            "manufacturer": self.manufacturer.text(),
            "source": self.source.currentData(),
            "treatment_id": str(self.treatment.currentData() or ""),
        }
        try:
            if self.original is None:
                saved = product_service.add_product(self.session.ctx, **values)
            else:
                saved = product_service.update_product(
                    self.session.ctx,
                    self.original.id,
                    self.original.version,
                    active=self.active.isChecked(),
                    **values,
                )
        except ValidationError as exc:
            if not self.form.show_error(exc.field, exc.message):
                self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.result_product = saved
        self.accept()


class LotDialog(QDialog):
    """Record a lot of a product: number, expiry, supplier and its accreditation."""

    def __init__(
        self, session: AppSession, product: ProductInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.product = product
        self.result_lot: LotInfo | None = None
        self.setWindowTitle(self.tr("Add a lot of %s") % product.name)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Product: %s") % product.name, self))
        self.form = FieldForm()
        self.lot_number = QLineEdit(self)
        self.form.add_field("lot_number", self.tr("&Lot (batch) number"), self.lot_number, self)
        self.expiry = QDateEdit(self)
        self.expiry.setDisplayFormat("yyyy-MM-dd")
        self.expiry.setCalendarPopup(True)
        self.expiry.setMinimumDate(QDate(2000, 1, 1))
        self.expiry.setDate(QDate.currentDate().addYears(1))
        self.form.add_field("expiry_date", self.tr("&Expiry date"), self.expiry, self)
        self.supplier = QLineEdit(self)
        self.supplier.setText(product.manufacturer)
        self.form.add_field("supplier", self.tr("Su&pplier"), self.supplier, self)
        self.accreditation = QComboBox(self)
        self.accreditation.setEditable(True)
        self.accreditation.addItems(list(ACCREDITATIONS))
        self.accreditation.setCurrentIndex(-1)
        self.accreditation.setEditText("")
        self.accreditation.lineEdit().setPlaceholderText(
            self.tr("For example AABB, FACT or a GMP certificate")
        )
        self.form.add_field(
            "supplier_accreditation",
            self.tr("Supplier &accreditation"),
            self.accreditation,
            self,
        )
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls, session: AppSession, product: ProductInfo, parent: QWidget | None
    ) -> LotInfo | None:
        """Show the dialog; the saved lot, or None if cancelled (tests replace this)."""
        dialog = cls(session, product, parent)
        dialog.exec()
        return dialog.result_lot

    def save(self) -> None:
        """Save through the products service; a refusal is shown at its field."""
        self.form.clear_errors()
        self.error.clear_error()
        try:
            saved = product_service.add_lot(
                self.session.ctx,
                self.product.id,
                lot_number=self.lot_number.text(),
                expiry_date=to_date(self.expiry.date()),
                supplier=self.supplier.text(),
                supplier_accreditation=self.accreditation.currentText(),
            )
        except ValidationError as exc:
            if not self.form.show_error(exc.field, exc.message):
                self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.result_lot = saved
        self.accept()


class ProductsPage(QWidget):
    """Managers keep the products and lots that practitioners choose from."""

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Products and lots"), self))
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add product…"), self)
        self.edit_button = QPushButton(self.tr("&Edit product…"), self)
        self.lot_button = QPushButton(self.tr("Add l&ot…"), self)
        for button in (self.add_button, self.edit_button, self.lot_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = ProductTableModel(self)
        self.table = self._table(self.model, self.tr("Products"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ProductTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 3)
        self.lots_label = QLabel(self.tr("Lots"), self)
        layout.addWidget(self.lots_label)
        self.lot_model = LotTableModel(self)
        self.lots = self._table(self.lot_model, self.tr("Lots of the selected product"))
        self.lots.horizontalHeader().setSectionResizeMode(
            LotTableModel.COL_ACCREDITATION, QHeaderView.ResizeMode.Stretch
        )
        layout.addWidget(self.lots, 2)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Product list status"))
        layout.addWidget(self.status)
        self.runner = LatestOnly(self)
        self.add_button.clicked.connect(self.add_product)
        self.edit_button.clicked.connect(self.edit_product)
        self.lot_button.clicked.connect(self.add_lot)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.activated.connect(lambda _index: self.edit_product())
        self._keep: int | None = None
        self._selected()

    def _table(self, model: QAbstractTableModel, name: str) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def current(self) -> ProductInfo | None:
        """The selected product."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.product(rows[0].row()) if rows else None

    def _selected(self) -> None:
        product = self.current()
        self.edit_button.setEnabled(product is not None)
        self.lot_button.setEnabled(product is not None)
        self.lot_model.set_rows(product.lots if product else ())
        self.lots_label.setText(
            self.tr("Lots of %s") % product.name if product else self.tr("Lots")
        )

    def refresh(self, keep: int | None = None) -> None:
        """Reload the products off the GUI thread; ``keep`` selects a product afterwards."""
        current = self.current()
        self._keep = keep if keep is not None else (current.id if current else None)
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(lambda: product_service.list_products(ctx), self._show, self._fail)

    def _show(self, rows: list[ProductInfo]) -> None:
        self.model.set_rows(rows)
        row = self.model.row_of(lambda product: product.id == self._keep)
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._selected()
        self.status.setText(self.tr("%n product(s)", "", len(rows)))
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("The products could not be loaded: ") + str(exc))

    def add_product(self) -> None:
        """Add a product."""
        saved = ProductDialog.ask(self.session, None, self)
        if saved is not None:
            self.refresh(saved.id)

    def edit_product(self) -> None:
        """Edit the selected product."""
        product = self.current()
        if product is None:
            return
        saved = ProductDialog.ask(self.session, product, self)
        if saved is not None:
            self.refresh(saved.id)

    def add_lot(self) -> None:
        """Record a lot of the selected product."""
        product = self.current()
        if product is None:
            return
        lot = LotDialog.ask(self.session, product, self)
        if lot is not None:
            self.refresh(product.id)
