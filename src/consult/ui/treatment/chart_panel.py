"""One treatment's chart: the lot used, areas, notes and, for an injection, the face chart
with its points and totals; sign-off, addenda and the aftercare sheet.

A draft is saved as the practitioner goes (shortly after each change, a service write
off the GUI thread; writes run one at a time, each on the version the one before it
left). Signed off, the panel is read-only and offers "Add addendum…" instead.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from decimal import Decimal

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from consult.domain import treatment_chart as rules
from consult.domain.treatment_chart import ChartPoint
from consult.store.errors import StoreError
from consult.store.services import treatment_records
from consult.store.services.treatment_records import AddendumInfo, ChartInfo, LotChoice
from consult.ui.consent.templates import consent_templates
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.treatment.face_view import FaceChart
from consult.ui.treatment.point_editor import PointEditor
from consult.ui.treatment.points_table import PointsModel, points_table
from consult.ui.treatment.words import UNIT_WORDS, say
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import local_time, treatment_name
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_write

_log = logging.getLogger(__name__)

SAVE_DELAY_MS = 600
"""How long after the last change a draft is saved."""


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    return button


class ChartPanel(QWidget):
    """One treatment's chart (see the module).

    ``editable``: the signed-in practitioner may change the draft (and add addenda once
    it is signed off); a manager reads. ``saved`` after each write the panel made.
    """

    saved = Signal()

    def __init__(
        self,
        session: AppSession,
        chart: ChartInfo,
        lots: Sequence[LotChoice],
        editable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.chart = chart
        self.lots = list(lots)
        self.may_write = editable
        self._version = chart.version  # read and moved on the write thread, in order
        self.pending = False
        self.writing = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save_now)

        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Treatment status"))
        layout.addWidget(self.status)

        form = QFormLayout()
        self.product = QLabel(chart.product_name or "—", self)
        form.addRow(self.tr("Product:"), self.product)
        lot_row = QHBoxLayout()
        self.lot = QComboBox(self)
        self.lot.setAccessibleName(self.tr("Lot used"))
        lot_row.addWidget(self.lot)
        self.lot_reason = QLineEdit(self)
        self.lot_reason.setAccessibleName(self.tr("Why another lot"))
        self.lot_reason.setPlaceholderText(self.tr("Why another lot than the planned one"))
        lot_row.addWidget(self.lot_reason, 1)
        lot_label = QLabel(self.tr("&Lot used:"), self)
        lot_label.setBuddy(self.lot)
        form.addRow(lot_label, lot_row)
        self.areas = QLineEdit(", ".join(chart.areas), self)
        self.areas.setAccessibleName(self.tr("Treated areas"))
        areas_label = QLabel(self.tr("&Areas:"), self)
        areas_label.setBuddy(self.areas)
        form.addRow(areas_label, self.areas)
        self.notes = QPlainTextEdit(chart.notes, self)
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)
        notes_label = QLabel(self.tr("N&otes:"), self)
        notes_label.setBuddy(self.notes)
        form.addRow(notes_label, self.notes)
        layout.addLayout(form)

        self.model = PointsModel(self)
        self.model.lots = self.lots
        self.model.chart_lot = chart.lot_id
        self.face = FaceChart(self)
        self.editor = PointEditor(self)
        self.table = points_table(self, self.model)
        self.totals = QLabel(self)
        self.totals.setAccessibleName(self.tr("Totals"))
        self.totals.setWordWrap(True)
        self.add_point_button = _button(self.tr("Add &point"), self.tr("Add point"), self)
        if chart.charted:
            splitter = QSplitter(Qt.Orientation.Horizontal, self)
            left = QWidget(splitter)
            column = QVBoxLayout(left)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.face, 1)
            right = QWidget(splitter)
            side = QVBoxLayout(right)
            side.setContentsMargins(0, 0, 0, 0)
            side.addWidget(self.table, 1)
            side.addWidget(self.totals)
            splitter.addWidget(left)
            splitter.addWidget(right)
            # The table needs room for its eight columns; the chart keeps its shape.
            splitter.setStretchFactor(0, 1)
            splitter.setStretchFactor(1, 1)
            splitter.setSizes([600, 400])
            layout.addWidget(splitter, 1)
            # The selected point's fields under the whole width: room for each of them.
            editing = QHBoxLayout()
            editing.addWidget(self.editor, 1)
            editing.addWidget(self.add_point_button)
            layout.addLayout(editing)
        else:
            for widget in (self.face, self.editor, self.table, self.totals, self.add_point_button):
                widget.hide()
            layout.addStretch(1)

        self.addenda_label = QLabel(self.tr("Addenda"), self)
        self.addenda = QListWidget(self)
        self.addenda.setAccessibleName(self.tr("Addenda"))
        self.addenda.setMaximumHeight(90)
        self.addenda.setWordWrap(True)
        layout.addWidget(self.addenda_label)
        layout.addWidget(self.addenda)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.aftercare_print = _button(
            self.tr("P&rint aftercare sheet…"), self.tr("Print aftercare sheet"), self
        )
        self.aftercare_save = _button(
            self.tr("Sa&ve aftercare sheet as PDF…"), self.tr("Save aftercare sheet as PDF"), self
        )
        buttons.addWidget(self.aftercare_print)
        buttons.addWidget(self.aftercare_save)
        buttons.addStretch(1)
        self.addendum_button = _button(self.tr("Add a&ddendum…"), self.tr("Add addendum"), self)
        self.sign_button = _button(self.tr("&Sign off…"), self.tr("Sign off"), self)
        buttons.addWidget(self.addendum_button)
        buttons.addWidget(self.sign_button)
        layout.addLayout(buttons)

        self._fill_lots()
        self._show_points(self._ui_points(chart), -1)
        self._apply_state()

        self.lot.activated.connect(self._lot_chosen)
        self.lot_reason.textEdited.connect(self.changed)
        self.areas.textEdited.connect(self.changed)
        self.notes.textChanged.connect(self._notes_changed)
        self.model.changed.connect(self._points_changed)
        self.face.point_placed.connect(self.place_point)
        self.face.point_moved.connect(self._point_moved)
        self.face.point_selected.connect(self._select)
        self.face.delete_requested.connect(self.remove_point)
        self.editor.edited.connect(self.model.replace)
        self.editor.remove.connect(self.remove_point)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._select(current.row(), from_table=True)
        )
        self.add_point_button.clicked.connect(lambda: self.place_point("front", 0.5, 0.5))
        self.sign_button.clicked.connect(self.sign_off)
        self.addendum_button.clicked.connect(self.add_addendum)
        self.aftercare_print.clicked.connect(self.print_aftercare)
        self.aftercare_save.clicked.connect(self.save_aftercare)

    # --- showing ------------------------------------------------------------------

    def _ui_points(self, chart: ChartInfo) -> list[ChartPoint]:
        """The stored points, those of the chart's own lot following it (lot None)."""
        return [
            dataclasses.replace(p.point, lot_id=None) if p.point.lot_id == chart.lot_id else p.point
            for p in chart.points
        ]

    def _fill_lots(self) -> None:
        self.lot.clear()
        for choice in self.lots:
            text = f"{choice.lot_number} ({choice.expiry_date.isoformat()})"
            if choice.planned:
                text = self.tr("%1 — planned").replace("%1", text)
            self.lot.addItem(text, choice.id)
        if self.chart.lot_id is not None and self.lot.findData(self.chart.lot_id) < 0:
            self.lot.addItem(self.chart.lot_number, self.chart.lot_id)
        self.lot.setCurrentIndex(max(self.lot.findData(self.chart.lot_id), 0))
        self.lot_reason.setText(self.chart.lot_reason)
        self._show_reason()

    def _show_reason(self) -> None:
        other = self.lot.currentData() != self.chart.planned_lot_id
        self.lot_reason.setVisible(other)

    def _apply_state(self) -> None:
        chart = self.chart
        draft = not chart.signed and self.may_write
        for widget in (self.lot, self.lot_reason, self.areas, self.add_point_button):
            widget.setEnabled(draft)
        self.notes.setReadOnly(not draft)
        self.model.editable = draft
        self.face.set_editable(draft)
        self.editor.setVisible(draft and chart.charted)
        self.add_point_button.setVisible(draft and chart.charted)
        self.areas.setPlaceholderText(
            self.tr("For example: forehead, glabella, crow's feet") if draft else ""
        )
        self.sign_button.setVisible(draft)
        self.addendum_button.setVisible(chart.signed and self.may_write)
        self.addenda_label.setVisible(chart.signed)
        self.addenda.setVisible(chart.signed)
        self._show_addenda(chart.addenda)
        name = treatment_name(chart.treatment_id)
        if chart.signed and chart.signed_at is not None:
            self.status.setText(
                self.tr("%1: signed off by %2 on %3 (seal %4). Read-only: corrections are addenda.")
                .replace("%1", name)
                .replace("%2", chart.signed_by_name)
                .replace("%3", local_time(chart.signed_at))
                .replace("%4", (chart.document_sha256 or "")[:12])
            )
        elif draft:
            self.status.setText(
                self.tr("%1: a draft, saved as you go. Click the face to place a point.").replace(
                    "%1", name
                )
                if chart.charted
                else self.tr("%1: a draft, saved as you go.").replace("%1", name)
            )
        else:
            self.status.setText(self.tr("%1: a draft, not yet signed off.").replace("%1", name))
        self._show_totals()

    def _show_addenda(self, addenda: Sequence[AddendumInfo]) -> None:
        self.addenda.clear()
        for addendum in addenda:
            self.addenda.addItem(
                self.tr("%1, %2: %3")
                .replace("%1", local_time(addendum.at))
                .replace("%2", addendum.user_name)
                .replace("%3", addendum.text)
            )

    def _show_points(self, points: Sequence[ChartPoint], selected: int) -> None:
        self.model.set_points(points)
        self.face.set_points(points, selected)
        self._select(selected)

    def _show_totals(self) -> None:
        sums = rules.totals(self.model.points)
        if not sums:
            self.totals.setText(self.tr("Totals: no points yet"))
            return
        parts = [
            (
                self.tr("%1 %2 (1 point)")
                if total.points == 1
                else self.tr("%1 %2 (%3 points)").replace("%3", str(total.points))
            )
            .replace("%1", rules.amount_text(total.amount))
            .replace("%2", say(UNIT_WORDS, total.unit))
            for total in sums
        ]
        self.totals.setText(
            self.tr("Totals, %1: %2")
            .replace("%1", self.chart.product_name or "—")
            .replace("%2", "; ".join(parts))
        )

    def _select(self, index: int, from_table: bool = False) -> None:
        points = self.model.points
        point = points[index] if 0 <= index < len(points) else None
        self.editor.show_point(index if point is not None else -1, point)
        self.face.select(index if point is not None else -1)
        if not from_table and point is not None:
            self.table.selectRow(index)

    # --- editing ------------------------------------------------------------------

    def place_point(self, view: str, x: float, y: float) -> None:
        """Add a point where the practitioner clicked (the last point's amount, unit,
        depth and technique, or the treatment's usual ones) and put the cursor in its
        amount."""
        if not self.model.editable:
            return
        last = self.model.points[-1] if self.model.points else None
        treatment, route = self.chart.treatment_id, self.chart.route
        point = ChartPoint(
            view=view,
            x=x,
            y=y,
            amount=last.amount if last is not None else Decimal("0.1"),
            unit=last.unit if last is not None else rules.default_unit(treatment),
            depth=last.depth if last is not None else rules.default_depth(treatment, route),
            technique=last.technique if last is not None else rules.default_technique(treatment),
        )
        index = self.model.add(point)
        self.face.set_points(self.model.points, index)
        self._select(index)
        self.editor.amount.setFocus()
        self.editor.amount.selectAll()

    def remove_point(self, index: int) -> None:
        """Remove a point (Delete on the chart or the table, or "Remove point")."""
        if not self.model.editable or not 0 <= index < len(self.model.points):
            return
        self.model.remove(index)
        self._show_points(self.model.points, min(index, len(self.model.points) - 1))

    def _point_moved(self, index: int, x: float, y: float) -> None:
        if 0 <= index < len(self.model.points):
            self.model.replace(index, dataclasses.replace(self.model.points[index], x=x, y=y))
            self.face.set_points(self.model.points, index)

    def _points_changed(self) -> None:
        index = self.face.selected_index()
        self.face.set_points(self.model.points, index)
        point = self.model.points[index] if 0 <= index < len(self.model.points) else None
        self.editor.show_point(index if point is not None else -1, point)
        self._show_totals()
        self.changed()

    def _lot_chosen(self) -> None:
        self.model.chart_lot = self.lot.currentData()
        self._show_reason()
        self.model.layoutChanged.emit()
        self.changed()

    def _notes_changed(self) -> None:
        if not self.notes.isReadOnly():
            self.changed()

    def changed(self) -> None:
        """Something was changed: save shortly (one write for a burst of changes)."""
        if self.model.editable:
            self.pending = True
            self.timer.start()

    # --- writing ------------------------------------------------------------------

    def _areas(self) -> list[str]:
        return [part.strip() for part in self.areas.text().replace("、", ",").split(",")]

    def save_now(self) -> None:
        """Save the draft as it stands now (a write; the next one waits for it)."""
        self.timer.stop()
        if not self.pending or not self.model.editable:
            return
        self.pending = False
        ctx, chart_id = self.session.ctx, self.chart.id
        lot_id, reason = self.lot.currentData(), self.lot_reason.text()
        areas, notes, points = self._areas(), self.notes.toPlainText(), list(self.model.points)

        def work() -> ChartInfo:
            info = treatment_records.save_draft(
                ctx,
                chart_id,
                self._version,
                lot_id=lot_id,
                lot_reason=reason,
                areas=areas,
                notes=notes,
                points=points,
            )
            self._version = info.version
            return info

        self._write(work, self._saved)

    def _write(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self.writing += 1

        def finished(result: object) -> None:
            self.writing -= 1
            if shiboken6.isValid(self):
                done(result)
                self.saved.emit()

        def failed(exc: Exception) -> None:
            self.writing -= 1
            if shiboken6.isValid(self):
                self._failed(exc)

        run_write(work, finished, failed)

    def _saved(self, result: object) -> None:
        assert isinstance(result, ChartInfo)
        self.chart = result
        self.error.clear_error()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, StoreError):
            _log.error("a treatment chart write failed", exc_info=exc)
        self.error.show_error(refusal_text(exc))

    @classmethod
    def confirm_sign_off(cls, parent: QWidget) -> bool:
        """Ask before sealing (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("ChartPanel", "Sign the treatment off?"),
            QCoreApplication.translate(
                "ChartPanel",
                "The chart will be sealed and can no longer be changed: corrections after "
                "sign-off are added as addenda.",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def sign_off(self) -> None:
        """Save what is on screen, then seal it (after asking)."""
        if not self.confirm_sign_off(self):
            return
        self.pending = True
        self.save_now()
        ctx, chart_id = self.session.ctx, self.chart.id

        def work() -> ChartInfo:
            info = treatment_records.sign_off(ctx, chart_id, self._version)
            self._version = info.version
            return info

        self._write(work, self._signed)

    def _signed(self, result: object) -> None:
        assert isinstance(result, ChartInfo)
        self.chart = result
        self.error.clear_error()
        self._show_points(self._ui_points(result), -1)
        self._apply_state()

    @classmethod
    def ask_addendum(cls, parent: QWidget) -> str | None:
        """The addendum's text, or None if cancelled (tests replace this)."""
        text, ok = QInputDialog.getMultiLineText(
            parent,
            QCoreApplication.translate("ChartPanel", "Add addendum"),
            QCoreApplication.translate(
                "ChartPanel", "The correction or note (kept with its time and your name):"
            ),
        )
        return text if ok else None

    def add_addendum(self) -> None:
        """Add a correction or note to the signed-off chart."""
        text = self.ask_addendum(self)
        if text is None or not text.strip():
            return
        ctx, chart_id = self.session.ctx, self.chart.id

        def work() -> ChartInfo:
            treatment_records.add_addendum(ctx, chart_id, text)
            return treatment_records.get(ctx, chart_id)

        self._write(work, self._signed)

    # --- the aftercare sheet ------------------------------------------------------

    def _aftercare(self, then: Callable[[bytes], None]) -> None:
        self.save_now()
        ctx, chart_id = self.session.ctx, self.chart.id

        def work() -> bytes:
            return treatment_records.aftercare_sheet(
                ctx, chart_id, templates=consent_templates(), kb=knowledge()
            )

        self._write(work, lambda pdf: then(pdf) if isinstance(pdf, bytes) else None)

    @classmethod
    def choose_file(cls, parent: QWidget, suggested: str) -> str:
        """Where to save the aftercare sheet ("" if cancelled; tests replace this)."""
        path, _filter = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("ChartPanel", "Save aftercare sheet"),
            suggested,
            QCoreApplication.translate("ChartPanel", "PDF files (*.pdf)"),
        )
        return path

    def save_aftercare(self) -> None:
        """Save the aftercare sheet as a PDF file."""
        path = self.choose_file(self, f"aftercare-{self.chart.treatment_id}.pdf")
        if not path:
            return

        def write(pdf: bytes) -> None:
            try:
                with open(path, "wb") as out:
                    out.write(pdf)
            except OSError as exc:
                self.error.show_error(refusal_text(exc))
                return
            self.status.setText(self.tr("Aftercare sheet saved: %1").replace("%1", path))

        self._aftercare(write)

    def print_aftercare(self) -> None:
        """Print the aftercare sheet through the printer dialog."""
        printer = pdf_pages.ask_for_printer(self)
        if printer is None:
            return

        def paint(pdf: bytes) -> None:
            try:
                pdf_pages.paint_pdf(pdf, printer)
            except (OSError, ValueError) as exc:
                self.error.show_error(refusal_text(exc))
                return
            self.status.setText(self.tr("Aftercare sheet printed."))

        self._aftercare(paint)
