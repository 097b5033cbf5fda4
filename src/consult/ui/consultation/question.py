"""One question of the intake: its help, its input by answer type, and a message line.

The answer is read and shown in the intake exchange format (docs/clinical-knowledge.md):
"yes"/"no"/"unsure", lists of value ids, ISO dates or None (never), and strings. The
keyboard works as in a native form (see :class:`QuestionWidget`).

The patient reads the question, its help and its answers in their own language, the
practitioner's wording under or beside them when the desk reads another
(:class:`~consult.ui.consultation.worded.IntakeWords`); without words given, the
question shows the knowledge base's English and the interface's yes/no.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import Question
from consult.domain.knowledge_texts import LocalText
from consult.ui.consultation.worded import (
    MARK,
    IntakeWords,
    WordedLabel,
    Wording,
    untranslated_text,
)
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.forms import to_date, to_qdate
from consult.ui.widgets.reflow import ColumnFlowLayout, WrapCheckBox, WrapRadioButton
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP


class QuestionWidget(QFrame):
    """One question, its help, its input (by answer type) and a message line.

    The keyboard works as in a native form: Tab goes from question to question (one stop
    each: the answer chosen, or the first choice; "None of these" first in a list of
    boxes), the arrow keys choose within a question, and single keys answer it and move
    on: Y, N or U (yes, no, not sure), N for "None of these" or "Never", D for a date,
    1 to 9 for the choices of a list. :attr:`advance` asks for the next question.
    """

    changed = Signal(str)  # question id
    advance = Signal(str)  # question id: answered from the keyboard, go on to the next

    YN_LABELS: Mapping[str, str] = {
        "yes": QT_TRANSLATE_NOOP("QuestionWidget", "Yes"),
        "no": QT_TRANSLATE_NOOP("QuestionWidget", "No"),
        "unsure": QT_TRANSLATE_NOOP("QuestionWidget", "Not sure"),
    }
    YN_KEYS: Mapping[int, str] = {
        Qt.Key.Key_Y: "yes",
        Qt.Key.Key_N: "no",
        Qt.Key.Key_U: "unsure",
    }

    def __init__(
        self,
        question: Question,
        parent: QWidget | None = None,
        *,
        words: IntakeWords | None = None,
    ) -> None:
        """``words``: the patient's and the desk's wording (None: the English as written)."""
        super().__init__(parent)
        self.question = question
        self.words = words
        self.setObjectName("question")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        language = words.language if words is not None else "en"
        self.wording = self._wording(lambda w: w.question(question.id), question.label)
        self.worded = WordedLabel(self.wording, language, self, bold=True)
        self.label: QLabel = self.worded.primary
        layout.addWidget(self.worded)
        self.help: WordedLabel | None = None
        help_wording = self._wording(lambda w: w.help(question.id), question.help)
        if help_wording.text:
            self.help = WordedLabel(help_wording, language, self, muted=True)
            layout.addWidget(self.help)
        self.inputs: list[QWidget] = []
        self.choices: list[QAbstractButton] = []  # what the arrow keys move between
        self.group: QButtonGroup | None = None
        self.none_box: QCheckBox | None = None
        self.boxes: dict[str, QCheckBox] = {}
        self.flow: ColumnFlowLayout | None = None
        self.date_edit: QDateEdit | None = None
        self.line: QLineEdit | None = None
        kind = question.type
        if kind in ("yn", "ynu"):
            self._radios(
                [(v, self._answer(v, self.tr(self.YN_LABELS[v]))) for v in question.value_ids],
                layout,
                True,
            )
        elif kind == "one":
            pairs = [(c.id, self._value(c.id, c.label)) for c in question.values]
            self._radios(pairs, layout, all(len(w.inline()) < 24 for _, w in pairs))
        elif kind == "multi":
            self._checkboxes(layout)
        elif kind == "date":
            self._date(layout)
        else:
            self.line = QLineEdit(self)
            self.line.setAccessibleName(self.wording.spoken())
            self.line.textChanged.connect(lambda _text: self._emit())
            self.label.setBuddy(self.line)
            self.inputs.append(self.line)
            layout.addWidget(self.line)
        for choice in self.choices:
            choice.installEventFilter(self)
        self._update_tab_stop()
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.highlighted = False

    def _wording(self, get: Callable[[IntakeWords], Wording], english: str) -> Wording:
        """A text in the patient's words, or the English as written without words."""
        if self.words is None:
            return Wording(LocalText(english, True, "en"))
        return get(self.words)

    def _answer(self, answer_id: str, interface: str) -> Wording:
        """An implicit answer: the patient's words, or the interface's without words."""
        if self.words is None:
            return Wording(LocalText(interface, True, "en"))
        return self.words.answer(answer_id)

    def _value(self, value_id: str, english: str) -> Wording:
        return self._wording(lambda w: w.value(self.question.id, value_id), english)

    def _named(self, button: QAbstractButton, choice: Wording) -> None:
        """A choice's accessible name: the question, then the choice (both languages)."""
        button.setAccessibleName(f"{self.wording.inline()} {choice.spoken()}")
        if choice.untranslated:
            button.setToolTip(untranslated_text(self.words.language if self.words else "en"))

    @staticmethod
    def _shown(choice: Wording, wraps: bool) -> str:
        """A choice's text: the patient's words, the practitioner's beside or under them,
        and the untranslated sign."""
        text = choice.inline("\n" if wraps else " ")
        return f"{text} {MARK}" if choice.untranslated else text

    def _radios(self, pairs: list[tuple[str, Wording]], layout: QVBoxLayout, across: bool) -> None:
        box = QWidget(self)
        row: QHBoxLayout | QVBoxLayout = QHBoxLayout(box) if across else QVBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for value, choice in pairs:
            text = self._shown(choice, not across)
            button = QRadioButton(text, box) if across else WrapRadioButton(text, box)
            button.setProperty("value", value)
            self._named(button, choice)
            self.group.addButton(button)
            row.addWidget(button)
            self.inputs.append(button)
            self.choices.append(button)
        if across:
            row.addStretch(1)
        self.group.buttonToggled.connect(self._radio_toggled)
        layout.addWidget(box)

    def _radio_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_tab_stop()
            self._emit()

    def _checkboxes(self, layout: QVBoxLayout) -> None:
        box = QWidget(self)
        self.flow = ColumnFlowLayout(box)
        # "None of these" first: one Tab reaches it, and N ticks it from anywhere in the list.
        none_of_these = self._answer("none_of_these", self.tr("None of these"))
        self.none_box = WrapCheckBox(self._shown(none_of_these, True), box)
        self._named(self.none_box, none_of_these)
        self.none_box.toggled.connect(self._none_toggled)
        self.flow.addWidget(self.none_box)
        self.inputs.append(self.none_box)
        self.choices.append(self.none_box)
        for choice in self.question.values:
            wording = self._value(choice.id, choice.label)
            check = WrapCheckBox(self._shown(wording, True), box)
            self._named(check, wording)
            check.toggled.connect(self._value_toggled)
            self.flow.addWidget(check)
            self.boxes[choice.id] = check
            self.inputs.append(check)
            self.choices.append(check)
        layout.addWidget(box)

    def _value_toggled(self, checked: bool) -> None:
        if checked and self.none_box is not None and self.none_box.isChecked():
            self.none_box.blockSignals(True)
            self.none_box.setChecked(False)
            self.none_box.blockSignals(False)
        self._emit()

    def _none_toggled(self, checked: bool) -> None:
        if checked:
            for check in self.boxes.values():
                check.blockSignals(True)
                check.setChecked(False)
                check.blockSignals(False)
        self._emit()

    def _date(self, layout: QVBoxLayout) -> None:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        never_text = self._answer("never", self.tr("Never"))
        never = QRadioButton(self._shown(never_text, False), box)
        never.setProperty("value", "never")
        self._named(never, never_text)
        on_date = self._answer("on_date", self.tr("On this date:"))
        on = QRadioButton(self._shown(on_date, False), box)
        on.setProperty("value", "date")
        on_a_date = self.tr("On a date")
        if self.words is None:
            on.setAccessibleName(f"{self.question.label} {on_a_date}")
        else:
            self._named(on, on_date)
        self.date_edit = QDateEdit(box)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(QDate(1900, 1, 1))
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.setEnabled(False)
        date = self._answer("date", self.tr("Date"))
        self.date_edit.setAccessibleName(f"{self.wording.inline()} {date.spoken()}")
        for button in (never, on):
            self.group.addButton(button)
            row.addWidget(button)
            self.inputs.append(button)
            self.choices.append(button)
        row.addWidget(self.date_edit)
        row.addStretch(1)
        self.inputs.append(self.date_edit)
        self.group.buttonToggled.connect(self._date_toggled)
        self.date_edit.dateChanged.connect(lambda _d: self._emit())
        layout.addWidget(box)

    def _date_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._update_tab_stop()
            self._date_mode()

    def _date_mode(self) -> None:
        assert self.date_edit is not None
        button = self.group.checkedButton() if self.group else None
        self.date_edit.setEnabled(button is not None and button.property("value") == "date")
        self._emit()

    # The keyboard -----------------------------------------------------------------------

    def tab_stop(self) -> QWidget | None:
        """The one choice Tab stops at: the answer chosen, else the first choice."""
        if not self.choices:
            return None
        if self.group is not None and self.group.checkedButton() is not None:
            return self.group.checkedButton()
        return self.choices[0]

    def _update_tab_stop(self) -> None:
        stop = self.tab_stop()
        for choice in self.choices:
            choice.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if choice is stop else Qt.FocusPolicy.ClickFocus
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys choose within the question; answer keys answer it and move on."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched in self.choices
            and not event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        ):
            assert isinstance(watched, QAbstractButton)
            return self._key(watched, event.key())
        return super().eventFilter(watched, event)

    def _key(self, current: QAbstractButton, key: int) -> bool:
        index = self.choices.index(current)
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
        if key in steps:
            step = steps[Qt.Key(key)]
            if self.flow is not None and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                step *= self.flow.columns  # a list of boxes: up and down by rows
            target = index + step
            if self.flow is None:
                target %= len(self.choices)  # round the group, as native radio buttons go
            if 0 <= target < len(self.choices):
                self._move_to(self.choices[target])
            return True
        answer = self._answer_key(key)
        if answer is None:
            return False
        answer.setFocus()
        if not answer.isChecked():
            answer.click()
        if answer.property("value") == "date" and self.date_edit is not None:
            self.date_edit.setFocus()  # then the date is typed
        else:
            self.advance.emit(self.question.id)
        return True

    def _move_to(self, target: QAbstractButton) -> None:
        target.setFocus(Qt.FocusReason.TabFocusReason)
        if isinstance(target, QRadioButton) and not target.isChecked():
            target.click()  # arrows select, as in a native radio group

    def _answer_key(self, key: int) -> QAbstractButton | None:
        """The choice a single key answers with, if any."""
        kind = self.question.type
        wanted: str | None = None
        if kind in ("yn", "ynu"):
            wanted = self.YN_KEYS.get(Qt.Key(key)) if key in self.YN_KEYS else None
        elif kind == "date":
            wanted = {Qt.Key.Key_N: "never", Qt.Key.Key_D: "date"}.get(Qt.Key(key))
        elif kind == "one" and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            number = key - Qt.Key.Key_1
            return self.choices[number] if number < len(self.choices) else None
        elif kind == "multi" and key == Qt.Key.Key_N:
            return self.none_box
        if wanted is None:
            return None
        return next((c for c in self.choices if c.property("value") == wanted), None)

    def _emit(self) -> None:
        if self.highlighted:
            self.set_highlight(False)
        self.error.clear_error()
        self.changed.emit(self.question.id)

    def answer(self) -> tuple[bool, Any]:
        """(answered, value): the value in the exchange format if answered."""
        kind = self.question.type
        if kind in ("yn", "ynu", "one"):
            assert self.group is not None
            button = self.group.checkedButton()
            return (False, None) if button is None else (True, str(button.property("value")))
        if kind == "multi":
            chosen = [value for value, check in self.boxes.items() if check.isChecked()]
            if chosen:
                return True, chosen
            return (True, []) if self.none_box and self.none_box.isChecked() else (False, None)
        if kind == "date":
            assert self.group is not None and self.date_edit is not None
            button = self.group.checkedButton()
            if button is None:
                return False, None
            if button.property("value") == "never":
                return True, None
            return True, to_date(self.date_edit.date()).isoformat()
        assert self.line is not None
        text = self.line.text()
        return (True, text) if text.strip() else (False, None)

    def set_answer(self, value: Any) -> None:
        """Show a saved answer (without reporting a change)."""
        for widget in (*self.inputs, self.group):
            if widget is not None:
                widget.blockSignals(True)
        try:
            self._set(value)
        finally:
            for widget in (*self.inputs, self.group):
                if widget is not None:
                    widget.blockSignals(False)
        self._update_tab_stop()

    def _set(self, value: Any) -> None:
        kind = self.question.type
        if kind in ("yn", "ynu", "one", "date"):
            assert self.group is not None
            target = value
            if kind == "date":
                target = "never" if value is None else "date"
                if value is not None and self.date_edit is not None:
                    try:
                        self.date_edit.setDate(to_qdate(dt.date.fromisoformat(str(value))))
                    except ValueError:
                        target = None
                if self.date_edit is not None:
                    self.date_edit.setEnabled(target == "date")
            for button in self.group.buttons():
                if button.property("value") == target:
                    button.setChecked(True)
        elif kind == "multi":
            values = value if isinstance(value, list) else []
            for choice_id, check in self.boxes.items():
                check.setChecked(choice_id in values)
            if self.none_box is not None:
                self.none_box.setChecked(isinstance(value, list) and not value)
        elif self.line is not None:
            self.line.setText(str(value or ""))

    def first_input(self) -> QWidget:
        """The input to focus (the chosen radio button if there is one)."""
        return self.tab_stop() or self.inputs[0]

    def set_highlight(self, on: bool, message: str = "") -> None:
        """Mark the question as one to look at again (frame, colour and words)."""
        self.highlighted = on
        style_with_tones(
            self,
            "QFrame#question { border: 2px solid $question; background: $question_bg; }"
            if on
            else "",
        )
        if on and message:
            self.error.show_error(message)
        elif not on:
            self.error.clear_error()
