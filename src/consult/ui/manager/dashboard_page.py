"""The manager's dashboard: consents per month per treatment, and each practitioner's
rate of relative-contraindication overrides (the charts are :mod:`.charts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import Dashboard
from consult.store.services import dashboard as dashboard_service
from consult.ui.manager.charts import PALETTE, RateChart, Series, StackedBarChart
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import treatment_names
from consult.ui.widgets.forms import to_date
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly


def month_series(board: Dashboard, names: Mapping[str, str]) -> tuple[list[str], list[Series]]:
    """Every month of the period (empty ones too) and one series per treatment."""
    months: list[str] = []
    day = board.date_from.replace(day=1)
    while day <= board.date_to:
        months.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    counts: dict[str, dict[str, int]] = {}
    for item in board.per_month:
        counts.setdefault(item.treatment_id, {})[item.month] = item.count
    treatments = sorted(counts, key=lambda t: names.get(t, t).casefold())
    series = [
        Series(
            names.get(t, t),
            PALETTE[i % len(PALETTE)],
            tuple(counts[t].get(m, 0) for m in months),
        )
        for i, t in enumerate(treatments)
    ]
    return months, series


class DashboardPage(QWidget):
    """The period, and the two charts."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = treatment_names()
        self.runner = LatestOnly(self)
        self.board: Dashboard | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Dashboard"), self))
        row = QHBoxLayout()
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-11).addDays(1 - today.day()), self)
        self.date_to = QDateEdit(today, self)
        for edit, label_text, name in (
            (self.date_from, self.tr("Fr&om"), self.tr("Period from")),
            (self.date_to, self.tr("U&ntil"), self.tr("Period until")),
        ):
            label = QLabel(label_text, self)
            label.setBuddy(edit)
            row.addSpacing(6)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
            row.addWidget(label)
            row.addWidget(edit)
        self.refresh_button = QPushButton(self.tr("&Show"), self)
        self.refresh_button.setAccessibleName(self.tr("Show the period"))
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        self.status = QLabel(self)
        row.addWidget(self.status)
        layout.addLayout(row)
        months_box = QGroupBox(
            self.tr("Consents signed per month, by treatment (voided left out)"), self
        )
        months_layout = QVBoxLayout(months_box)
        self.months = StackedBarChart(months_box)
        self.months.setAccessibleName(self.tr("Consents per month"))
        months_layout.addWidget(self.months)
        layout.addWidget(months_box, 3)
        rates_box = QGroupBox(
            self.tr("Consents with a relative contraindication overridden, per practitioner"), self
        )
        rates_layout = QVBoxLayout(rates_box)
        self.rates = RateChart(rates_box)
        self.rates.setAccessibleName(self.tr("Override rate per practitioner"))
        rates_layout.addWidget(self.rates)
        layout.addWidget(rates_box, 2)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.refresh_button.clicked.connect(self.refresh)

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period."""
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def refresh(self) -> None:
        """Load the figures for the period (off the GUI thread)."""
        start, end = self.period()
        if start > end:
            self.error.show_error(self.tr("The end date is before the start date."))
            return
        self.error.clear_error()
        self.status.setText(self.tr("Loading…"))
        ctx = self.session.ctx
        self.runner.submit(
            lambda: dashboard_service.dashboard(ctx, start, end),
            self.show_board,
            lambda exc: self.error.show_error(refusal_text(exc)),
        )

    def show_board(self, board: Dashboard) -> None:
        """Draw the figures."""
        self.board = board
        months, series = month_series(board, self.names)
        self.months.set_data(months if board.per_month else [], series)
        self.rates.set_data(
            [
                (
                    r.practitioner_name,
                    r.rate,
                    fill(
                        self.tr("%1% (%2 of %3)"),
                        f"{r.rate * 100:.0f}",
                        r.with_overrides,
                        r.consents,
                    ),
                )
                for r in board.override_rates
            ]
        )
        total = sum(m.count for m in board.per_month)
        self.status.setText(self.tr("%n consent(s) in the period", "", total))

    def leave(self) -> None:
        """Wait for background queries (sign-out, quit)."""
        self.runner.wait()
