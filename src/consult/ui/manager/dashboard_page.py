"""The manager's dashboard: consents per month per treatment, and each practitioner's
rate of relative-contraindication overrides. Charts are drawn with QPainter (QtCharts is
not part of PySide6-Essentials)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import Dashboard
from consult.store.services import dashboard as dashboard_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import treatment_names
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import qtone

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
)


@dataclass(frozen=True)
class Series:
    """One stack of a bar chart: a name, a colour and a value per category."""

    name: str
    color: str
    values: tuple[int, ...]


class StackedBarChart(QWidget):
    """Vertical stacked bars, one per category, with a legend above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories: tuple[str, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: Sequence[str], series: Sequence[Series]) -> None:
        """Show these bars."""
        self.categories = tuple(categories)
        self.series = tuple(series)
        self.setAccessibleDescription(
            "; ".join(
                f"{c}: {sum(s.values[i] for s in self.series)}"
                for i, c in enumerate(self.categories)
            )
        )
        self.update()

    def _legend(self, painter: QPainter, metrics: QFontMetrics, width: float) -> float:
        x, y = 8.0, 4.0
        line = metrics.height() + 4
        for s in self.series:
            item = 14 + 4 + metrics.horizontalAdvance(s.name) + 16
            if x + item > width and x > 8:
                x, y = 8.0, y + line
            painter.fillRect(QRectF(x, y + 2, 12, 12), QColor(s.color))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 18, y + metrics.ascent()), s.name)
            x += item
        return y + line + 6

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        rect = QRectF(self.rect())
        text_color = self.palette().text().color()
        if not self.categories:
            painter.setPen(text_color)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, self.tr("No consents in the period")
            )
            return
        top = self._legend(painter, metrics, rect.width())
        totals = [sum(s.values[i] for s in self.series) for i in range(len(self.categories))]
        peak = max(max(totals), 1)
        step = _nice_step(peak)
        axis_max = step * -(-peak // step)
        left = metrics.horizontalAdvance(str(axis_max)) + 14
        bottom = rect.height() - metrics.height() - 10
        plot = QRectF(left, top, rect.width() - left - 8, bottom - top)
        for tick in range(0, axis_max + 1, step):
            y = plot.bottom() - plot.height() * tick / axis_max
            painter.setPen(QPen(qtone("grid"), 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(tick),
            )
        slot = plot.width() / len(self.categories)
        bar = max(4.0, slot * 0.7)
        label_every = max(1, int(-(-(metrics.horizontalAdvance("0000-00") + 6) // slot)))
        for i, category in enumerate(self.categories):
            x = plot.left() + i * slot + (slot - bar) / 2
            y = plot.bottom()
            for s in self.series:
                value = s.values[i]
                if not value:
                    continue
                height = plot.height() * value / axis_max
                painter.fillRect(QRectF(x, y - height, bar, height), QColor(s.color))
                y -= height
            if i % label_every == 0:
                painter.setPen(text_color)
                painter.drawText(
                    QRectF(
                        plot.left() + i * slot - 20, plot.bottom() + 4, slot + 40, metrics.height()
                    ),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    category,
                )


class RateChart(QWidget):
    """Horizontal bars of a rate per person, with the counts beside each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[tuple[str, float, str], ...] = ()
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, rows: Sequence[tuple[str, float, str]]) -> None:
        """Rows of (name, rate 0..1, caption)."""
        self.rows = tuple(rows)
        self.setAccessibleDescription("; ".join(f"{n}: {c}" for n, _r, c in self.rows))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = QFontMetrics(self.font())
        rect = QRectF(self.rect())
        text_color = self.palette().text().color()
        painter.setPen(text_color)
        if not self.rows:
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter, self.tr("No consents in the period")
            )
            return
        name_width = min(
            max(metrics.horizontalAdvance(n) for n, _r, _c in self.rows) + 12, rect.width() * 0.3
        )
        caption_width = max(metrics.horizontalAdvance(c) for _n, _r, c in self.rows) + 12
        line = max(metrics.height() + 10, min(34.0, (rect.height() - 8) / len(self.rows)))
        span = max(rect.width() - name_width - caption_width - 8, 20)
        for i, (name, rate, caption) in enumerate(self.rows):
            y = 4 + i * line
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y, name_width - 8, line - 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(name_width - 8)),
            )
            painter.fillRect(QRectF(name_width, y + 3, span, line - 10), qtone("track"))
            color = QColor("#d62728" if rate >= 0.25 else "#1f77b4")
            painter.fillRect(QRectF(name_width, y + 3, span * min(rate, 1.0), line - 10), color)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(name_width + span + 8, y, caption_width, line - 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                caption,
            )


def _nice_step(peak: int) -> int:
    """A round tick step giving about five ticks up to ``peak``."""
    raw = max(peak / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


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
        a, b = self.date_from.date(), self.date_to.date()
        return dt.date(a.year(), a.month(), a.day()), dt.date(b.year(), b.month(), b.day())

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
            lambda exc: self.error.show_error(str(exc)),
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
                    self.tr("%1% (%2 of %3)")
                    .replace("%1", f"{r.rate * 100:.0f}")
                    .replace("%2", str(r.with_overrides))
                    .replace("%3", str(r.consents)),
                )
                for r in board.override_rates
            ]
        )
        total = sum(m.count for m in board.per_month)
        self.status.setText(self.tr("%n consent(s) in the period", "", total))

    def leave(self) -> None:
        """Wait for background queries (sign-out, quit)."""
        self.runner.wait()
