"""Step 1 of a consultation: the treatments planned, each with its route, product and lot.

Only lots in date on the consultation day can be chosen; a product with none says why,
at its row, so that the practitioner knows a manager must record a lot.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.dto import LotInfo, ProductInfo
from consult.store.services import products as product_service
from consult.ui.consultation.styles import product_source, scrolled
from consult.ui.shell.language import current_language
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.placeholders import fill


class TreatmentRow(QFrame):
    """One planned treatment: treatment, route, product and lot (only lots in date)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        number: int,
        kb: KnowledgeBase,
        products: Sequence[ProductInfo],
        day: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kb = kb
        self.products = products
        self.day = day
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        grid.addWidget(self.title, 0, 0, 1, 4)
        self.treatment = QComboBox(self)
        self.treatment.addItem(self.tr("Choose a treatment…"), None)
        names = kb.texts(current_language())  # the desk's language
        for treatment in kb.treatments:
            self.treatment.addItem(names.label("treatment", treatment.id).text, treatment.id)
        self.route = QComboBox(self)
        self.product = QComboBox(self)
        self.lot = QComboBox(self)
        self.labels: list[QLabel] = []
        self._texts: list[tuple[QLabel | QPushButton, str]] = []
        for column, (text, widget) in enumerate(
            (
                (self.tr("Treat&ment"), self.treatment),
                (self.tr("Rout&e"), self.route),
                (self.tr("Pro&duct"), self.product),
                (self.tr("L&ot"), self.lot),
            )
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self.labels.append(label)
            self._texts.append((label, text))
            grid.addWidget(label, 1, column)
            grid.addWidget(widget, 2, column)
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(14)
            grid.setColumnStretch(column, 1)
        self.remove = QPushButton(self.tr("Remo&ve"), self)
        self._texts.append((self.remove, self.remove.text()))
        grid.addWidget(self.remove, 2, 4)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName(self.tr("Product details"))
        grid.addWidget(self.detail, 3, 0, 1, 5)
        self.error = ErrorLabel(self)
        grid.addWidget(self.error, 4, 0, 1, 5)
        self.set_number(number)
        self.treatment.currentIndexChanged.connect(self._treatment_changed)
        self.route.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.product.currentIndexChanged.connect(self._product_changed)
        self.lot.currentIndexChanged.connect(self._lot_changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._treatment_changed()

    def set_number(self, number: int) -> None:
        """Renumber the row (after another is removed)."""
        self.number = number
        self.title.setText(self.tr("Treatment %1").replace("%1", str(number)))
        # Alt+M, Alt+E… go to the first treatment's fields: one key, one field.
        for labelled, text in self._texts:
            labelled.setText(text if number == 1 else text.replace("&", ""))
        for widget, name in (
            (self.treatment, self.tr("Treatment %1")),
            (self.route, self.tr("Route for treatment %1")),
            (self.product, self.tr("Product for treatment %1")),
            (self.lot, self.tr("Lot for treatment %1")),
            (self.remove, self.tr("Remove treatment %1")),
        ):
            widget.setAccessibleName(name.replace("%1", str(number)))

    def _treatment_changed(self) -> None:
        treatment_id = self.treatment.currentData()
        self.route.blockSignals(True)
        self.route.clear()
        if treatment_id is not None:
            for route_id in self.kb.treatment(treatment_id).routes:
                name = self.kb.texts(current_language()).label("route", route_id).text
                self.route.addItem(name, route_id)
        self.route.setEnabled(self.route.count() > 0)
        self.route.blockSignals(False)
        self.product.blockSignals(True)
        self.product.clear()
        offered = [p for p in self.products if p.treatment_id == treatment_id and p.active]
        if treatment_id is None:
            self.product.addItem(self.tr("Choose a treatment first"), None)
        elif not offered:
            self.product.addItem(self.tr("No product recorded for this treatment"), None)
        else:
            self.product.addItem(self.tr("Choose a product…"), None)
            for product in offered:
                self.product.addItem(f"{product.name} ({product.manufacturer})", product.id)
        self.product.setEnabled(bool(offered))
        self.product.blockSignals(False)
        self._product_changed()

    def _product(self) -> ProductInfo | None:
        product_id = self.product.currentData()
        return next((p for p in self.products if p.id == product_id), None)

    def usable_lots(self) -> list[LotInfo]:
        """The lots that may be chosen for the chosen product (not past their expiry)."""
        product = self._product()
        return product_service.usable_lots(product, self.day) if product else []

    def _product_changed(self) -> None:
        product = self._product()
        lots = self.usable_lots()
        self.lot.blockSignals(True)
        self.lot.clear()
        if product is None:
            self.lot.addItem(self.tr("Choose a product first"), None)
        elif not lots:
            self.lot.addItem(self.tr("No lot in date"), None)
        else:
            self.lot.addItem(self.tr("Choose a lot…"), None)
            for lot in sorted(lots, key=lambda lot: lot.expiry_date):
                self.lot.addItem(
                    fill(self.tr("%1 (expires %2)"), lot.lot_number, lot.expiry_date.isoformat()),
                    lot.id,
                )
            if len(lots) == 1:
                self.lot.setCurrentIndex(1)
        self.lot.setEnabled(bool(lots))
        self.lot.blockSignals(False)
        self.error.clear_error()
        if product is not None and not lots:
            expired = len(product.lots)
            self.error.show_error(
                self.tr(
                    "Every lot of this product has expired (%1 recorded): "
                    "a manager must record a lot in date."
                ).replace("%1", str(expired))
                if expired
                else self.tr("No lot of this product is recorded: a manager must add one.")
            )
        self._lot_changed()

    def _lot_changed(self) -> None:
        product = self._product()
        lot = next((lot for lot in self.usable_lots() if lot.id == self.lot.currentData()), None)
        parts = []
        if product is not None:
            parts.append(
                self.tr("Source: %1").replace("%1", product_source(self.kb, product.source))
            )
        if lot is not None:
            parts.append(self.tr("Supplier: %1").replace("%1", lot.supplier or "—"))
            parts.append(self.tr("Accreditation: %1").replace("%1", lot.supplier_accreditation))
        self.detail.setText(" · ".join(parts))
        self.detail.setVisible(bool(parts))
        self.changed.emit()

    def value(self) -> dict[str, Any]:
        """The row in the form ``consultations.save`` takes (None where not chosen)."""
        return {
            "id": self.treatment.currentData(),
            "route": self.route.currentData(),
            "product_id": self.product.currentData(),
            "lot_id": self.lot.currentData(),
        }

    def complete(self) -> bool:
        """Whether every part of the row is chosen."""
        return all(value is not None for value in self.value().values())

    def set_value(self, entry: Mapping[str, Any]) -> None:
        """Fill the row from a saved treatment."""
        for combo, key in (
            (self.treatment, "id"),
            (self.route, "route"),
            (self.product, "product_id"),
            (self.lot, "lot_id"),
        ):
            index = combo.findData(entry.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)

    def show_error(self, field: str, message: str) -> None:
        """Show a message about ``field`` (id, route, product_id, lot_id) and focus it."""
        widget = {
            "id": self.treatment,
            "route": self.route,
            "product_id": self.product,
            "lot_id": self.lot,
        }.get(field, self.treatment)
        self.error.show_error(message)
        widget.setFocus()


class TreatmentsPage(QWidget):
    """Step 1: one or more treatments, each with route, product and lot."""

    changed = Signal()

    def __init__(self, kb: KnowledgeBase, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.day = day
        self.products: list[ProductInfo] = []
        self.rows: list[TreatmentRow] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("1. Treatments"), self))
        intro = QLabel(
            self.tr(
                "Plan each treatment with its route, product and lot. Only lots in date "
                "on the consultation day (%1) can be chosen."
            ).replace("%1", day.isoformat()),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.content = QWidget(self)
        self.rows_layout = QVBoxLayout(self.content)
        self.rows_layout.addStretch(1)
        layout.addWidget(scrolled(self.content, self), 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add treatment"), self)
        self.add_button.setAccessibleName(self.tr("Add treatment"))
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self._add_clicked)

    def _add_clicked(self) -> None:
        row = self.add_row()
        row.treatment.setFocus()

    def add_row(self, entry: Mapping[str, Any] | None = None) -> TreatmentRow:
        """Add a treatment row (filled from ``entry`` if given)."""
        row = TreatmentRow(len(self.rows) + 1, self.kb, self.products, self.day, self.content)
        if entry is not None:
            row.set_value(entry)
        self.rows_layout.insertWidget(len(self.rows), row)
        row.show()  # at once, so that focus and tab order work before events are processed
        self.rows.append(row)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        self._fix_tab_order()
        self.error.clear_error()
        self.changed.emit()
        return row

    def remove_row(self, row: TreatmentRow) -> None:
        """Remove a treatment row."""
        index = self.rows.index(row)
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        for number, other in enumerate(self.rows, start=1):
            other.set_number(number)
        self._fix_tab_order()
        target = self.rows[min(index, len(self.rows) - 1)].treatment if self.rows else None
        (target or self.add_button).setFocus()
        self.changed.emit()

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = []
        for row in self.rows:
            chain += [row.treatment, row.route, row.product, row.lot, row.remove]
        chain.append(self.add_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def set_treatments(
        self, products: Sequence[ProductInfo], treatments: Sequence[Mapping[str, Any]]
    ) -> None:
        """Fill the page from the product list and the saved treatments."""
        self.products = list(products)
        for row in list(self.rows):
            self.rows.remove(row)
            row.deleteLater()
        for entry in treatments:
            self.add_row(entry)
        if not self.rows:
            self.add_row()

    def planned_ids(self) -> list[str]:
        """The treatments chosen on the page, complete rows or not, in row order."""
        chosen = (row.treatment.currentData() for row in self.rows)
        return list(dict.fromkeys(str(t) for t in chosen if t is not None))

    def treatments(self, complete_only: bool = False) -> list[tuple[TreatmentRow, dict[str, Any]]]:
        """The rows and their values (only the fully chosen ones if ``complete_only``)."""
        return [(row, row.value()) for row in self.rows if row.complete() or not complete_only]

    def clear_errors(self) -> None:
        """Hide every message on the page."""
        self.error.clear_error()
        for row in self.rows:
            if row.usable_lots() or row.value()["product_id"] is None:
                row.error.clear_error()
