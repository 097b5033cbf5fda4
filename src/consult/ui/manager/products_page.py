"""The product list for managers: products and their lots (the tables are
:mod:`.product_tables`, the forms :mod:`.product_dialogs`); a lot is quarantined and
released here, with the reason."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import LotInfo, ProductInfo
from consult.store.services import products as product_service
from consult.ui.manager.product_dialogs import LotDialog, ProductDialog
from consult.ui.manager.product_tables import LotTableModel, ProductTableModel
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import heading
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly, run_write


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
        self.quarantine_button = QPushButton(self.tr("&Quarantine lot…"), self)
        for button in (self.add_button, self.edit_button, self.lot_button, self.quarantine_button):
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
        self.quarantine_button.clicked.connect(self.quarantine_or_release)
        self.lots.selectionModel().selectionChanged.connect(self._lot_selected)
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
            self.tr("Lots of %1").replace("%1", product.name) if product else self.tr("Lots")
        )
        self._lot_selected()

    def current_lot(self) -> LotInfo | None:
        """The selected lot of the selected product."""
        rows = self.lots.selectionModel().selectedRows()
        return self.lot_model.lot(rows[0].row()) if rows else None

    def _lot_selected(self) -> None:
        lot = self.current_lot()
        text = (
            self.tr("&Release lot…")
            if lot is not None and lot.quarantined
            else self.tr("&Quarantine lot…")
        )
        self.quarantine_button.setText(text)
        self.quarantine_button.setAccessibleName(text.replace("&", "").rstrip("…"))
        self.quarantine_button.setEnabled(lot is not None)

    def quarantine_or_release(self) -> None:
        """Quarantine the selected lot, or release it, with the reason (a write off the GUI
        thread; audited). A quarantined lot cannot be chosen anywhere until released."""
        product, lot = self.current(), self.current_lot()
        if product is None or lot is None:
            return
        if lot.quarantined:
            reason = ReasonDialog.ask(
                self,
                self.tr("Release lot %1").replace("%1", lot.lot_number),
                self.tr("Why may lot %1 be used again?").replace("%1", lot.lot_number),
            )
        else:
            reason = ReasonDialog.ask(
                self,
                self.tr("Quarantine lot %1").replace("%1", lot.lot_number),
                self.tr(
                    "Why is lot %1 taken out of use? It cannot be chosen for a treatment, "
                    "and consultations that planned it cannot be screened or consented, "
                    "until it is released."
                ).replace("%1", lot.lot_number),
            )
        if reason is None:
            return
        ctx, release = self.session.ctx, lot.quarantined
        run_write(
            lambda: (product_service.release_lot if release else product_service.quarantine_lot)(
                ctx, lot.id, reason
            ),
            lambda _lot: self.refresh(product.id),
            self._fail,
            busy=self.quarantine_button,
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
        self.status.setText(self.tr("The products could not be loaded: ") + refusal_text(exc))

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
