"""Adding or editing a product, and recording a lot of one: the forms managers fill in
on the products page. Each saves through the products service off the GUI thread (see
:class:`SavingDialog`); a refusal is shown at the field it is about."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import LotInfo, ProductInfo
from consult.store.services import products as product_service
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import knowledge_label, treatment_name
from consult.ui.widgets.forms import FieldForm, to_date
from consult.ui.widgets.saving_dialog import SavingDialog, show_refusal
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

ACCREDITATIONS = (
    QT_TRANSLATE_NOOP("LotDialog", "AABB accredited"),
    QT_TRANSLATE_NOOP("LotDialog", "FACT accredited"),
    QT_TRANSLATE_NOOP("LotDialog", "GMP certificate"),
    QT_TRANSLATE_NOOP("LotDialog", "ISO 22716 GMP certificate"),
    QT_TRANSLATE_NOOP("LotDialog", "CE mark, ISO 13485"),
)
"""Accreditations a supplier commonly holds, offered in the lot form in the desk's
language (any other may be typed; the text chosen is stored as it reads)."""


def accreditation_texts() -> list[str]:
    """The accreditations offered, in the interface language."""
    return [QCoreApplication.translate("LotDialog", text) for text in ACCREDITATIONS]


class ProductDialog(SavingDialog):
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
            self.treatment.addItem(treatment_name(treatment.id), treatment.id)
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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
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
                self.source.addItem(knowledge_label("product_source", choice.id), choice.id)
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
        if self.is_saving():
            return
        self.form.clear_errors()
        self.error.clear_error()
        values: dict[str, Any] = {
            "name": self.name.text(),
            "manufacturer": self.manufacturer.text(),
            "source": self.source.currentData(),
            "treatment_id": str(self.treatment.currentData() or ""),
        }
        ctx, original, active = self.session.ctx, self.original, self.active.isChecked()
        if original is None:
            self.save_with(
                lambda: product_service.add_product(ctx, **values), self._saved, self._refused
            )
        else:
            self.save_with(
                lambda: product_service.update_product(
                    ctx, original.id, original.version, active=active, **values
                ),
                self._saved,
                self._refused,
            )

    def _saved(self, product: ProductInfo) -> None:
        self.result_product = product

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error, self.form)


class LotDialog(SavingDialog):
    """Record a lot of a product: number, expiry, supplier and its accreditation."""

    def __init__(
        self, session: AppSession, product: ProductInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.product = product
        self.result_lot: LotInfo | None = None
        self.setWindowTitle(self.tr("Add a lot of %1").replace("%1", product.name))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Product: %1").replace("%1", product.name), self))
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
        self.accreditation.addItems(accreditation_texts())
        self.accreditation.setCurrentIndex(-1)
        self.accreditation.setEditText("")
        editor = self.accreditation.lineEdit()
        assert editor is not None  # the box is editable
        editor.setPlaceholderText(self.tr("For example AABB, FACT or a GMP certificate"))
        self.form.add_field(
            "supplier_accreditation",
            self.tr("Supplier &accreditation"),
            self.accreditation,
            self,
        )
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

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
        if self.is_saving():
            return
        self.form.clear_errors()
        self.error.clear_error()
        ctx, product_id = self.session.ctx, self.product.id
        lot_number, supplier = self.lot_number.text(), self.supplier.text()
        expiry, accreditation = to_date(self.expiry.date()), self.accreditation.currentText()
        self.save_with(
            lambda: product_service.add_lot(
                ctx,
                product_id,
                lot_number=lot_number,
                expiry_date=expiry,
                supplier=supplier,
                supplier_accreditation=accreditation,
            ),
            self._saved,
            self._refused,
        )

    def _saved(self, lot: LotInfo) -> None:
        self.result_lot = lot

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error, self.form)


__all__ = ["ACCREDITATIONS", "LotDialog", "ProductDialog", "accreditation_texts"]
