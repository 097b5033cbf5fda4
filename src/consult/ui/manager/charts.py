"""The dashboard's charts, drawn with QPainter (QtCharts is not part of
PySide6-Essentials): stacked bars per category, and horizontal bars of a rate per person.
Each chart describes its figures in its accessible description, for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

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
        step = nice_step(peak)
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


def nice_step(peak: int) -> int:
    """A round tick step giving about five ticks up to ``peak``."""
    raw = max(peak / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


__all__ = ["PALETTE", "RateChart", "Series", "StackedBarChart", "nice_step"]
