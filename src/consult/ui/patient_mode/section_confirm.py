"""A repeat visit's question at the top of each section, as the patient answers it:
"Is this the same as at your last visit?" (issue 21, docs/repeat-visits.md).

The desk's intake asks the practitioner the same per section
(:mod:`consult.ui.consultation.section_confirm`); in patient mode the patient answers it
themselves, in their language, with buttons as large as the answers': *Nothing has
changed* fills in the section's answers from the last visit and keeps them as they were,
*Something has changed* fills them in to be changed. The words are patient mode's own
(the ``PatientMode`` context, looked up in the patient's language by
:class:`~consult.ui.patient_mode.words.PatientWords`), the date written the patient's
language's way.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.domain.local_dates import format_date
from consult.domain.reconfirmation import Confirmed
from consult.ui.patient_mode.answer_buttons import TOUCH_PX
from consult.ui.patient_mode.section_page import scaled
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

__all__ = ["CONFIRM_WORDS", "PatientSectionBar"]

CONFIRM_WORDS = {
    "ask": QT_TRANSLATE_NOOP(
        "PatientMode", "Are your answers here the same as at your last visit (%1)?"
    ),
    "unchanged": QT_TRANSLATE_NOOP("PatientMode", "Yes, nothing has changed"),
    "update": QT_TRANSLATE_NOOP("PatientMode", "Something has changed"),
    "kept": QT_TRANSLATE_NOOP(
        "PatientMode", "✓ The same as at your last visit (%1): your answers are kept."
    ),
    "to_change": QT_TRANSLATE_NOOP(
        "PatientMode",
        "Your answers from your last visit (%1) are filled in: change what is different.",
    ),
    "first": QT_TRANSLATE_NOOP(
        "PatientMode", "Please choose first whether anything has changed since your last visit."
    ),
}
"""Patient mode's words for the question (English; translated in the PatientMode
context)."""


class PatientSectionBar(QFrame):
    """The question over one section's cards, and its two large buttons."""

    chosen = Signal(str)  # a Confirmed value

    def __init__(self, words: PatientWords, since: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = words
        self.since = format_date(since, words.language)
        self.state: Confirmed | None = None
        self.setObjectName("repeat_bar")
        style_with_tones(
            self,
            "QFrame#repeat_bar { border: 1px solid $info; border-radius: 14px; }"
            'QFrame#repeat_bar[missing="true"] { border: 3px solid $question; }',
        )
        column = QVBoxLayout(self)
        column.setContentsMargins(20, 14, 20, 14)
        column.setSpacing(10)
        self.label = scaled(QLabel(self), 1.25, bold=True)
        self.label.setWordWrap(True)
        column.addWidget(self.label)
        self.reminder = scaled(QLabel(words.say(CONFIRM_WORDS["first"]), self), 1.1)
        self.reminder.setWordWrap(True)
        style_with_tones(self.reminder, "color: $question;")
        self.reminder.hide()
        column.addWidget(self.reminder)
        row = QHBoxLayout()
        self.unchanged_button = QPushButton(words.say(CONFIRM_WORDS["unchanged"]), self)
        self.update_button = QPushButton(words.say(CONFIRM_WORDS["update"]), self)
        for button in (self.unchanged_button, self.update_button):
            button.setMinimumHeight(TOUCH_PX)
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        self.unchanged_button.clicked.connect(lambda: self.chosen.emit(Confirmed.UNCHANGED))
        self.update_button.clicked.connect(lambda: self.chosen.emit(Confirmed.UPDATE))
        self.set_state(None)

    def set_state(self, state: Confirmed | None) -> None:
        """Say how the section was confirmed (None: not yet)."""
        self.state = state
        key = "ask" if state is None else "kept" if state == Confirmed.UNCHANGED else "to_change"
        self.label.setText(self.words.say(CONFIRM_WORDS[key]).replace("%1", self.since))
        self.setAccessibleName(self.label.text())
        self.unchanged_button.setVisible(state != Confirmed.UNCHANGED)
        self.update_button.setVisible(state != Confirmed.UPDATE)
        if state is not None:
            self.mark_missing(False)

    def mark_missing(self, missing: bool) -> None:
        """Frame the question and say it comes first (Next pressed before it)."""
        self.reminder.setVisible(missing)
        self.setProperty("missing", "true" if missing else "false")
        self.style().unpolish(self)
        self.style().polish(self)
