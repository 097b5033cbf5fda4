"""The consultation: treatments, intake, screening and summary, saved as it goes.

One page per step with Back and Next. Every page change and (debounced) every answer
change is saved through ``consultations.save``, so a draft survives closing the app or
a crash and reopens at the saved step. Answers are held in the intake exchange format
(docs/clinical-knowledge.md): "yes"/"no"/"unsure", lists of value ids, ISO dates or None
(never), and strings.

The intake shows only the questions asked for the planned treatments and the answers so
far; a question asked for one treatment (G6PD deficiency for IV vitamin C) appears when
that treatment is planned and vanishes when it is removed, keeping its answer in its
widget in case the treatment comes back. Only the answers to questions asked for the
saved treatments are saved. A draft screened under another rule set than the one
loaded is screened again when it is reopened, with a notice saying so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.domain.review import (
    MIN_JUSTIFICATION,
    TreatmentReview,
    decision_for,
    justification_problem,
)
from consult.store.dto import ConsultationInfo, LotInfo, PatientInfo, ProductInfo
from consult.store.errors import ConflictError, StoreError, ValidationError
from consult.store.services import consultations as consultation_service
from consult.store.services import products as product_service
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, first_mnemonics_only, heading
from consult.ui.widgets.forms import to_date, to_qdate
from consult.ui.widgets.reflow import ColumnFlowLayout, WrapCheckBox, WrapRadioButton
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import style_with_tones

PAGES = ("treatments", "intake", "screening", "summary")
_TREATMENT_FIELD = re.compile(r"^treatments\[(\d+)\]\.(\w+)$")

# Severity and status are shown by icon, words and colour together, never colour alone;
# the colour is a tone (consult.ui.widgets.tones), lighter on a dark palette.
SEVERITY_STYLE: Mapping[str, tuple[QStyle.StandardPixmap, str, str]] = {
    "absolute": (
        QStyle.StandardPixmap.SP_MessageBoxCritical,
        "Absolute contraindication",
        "error",
    ),
    "relative": (
        QStyle.StandardPixmap.SP_MessageBoxWarning,
        "Relative contraindication",
        "warning",
    ),
    "caution": (QStyle.StandardPixmap.SP_MessageBoxInformation, "Caution", "info"),
}
STATUS_STYLE: Mapping[str, tuple[QStyle.StandardPixmap, str, str]] = {
    "blocked": (
        QStyle.StandardPixmap.SP_MessageBoxCritical,
        "Blocked: cannot go on to consent in this consultation",
        "error",
    ),
    "clarify": (
        QStyle.StandardPixmap.SP_MessageBoxQuestion,
        "Needs clarifying: answers are missing or unsure",
        "question",
    ),
    "needs_decision": (
        QStyle.StandardPixmap.SP_MessageBoxWarning,
        "Needs your decision on the findings below",
        "warning",
    ),
    "ready": (
        QStyle.StandardPixmap.SP_DialogApplyButton,
        "Ready for consent",
        "ok",
    ),
}


def icon_text(
    pixmap: QStyle.StandardPixmap, text: str, colour: str, parent: QWidget, bold: bool = True
) -> QWidget:
    """An icon followed by words in the tone ``colour`` (the words carry the meaning)."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    icon = QLabel(box)
    icon.setPixmap(QApplication.style().standardIcon(pixmap).pixmap(20, 20))
    icon.setAccessibleName(text)
    label = QLabel(text, box)
    label.setWordWrap(True)
    style_with_tones(label, f"color: ${colour};" + (" font-weight: bold;" if bold else ""))
    label.setAccessibleName(text)
    row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    box.setObjectName("icon_text")
    box.setProperty("text", text)
    return box


def when(stamp: str) -> str:
    """A stored UTC time stamp as local time."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def _scroll(content: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area


# --- 1. Treatments ---------------------------------------------------------------------


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
        for treatment in kb.treatments:
            self.treatment.addItem(treatment.name, treatment.id)
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
        self.title.setText(self.tr("Treatment %d") % number)
        # Alt+M, Alt+E… go to the first treatment's fields: one key, one field.
        for widget, text in self._texts:
            widget.setText(text if number == 1 else text.replace("&", ""))
        for widget, name in (
            (self.treatment, self.tr("Treatment %d")),
            (self.route, self.tr("Route for treatment %d")),
            (self.product, self.tr("Product for treatment %d")),
            (self.lot, self.tr("Lot for treatment %d")),
            (self.remove, self.tr("Remove treatment %d")),
        ):
            widget.setAccessibleName(name % number)

    def _treatment_changed(self) -> None:
        treatment_id = self.treatment.currentData()
        self.route.blockSignals(True)
        self.route.clear()
        if treatment_id is not None:
            for route_id in self.kb.treatment(treatment_id).routes:
                self.route.addItem(self.kb.route(route_id).label, route_id)
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
                    self.tr("%s (expires %s)") % (lot.lot_number, lot.expiry_date.isoformat()),
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
                    "Every lot of this product has expired (%d recorded): "
                    "a manager must record a lot in date."
                )
                % expired
                if expired
                else self.tr("No lot of this product is recorded: a manager must add one.")
            )
        self._lot_changed()

    def _lot_changed(self) -> None:
        product = self._product()
        lot = next((lot for lot in self.usable_lots() if lot.id == self.lot.currentData()), None)
        parts = []
        if product is not None:
            parts.append(self.tr("Source: %s") % _source_label(self.kb, product.source))
        if lot is not None:
            parts.append(self.tr("Supplier: %s") % (lot.supplier or "—"))
            parts.append(self.tr("Accreditation: %s") % lot.supplier_accreditation)
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


def _bound_dates(edit: QDateEdit, first: dt.date | None, last: dt.date | None) -> None:
    # A date answer lies between the birth and the consultation day (the service refuses
    # anything else); the day shown first is the consultation day.
    if first is not None and (last is None or first <= last):
        edit.setMinimumDate(to_qdate(first))
    if last is not None:
        edit.setMaximumDate(to_qdate(last))
        edit.setDate(to_qdate(last))


def _source_label(kb: KnowledgeBase, source: str | None) -> str:
    if source is None:
        return "not applicable"
    return next((c.label for c in kb.product_sources if c.id == source), source)


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
                "on the consultation day (%s) can be chosen."
            )
            % day.isoformat(),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.content = QWidget(self)
        self.rows_layout = QVBoxLayout(self.content)
        self.rows_layout.addStretch(1)
        layout.addWidget(_scroll(self.content, self), 1)
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


# --- 2. Intake -------------------------------------------------------------------------


class QuestionWidget(QFrame):
    """One question, its help, its input (by answer type) and a message line.

    The keyboard works as in a native form: Tab goes from question to question (one stop
    each: the answer chosen, or the first choice; "None of these" first in a list of
    boxes), the arrow keys choose within a question, and single keys answer it and move
    on: Y, N or U (yes, no, not sure), N for "None of these" or "Never", D for a date,
    1 to 9 for the choices of a list. :attr:`advance` asks for the next question.
    """

    changed = Signal(str)  # question id
    advance = Signal(str)  # question id: answered from the keyboard, go on to the next

    YN_LABELS: Mapping[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
    YN_KEYS: Mapping[int, str] = {
        Qt.Key.Key_Y: "yes",
        Qt.Key.Key_N: "no",
        Qt.Key.Key_U: "unsure",
    }

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName("question")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel(question.label, self)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        if question.help:
            help_label = QLabel(question.help, self)
            help_label.setWordWrap(True)
            style_with_tones(help_label, "color: $muted;")
            layout.addWidget(help_label)
        self.inputs: list[QWidget] = []
        self.choices: list[QAbstractButton] = []  # what the arrow keys move between
        self.group: QButtonGroup | None = None
        self.none_box: QCheckBox | None = None
        self.boxes: dict[str, QCheckBox] = {}
        self.flow: ColumnFlowLayout | None = None
        self.date_edit: QDateEdit | None = None
        self.line: QLineEdit | None = None
        kind = question.type
        if kind in ("yn", "ynu"):
            self._radios(
                [(v, self.tr(self.YN_LABELS[v])) for v in question.value_ids], layout, True
            )
        elif kind == "one":
            pairs = [(c.id, c.label) for c in question.values]
            self._radios(pairs, layout, all(len(label) < 24 for _, label in pairs))
        elif kind == "multi":
            self._checkboxes(layout)
        elif kind == "date":
            self._date(layout)
        else:
            self.line = QLineEdit(self)
            self.line.setAccessibleName(question.label)
            self.line.textChanged.connect(lambda _text: self._emit())
            self.label.setBuddy(self.line)
            self.inputs.append(self.line)
            layout.addWidget(self.line)
        for choice in self.choices:
            choice.installEventFilter(self)
        self._update_tab_stop()
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.highlighted = False

    def _radios(self, pairs: list[tuple[str, str]], layout: QVBoxLayout, across: bool) -> None:
        box = QWidget(self)
        row: QHBoxLayout | QVBoxLayout = QHBoxLayout(box) if across else QVBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for value, text in pairs:
            button = QRadioButton(text, box) if across else WrapRadioButton(text, box)
            button.setProperty("value", value)
            button.setAccessibleName(f"{self.question.label} {text}")
            self.group.addButton(button)
            row.addWidget(button)
            self.inputs.append(button)
            self.choices.append(button)
        if across:
            row.addStretch(1)
        self.group.buttonToggled.connect(self._radio_toggled)
        layout.addWidget(box)

    def _radio_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_tab_stop()
            self._emit()

    def _checkboxes(self, layout: QVBoxLayout) -> None:
        box = QWidget(self)
        self.flow = ColumnFlowLayout(box)
        # "None of these" first: one Tab reaches it, and N ticks it from anywhere in the list.
        self.none_box = WrapCheckBox(self.tr("None of these"), box)
        self.none_box.setAccessibleName(f"{self.question.label} {self.tr('None of these')}")
        self.none_box.toggled.connect(self._none_toggled)
        self.flow.addWidget(self.none_box)
        self.inputs.append(self.none_box)
        self.choices.append(self.none_box)
        for choice in self.question.values:
            check = WrapCheckBox(choice.label, box)
            check.setAccessibleName(f"{self.question.label} {choice.label}")
            check.toggled.connect(self._value_toggled)
            self.flow.addWidget(check)
            self.boxes[choice.id] = check
            self.inputs.append(check)
            self.choices.append(check)
        layout.addWidget(box)

    def _value_toggled(self, checked: bool) -> None:
        if checked and self.none_box is not None and self.none_box.isChecked():
            self.none_box.blockSignals(True)
            self.none_box.setChecked(False)
            self.none_box.blockSignals(False)
        self._emit()

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for check in self.boxes.values():
                check.blockSignals(True)
                check.setChecked(False)
                check.blockSignals(False)
        self._emit()

    def _date(self, layout: QVBoxLayout) -> None:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        never = QRadioButton(self.tr("Never"), box)
        never.setProperty("value", "never")
        never.setAccessibleName(f"{self.question.label} {self.tr('Never')}")
        on = QRadioButton(self.tr("On this date:"), box)
        on.setProperty("value", "date")
        on.setAccessibleName(f"{self.question.label} {self.tr('On a date')}")
        self.date_edit = QDateEdit(box)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setEnabled(False)
        self.date_edit.setAccessibleName(f"{self.question.label} {self.tr('Date')}")
        for button in (never, on):
            self.group.addButton(button)
            row.addWidget(button)
            self.inputs.append(button)
            self.choices.append(button)
        row.addWidget(self.date_edit)
        row.addStretch(1)
        self.inputs.append(self.date_edit)
        self.group.buttonToggled.connect(self._date_toggled)
        self.date_edit.dateChanged.connect(lambda _d: self._emit())
        layout.addWidget(box)

    def _date_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_tab_stop()
            self._date_mode()

    def _date_mode(self) -> None:
        assert self.date_edit is not None
        button = self.group.checkedButton() if self.group else None
        self.date_edit.setEnabled(button is not None and button.property("value") == "date")
        self._emit()

    # The keyboard -----------------------------------------------------------------------

    def tab_stop(self) -> QWidget | None:
        """The one choice Tab stops at: the answer chosen, else the first choice."""
        if not self.choices:
            return None
        if self.group is not None and self.group.checkedButton() is not None:
            return self.group.checkedButton()
        return self.choices[0]

    def _update_tab_stop(self) -> None:
        stop = self.tab_stop()
        for choice in self.choices:
            choice.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if choice is stop else Qt.FocusPolicy.ClickFocus
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys choose within the question; answer keys answer it and move on."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched in self.choices
            and not event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        ):
            assert isinstance(watched, QAbstractButton)
            return self._key(watched, event.key())
        return super().eventFilter(watched, event)

    def _key(self, current: QAbstractButton, key: int) -> bool:
        index = self.choices.index(current)
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
        if key in steps:
            step = steps[Qt.Key(key)]
            if self.flow is not None and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step *= self.flow.columns  # a list of boxes: up and down by rows
            target = index + step
            if self.flow is None:
                target %= len(self.choices)  # round the group, as native radio buttons go
            if 0 <= target < len(self.choices):
                self._move_to(self.choices[target])
            return True
        answer = self._answer_key(key)
        if answer is None:
            return False
        answer.setFocus()
        if not answer.isChecked():
            answer.click()
        if answer.property("value") == "date" and self.date_edit is not None:
            self.date_edit.setFocus()  # then the date is typed
        else:
            self.advance.emit(self.question.id)
        return True

    def _move_to(self, target: QAbstractButton) -> None:
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if isinstance(target, QRadioButton) and not target.isChecked():
            target.click()  # arrows select, as in a native radio group

    def _answer_key(self, key: int) -> QAbstractButton | None:
        """The choice a single key answers with, if any."""
        kind = self.question.type
        wanted: str | None = None
        if kind in ("yn", "ynu"):
            wanted = self.YN_KEYS.get(Qt.Key(key)) if key in self.YN_KEYS else None
        elif kind == "date":
            wanted = {Qt.Key.Key_N: "never", Qt.Key.Key_D: "date"}.get(Qt.Key(key))
        elif kind == "one" and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            number = key - Qt.Key.Key_1
            return self.choices[number] if number < len(self.choices) else None
        elif kind == "multi" and key == Qt.Key.Key_N:
            return self.none_box
        if wanted is None:
            return None
        return next((c for c in self.choices if c.property("value") == wanted), None)

    def _emit(self) -> None:
        if self.highlighted:
            self.set_highlight(False)
        self.error.clear_error()
        self.changed.emit(self.question.id)

    def answer(self) -> tuple[bool, Any]:
        """(answered, value): the value in the exchange format if answered."""
        kind = self.question.type
        if kind in ("yn", "ynu", "one"):
            assert self.group is not None
            button = self.group.checkedButton()
            return (False, None) if button is None else (True, str(button.property("value")))
        if kind == "multi":
            chosen = [value for value, check in self.boxes.items() if check.isChecked()]
            if chosen:
                return True, chosen
            return (True, []) if self.none_box and self.none_box.isChecked() else (False, None)
        if kind == "date":
            assert self.group is not None and self.date_edit is not None
            button = self.group.checkedButton()
            if button is None:
                return False, None
            if button.property("value") == "never":
                return True, None
            return True, to_date(self.date_edit.date()).isoformat()
        assert self.line is not None
        text = self.line.text()
        return (True, text) if text.strip() else (False, None)

    def set_answer(self, value: Any) -> None:
        """Show a saved answer (without reporting a change)."""
        for widget in (*self.inputs, self.group):
            if widget is not None:
                widget.blockSignals(True)
        try:
            self._set(value)
        finally:
            for widget in (*self.inputs, self.group):
                if widget is not None:
                    widget.blockSignals(False)
        self._update_tab_stop()

    def _set(self, value: Any) -> None:
        kind = self.question.type
        if kind in ("yn", "ynu", "one", "date"):
            assert self.group is not None
            target = value
            if kind == "date":
                target = "never" if value is None else "date"
                if value is not None and self.date_edit is not None:
                    try:
                        self.date_edit.setDate(to_qdate(dt.date.fromisoformat(str(value))))
                    except ValueError:
                        target = None
                if self.date_edit is not None:
                    self.date_edit.setEnabled(target == "date")
            for button in self.group.buttons():
                if button.property("value") == target:
                    button.setChecked(True)
        elif kind == "multi":
            values = value if isinstance(value, list) else []
            for choice_id, check in self.boxes.items():
                check.setChecked(choice_id in values)
            if self.none_box is not None:
                self.none_box.setChecked(isinstance(value, list) and not value)
        elif self.line is not None:
            self.line.setText(str(value or ""))

    def first_input(self) -> QWidget:
        """The input to focus (the chosen radio button if there is one)."""
        return self.tab_stop() or self.inputs[0]

    def set_highlight(self, on: bool, message: str = "") -> None:
        """Mark the question as one to look at again (frame, colour and words)."""
        self.highlighted = on
        style_with_tones(
            self,
            "QFrame#question { border: 2px solid $question; background: $question_bg; }"
            if on
            else "",
        )
        if on and message:
            self.error.show_error(message)
        elif not on:
            self.error.clear_error()


class IntakePage(QWidget):
    """Step 2: the questionnaire, grouped by section; questions appear as answers need them."""

    changed = Signal()

    def __init__(
        self,
        kb: KnowledgeBase,
        sex_at_birth: str,
        parent: QWidget | None = None,
        *,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        """``first_day`` and ``last_day`` bound date answers (the birth and the
        consultation day)."""
        super().__init__(parent)
        self.kb = kb
        self.sex_at_birth = sex_at_birth
        self.treatment_ids: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("2. Intake"), self))
        self.progress = QLabel(self)
        self.progress.setAccessibleName(self.tr("Questions left to answer"))
        layout.addWidget(self.progress)
        self.keys_hint = QLabel(
            self.tr(
                "Keyboard: Tab goes to the next question and the arrow keys choose within "
                "it; Y, N or U answers yes, no or not sure and moves on; in a list, N ticks "
                "“None of these” and Space ticks the box in focus."
            ),
            self,
        )
        self.keys_hint.setWordWrap(True)
        style_with_tones(self.keys_hint, "color: $muted;")
        self.keys_hint.setAccessibleName(self.tr("Keyboard"))
        layout.addWidget(self.keys_hint)
        body = QHBoxLayout()
        self.sections = QListWidget(self)
        self.sections.setAccessibleName(self.tr("Sections of the questionnaire"))
        body.addWidget(self.sections)
        content = QWidget(self)
        column = QVBoxLayout(content)
        self.groups: dict[str, QGroupBox] = {}
        self.questions: dict[str, QuestionWidget] = {}
        for section in kb.sections:
            group = QGroupBox(section.title, content)
            group.setAccessibleName(section.title)
            box = QVBoxLayout(group)
            if section.help:
                help_label = QLabel(section.help, group)
                help_label.setWordWrap(True)
                box.addWidget(help_label)
            for question in kb.questions:
                if question.section != section.id:
                    continue
                widget = QuestionWidget(question, group)
                if widget.date_edit is not None:
                    _bound_dates(widget.date_edit, first_day, last_day)
                widget.changed.connect(self._answer_changed)
                widget.advance.connect(self.focus_after)
                box.addWidget(widget)
                self.questions[question.id] = widget
            column.addWidget(group)
            self.groups[section.id] = group
            self.sections.addItem(section.title)
        column.addStretch(1)
        # As wide as the section titles, and never so wide that the questions are squeezed.
        self.sections.setMaximumWidth(
            min(220, self.sections.sizeHintForColumn(0) + 2 * self.sections.frameWidth() + 8)
        )
        self.scroll = _scroll(content, self)
        # The questions wrap to the width: nothing is ever scrolled sideways.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self.scroll, 1)
        layout.addLayout(body, 1)
        self.sections.currentRowChanged.connect(self._go_to_section)
        self.update_visibility()

    def _go_to_section(self, row: int) -> None:
        if 0 <= row < len(self.kb.sections):
            group = self.groups[self.kb.sections[row].id]
            self.scroll.verticalScrollBar().setValue(group.y())

    def raw_answers(self) -> dict[str, Any]:
        """Every question's answer as the widgets hold it (hidden ones included)."""
        answers: dict[str, Any] = {}
        for question_id, widget in self.questions.items():
            answered, value = widget.answer()
            if answered:
                answers[question_id] = value
        return answers

    def set_treatments(self, treatment_ids: Sequence[str]) -> None:
        """The planned treatments changed: show the questions asked for them.

        Answers stay in their widgets: a question that vanishes keeps its answer (not
        saved or screened while hidden) and shows it again if it comes back.
        """
        ids = tuple(dict.fromkeys(treatment_ids))
        if ids != self.treatment_ids:
            self.treatment_ids = ids
            self.update_visibility()

    def asked(self, treatment_ids: Sequence[str] | None = None) -> tuple[Question, ...]:
        """The questions asked given the answers so far, for the planned treatments (or
        for ``treatment_ids``)."""
        planned = self.treatment_ids if treatment_ids is None else treatment_ids
        return asked_questions(self.raw_answers(), self.sex_at_birth, self.kb, planned)

    def answers(self, treatment_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """The answers to the questions asked (what is saved and screened), for the
        planned treatments or for ``treatment_ids``."""
        raw = self.raw_answers()
        return {q.id: raw[q.id] for q in self.asked(treatment_ids) if q.id in raw}

    def missing(self) -> list[str]:
        """The asked questions without an answer, in questionnaire order."""
        answers = self.answers()
        return [q.id for q in self.asked() if q.id not in answers]

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        """Show saved answers."""
        for question_id, value in answers.items():
            widget = self.questions.get(question_id)
            if widget is not None:
                widget.set_answer(value)
        self.update_visibility()

    def update_visibility(self) -> None:
        """Show the questions asked, hide the others (and sections left empty)."""
        asked = {q.id for q in self.asked()}
        for question_id, widget in self.questions.items():
            widget.setVisible(question_id in asked)
        for index, section in enumerate(self.kb.sections):
            shown = any(
                question_id in asked
                for question_id, widget in self.questions.items()
                if widget.question.section == section.id
            )
            self.groups[section.id].setVisible(shown)
            item = self.sections.item(index)
            item.setHidden(not shown)
        left = len(self.missing())
        self.progress.setText(
            self.tr("Every question asked is required: %n still to answer.", "", left)
            if left
            else self.tr("Every question asked has an answer.")
        )

    def _answer_changed(self, _question_id: str) -> None:
        self.update_visibility()
        self.changed.emit()

    def show_missing(self, message: str) -> list[str]:
        """Put ``message`` next to every unanswered question; focus the first."""
        missing = self.missing()
        for question_id in missing:
            self.questions[question_id].error.show_error(message)
        if missing:
            self.focus_question(missing[0])
        return missing

    def focus_question(self, question_id: str) -> None:
        """Scroll to a question and put the keyboard focus on it."""
        widget = self.questions[question_id]
        self.scroll.ensureWidgetVisible(widget, 0, 40)
        widget.first_input().setFocus()

    def focus_after(self, question_id: str) -> None:
        """Go on to the question asked after ``question_id`` (answered from the keyboard)."""
        asked = [q.id for q in self.asked()]
        if question_id in asked and asked.index(question_id) + 1 < len(asked):
            self.focus_question(asked[asked.index(question_id) + 1])

    def highlight(self, question_ids: Sequence[str], message: str) -> None:
        """Mark questions to clarify and go to the first."""
        for widget in self.questions.values():
            if widget.highlighted:
                widget.set_highlight(False)
        for question_id in question_ids:
            if question_id in self.questions:
                self.questions[question_id].set_highlight(True, message)
        shown = [q for q in question_ids if q in self.questions]
        if shown:
            self.focus_question(shown[0])


# --- 3. Screening ----------------------------------------------------------------------


class FindingWidget(QFrame):
    """One finding: severity (icon, words, colour), message, source, and the decision."""

    decided = Signal(str, str, str)  # treatment, rule, justification

    def __init__(
        self,
        treatment: str,
        finding: Mapping[str, Any],
        decision: Mapping[str, Any] | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.treatment = treatment
        self.rule = str(finding["rule"])
        self.severity = str(finding["severity"])
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        pixmap, words, colour = SEVERITY_STYLE[self.severity]
        layout.addWidget(icon_text(pixmap, self.tr(words), colour, self))
        message = QLabel(str(finding["message"]), self)
        message.setWordWrap(True)
        message.setAccessibleName(self.tr("Finding"))
        layout.addWidget(message)
        source = QLabel(self.tr("Source: %s") % finding.get("source", ""), self)
        source.setWordWrap(True)
        style_with_tones(source, "color: $muted;")
        layout.addWidget(source)
        # Other rules raising the same finding are listed here, decided with this one.
        self.same_box = QVBoxLayout()
        layout.addLayout(self.same_box)
        self.same_rules: list[str] = []
        self.justification: QPlainTextEdit | None = None
        self.button: QPushButton | None = None
        self.error = ErrorLabel(self)
        justified = decision is not None and decision.get("kind") == "justified"
        if self.severity == "relative" and justified:
            assert decision is not None
            layout.addWidget(
                self._done(
                    self.tr("Justified by %s on %s: %s")
                    % (
                        decision.get("by_name"),
                        when(str(decision.get("at"))),
                        decision.get("justification"),
                    )
                )
            )
        elif self.severity == "relative":
            self.justification = QPlainTextEdit(self)
            self.justification.setTabChangesFocus(True)
            self.justification.setFixedHeight(64)
            self.justification.setPlaceholderText(
                self.tr("Clinical justification for going on (at least %d characters)")
                % MIN_JUSTIFICATION
            )
            self.justification.setAccessibleName(self.tr("Clinical justification"))
            layout.addWidget(self.justification)
            self.button = QPushButton(self.tr("Record &justification"), self)
            self.button.setAccessibleName(self.tr("Record justification"))
            self.button.clicked.connect(self._justify)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        elif self.severity == "caution" and decision is not None:
            layout.addWidget(
                self._done(
                    self.tr("Acknowledged by %s on %s")
                    % (decision.get("by_name"), when(str(decision.get("at"))))
                )
            )
        elif self.severity == "caution":
            self.button = QPushButton(self.tr("Ac&knowledge"), self)
            self.button.setAccessibleName(self.tr("Acknowledge caution"))
            self.button.clicked.connect(lambda: self.decided.emit(self.treatment, self.rule, ""))
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)

    def add_same(self, finding: Mapping[str, Any]) -> None:
        """Show another rule's finding on the same condition: one decision covers both."""
        self.same_rules.append(str(finding["rule"]))
        label = QLabel(
            self.tr("The same finding, also: %s (source: %s)")
            % (finding.get("message", ""), finding.get("source", "")),
            self,
        )
        label.setWordWrap(True)
        label.setAccessibleName(self.tr("The same finding from another rule"))
        self.same_box.addWidget(label)

    def _done(self, text: str) -> QLabel:
        label = QLabel("✔ " + text, self)
        label.setWordWrap(True)
        style_with_tones(label, "color: $ok;")
        label.setAccessibleName(self.tr("Decision"))
        return label

    def _justify(self) -> None:
        assert self.justification is not None
        text = self.justification.toPlainText().strip()
        problem = justification_problem(text)
        if problem is not None:
            written = self.tr(" (%d characters written so far)") % len(text)
            self.error.show_error(
                self.tr(problem) + (written if len(text) < MIN_JUSTIFICATION else "")
            )
            self.justification.setFocus()
            return
        self.decided.emit(self.treatment, self.rule, text)

    @property
    def pending(self) -> bool:
        """Whether this finding still needs a decision."""
        return self.button is not None


class TreatmentResultBox(QGroupBox):
    """One treatment's screening: where it stands, its findings, what to clarify."""

    def __init__(
        self,
        title: str,
        result: Mapping[str, Any],
        review: TreatmentReview,
        overrides: Sequence[Mapping[str, Any]],
        kb: KnowledgeBase,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.treatment = review.treatment
        self.review = review
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        pixmap, words, colour = STATUS_STYLE[review.status]
        if review.status == "ready" and not result.get("findings"):
            words = "Clear: no contraindication found. Ready for consent"
        self.status_box = icon_text(pixmap, self.tr(words), colour, self)
        self.status_text = self.tr(words)
        layout.addWidget(self.status_box)
        self.clarify_button: QPushButton | None = None
        self.clarify_text = ""
        if review.clarify:
            labels = []
            for question_id in review.clarify:
                try:
                    labels.append("• " + kb.question(question_id).label)
                except KeyError:
                    labels.append("• " + question_id)
            intro = (
                # An absolute finding blocks whatever the answers; what is open still shows.
                self.tr("Also still to clarify (the treatment stays blocked whatever the answers):")
                if review.status == "blocked"
                else self.tr("These answers are needed before this treatment can be screened:")
            )
            text = QLabel(intro + "\n" + "\n".join(labels), self)
            text.setWordWrap(True)
            text.setAccessibleName(self.tr("Questions to clarify"))
            layout.addWidget(text)
            self.clarify_text = text.text()
            self.clarify_button = QPushButton(self.tr("Go to the &questions"), self)
            self.clarify_button.setAccessibleName(self.tr("Go to the questions to clarify"))
            layout.addWidget(self.clarify_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.findings: list[FindingWidget] = []
        for finding in result.get("findings", []):
            same = next((w for w in self.findings if w.rule == finding.get("same_as")), None)
            if same is not None:
                same.add_same(finding)
                continue
            widget = FindingWidget(
                self.treatment,
                finding,
                decision_for(overrides, self.treatment, str(finding["rule"])),
                self,
            )
            layout.addWidget(widget)
            self.findings.append(widget)


class ScreeningPage(QWidget):
    """Step 3: per treatment the outcome and each finding; decisions are recorded here."""

    decided = Signal(str, str, str)  # treatment, rule, justification
    clarify_requested = Signal(object)  # question ids

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("3. Screening"), self))
        self.version = QLabel(self)
        self.version.setWordWrap(True)
        self.version.setAccessibleName(self.tr("Rule set"))
        layout.addWidget(self.version)
        self.content = QWidget(self)
        self.column = QVBoxLayout(self.content)
        self.column.addStretch(1)
        layout.addWidget(_scroll(self.content, self), 1)
        self.boxes: list[TreatmentResultBox] = []

    def show_result(self, info: ConsultationInfo, titles: Mapping[str, str]) -> None:
        """Show the stored screening of ``info`` with the decisions made on it."""
        for box in self.boxes:
            box.hide()
            box.deleteLater()
        self.boxes = []
        if info.screening is None:
            self.version.setText(self.tr("Not screened yet."))
            return
        self.version.setText(
            self.tr("Screened against rule set %s.") % (info.rule_set_version or "")[:12]
        )
        reviews = {r.treatment: r for r in consultation_service.reviews(info)}
        for index, result in enumerate(info.screening["result"]["results"]):
            treatment = str(result["treatment"])
            title = titles.get(treatment, treatment)
            with contextlib.suppress(KeyError):
                title += " — " + self.kb.route(str(result.get("route"))).label
            box = TreatmentResultBox(
                title,
                result,
                reviews[treatment],
                info.overrides,
                self.kb,
                self.content,
            )
            for finding in box.findings:
                finding.decided.connect(self.decided)
            if box.clarify_button is not None:
                ids = box.review.clarify
                box.clarify_button.clicked.connect(
                    lambda _c=False, ids=ids: self.clarify_requested.emit(ids)
                )
            self.column.insertWidget(index, box)
            self.boxes.append(box)
        # Alt+J, Alt+K and Alt+Q go to the first finding (or treatment) that has them.
        first_mnemonics_only(
            button
            for box in self.boxes
            for button in (
                box.clarify_button,
                *(finding.button for finding in box.findings),
            )
            if button is not None
        )

    def focus_first_pending(self) -> None:
        """Put the focus on the first thing still to do."""
        for box in self.boxes:
            if box.clarify_button is not None:
                box.clarify_button.setFocus()
                return
            for finding in box.findings:
                if finding.pending:
                    (finding.justification or finding.button or finding).setFocus()
                    return

    def finding(self, treatment: str, rule: str) -> FindingWidget | None:
        """The widget of one finding."""
        for box in self.boxes:
            for finding in box.findings:
                if finding.treatment == treatment and rule in (finding.rule, *finding.same_rules):
                    return finding
        return None


# --- 4. Summary ------------------------------------------------------------------------


class SummaryPage(QWidget):
    """Step 4: what goes on to consent, and what is blocked."""

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("4. Summary"), self)
        layout.addWidget(self.title)
        self.state_holder = QVBoxLayout()
        layout.addLayout(self.state_holder)
        self.state: QWidget | None = None
        self.state_text = ""
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setAccessibleName(self.tr("Summary"))
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(_scroll(self.text, self), 1)
        self.ready: list[str] = []
        self.ready_heading = self.tr("Going on to consent")
        self.blocked: list[str] = []

    def show_summary(
        self,
        info: ConsultationInfo,
        titles: Mapping[str, str],
        products: Mapping[int, ProductInfo],
    ) -> None:
        """Summarise ``info``: ready treatments with product and lot and decisions, and the
        blocked ones with why."""
        reviews = consultation_service.reviews(info)
        results = {
            r["treatment"]: r for r in (info.screening or {}).get("result", {}).get("results", [])
        }
        planned = {t["id"]: t for t in info.treatments}
        self.ready = [r.treatment for r in reviews if r.can_consent]
        self.blocked = [r.treatment for r in reviews if not r.can_consent]
        parts: list[str] = []
        if self.ready:
            parts.append("<h3>" + html.escape(self.ready_heading) + "</h3><ul>")
            for treatment in self.ready:
                entry = planned.get(treatment, {})
                product = products.get(int(entry.get("product_id", 0) or 0))
                lot = next(
                    (
                        lot
                        for lot in (product.lots if product else ())
                        if lot.id == entry.get("lot_id")
                    ),
                    None,
                )
                line = f"<li><b>{html.escape(titles.get(treatment, treatment))}</b>"
                if product is not None:
                    line += "<br>" + html.escape(
                        self.tr("Product: %s (%s), source: %s")
                        % (
                            product.name,
                            product.manufacturer,
                            _source_label(self.kb, product.source),
                        )
                    )
                if lot is not None:
                    line += "<br>" + html.escape(
                        self.tr("Lot %s, expires %s; supplier %s (%s)")
                        % (
                            lot.lot_number,
                            lot.expiry_date.isoformat(),
                            lot.supplier,
                            lot.supplier_accreditation,
                        )
                    )
                for finding in results.get(treatment, {}).get("findings", []):
                    decision = decision_for(info.overrides, treatment, finding["rule"])
                    if decision is None:
                        continue
                    words = SEVERITY_STYLE[finding["severity"]][1]
                    if decision.get("kind") == "justified":
                        detail = self.tr("%s: %s. Justified by %s on %s: “%s”") % (
                            self.tr(words),
                            str(finding["message"]).rstrip("."),
                            decision.get("by_name"),
                            when(str(decision.get("at"))),
                            decision.get("justification"),
                        )
                    else:
                        detail = self.tr("%s: %s. Acknowledged by %s on %s") % (
                            self.tr(words),
                            str(finding["message"]).rstrip("."),
                            decision.get("by_name"),
                            when(str(decision.get("at"))),
                        )
                    line += "<br>• " + html.escape(detail)
                parts.append(line + "</li>")
            parts.append("</ul>")
        if self.blocked:
            parts.append(
                "<h3>" + html.escape(self.tr("Not going on to consent (blocked)")) + "</h3><ul>"
            )
            for review in reviews:
                if review.can_consent:
                    continue
                line = f"<li><b>{html.escape(titles.get(review.treatment, review.treatment))}</b>"
                for finding in results.get(review.treatment, {}).get("findings", []):
                    if finding["rule"] in review.blocking:
                        line += "<br>✖ " + html.escape(
                            self.tr("Absolute contraindication: %s") % finding["message"]
                        )
                parts.append(line + "</li>")
            parts.append("</ul>")
        self.text.setText("".join(parts))
        if self.state is not None:
            self.state.hide()
            self.state.deleteLater()
        if self.ready:
            self.state_text = self.tr("Ready for consent: %n treatment(s)", "", len(self.ready))
            style = STATUS_STYLE["ready"]
        else:
            self.state_text = self.tr(
                "Nothing can go on to consent in this consultation: every treatment is blocked."
            )
            style = STATUS_STYLE["blocked"]
        self.state = icon_text(style[0], self.state_text, style[2], self)
        self.state_holder.addWidget(self.state)


# --- The wizard ------------------------------------------------------------------------


class ConsultationWizard(QWidget):
    """A consultation from treatments to the summary; emits :attr:`ready_for_consent`."""

    ready_for_consent = Signal(int)  # consultation id
    closed = Signal(int)  # consultation id: the practitioner left (the draft is kept)
    loaded = Signal()
    SAVE_DELAY_MS = 400

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo,
        info: ConsultationInfo,
        kb: KnowledgeBase | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.patient = patient
        self.info = info
        self.kb: KnowledgeBase = kb if kb is not None else knowledge()
        self.products: dict[int, ProductInfo] = {}
        self.is_loaded = False
        self._sealed = False  # a consent is signed: the stored screening stands as signed
        self.titles = {t.id: t.name for t in self.kb.treatments}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading(self.tr("Consultation: %s") % patient.full_name, self)
        top.addWidget(self.title, 1)
        self.saved = QLabel(self)
        self.saved.setAccessibleName(self.tr("Save status"))
        top.addWidget(self.saved)
        layout.addLayout(top)
        self.about = QLabel(
            self.tr("Born %s, %s · consultation on %s · jurisdiction %s")
            % (
                patient.date_of_birth.isoformat(),
                patient.sex_at_birth,
                info.consultation_date.isoformat(),
                info.jurisdiction,
            ),
            self,
        )
        layout.addWidget(self.about)
        self.steps = QLabel(self)
        self.steps.setAccessibleName(self.tr("Steps"))
        layout.addWidget(self.steps)
        self.message = ErrorLabel(self)
        layout.addWidget(self.message)
        # What the practitioner should know about this consultation (the rules changed
        # since it was screened): stays while the consultation is open.
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        style_with_tones(
            self.notice,
            "color: $info; background: $info_bg; border: 1px solid $info; padding: 6px;",
        )
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setAccessibleName(self.tr("Notice"))
        self.notice.hide()
        layout.addWidget(self.notice)
        self.stack = QStackedWidget(self)
        self.treatments_page = TreatmentsPage(self.kb, info.consultation_date, self)
        self.intake_page = IntakePage(
            self.kb,
            patient.sex_at_birth,
            self,
            first_day=patient.date_of_birth,
            last_day=info.consultation_date,
        )
        self.screening_page = ScreeningPage(self.kb, self)
        self.summary_page = SummaryPage(self.kb, self)
        for page in (
            self.treatments_page,
            self.intake_page,
            self.screening_page,
            self.summary_page,
        ):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("C&lose (the draft is kept)"), self)
        self.back_button = QPushButton(self.tr("&Back"), self)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.consent_button = QPushButton(self.tr("&Go on to consent"), self)
        for button, name in (
            (self.close_button, self.tr("Close the consultation; the draft is kept")),
            (self.back_button, self.tr("Back")),
            (self.next_button, self.tr("Next")),
            (self.consent_button, self.tr("Go on to consent")),
        ):
            button.setAccessibleName(name)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.consent_button)
        layout.addLayout(buttons)
        self.runner = LatestOnly(self)
        self._answers_timer = QTimer(self)
        self._answers_timer.setSingleShot(True)
        self._answers_timer.setInterval(self.SAVE_DELAY_MS)
        self._answers_timer.timeout.connect(self._save_answers)
        self._treatments_timer = QTimer(self)
        self._treatments_timer.setSingleShot(True)
        self._treatments_timer.setInterval(self.SAVE_DELAY_MS)
        self._treatments_timer.timeout.connect(self._save_treatments)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close_consultation)
        self.consent_button.clicked.connect(self._go_to_consent)
        self.screening_page.decided.connect(self._decide)
        self.screening_page.clarify_requested.connect(self.clarify)
        self.intake_page.set_treatments([str(t["id"]) for t in info.treatments])
        self.intake_page.set_answers(info.answers)
        self.intake_page.changed.connect(self._answers_timer.start)
        self.treatments_page.changed.connect(self._treatments_changed)
        self._show_page(0)
        self.setEnabled(False)
        self.saved.setText(self.tr("Loading…"))
        ctx = session.ctx
        self.runner.submit(
            lambda: product_service.list_products(ctx), self._products_loaded, self._load_failed
        )

    # Loading and restoring --------------------------------------------------------------

    def _products_loaded(self, products: list[ProductInfo]) -> None:
        if not shiboken6.isValid(self):
            return
        self.products = {p.id: p for p in products}
        self.treatments_page.changed.disconnect(self._treatments_changed)
        self.treatments_page.set_treatments(products, self.info.treatments)
        self.treatments_page.changed.connect(self._treatments_changed)
        self.intake_page.set_treatments(self.treatments_page.planned_ids())
        self.setEnabled(True)
        self.is_loaded = True
        self.saved.setText(self.tr("Draft saved"))
        step = self.info.step if self.info.step in PAGES else "summary"
        index = PAGES.index(step)
        if not self._screen_again_if_rules_changed() and index >= 2:
            index = 1
        if index >= 2:
            self._enter_screening(quiet=True)
            if index == 3 and self._unresolved():
                index = 2
        self._show_page(index)
        self._focus_page()
        self.loaded.emit()

    def _screen_again_if_rules_changed(self) -> bool:
        """On reopening, screen a draft screened under another rule set again; say so.

        False if the rules in force refuse its intake: the refusal is shown next to its
        field, and the old screening (still stored, with its version) is not used.
        """
        if not consultation_service.rules_changed(self.info, self.kb):
            return True
        old = (self.info.rule_set_version or self.tr("unknown"))[:12]
        new = self.kb.version[:12]
        try:
            info = consultation_service.run_screening(
                self.session.ctx, self.info.id, self.info.version, self.kb
            )
        except ValidationError as exc:
            if exc.field == "status":
                # A consent is signed: the screening is sealed with it, never redone.
                self._sealed = True
                self._notify(
                    self.tr(
                        "The screening rules have changed since this consultation was "
                        "screened (rule set %s → %s); a consent of it is already signed, so "
                        "it keeps the screening that consent was signed with."
                    )
                    % (old, new)
                )
                return True
            self._notify(
                self.tr(
                    "The screening rules have changed since this consultation was screened "
                    "(rule set %s → %s); it could not be screened again: %s. Check the "
                    "answers, then go on to screen it."
                )
                % (old, new, exc.message)
            )
            self.show_validation(exc)
            return False
        except StoreError as exc:
            self.message.show_error(str(exc))
            return False
        self._accept(info)
        self._notify(
            self.tr(
                "The screening rules have changed since this consultation was screened "
                "(rule set %s → %s); it has been screened again."
            )
            % (old, new)
        )
        return True

    def _notify(self, text: str) -> None:
        """Show a notice that stays while the consultation is open."""
        self.notice.setText("ℹ " + text)
        self.notice.show()

    def _screening_stands(self) -> bool:
        """Whether the stored screening is the one to go on with: made under the rules in
        force, or sealed by a signed consent."""
        return self.info.screening is not None and (
            self._sealed or not consultation_service.rules_changed(self.info, self.kb)
        )

    def _load_failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.saved.setText("")
            self.message.show_error(self.tr("The products could not be loaded: %s") % exc)

    # Saving ------------------------------------------------------------------------------

    def _save(self, **changes: Any) -> bool:
        """Save the draft; show a refusal next to its field. True if saved."""
        try:
            info = consultation_service.save(
                self.session.ctx, self.info.id, self.info.version, self.kb, **changes
            )
        except ValidationError as exc:
            self.show_validation(exc)
            return False
        except ConflictError as exc:
            self.message.show_error(str(exc))
            self.saved.setText(self.tr("Not saved"))
            return False
        except StoreError as exc:
            self.message.show_error(str(exc))
            self.saved.setText(self.tr("Not saved"))
            return False
        self._accept(info)
        return True

    def _accept(self, info: ConsultationInfo) -> None:
        self.info = info
        self.saved.setText(self.tr("Draft saved at %s") % dt.datetime.now().strftime("%H:%M:%S"))

    def show_validation(self, exc: ValidationError) -> None:
        """Show a service's refusal next to the field it names."""
        match = _TREATMENT_FIELD.match(exc.field)
        rows = self.treatments_page.rows
        if match and int(match.group(1)) < len(rows):
            if self.stack.currentWidget() is not self.treatments_page:
                self.message.show_error(self.tr("Check the treatments: %s") % exc.message)
            rows[int(match.group(1))].show_error(match.group(2), exc.message)
            return
        if exc.field.startswith("answers."):
            widget = self.intake_page.questions.get(exc.field.removeprefix("answers."))
            if widget is not None:
                widget.error.show_error(exc.message)
                if self.stack.currentWidget() is not self.intake_page or not widget.isVisibleTo(
                    self.intake_page
                ):
                    self.message.show_error(
                        self.tr("Check the intake: %s: %s") % (widget.question.label, exc.message)
                    )
                return
        if exc.field == "treatments":
            self.treatments_page.error.show_error(exc.message)
            if self.stack.currentWidget() is self.treatments_page:
                return
        self.message.show_error(exc.message)

    def _treatments_changed(self) -> None:
        self.treatments_page.clear_errors()
        self.intake_page.set_treatments(self.treatments_page.planned_ids())
        self._treatments_timer.start()

    def _save_treatments(self) -> None:
        rows = self.treatments_page.treatments(complete_only=True)
        self._save_rows(rows)

    def _save_rows(self, rows: list[tuple[TreatmentRow, dict[str, Any]]], **changes: Any) -> bool:
        """Save the treatments of ``rows`` with the answers asked for exactly those."""
        planned = [str(value["id"]) for _row, value in rows if value["id"] is not None]
        try:
            info = consultation_service.save(
                self.session.ctx,
                self.info.id,
                self.info.version,
                self.kb,
                treatments=[value for _row, value in rows],
                answers=self.intake_page.answers(planned),
                **changes,
            )
        except ValidationError as exc:
            match = _TREATMENT_FIELD.match(exc.field)
            if match and int(match.group(1)) < len(rows):
                rows[int(match.group(1))][0].show_error(match.group(2), exc.message)
            else:
                self.show_validation(exc)
            return False
        except StoreError as exc:
            self.message.show_error(str(exc))
            self.saved.setText(self.tr("Not saved"))
            return False
        self._accept(info)
        return True

    def _saved_answers(self) -> dict[str, Any]:
        """The answers to save: those asked for the saved treatments."""
        return self.intake_page.answers([str(t["id"]) for t in self.info.treatments])

    def _save_answers(self) -> None:
        self._save(answers=self._saved_answers())

    def flush(self) -> None:
        """Save whatever is waiting to be saved (before closing or signing out)."""
        if not self.is_loaded:
            return
        if self._treatments_timer.isActive():
            self._treatments_timer.stop()
            self._save_treatments()
        if self._answers_timer.isActive():
            self._answers_timer.stop()
            self._save_answers()

    # Moving between pages ---------------------------------------------------------------

    @property
    def page(self) -> str:
        """The step shown."""
        return PAGES[self.stack.currentIndex()]

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = (self.tr("Treatments"), self.tr("Intake"), self.tr("Screening"), self.tr("Summary"))
        self.steps.setText(
            "  ›  ".join(
                f"<b>[{n}. {name}]</b>" if i == index else f"{n}. {name}"
                for i, (n, name) in enumerate(zip(range(1, 5), names, strict=True))
            )
        )
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(index < 3)
        self.consent_button.setVisible(index == 3)
        self.consent_button.setEnabled(index == 3 and bool(self.summary_page.ready))

    def _focus_page(self) -> None:
        page = self.page
        if page == "treatments":
            rows = self.treatments_page.rows
            (rows[0].treatment if rows else self.treatments_page.add_button).setFocus()
        elif page == "intake":
            missing = self.intake_page.missing()
            asked = self.intake_page.asked()
            if missing or asked:
                self.intake_page.focus_question(missing[0] if missing else asked[0].id)
        elif page == "screening":
            self.screening_page.focus_first_pending()
            if QApplication.focusWidget() is None or not self.isAncestorOf(
                QApplication.focusWidget()
            ):
                self.next_button.setFocus()
        else:
            (
                self.consent_button if self.consent_button.isEnabled() else self.back_button
            ).setFocus()

    def next(self) -> None:
        """Check the page, save, and go to the next step."""
        if not self.is_loaded:
            return
        self.message.clear_error()
        page = self.page
        if page == "treatments":
            self._treatments_timer.stop()
            rows = self.treatments_page.treatments()
            if not rows:
                self.treatments_page.error.show_error(self.tr("Plan at least one treatment."))
                self.treatments_page.add_button.setFocus()
                return
            for row, value in rows:
                if value["id"] is None:
                    row.show_error("id", self.tr("Choose the treatment, or remove this row."))
                    return
            if not self._save_rows(rows, step="intake"):
                return
            self._show_page(1)
        elif page == "intake":
            self._answers_timer.stop()
            missing = self.intake_page.show_missing(self.tr("Answer this question."))
            if missing:
                self.message.show_error(
                    self.tr("Every question asked needs an answer: %n left.", "", len(missing))
                )
                self._save(answers=self._saved_answers())
                return
            if not self._save(step="screening", answers=self._saved_answers()):
                return
            self._enter_screening()
            self._show_page(2)
        elif page == "screening":
            if not self._screening_stands():
                self._enter_screening()
                return
            unresolved = self._unresolved()
            if unresolved:
                self.message.show_error(
                    self.tr(
                        "Decide on every finding first (write a justification or acknowledge "
                        "it), clarify what is asked, or go back and remove the treatment: %s"
                    )
                    % ", ".join(self.titles.get(t, t) for t in unresolved)
                )
                self.screening_page.focus_first_pending()
                return
            if not self._save(step="summary"):
                return
            self.summary_page.show_summary(self.info, self.titles, self.products)
            self._show_page(3)
        self._focus_page()

    def back(self) -> None:
        """Save and go back one step (nothing entered is lost)."""
        index = self.stack.currentIndex()
        if index == 0 or not self.is_loaded:
            return
        self.message.clear_error()
        self.flush()
        self._save(step=PAGES[index - 1])
        self._show_page(index - 1)
        self._focus_page()

    def _unresolved(self) -> list[str]:
        return [
            r.treatment
            for r in consultation_service.reviews(self.info)
            if r.status in ("clarify", "needs_decision")
        ]

    def _enter_screening(self, quiet: bool = False) -> None:
        """Screen the intake unless the stored screening still stands, then show it."""
        if not self._screening_stands():
            try:
                info = consultation_service.run_screening(
                    self.session.ctx, self.info.id, self.info.version, self.kb
                )
            except ValidationError as exc:
                self._sealed = self._sealed or exc.field == "status"
                self.show_validation(exc)
            except StoreError as exc:
                self.message.show_error(str(exc))
            else:
                self._accept(info)
        # A screening under other rules is never shown as the current one.
        shown = self.info if self._screening_stands() else replace(self.info, screening=None)
        self.screening_page.show_result(shown, self.titles)
        if self.info.step == "summary" and quiet:
            self.summary_page.show_summary(shown, self.titles, self.products)

    def _decide(self, treatment: str, rule: str, justification: str) -> None:
        try:
            info = consultation_service.decide(
                self.session.ctx,
                self.info.id,
                self.info.version,
                treatment=treatment,
                rule=rule,
                justification=justification,
            )
        except ValidationError as exc:
            widget = self.screening_page.finding(treatment, rule)
            if widget is not None:
                widget.error.show_error(exc.message)
            else:
                self.message.show_error(exc.message)
            return
        except StoreError as exc:
            self.message.show_error(str(exc))
            return
        self._accept(info)
        self.screening_page.show_result(self.info, self.titles)
        self.screening_page.focus_first_pending()
        if not self._unresolved():
            self.next_button.setFocus()

    def clarify(self, question_ids: Sequence[str]) -> None:
        """Send the practitioner back to the intake, to the questions named."""
        self.message.clear_error()
        self._save(step="intake")
        self._show_page(1)
        self.intake_page.highlight(
            list(question_ids),
            self.tr("Please clarify: the screening needs a definite answer here."),
        )

    def _go_to_consent(self) -> None:
        if self.summary_page.ready:
            self.ready_for_consent.emit(self.info.id)

    def close_consultation(self) -> None:
        """Save what is waiting and leave; the draft can be resumed later."""
        self.flush()
        self.runner.wait()
        self.closed.emit(self.info.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter goes on (where the focused widget does not use it); Escape closes."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(
                focus, QRadioButton | QCheckBox
            ):
                focus.click()
            elif self.page == "summary":
                self._go_to_consent()
            else:
                self.next()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.close_consultation()
            event.accept()
            return
        super().keyPressEvent(event)
