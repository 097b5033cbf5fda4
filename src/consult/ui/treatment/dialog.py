"""The Treatment step of one consultation: a chart per consented treatment.

Opened by the clinical flow once the last consent is sealed (the practitioner's drafts
are started then), and from a consultation's record (the charts as they are: a
signed-off one read-only with its addenda). The charts and their lots are read on a pool
thread, the dialog saying it is loading meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.store.dto import PatientInfo
from consult.store.services import treatment_records
from consult.store.services.context import ServiceContext
from consult.store.services.treatment_records import ChartInfo, LotChoice
from consult.ui.shell.session import AppSession
from consult.ui.treatment.chart_panel import ChartPanel
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, run_write, wait_for_writes


@dataclass(frozen=True)
class Charts:
    """A consultation's charts and, for each, the lots it may record."""

    charts: list[ChartInfo]
    lots: dict[int, list[LotChoice]]


def read_charts(ctx: ServiceContext, consultation_id: int, start: bool) -> Charts:
    """The charts (started as drafts first if ``start``) and their lot choices."""
    if start:
        charts = treatment_records.open_charts(ctx, consultation_id)
    else:
        charts = treatment_records.charts_for(ctx, consultation_id)
    return Charts(charts, {c.id: treatment_records.lot_choices(ctx, c.id) for c in charts})


class TreatmentDialog(QDialog):
    """The consultation's treatment charts, one tab per treatment.

    ``start``: begin a draft for every consented treatment without one (a practitioner's
    Treatment step; a write). :attr:`loaded` once the charts are shown.
    """

    loaded = Signal()

    def __init__(
        self,
        session: AppSession,
        consultation_id: int,
        patient: PatientInfo | None,
        *,
        start: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.consultation_id = consultation_id
        self.panels: list[ChartPanel] = []
        self.is_loaded = False
        user = session.user
        self.may_write = user is not None and user.has(Role.PRACTITIONER)
        title = self.tr("Treatment")
        if patient is not None:
            title = self.tr("Treatment — %1").replace("%1", patient.full_name)
        self.setWindowTitle(title)
        window = parent.window() if parent is not None else None
        if window is not None and window.width() > 900:
            preferred = QSize(window.width() - 40, max(window.height() - 40, 640))
        else:
            preferred = QSize(1240, 780)
        fit_dialog(self, preferred, parent)
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        self.notice = QLabel(self.tr("Loading…"), self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Treatment status"))
        self.stack.addWidget(self.notice)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Treatments"))
        self.stack.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        ctx = session.ctx

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self.notice.setText("")
                self.error.show_error(refusal_text(exc))
                self.loaded.emit()

        if start and self.may_write:
            run_write(lambda: read_charts(ctx, consultation_id, True), self._show, failed)
        else:
            run_in_background(lambda: read_charts(ctx, consultation_id, False), self._show, failed)

    def _show(self, result: object) -> None:
        if not shiboken6.isValid(self):
            return
        assert isinstance(result, Charts)
        if not result.charts:
            self.notice.setText(self.tr("No treatment of this consultation has been charted."))
        self._add_panels(result, list(result.charts))

    def _add_panels(self, result: Charts, left: list[ChartInfo]) -> None:
        """Make one treatment's chart a turn of the event loop (a chart, its face
        diagrams and its table take some 20-40 ms to make), then show them."""
        if not shiboken6.isValid(self):
            return
        if left:
            chart = left.pop(0)
            panel = ChartPanel(
                self.session, chart, result.lots.get(chart.id, []), self.may_write, self.tabs
            )
            self.panels.append(panel)
            self.tabs.addTab(panel, treatment_name(chart.treatment_id))
            QTimer.singleShot(0, self, lambda: self._add_panels(result, left))
            return
        if self.panels:
            self.stack.setCurrentWidget(self.tabs)
        self.is_loaded = True
        self.loaded.emit()

    def flush(self) -> None:
        """Save what the practitioner changed and wait for it (closing, signing out)."""
        for panel in self.panels:
            panel.save_now()
        wait_for_writes()

    def done(self, result: int) -> None:
        """However the dialog closes, its drafts are saved first."""
        self.flush()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close box saves too."""
        self.flush()
        super().closeEvent(event)
