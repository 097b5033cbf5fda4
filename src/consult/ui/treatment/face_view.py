"""The face chart: the three face diagrams side by side, the injection points on them.

The patient's right profile, the front and the left profile are laid out as the
practitioner faces the patient (the profiles look towards the front view). A click on a
diagram places a point there (:attr:`FaceChart.point_placed`); a point is selected by a
click, moved by dragging it or with the arrow keys, and removed with Delete. Positions
are fractions (0 to 1) of the diagram they are on, as stored.

The diagrams are SVG line drawings (``resources/face``) drawn in the palette's text
colour, so that they read in the light and the dark theme.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from consult import resources
from consult.domain.treatment_chart import ChartPoint
from consult.ui.treatment.words import VIEW_WORDS, say
from consult.ui.widgets.tones import qtone

_log = logging.getLogger(__name__)

LAYOUT = ("right", "front", "left")
"""The diagrams from left to right on screen."""
BOX_W, BOX_H, GAP, CAPTION = 400.0, 500.0, 36.0, 44.0
RADIUS = 10.0
"""A point's radius on screen, in pixels, however large the diagrams are drawn."""
STEP = 0.01
"""How far an arrow key moves a point (a fraction of the diagram)."""


def box(view: str) -> QRectF:
    """The scene rectangle of one diagram."""
    return QRectF(LAYOUT.index(view) * (BOX_W + GAP), 0.0, BOX_W, BOX_H)


def scene_point(view: str, x: float, y: float) -> QPointF:
    """Where a stored position lies in the scene."""
    rect = box(view)
    return QPointF(rect.left() + x * BOX_W, rect.top() + y * BOX_H)


def diagram_at(pos: QPointF) -> tuple[str, float, float] | None:
    """The diagram under a scene position and the position as fractions of it."""
    for view in LAYOUT:
        rect = box(view)
        if rect.contains(pos):
            return view, (pos.x() - rect.left()) / BOX_W, (pos.y() - rect.top()) / BOX_H
    return None


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


@functools.cache
def _diagram(view: str) -> str:
    """A face diagram's SVG, read once (every chart of every treatment draws it)."""
    try:
        return resources.path("face", f"{view}.svg").read_text(encoding="utf-8")
    except OSError:
        _log.exception("the %s face diagram cannot be read", view)
        return ""


class _Face(QGraphicsItem):
    """One face diagram, its lines in ``colour`` (the SVG's black lines recoloured)."""

    def __init__(self, view: str, colour: QColor) -> None:
        super().__init__()
        self.view = view
        self.renderer = QSvgRenderer()
        self.set_colour(colour)
        self.setPos(box(view).topLeft())
        self.setZValue(-1)

    def set_colour(self, colour: QColor) -> None:
        """Redraw the lines in ``colour``."""
        svg = _diagram(self.view)
        self.renderer.load(svg.replace('stroke="#000"', f'stroke="{colour.name()}"').encode())
        self.update()

    def boundingRect(self) -> QRectF:
        """The diagram's box."""
        return QRectF(0.0, 0.0, BOX_W, BOX_H)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Draw the SVG into the box."""
        self.renderer.render(painter, self.boundingRect())


class _PointItem(QGraphicsEllipseItem):
    """A charted point: a numbered dot, dragged to move it (when the chart is editable)."""

    def __init__(self, chart: FaceChart, index: int, point: ChartPoint, movable: bool) -> None:
        super().__init__(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS)
        self.chart = chart
        self.index = index
        self.view = point.view
        self.setPos(scene_point(point.view, point.x, point.y))
        # The same size on screen at any zoom: readable on a small chart, not a blot on
        # a large one.
        flags = (
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
        )
        if movable:
            flags |= QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            flags |= QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        self.setFlags(flags)
        self.setCursor(Qt.CursorShape.OpenHandCursor if movable else Qt.CursorShape.ArrowCursor)
        self.label = QGraphicsSimpleTextItem(str(index + 1), self)
        font = self.label.font()
        font.setPixelSize(12)
        font.setBold(True)
        self.label.setFont(font)
        text = self.label.boundingRect()
        self.label.setPos(-text.width() / 2, -text.height() / 2)
        self.restyle()
        self._moved = False

    def restyle(self) -> None:
        """Colour the dot: the accent, a ring when selected."""
        accent = self.chart.palette().color(QPalette.ColorRole.Highlight)
        self.setBrush(QBrush(accent))
        ring = self.chart.palette().color(QPalette.ColorRole.Text)
        self.setPen(QPen(ring, 3.0 if self.isSelected() else 1.0))
        self.label.setBrush(QBrush(self.chart.palette().color(QPalette.ColorRole.HighlightedText)))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """The dot; its ring says it is selected (no dashed box around it)."""
        option.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, option, widget)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        """Keep a dragged point on its own diagram."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and isinstance(
            value, QPointF
        ):
            rect = box(self.view)
            self._moved = True
            return QPointF(
                min(rect.right(), max(rect.left(), value.x())),
                min(rect.bottom(), max(rect.top(), value.y())),
            )
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.restyle()
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """A drag ends: the chart hears where the point now is."""
        super().mouseReleaseEvent(event)
        if self._moved:
            self._moved = False
            self.chart.item_moved(self)

    def fractions(self) -> tuple[float, float]:
        """The point's position as fractions of its diagram."""
        rect = box(self.view)
        return (
            _clamp((self.pos().x() - rect.left()) / BOX_W),
            _clamp((self.pos().y() - rect.top()) / BOX_H),
        )


class FaceChart(QGraphicsView):
    """The face diagrams and the points charted on them.

    Signals:
        point_placed: a click on a diagram (view, x, y): the host adds the point.
        point_moved: a point was dragged or moved with the arrow keys (index, x, y).
        point_selected: the selected point changed (its index, or -1).
        delete_requested: Delete was pressed on a selected point (its index).
    """

    point_placed = Signal(str, float, float)
    point_moved = Signal(int, float, float)
    point_selected = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editable = True
        self.setScene(QGraphicsScene(self))
        self.scene().setSceneRect(QRectF(0.0, 0.0, 3 * BOX_W + 2 * GAP, BOX_H + CAPTION))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 170)
        self.setAccessibleName(self.tr("Face chart"))
        self.setAccessibleDescription(
            self.tr(
                "Click a diagram to place an injection point; drag a point or use the arrow "
                "keys to move it; Delete removes it. The points are listed in the table."
            )
        )
        self.faces = [_Face(view, self._line_colour()) for view in LAYOUT]
        self.captions: list[QGraphicsSimpleTextItem] = []
        for face in self.faces:
            self.scene().addItem(face)
            caption = QGraphicsSimpleTextItem(say(VIEW_WORDS, face.view))
            font = caption.font()
            font.setPixelSize(22)
            caption.setFont(font)
            rect = box(face.view)
            caption.setPos(
                rect.center().x() - caption.boundingRect().width() / 2, rect.bottom() + 8
            )
            self.scene().addItem(caption)
            self.captions.append(caption)
        self.items_: list[_PointItem] = []
        self._restyle()
        self.scene().selectionChanged.connect(self._selection_changed)

    def _line_colour(self) -> QColor:
        colour = self.palette().color(QPalette.ColorRole.Text)
        colour.setAlphaF(0.75)
        return QColor.fromRgbF(colour.redF(), colour.greenF(), colour.blueF())

    def _restyle(self) -> None:
        self.setBackgroundBrush(QBrush(self.palette().color(QPalette.ColorRole.Base)))
        for face in self.faces:
            face.set_colour(self._line_colour())
        muted = qtone("muted", self.palette())
        for caption in self.captions:
            caption.setBrush(QBrush(muted))
        for item in self.items_:
            item.restyle()

    def changeEvent(self, event: QEvent) -> None:
        """Follow the theme: the lines and points in the new palette's colours."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The diagrams fill the view, keeping their shape."""
        super().resizeEvent(event)
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def set_editable(self, editable: bool) -> None:
        """Whether clicks place points and points can be moved or deleted."""
        self.editable = editable

    def set_points(self, points: Sequence[ChartPoint], selected: int = -1) -> None:
        """Show ``points`` (numbered in order), ``selected`` selected."""
        blocker = self.scene().signalsBlocked()
        self.scene().blockSignals(True)
        for item in self.items_:
            self.scene().removeItem(item)
        self.items_ = [
            _PointItem(self, index, point, self.editable) for index, point in enumerate(points)
        ]
        for item in self.items_:
            self.scene().addItem(item)
            item.setSelected(item.index == selected)
        self.scene().blockSignals(blocker)

    def select(self, index: int) -> None:
        """Select one point (-1: none) without telling the host."""
        self.scene().blockSignals(True)
        for item in self.items_:
            item.setSelected(item.index == index)
        self.scene().blockSignals(False)

    def selected_index(self) -> int:
        """The selected point's index, or -1."""
        return next((item.index for item in self.items_ if item.isSelected()), -1)

    def _selection_changed(self) -> None:
        self.point_selected.emit(self.selected_index())

    def item_moved(self, item: _PointItem) -> None:
        """A point was dragged to a new place."""
        x, y = item.fractions()
        self.point_moved.emit(item.index, x, y)

    def scene_position_of(self, index: int) -> QPointF:
        """Where point ``index`` is drawn, in the view's coordinates (tests click there)."""
        return QPointF(self.mapFromScene(self.items_[index].pos()))

    def view_position(self, view: str, x: float, y: float) -> QPointF:
        """A stored position in the view's coordinates (tests click there)."""
        return QPointF(self.mapFromScene(scene_point(view, x, y)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click on a diagram, away from the points, places a point there."""
        under = self.itemAt(event.position().toPoint())
        if (
            self.editable
            and event.button() == Qt.MouseButton.LeftButton
            and not isinstance(under, _PointItem | QGraphicsSimpleTextItem)
        ):
            found = diagram_at(self.mapToScene(event.position().toPoint()))
            if found is not None:
                view, x, y = found
                self.point_placed.emit(view, _clamp(x), _clamp(y))
                event.accept()
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Delete removes the selected point; the arrow keys move it."""
        index = self.selected_index()
        if index >= 0 and self.editable:
            key = event.key()
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_requested.emit(index)
                event.accept()
                return
            moves: dict[int, tuple[float, float]] = {
                Qt.Key.Key_Left.value: (-STEP, 0.0),
                Qt.Key.Key_Right.value: (STEP, 0.0),
                Qt.Key.Key_Up.value: (0.0, -STEP),
                Qt.Key.Key_Down.value: (0.0, STEP),
            }
            if int(key) in moves:
                dx, dy = moves[int(key)]
                x, y = self.items_[index].fractions()
                self.point_moved.emit(index, _clamp(x + dx), _clamp(y + dy))
                event.accept()
                return
        super().keyPressEvent(event)
