"""Reception's follow-up reviews: the patients whose review after a treatment is due or
overdue, to call; "Called" and "Booked" marks (audited).

The list is read off the GUI thread; each mark is a write off it, with the buttons
disabled meanwhile. A booked review leaves the list; a called one stays, saying when and
by whom, until it is booked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.store.services import follow_up
from consult.store.services.follow_up import ReviewRow
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import local_time, treatment_name
from consult.ui.widgets.phone_format import show_phone
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.table_model import RowsTableModel, emphasised, read_only_table
from consult.ui.widgets.tasks import LatestOnly, run_write
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_log = logging.getLogger(__name__)


class ReviewTableModel(RowsTableModel[ReviewRow]):
    """Reviews to call: patient, phone, treatment, due, overdue, marked."""

    COL_PATIENT, COL_PHONE, COL_TREATMENT, COL_DUE, COL_OVERDUE, COL_MARK = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("ReviewTableModel", "Patient"),
        QT_TRANSLATE_NOOP("ReviewTableModel", "Phone"),
        QT_TRANSLATE_NOOP("ReviewTableModel", "Treatment"),
        QT_TRANSLATE_NOOP("ReviewTableModel", "Review due"),
        QT_TRANSLATE_NOOP("ReviewTableModel", "Overdue"),
        QT_TRANSLATE_NOOP("ReviewTableModel", "Called"),
    )

    def __init__(self, phone: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._phone = phone

    def text(self, row: ReviewRow, column: int) -> str:
        if column == self.COL_PATIENT:
            return row.patient_name
        if column == self.COL_PHONE:
            return self._phone(row.phone)
        if column == self.COL_TREATMENT:
            return treatment_name(row.treatment_id)
        if column == self.COL_DUE:
            return row.due_on.isoformat()
        if column == self.COL_OVERDUE:
            if row.days_overdue > 0:
                return self.tr("%n day(s)", "", row.days_overdue)
            return self.tr("Due today") if row.days_overdue == 0 else self.tr("Not yet")
        if row.mark is None or row.marked_at is None:  # COL_MARK
            return ""
        return fill(self.tr("%1 by %2"), local_time(row.marked_at), row.marked_by)

    def extra(self, row: ReviewRow, column: int, role: int) -> Any:
        if column != self.COL_OVERDUE or row.days_overdue <= 0:
            return None
        return emphasised(role)


class ReviewsPanel(QWidget):
    """The reviews due within a week or overdue, with Called and Booked.

    Signals:
        loaded: the list was (re)loaded.
    """

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = LatestOnly(self)
        self._note = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("<b>Follow-up reviews to call</b>"), self)
        layout.addWidget(self.title)
        self.model = ReviewTableModel(lambda stored: show_phone(session, stored), self)
        self.table = read_only_table(
            self, self.model, self.tr("Follow-up reviews"), ReviewTableModel.COL_MARK
        )
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.called_button = QPushButton(self.tr("Ca&lled"), self)
        self.booked_button = QPushButton(self.tr("&Booked"), self)
        self.called_button.setToolTip(self.tr("The patient was called: the review stays listed"))
        self.booked_button.setToolTip(self.tr("The review is booked: it leaves the list"))
        for button in (self.called_button, self.booked_button):
            button.setAccessibleName(button.text().replace("&", ""))
            row.addWidget(button)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Follow-up reviews status"))
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.called_button.clicked.connect(lambda: self.mark(follow_up.CALLED))
        self.booked_button.clicked.connect(lambda: self.mark(follow_up.BOOKED))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self) -> None:
        """Read the reviews due or overdue (off the GUI thread)."""
        ctx = self.session.ctx
        self.runner.submit(lambda: follow_up.reviews_due(ctx), self._show, self._fail)

    def _show(self, rows: list[ReviewRow]) -> None:
        self.model.set_rows(rows)
        overdue = sum(1 for row in rows if row.days_overdue > 0)
        self.status.setText(
            self._note
            + self.tr("%n review(s) to call", "", len(rows))
            + (" — " + self.tr("%n overdue", "", overdue) if overdue else "")
        )
        self._note = ""
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.error.show_error(refusal_text(exc))

    def current(self) -> ReviewRow | None:
        """The selected review."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.called_button.setEnabled(chosen)
        self.booked_button.setEnabled(chosen)

    def mark(self, kind: str) -> None:
        """Mark the selected review as called or booked (a write off the GUI thread;
        audited), then read the list again."""
        review = self.current()
        if review is None:
            return
        ctx = self.session.ctx
        run_write(
            lambda: follow_up.mark_review(ctx, review.treatment_record_id, kind),
            lambda _at: self._marked(review, kind),
            self._fail,
            busy=self,
        )

    def _marked(self, review: ReviewRow, kind: str) -> None:
        self.error.clear_error()
        words = self.tr("%1 marked as called") if kind == follow_up.CALLED else self.tr("%1 booked")
        self._note = words.replace("%1", review.patient_name) + ". "
        self.refresh()

    def leave(self) -> None:
        """Wait for the list's read (sign-out, quit)."""
        self.runner.wait()


__all__ = ["ReviewTableModel", "ReviewsPanel"]
