"""Choices that fit any width: check boxes and radio buttons whose words wrap, and a
layout that puts them in as many columns as the width allows.

A plain QCheckBox keeps its text on one line, so one long choice ("Inflammatory bowel
disease (Crohn's disease, ulcerative colitis)") made the whole questionnaire wider than
a 1024-pixel screen. These wrap their words and report the height a width needs, and
:class:`ColumnFlowLayout` reflows them from three columns down to one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLayout,
    QLayoutItem,
    QRadioButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QWidget,
)

_TEXT_FLAGS = (
    Qt.AlignmentFlag.AlignLeft
    | Qt.AlignmentFlag.AlignTop
    | Qt.TextFlag.TextWordWrap
    | Qt.TextFlag.TextShowMnemonic
)
_NARROWEST_TEXT = 120  # below this a choice's words are cut rather than wrapped further


_MARGIN = 2  # room for the focus frame around the words
_REMEMBERED_HEIGHTS = 32  # widths remembered per choice or layout (a window resized drags)
_MEASURE_AGAIN = frozenset(
    {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LanguageChange}
)


class _Kind:
    """What tells a check box's drawing from a radio button's."""

    def __init__(
        self,
        indicator: QStyle.PrimitiveElement,
        width: QStyle.PixelMetric,
        height: QStyle.PixelMetric,
        spacing: QStyle.PixelMetric,
    ) -> None:
        self.indicator = indicator
        self.width = width
        self.height = height
        self.spacing = spacing


_CHECK = _Kind(
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PixelMetric.PM_IndicatorWidth,
    QStyle.PixelMetric.PM_IndicatorHeight,
    QStyle.PixelMetric.PM_CheckBoxLabelSpacing,
)
_RADIO = _Kind(
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
    QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
    QStyle.PixelMetric.PM_RadioButtonLabelSpacing,
)


def _metrics(button: QAbstractButton, kind: _Kind) -> tuple[int, int, int]:
    style = button.style()
    return (
        style.pixelMetric(kind.width, None, button),
        style.pixelMetric(kind.height, None, button),
        style.pixelMetric(kind.spacing, None, button),
    )


def _text_rect(button: QAbstractButton, kind: _Kind, width: int) -> QRect:
    indicator, _height, spacing = _metrics(button, kind)
    left = indicator + spacing + _MARGIN
    room = max(1, width - left - _MARGIN)
    bounds = button.fontMetrics().boundingRect(
        QRect(0, 0, room, 100_000), int(_TEXT_FLAGS), button.text()
    )
    return QRect(left, _MARGIN, min(room, bounds.width()), bounds.height())


def _height_for_width(button: QAbstractButton, kind: _Kind, width: int) -> int:
    _indicator, height, _spacing = _metrics(button, kind)
    return max(height, _text_rect(button, kind, width).height()) + 2 * _MARGIN


def _one_line_width(button: QAbstractButton, kind: _Kind) -> int:
    indicator, _height, spacing = _metrics(button, kind)
    words = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
    return indicator + spacing + words + 3 * _MARGIN


def _narrow_width(button: QAbstractButton, kind: _Kind) -> int:
    indicator, _height, spacing = _metrics(button, kind)
    return min(_one_line_width(button, kind), indicator + spacing + _NARROWEST_TEXT + 3 * _MARGIN)


def _paint(button: QAbstractButton, kind: _Kind, option: QStyleOptionButton) -> None:
    """The indicator at the top left, the words wrapped beside it, and the focus frame
    around the words while the choice has the keyboard focus."""
    painter = QStylePainter(button)
    indicator, height, _spacing = _metrics(button, kind)
    text = _text_rect(button, kind, button.width())
    line = button.fontMetrics().height()
    box = QStyleOptionButton(option)
    box.rect = QRect(_MARGIN // 2, text.top() + max(0, (line - height) // 2), indicator, height)
    painter.drawPrimitive(kind.indicator, box)
    painter.drawItemText(
        text,
        int(_TEXT_FLAGS),
        option.palette,
        button.isEnabled(),
        button.text(),
        QPalette.ColorRole.WindowText,
    )
    if button.hasFocus():
        focus = QStyleOptionFocusRect()
        focus.initFrom(button)
        focus.rect = text.adjusted(-_MARGIN, -1, _MARGIN, 1)
        focus.backgroundColor = option.palette.color(QPalette.ColorRole.Window)
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)


def _wrapping_policy() -> QSizePolicy:
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    return policy


if TYPE_CHECKING:
    # What the mixin is mixed into, for the type checker (a radio button offers the same).
    _ChoiceBase = QCheckBox
else:
    _ChoiceBase = object


class _WrappingChoice(_ChoiceBase):
    """What a check box and a radio button share when their words wrap: the height
    follows the width, the hint is the words on one line, the minimum a short line, a
    click on the words counts, and the style paints indicator, words and focus frame.
    ``_KIND`` says which indicator (``_CHECK`` or ``_RADIO``)."""

    _KIND: _Kind

    def hasHeightForWidth(self) -> bool:
        """The words wrap: the height depends on the width."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the wrapped words need at ``width`` (remembered for the words and
        width until the font or style changes: a layout asks many times)."""
        heights = self._heights()
        key = (width, self.text())
        height = heights.get(key)
        if height is None:
            if len(heights) >= _REMEMBERED_HEIGHTS:
                heights.clear()
            height = heights[key] = _height_for_width(self, self._KIND, width)
        return height

    def _heights(self) -> dict[tuple[int, str], int]:
        try:
            return self._height_cache
        except AttributeError:
            self._height_cache: dict[tuple[int, str], int] = {}
            return self._height_cache

    def changeEvent(self, event: QEvent) -> None:
        """A new font or style: the heights are measured again."""
        if event.type() in _MEASURE_AGAIN:
            self._heights().clear()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        """The words on one line."""
        width = _one_line_width(self, self._KIND)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """Narrow: the words wrap down to a short line."""
        width = _narrow_width(self, self._KIND)
        return QSize(width, self.heightForWidth(width))

    def hitButton(self, pos: QPoint) -> bool:
        """A click anywhere on the choice, words included, toggles or chooses it."""
        return bool(self.rect().contains(pos))

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Indicator, wrapped words and focus frame."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        _paint(self, self._KIND, option)


class WrapCheckBox(_WrappingChoice, QCheckBox):
    """A check box whose words wrap (a click on the words toggles it)."""

    _KIND = _CHECK

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(_wrapping_policy())


class WrapRadioButton(_WrappingChoice, QRadioButton):
    """A radio button whose words wrap (a click on the words chooses it)."""

    _KIND = _RADIO

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(_wrapping_policy())


class ColumnFlowLayout(QLayout):
    """Items in rows of equal columns: as many columns (up to ``max_columns``) as fit
    with each at least ``min_column`` pixels wide, so a narrow window gets one column."""

    def __init__(
        self, parent: QWidget | None = None, *, max_columns: int = 3, min_column: int = 220
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._heights: dict[int, int] = {}
        self.max_columns = max_columns
        self.min_column = min_column
        self.columns = 1  # as last laid out
        self.setContentsMargins(0, 0, 0, 0)

    # The QLayout interface ------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        """Add an item at the end (row by row)."""
        self._items.append(item)
        self._heights.clear()

    def count(self) -> int:
        """How many items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        """The item at ``index``."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        """Remove and return the item at ``index``."""
        self._heights.clear()
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        """Takes the width it is given."""
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        """Narrower means more rows."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the items need at ``width`` (remembered until the layout is
        invalidated: an item added, shown, hidden or its size hint changed)."""
        height = self._heights.get(width)
        if height is None:
            if len(self._heights) >= _REMEMBERED_HEIGHTS:
                self._heights.clear()
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), move=False)
        return height

    def invalidate(self) -> None:
        """Forget the heights measured (Qt calls this whenever the items change)."""
        self._heights.clear()
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        """Lay the items out in ``rect``."""
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        """Two columns of the widest item, or what one column needs."""
        widest = max((item.sizeHint().width() for item in self._items), default=0)
        width = self._outer() + min(len(self._items), 2) * (widest + self._gap())
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:
        """One column of the narrowest width each item accepts."""
        width = max((item.minimumSize().width() for item in self._items), default=0)
        width += self._outer()
        return QSize(width, self.heightForWidth(width))

    # Laying out -----------------------------------------------------------------------

    def _gap(self) -> int:
        spacing = self.spacing()
        return spacing if spacing >= 0 else 6

    def _outer(self) -> int:
        margins = self.contentsMargins()
        return margins.left() + margins.right()

    def columns_for(self, width: int) -> int:
        """How many columns fit in ``width``."""
        gap = self._gap()
        inner = width - self._outer()
        fit = max(1, (inner + gap) // (self.min_column + gap))
        return max(1, min(self.max_columns, fit, len(self._items) or 1))

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        inner = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        shown = [item for item in self._items if not item.isEmpty()]
        columns = self.columns_for(rect.width())
        gap = self._gap()
        column_width = max(1, (inner.width() - gap * (columns - 1)) // columns)
        y = inner.top()
        for start in range(0, len(shown), columns):
            row = shown[start : start + columns]
            heights = [
                item.heightForWidth(column_width)
                if item.hasHeightForWidth()
                else item.sizeHint().height()
                for item in row
            ]
            height = max(heights)
            if move:
                for column, item in enumerate(row):
                    x = inner.left() + column * (column_width + gap)
                    item.setGeometry(QRect(x, y, column_width, heights[column]))
            y += height + gap
        if move:
            self.columns = columns
        used = y - inner.top() - (gap if shown else 0)
        return used + margins.top() + margins.bottom()
