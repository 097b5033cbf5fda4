"""Handwritten-signature capture: :class:`SignaturePad` and :class:`SignatureBox`.

A signature is kept as vector strokes, never as a bitmap, so that the consent
document can freeze it as JSON and the PDF can draw it as vectors.  A stroke is a
list of points ``{"x", "y", "t", "p"}``: widget coordinates rounded to 0.1 px,
milliseconds since the first point of the signature, and pen pressure 0..1
(0.5 when the device has no pressure, e.g. a mouse).  The coordinates refer to
the canvas size returned by :meth:`SignaturePad.canvas_size`, which is stored
with the strokes.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QLocale,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QEventPoint,
    QFont,
    QInputDevice,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPointingDevice,
    QResizeEvent,
    QTabletEvent,
    QTouchEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from consult.domain.signatures import signature_problem
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.tones import style_with_tones

_MNEMONIC = re.compile(r"[(（]&[^&\s][)）]|&")
"""A button's Alt letter: "&Undo"'s "&", or a Japanese "元に戻す(&U)"'s whole "(&U)"
(without its Alt key, the "(U)" would promise one)."""

Point = dict[str, float]
"""One sampled point: ``x``, ``y`` (px, 0.1 precision), ``t`` (int ms), ``p`` (0..1)."""
Stroke = list[Point]
"""One pen-down to pen-up movement."""

DEFAULT_PRESSURE = 0.5

# The pad is drawn as a sheet of paper whatever the desktop theme, because the
# signature is printed dark-on-white on the consent form.
_PAPER = QColor("#ffffff")
_PAPER_DISABLED = QColor("#eef0f2")
_BORDER = QColor("#9aa3ad")
_BASELINE = QColor("#7d8894")
_HINT = QColor("#8a939c")
_INK = QColor("#14213d")
_FOCUS = QColor("#2f6fdf")


def _monotonic_ms() -> int:
    return time.monotonic_ns() // 1_000_000


def _has_pressure(device: QInputDevice | None) -> bool:
    if device is None:
        return False
    return bool(device.capabilities() & QInputDevice.Capability.Pressure)


def _stroke_width(pressure: float) -> float:
    """Pen width in canvas px for a pressure; 2.2 px at the mouse's 0.5."""
    return 0.8 + 2.8 * min(max(pressure, 0.0), 1.0)


def _normalise_point(raw: Mapping[str, Any]) -> Point:
    try:
        x = round(float(raw["x"]), 1)
        y = round(float(raw["y"]), 1)
        t = int(raw.get("t", 0))
        p = float(raw.get("p", DEFAULT_PRESSURE))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a signature point: {raw!r}") from exc
    if not all(math.isfinite(v) for v in (x, y, p)):
        raise ValueError(f"not a signature point: {raw!r}")
    return {"x": x, "y": y, "t": t, "p": round(min(max(p, 0.0), 1.0), 3)}


def paint_strokes(
    painter: QPainter, strokes: Iterable[Sequence[Mapping[str, float]]], color: QColor
) -> None:
    """Draw strokes as smooth antialiased curves whose width follows the pressure.

    Each stroke is a chain of quadratic Béziers through the midpoints of its
    samples; consecutive pieces of (nearly) the same width share one path, so a
    mouse signature is one ``drawPath`` per stroke.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for stroke in strokes:
        _paint_stroke(painter, stroke, color)
    painter.restore()


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _paint_stroke(painter: QPainter, stroke: Sequence[Mapping[str, float]], color: QColor) -> None:
    n = len(stroke)
    if n == 0:
        return
    pts = [QPointF(pt["x"], pt["y"]) for pt in stroke]
    widths = [_stroke_width(pt.get("p", DEFAULT_PRESSURE)) for pt in stroke]
    if n == 1 or all(pts[0] == q for q in pts[1:]):
        radius = max(widths) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawEllipse(pts[0], radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        return

    def quantise(w: float) -> float:
        return round(w * 4) / 4

    # Each piece runs from the previous midpoint to the next one, bending
    # through the sample between them; the last piece ends on the last sample.
    path = QPainterPath(pts[0])
    current_w = quantise((widths[0] + widths[1]) / 2)
    for i in range(1, n):
        if i < n - 1:
            end = (pts[i] + pts[i + 1]) / 2
            w = quantise((widths[i - 1] + 2 * widths[i] + widths[i + 1]) / 4)
        else:
            end = pts[i]
            w = quantise((widths[i - 1] + widths[i]) / 2)
        if w != current_w:
            painter.setPen(_pen(color, current_w))
            painter.drawPath(path)
            path = QPainterPath(path.currentPosition())
            current_w = w
        if i < n - 1:
            path.quadTo(pts[i], end)
        else:
            path.lineTo(end)
    painter.setPen(_pen(color, current_w))
    painter.drawPath(path)


class SignaturePad(QWidget):
    """A pad on which a person signs with a mouse, a finger or a pen.

    The signature is recorded as vector strokes with timing and pressure (see the
    module docstring).  The pad refuses input while disabled and then shows the
    hint set with :meth:`set_disabled_hint`.  Keyboard, when the pad has focus:
    Ctrl+Z undoes the last stroke (so does Backspace), Ctrl+Shift+Z (or the
    platform's redo key) redoes it, Delete clears the pad, Escape abandons the
    stroke being drawn.

    Signals:
        changed: the recorded strokes changed (a stroke was finished, undone,
            redone, or the pad was cleared or loaded).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._redo: list[Stroke] = []
        self._current: Stroke | None = None
        self._touch_id: int | None = None
        self._t_origin = 0
        self._clock: Callable[[], int] = _monotonic_ms
        self._canvas = (self.width(), self.height())
        self._ink_cache: QPixmap | None = None
        self._hint = self.tr("×  Sign here")
        self._disabled_hint = ""

        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))
        self._update_accessible_description()

    # ----------------------------------------------------------------- public API
    def strokes(self) -> list[list[dict[str, float]]]:
        """The finished strokes as plain, JSON-ready data (a copy)."""
        return [[dict(pt) for pt in stroke] for stroke in self._strokes]

    def set_strokes(
        self,
        strokes: Iterable[Iterable[Mapping[str, Any]]],
        size: tuple[int, int] | None = None,
    ) -> None:
        """Replace the signature with ``strokes`` captured on a canvas of ``size``.

        Without ``size`` the strokes are taken to be in the pad's current
        coordinates.  Undo/redo history is discarded.  Raises ``ValueError`` on
        malformed points (nothing is changed then).
        """
        loaded = [[_normalise_point(pt) for pt in stroke] for stroke in strokes]
        loaded = [stroke for stroke in loaded if stroke]
        if size is not None:
            w, h = int(size[0]), int(size[1])
            if w <= 0 or h <= 0:
                raise ValueError(f"not a canvas size: {size!r}")
            canvas = (w, h)
        else:
            canvas = (self.width(), self.height())
        self._cancel_current()
        self._strokes = loaded
        self._redo = []
        self._canvas = canvas
        last_t = max((int(pt["t"]) for stroke in loaded for pt in stroke), default=-1)
        # New strokes, if any, continue the timeline after the loaded ones.
        self._t_origin = self._clock() - (last_t + 1)
        self._sync_canvas_if_blank()
        self._strokes_changed()

    def signature_data(self) -> dict[str, Any]:
        """``{"size": [w, h], "strokes": [...]}``: the strokes with their canvas size."""
        w, h = self.canvas_size()
        return {"size": [w, h], "strokes": self.strokes()}

    def set_signature_data(self, data: Mapping[str, Any]) -> None:
        """Load what :meth:`signature_data` returned."""
        size = data.get("size")
        self.set_strokes(
            data.get("strokes", []), (int(size[0]), int(size[1])) if size is not None else None
        )

    def canvas_size(self) -> tuple[int, int]:
        """Width and height of the coordinate space the strokes are recorded in.

        While the pad is blank this follows the widget's size; once there is ink
        it stays fixed, and the drawing is scaled if the widget is resized.
        """
        if self._strokes or self._redo or self._current is not None:
            return self._canvas
        return (self.width(), self.height())

    def clear(self) -> None:
        """Remove every stroke and forget the undo history.

        Not undoable on purpose: a pad reused for the next signer must not give
        the previous signature back on Ctrl+Z.
        """
        had_ink = bool(self._strokes or self._redo or self._current)
        self._cancel_current()
        self._strokes = []
        self._redo = []
        self._sync_canvas_if_blank()
        if had_ink:
            self._strokes_changed()

    def undo(self) -> None:
        """Remove the last stroke (it can be brought back with :meth:`redo`)."""
        if self._current is not None:
            self._cancel_current()
            self.update()
            return
        if not self._strokes:
            return
        self._redo.append(self._strokes.pop())
        self._strokes_changed()

    def redo(self) -> None:
        """Bring back the last stroke removed by :meth:`undo`."""
        if not self._redo or self._current is not None:
            return
        self._strokes.append(self._redo.pop())
        self._strokes_changed()

    def can_undo(self) -> bool:
        """Whether :meth:`undo` would remove a stroke."""
        return bool(self._strokes)

    def can_redo(self) -> bool:
        """Whether :meth:`redo` would bring a stroke back."""
        return bool(self._redo)

    def is_empty(self) -> bool:
        """True when no finished stroke is recorded."""
        return not self._strokes

    def validate(self) -> str | None:
        """``None`` if the signature is acceptable, else a plain-language reason."""
        if not self._strokes:
            return self.tr("Please sign in the box.")
        # The same check as the signing service's (consult.domain.signatures), so a
        # signature accepted here is never refused when the record is sealed.
        if signature_problem(self._strokes):
            return self.tr(
                "This looks like a dot or a short line rather than a signature. "
                "Please clear the box and sign as you usually do."
            )
        return None

    def hint(self) -> str:
        """The prompt shown on a blank, enabled pad."""
        return self._hint

    def set_hint(self, text: str) -> None:
        """Set the prompt shown on a blank, enabled pad (default "×  Sign here")."""
        self._hint = text
        self.update()

    def disabled_hint(self) -> str:
        """The explanation shown while the pad is disabled."""
        return self._disabled_hint

    def set_disabled_hint(self, text: str) -> None:
        """Explain why the pad is disabled, e.g. "Scroll to the end of the consent text to sign"."""
        self._disabled_hint = text
        self._update_accessible_description()
        self.update()

    def sizeHint(self) -> QSize:
        """About the size of the signature box on a paper form."""
        return QSize(480, 160)

    def minimumSizeHint(self) -> QSize:
        """Small enough for a laptop, large enough for a real signature."""
        return QSize(320, 120)

    # ------------------------------------------------------------ stroke capture
    def _begin(self, pos: QPointF, pressure: float) -> bool:
        """Start a stroke at ``pos``; False if the pad takes no ink (disabled)."""
        if not self.isEnabled():
            return False
        now = self._clock()
        if not self._strokes and not self._redo:
            # First ink of a signature: freeze the canvas and start the clock.
            self._canvas = (max(1, self.width()), max(1, self.height()))
            self._t_origin = now
        self._current = []
        self._add(pos, pressure, now)
        return True

    def _add(self, pos: QPointF, pressure: float, now: int | None = None) -> None:
        if self._current is None:
            return
        if now is None:
            now = self._clock()
        cpos = self._to_canvas(pos)
        point: Point = {
            "x": round(cpos.x(), 1),
            "y": round(cpos.y(), 1),
            "t": max(0, now - self._t_origin),
            "p": round(min(max(pressure, 0.0), 1.0), 3),
        }
        if self._current:
            last = self._current[-1]
            if last["x"] == point["x"] and last["y"] == point["y"] and last["p"] == point["p"]:
                return
        self._current.append(point)
        self.update()

    def _finish(self) -> None:
        stroke = self._current
        self._current = None
        self._touch_id = None
        if not stroke:
            return
        self._strokes.append(stroke)
        self._redo = []
        self._strokes_changed()

    def _cancel_current(self) -> None:
        self._current = None
        self._touch_id = None

    def _strokes_changed(self) -> None:
        self._ink_cache = None
        self.update()
        self.changed.emit()

    def _sync_canvas_if_blank(self) -> None:
        if not self._strokes and not self._redo and self._current is None:
            self._canvas = (max(1, self.width()), max(1, self.height()))
            self._ink_cache = None

    # ---------------------------------------------------------- coordinate space
    def _transform(self) -> QTransform:
        """Canvas -> widget: uniform scale, centred, when the widget was resized."""
        cw, ch = self._canvas
        w, h = self.width(), self.height()
        if (cw, ch) == (w, h) or cw <= 0 or ch <= 0:
            return QTransform()
        s = min(w / cw, h / ch)
        return QTransform(s, 0, 0, s, (w - cw * s) / 2, (h - ch * s) / 2)

    def _to_canvas(self, pos: QPointF) -> QPointF:
        inverted, ok = self._transform().inverted()
        cpos = inverted.map(pos) if ok else QPointF(pos)
        cw, ch = self._canvas
        return QPointF(min(max(cpos.x(), 0.0), float(cw)), min(max(cpos.y(), 0.0), float(ch)))

    # ------------------------------------------------------------------- events
    @staticmethod
    def _is_synthesised(event: QMouseEvent) -> bool:
        # Touch and pen input are handled as such; their mouse echoes are dropped.
        return event.deviceType() in (
            QInputDevice.DeviceType.TouchScreen,
            QInputDevice.DeviceType.Stylus,
            QInputDevice.DeviceType.Airbrush,
            QInputDevice.DeviceType.Puck,
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a stroke on a left-button press."""
        if self._is_synthesised(event) or not self.isEnabled():
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self._current is None:
            self._begin(event.position(), DEFAULT_PRESSURE)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the stroke while the left button is held."""
        if self._is_synthesised(event):
            event.accept()
            return
        if self._current is not None and self._touch_id is None:
            if event.buttons() & Qt.MouseButton.LeftButton:
                self._add(event.position(), DEFAULT_PRESSURE)
            else:
                # The release went missing (e.g. a modal popup took it).
                self._finish()
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End the stroke."""
        if self._is_synthesised(event):
            event.accept()
            return
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self._current is not None
            and self._touch_id is None
        ):
            self._add(event.position(), DEFAULT_PRESSURE)
            self._finish()
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pen input, with pressure when the tablet reports it."""
        # Accept everything so that Qt does not also synthesise mouse events.
        event.accept()
        if not self.isEnabled():
            return
        device = event.pointingDevice()
        pressure = event.pressure() if _has_pressure(device) else DEFAULT_PRESSURE
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            if (
                self._current is None
                and event.button() == Qt.MouseButton.LeftButton
                and event.pointerType() != QPointingDevice.PointerType.Eraser
            ):
                self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            if self._current is not None and self._touch_id is None:
                self._add(event.position(), pressure)
        elif (
            kind == QEvent.Type.TabletRelease
            and self._current is not None
            and self._touch_id is None
        ):
            self._finish()

    def _touch_event(self, event: QTouchEvent) -> None:
        if not self.isEnabled():
            event.ignore()
            return
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._cancel_current()
            self.update()
            event.accept()
            return
        pressure_known = _has_pressure(event.device())
        points = event.points()
        if self._touch_id is None:
            if kind != QEvent.Type.TouchBegin or self._current is not None or not points:
                event.accept()
                return
            first = points[0]
            if self._begin(
                first.position(), first.pressure() if pressure_known else DEFAULT_PRESSURE
            ):
                self._touch_id = first.id()
            event.accept()
            return
        # Only the finger that started the stroke draws; others are ignored.
        for point in points:
            if point.id() != self._touch_id:
                continue
            pressure = point.pressure() if pressure_known else DEFAULT_PRESSURE
            if point.state() == QEventPoint.State.Released:
                self._add(point.position(), pressure)
                self._finish()
            else:
                self._add(point.position(), pressure)
        if kind == QEvent.Type.TouchEnd and self._touch_id is not None:
            self._finish()
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Route touch events, and claim our keys before window shortcuts do."""
        kind = event.type()
        if kind in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            assert isinstance(event, QTouchEvent)
            self._touch_event(event)
            return event.isAccepted()
        if kind == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if self._key_action(event) is not None:
                event.accept()
                return True
        return super().event(event)

    def _key_action(self, event: QKeyEvent) -> Callable[[], None] | None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if event.matches(QKeySequence.StandardKey.Undo):
            return self.undo
        if event.matches(QKeySequence.StandardKey.Redo) or (
            key == Qt.Key.Key_Z and mods == ctrl_shift
        ):
            return self.redo
        if mods == Qt.KeyboardModifier.NoModifier:
            if key == Qt.Key.Key_Delete:
                return self.clear
            if key == Qt.Key.Key_Backspace:
                return self.undo
            if key == Qt.Key.Key_Escape and self._current is not None:
                return self._abandon_stroke
        return None

    def _abandon_stroke(self) -> None:
        self._cancel_current()
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Z / Backspace undo, Ctrl+Shift+Z redo, Delete clear, Escape abandon."""
        action = self._key_action(event)
        if action is None:
            super().keyPressEvent(event)
            return
        action()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Follow the widget while blank; keep the ink's canvas once signed."""
        self._sync_canvas_if_blank()
        self._ink_cache = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """Drop a half-drawn stroke when disabled; repaint for the new look."""
        kind = event.type()
        if kind == QEvent.Type.EnabledChange:
            if not self.isEnabled():
                self._cancel_current()
                self.unsetCursor()
            else:
                self.setCursor(Qt.CursorShape.CrossCursor)
            self._update_accessible_description()
            self._ink_cache = None
            self.update()
        elif kind in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.update()
        super().changeEvent(event)

    def _update_accessible_description(self) -> None:
        if not self.isEnabled() and self._disabled_hint:
            text = self._disabled_hint
        else:
            text = self.tr(
                "Sign with a finger, a pen or the mouse. Ctrl+Z undoes the last stroke, "
                "Ctrl+Shift+Z redoes it, Delete clears the signature."
            )
        self.setAccessibleDescription(text)

    # ----------------------------------------------------------------- painting
    def _ink_pixmap(self) -> QPixmap:
        if self._ink_cache is None or self._ink_cache.size() != self._device_size():
            dpr = self.devicePixelRatioF()
            pixmap = QPixmap(self._device_size())
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setTransform(self._transform())
            paint_strokes(painter, self._strokes, self._ink_color())
            painter.end()
            self._ink_cache = pixmap
        return self._ink_cache

    def _device_size(self) -> QSize:
        dpr = self.devicePixelRatioF()
        return QSize(max(1, math.ceil(self.width() * dpr)), max(1, math.ceil(self.height() * dpr)))

    def _ink_color(self) -> QColor:
        return _INK if self.isEnabled() else _INK.lighter(160)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paper, baseline, hint, the recorded ink and the stroke in progress."""
        enabled = self.isEnabled()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)

        # Background of the parent behind the rounded corners.
        painter.fillRect(self.rect(), self.palette().window())
        painter.setPen(QPen(_FOCUS if self.hasFocus() and enabled else _BORDER, 1.0))
        painter.setBrush(_PAPER if enabled else _PAPER_DISABLED)
        painter.drawRoundedRect(rect, 6, 6)

        painter.save()
        painter.setTransform(self._transform(), True)
        cw, ch = self._canvas  # the widget's own size while the pad is blank
        margin = min(28.0, cw * 0.06)
        baseline_y = ch - max(26.0, ch * 0.26)
        line_pen = QPen(_BASELINE if enabled else _BASELINE.lighter(130), 1.0)
        if not enabled:
            line_pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(line_pen)
        painter.drawLine(QPointF(margin, baseline_y), QPointF(cw - margin, baseline_y))

        blank = not self._strokes and self._current is None
        if blank:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.15)
            painter.setFont(font)
            painter.setPen(_HINT)
            if enabled or not self._disabled_hint:
                hint_rect = QRectF(margin + 2, 0, cw - 2 * margin, baseline_y - 6)
                painter.drawText(
                    hint_rect,
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                    self._hint,
                )
            else:
                hint_rect = QRectF(margin, 8, cw - 2 * margin, baseline_y - 14)
                painter.drawText(
                    hint_rect,
                    int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                    self._disabled_hint,
                )
        painter.restore()

        if self._strokes:
            painter.drawPixmap(0, 0, self._ink_pixmap())
        if self._current:
            painter.setTransform(self._transform())
            paint_strokes(painter, [self._current], self._ink_color())
        painter.end()


class SignatureBox(QWidget):
    """A :class:`SignaturePad` with its caption, as on a paper consent form.

    Above the pad: what the signature means (e.g. "Consent given") and the
    Undo / Redo / Clear buttons; below it: the signer's printed name and role,
    and the date and time set by the caller.  The buttons follow the pad's state.
    Two boxes in one window pass ``mnemonics=False``: one Alt+U must not mean two
    buttons (the pad's own keys, Ctrl+Z, Ctrl+Shift+Z and Delete, still work).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        meaning: str = "",
        name: str = "",
        role: str = "",
        mnemonics: bool = True,
    ) -> None:
        super().__init__(parent)
        self._pad = SignaturePad(self)

        self._meaning_label = QLabel(self)
        # Wrapped, so that a long caption (Japanese has no spaces: Qt then breaks
        # between characters) never makes the box, and the consent step, wider.
        self._meaning_label.setWordWrap(True)
        bold = QFont(self._meaning_label.font())
        bold.setBold(True)
        self._meaning_label.setFont(bold)

        self._undo_button = QPushButton(self.tr("&Undo"), self)
        self._undo_button.setAccessibleName(self.tr("Undo last stroke"))
        self._undo_button.setToolTip(self.tr("Remove the last stroke (Ctrl+Z)"))
        self._redo_button = QPushButton(self.tr("&Redo"), self)
        self._redo_button.setAccessibleName(self.tr("Redo stroke"))
        self._redo_button.setToolTip(self.tr("Bring back the stroke removed last (Ctrl+Shift+Z)"))
        self._clear_button = QPushButton(self.tr("C&lear"), self)
        self._clear_button.setAccessibleName(self.tr("Clear signature"))
        self._clear_button.setToolTip(self.tr("Erase the whole signature (Delete)"))
        for button in (self._undo_button, self._redo_button, self._clear_button):
            if not mnemonics:
                button.setText(_MNEMONIC.sub("", button.text()))
            # Enter in a dialog must never clear a signature.
            button.setAutoDefault(False)
            button.setDefault(False)
        self._undo_button.clicked.connect(self._pad.undo)
        self._redo_button.clicked.connect(self._pad.redo)
        self._clear_button.clicked.connect(self._pad.clear)

        self._name_label = QLabel(self)
        self._name_label.setFont(bold)
        self._name_label.setTextFormat(Qt.TextFormat.PlainText)
        self._role_label = QLabel(self)
        self._role_label.setTextFormat(Qt.TextFormat.PlainText)
        style_with_tones(self._role_label, "color: $muted;")
        self._when_label = QLabel(self)
        self._when_label.setTextFormat(Qt.TextFormat.PlainText)
        self._when_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._meaning_label.setTextFormat(Qt.TextFormat.PlainText)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._meaning_label, 1)
        top.addWidget(self._undo_button)
        top.addWidget(self._redo_button)
        top.addWidget(self._clear_button)

        who = QVBoxLayout()
        who.setContentsMargins(0, 0, 0, 0)
        who.setSpacing(0)
        who.addWidget(self._name_label)
        who.addWidget(self._role_label)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addLayout(who, 1)
        bottom.addWidget(self._when_label, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self._pad, 1)
        layout.addLayout(bottom)

        self._pad.changed.connect(self._sync_buttons)
        self._pad.installEventFilter(self)
        self.set_meaning(meaning)
        self.set_signer(name, role)
        self.set_date_time(None)
        self._sync_buttons()

    @property
    def pad(self) -> SignaturePad:
        """The signature pad inside the box."""
        return self._pad

    def meaning(self) -> str:
        """What the signature means, e.g. "Consent given"."""
        return self._meaning_label.text()

    def set_meaning(self, text: str) -> None:
        """Set what the signature means, e.g. "Consent given" or "Consent taken"."""
        self._meaning_label.setText(text)
        self._meaning_label.setVisible(bool(text))
        self._update_accessible_name()

    def name(self) -> str:
        """The signer's printed name."""
        return self._name_label.text()

    def role(self) -> str:
        """The signer's role, e.g. "Patient" or "Practitioner"."""
        return self._role_label.text()

    def set_signer(self, name: str, role: str = "") -> None:
        """Set the printed name and role shown under the pad."""
        self._name_label.setText(name)
        self._role_label.setText(role)
        self._role_label.setVisible(bool(role))
        self._update_accessible_name()

    def date_time_text(self) -> str:
        """The date and time as shown."""
        return self._when_label.text()

    def set_date_time(self, when: datetime | str | None) -> None:
        """Show the date and time of signing (a ``datetime`` is formatted for the locale)."""
        if isinstance(when, datetime):
            qdt = QDateTime(
                QDate(when.year, when.month, when.day),
                QTime(when.hour, when.minute, when.second),
            )
            text = self.locale().toString(qdt, QLocale.FormatType.ShortFormat)
        else:
            text = when or ""
        self._when_label.setText(text)

    def _update_accessible_name(self) -> None:
        name, role = self.name(), self.role()
        if name and role:
            who = fill(self.tr("Signature of %1, %2"), name, role)
        elif name:
            who = self.tr("Signature of %1").replace("%1", name)
        else:
            who = self.tr("Signature pad")
        self._pad.setAccessibleName(who)
        meaning = self.meaning()
        self.setAccessibleName(f"{meaning}: {who}" if meaning else who)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the pad being enabled or disabled."""
        if watched is self._pad and event.type() == QEvent.Type.EnabledChange:
            self._sync_buttons()
        return super().eventFilter(watched, event)

    def _sync_buttons(self) -> None:
        enabled = self._pad.isEnabled()
        self._undo_button.setEnabled(enabled and self._pad.can_undo())
        self._redo_button.setEnabled(enabled and self._pad.can_redo())
        self._clear_button.setEnabled(enabled and not self._pad.is_empty())
