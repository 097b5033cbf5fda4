"""One question's answers as large toggle buttons a finger or a key can press.

Every choice is a checkable button at least :data:`TOUCH_PX` high (a radio button's
circle is too small a target on a tablet), ticked with a mark as well as a colour. Yes /
no / not sure and single choices are exclusive; a list offers "None of these" first and
then its choices, any number of them. A date question is "Never" or "On this date" with
a date field; free text is a large line. The keyboard works as in a native form: Tab
moves from button to button, Space or Enter presses the one in focus, and the arrow
keys move within the question.

The answer is read and set in the intake exchange format (docs/clinical-knowledge.md):
"yes"/"no"/"unsure", lists of value ids, ISO dates or None (never), and strings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import Question
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.forms import to_date, to_qdate
from consult.ui.widgets.reflow import ColumnFlowLayout

TOUCH_PX = 56
"""The height of every answer button: more than the 44 px a fingertip needs."""
TICK = "✓  "
ANSWER_STYLE = f"""
ChoiceButton {{
    min-height: {TOUCH_PX}px;
    border: 2px solid palette(mid); border-radius: 12px;
    background: palette(base); color: palette(text);
}}
ChoiceButton:hover {{ border-color: palette(highlight); }}
ChoiceButton:focus {{ border: 3px dashed palette(highlight); }}
ChoiceButton:checked {{
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight); font-weight: bold;
}}
ChoiceButton:checked:focus {{ border: 3px dashed palette(text); }}
QDateEdit, QLineEdit {{ min-height: {TOUCH_PX}px; padding: 0 12px; }}
"""


class ChoiceButton(QPushButton):
    """A large toggle button for one answer, its words wrapped to its width (a choice
    can be a sentence); ticked (✓) as well as coloured when chosen."""

    def __init__(self, text: str, value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = text
        self.value = value
        self.setCheckable(True)
        self.setAutoDefault(False)
        self.setMinimumHeight(TOUCH_PX)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.label.setFont(font)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 8, 20, 8)
        row.addWidget(self.label)
        self.toggled.connect(self.show_tick)

    def show_tick(self, checked: bool) -> None:
        """Say (and colour) whether this answer is chosen."""
        self.label.setText(TICK + self.words if checked else self.words)
        self.label.setStyleSheet(
            "color: palette(highlighted-text); font-weight: bold;" if checked else ""
        )

    def text(self) -> str:
        """The words shown (with the tick when chosen): the button's own text is empty,
        its words are in a label that wraps."""
        return self.label.text()

    def hasHeightForWidth(self) -> bool:
        """Longer words wrap onto more lines."""
        return True

    def heightForWidth(self, width: int) -> int:
        """At least :data:`TOUCH_PX`, more when the words wrap."""
        layout = self.layout()
        needed = layout.totalHeightForWidth(width) if layout is not None else 0
        return max(TOUCH_PX, needed)

    def sizeHint(self) -> QSize:
        """As wide as the words on one line (up to a column), as high as they need."""
        hint = self.label.sizeHint()
        width = min(hint.width() + 44, 420)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """Narrow enough for one column on a portrait tablet."""
        return QSize(120, TOUCH_PX)


class AnswerButtons(QWidget):
    """The answer of one question: toggle buttons, a date field or a line of text.

    :attr:`changed` is emitted with the question's id whenever the patient changes it.
    """

    changed = Signal(str)

    def __init__(
        self, question: Question, words: PatientWords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.words = words
        self.setStyleSheet(ANSWER_STYLE)
        self.buttons: list[ChoiceButton] = []
        self.group: QButtonGroup | None = None
        self.none_button: ChoiceButton | None = None
        self.date_edit: QDateEdit | None = None
        self.line: QLineEdit | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        kind = question.type
        if kind in ("yn", "ynu"):
            pairs = [(v, words.marked(words.answer(v))) for v in question.value_ids]
            self._exclusive(pairs, layout, columns=len(pairs))
        elif kind == "one":
            pairs = [
                (c.id, words.marked(words.texts.value_label(question.id, c.id)))
                for c in question.values
            ]
            self._exclusive(pairs, layout, columns=2 if len(pairs) > 3 else len(pairs))
        elif kind == "multi":
            self._several(layout)
        elif kind == "date":
            self._date(layout)
        else:
            self.line = QLineEdit(self)
            self.line.setAccessibleName(words.texts.question_label(question.id).text)
            self.line.textChanged.connect(lambda _t: self.changed.emit(question.id))
            layout.addWidget(self.line)
        for button in self.buttons:
            button.installEventFilter(self)

    # Making ------------------------------------------------------------------------------

    def _button(self, text: str, value: str, flow: ColumnFlowLayout) -> ChoiceButton:
        button = ChoiceButton(text, value, self)
        label = self.words.texts.question_label(self.question.id).text
        button.setAccessibleName(f"{label}: {text}")
        flow.addWidget(button)
        self.buttons.append(button)
        return button

    def _flow(self, layout: QVBoxLayout, columns: int) -> ColumnFlowLayout:
        box = QWidget(self)
        flow = ColumnFlowLayout(box, max_columns=max(1, min(columns, 3)), min_column=200)
        flow.setSpacing(12)
        layout.addWidget(box)
        return flow

    def _exclusive(self, pairs: list[tuple[str, str]], layout: QVBoxLayout, columns: int) -> None:
        flow = self._flow(layout, columns)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for value, text in pairs:
            self.group.addButton(self._button(text, value, flow))
        self.group.buttonToggled.connect(self._exclusive_toggled)

    def _exclusive_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self.changed.emit(self.question.id)

    def _several(self, layout: QVBoxLayout) -> None:
        flow = self._flow(layout, 2)
        words = self.words
        self.none_button = self._button(
            words.marked(words.answer("none_of_these")), "none_of_these", flow
        )
        self.none_button.toggled.connect(self._none_toggled)
        for choice in self.question.values:
            text = words.marked(words.texts.value_label(self.question.id, choice.id))
            self._button(text, choice.id, flow).toggled.connect(self._choice_toggled)

    def _choices(self) -> list[ChoiceButton]:
        return [b for b in self.buttons if b is not self.none_button]

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for button in self._choices():
                button.blockSignals(True)
                button.setChecked(False)
                button.show_tick(False)
                button.blockSignals(False)
        self.changed.emit(self.question.id)

    def _choice_toggled(self, checked: bool) -> None:
        if checked and self.none_button is not None and self.none_button.isChecked():
            self.none_button.blockSignals(True)
            self.none_button.setChecked(False)
            self.none_button.show_tick(False)
            self.none_button.blockSignals(False)
        self.changed.emit(self.question.id)

    def _date(self, layout: QVBoxLayout) -> None:
        flow = self._flow(layout, 2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        words = self.words
        self.group.addButton(self._button(words.marked(words.answer("never")), "never", flow))
        self.group.addButton(self._button(words.marked(words.answer("on_date")), "date", flow))
        self.date_edit = QDateEdit(self)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setEnabled(False)
        self.date_edit.setMinimumWidth(220)
        self.date_edit.setAccessibleName(words.texts.question_label(self.question.id).text)
        layout.addWidget(self.date_edit, 0, Qt.AlignmentFlag.AlignLeft)
        self.group.buttonToggled.connect(self._date_toggled)
        self.date_edit.dateChanged.connect(lambda _d: self.changed.emit(self.question.id))

    def _date_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if checked and self.date_edit is not None:
            on_date = isinstance(button, ChoiceButton) and button.value == "date"
            self.date_edit.setEnabled(on_date)
            self.changed.emit(self.question.id)
            if on_date:
                self.date_edit.setFocus()

    def bound_dates(self, first: dt.date | None, last: dt.date | None) -> None:
        """A date answer lies between the birth and the consultation day."""
        if self.date_edit is None:
            return
        if first is not None and (last is None or first <= last):
            self.date_edit.setMinimumDate(to_qdate(first))
        if last is not None:
            self.date_edit.setMaximumDate(to_qdate(last))
            self.date_edit.setDate(to_qdate(last))

    # The keyboard -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys move within the question; Enter presses the button in focus."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(watched, ChoiceButton)
            and watched in self.buttons
        ):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not (watched.isChecked() and self.group is not None):
                    watched.click()
                return True
            steps = {
                Qt.Key.Key_Left: -1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_Right: 1,
                Qt.Key.Key_Down: 1,
            }
            if key in steps:
                index = self.buttons.index(watched) + steps[Qt.Key(key)]
                if 0 <= index < len(self.buttons):
                    self.buttons[index].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    # The answer -------------------------------------------------------------------------

    def answer(self) -> tuple[bool, Any]:
        """(answered, value): the value in the exchange format if answered."""
        kind = self.question.type
        if kind in ("yn", "ynu", "one", "date"):
            assert self.group is not None
            button = self.group.checkedButton()
            if not isinstance(button, ChoiceButton):
                return False, None
            if kind != "date":
                return True, button.value
            if button.value == "never":
                return True, None
            assert self.date_edit is not None
            return True, to_date(self.date_edit.date()).isoformat()
        if kind == "multi":
            chosen = [b.value for b in self._choices() if b.isChecked()]
            if chosen:
                return True, chosen
            none = self.none_button is not None and self.none_button.isChecked()
            return (True, []) if none else (False, None)
        assert self.line is not None
        text = self.line.text()
        return (True, text) if text.strip() else (False, None)

    def set_answer(self, value: Any) -> None:
        """Show an answer given before (without reporting a change)."""
        self.blockSignals(True)
        try:
            kind = self.question.type
            if kind in ("yn", "ynu", "one"):
                for button in self.buttons:
                    button.setChecked(button.value == value)
            elif kind == "date":
                target = "never" if value is None else "date"
                if value is not None and self.date_edit is not None:
                    try:
                        self.date_edit.setDate(to_qdate(dt.date.fromisoformat(str(value))))
                    except ValueError:
                        target = ""
                for button in self.buttons:
                    button.setChecked(button.value == target)
            elif kind == "multi":
                values = value if isinstance(value, list) else []
                for button in self._choices():
                    button.setChecked(button.value in values)
                if self.none_button is not None:
                    self.none_button.setChecked(isinstance(value, list) and not value)
            elif self.line is not None:
                self.line.setText(str(value or ""))
        finally:
            self.blockSignals(False)

    def first_button(self) -> QWidget:
        """Where the keyboard starts in this question: the answer chosen, else the first."""
        chosen = next((b for b in self.buttons if b.isChecked()), None)
        if chosen is not None:
            return chosen
        if self.buttons:
            return self.buttons[0]
        assert self.line is not None
        return self.line
