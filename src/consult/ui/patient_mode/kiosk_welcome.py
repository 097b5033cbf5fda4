"""A kiosk station's Welcome screen: waiting for an intake, then greeting its patient.

While no intake is handed to it the station says it waits ("Your practitioner will send
your health questions to this screen") in the station's own interface language: nobody
in particular stands before it. When an intake arrives the same screen greets that
patient in *their* language, as every other word of patient mode is
(:class:`~consult.ui.patient_mode.words.PatientWords`: the ``PatientMode`` context looked
up in the patient's language, English standing in where a word is not translated yet),
and waits for the patient to touch the button before the questions start, so that the
idle pause ("Are you still there?") does not run out while the tablet is being handed
over.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.ui.patient_mode.answer_buttons import TOUCH_PX
from consult.ui.patient_mode.intake_view import NAV_STYLE, WORDS
from consult.ui.patient_mode.section_page import scaled
from consult.ui.patient_mode.still_there import scaled_button
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

__all__ = ["KIOSK_WORDS", "KioskWelcome"]

KIOSK_WORDS = {
    "welcome": QT_TRANSLATE_NOOP("PatientMode", "Welcome"),
    "waiting": QT_TRANSLATE_NOOP(
        "PatientMode", "Your practitioner will send your health questions to this screen."
    ),
}
"""The station's own words (English; translated in the PatientMode context)."""
TEXT_MAX_PX = 820
"""The greeting's lines no longer than this, on a landscape tablet too."""
BUTTON_MIN_PX = 280
"""The start button: large enough to see and touch from across the room."""


class KioskWelcome(QWidget):
    """The station's first screen. :meth:`wait` says it waits (in the station's
    language); :meth:`greet` welcomes one patient in theirs, and :attr:`begin` is
    emitted when they touch the button to start."""

    begin = Signal()

    def __init__(self, words: PatientWords, station: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk_welcome")
        self.setStyleSheet(NAV_STYLE)
        self.station_words = words
        self.words = words
        column = QVBoxLayout(self)
        column.setContentsMargins(48, 48, 48, 48)
        column.setSpacing(18)
        column.addStretch(2)
        self.title = scaled(QLabel(self), 2.6, True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.title)
        self.subtitle = scaled(QLabel(self), 1.6, True)
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.subtitle)
        self.text = scaled(QLabel(self), 1.4)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.text.setMaximumWidth(TEXT_MAX_PX)
        centred = QHBoxLayout()  # a wrapped label keeps its width only between stretches
        centred.addStretch(1)
        centred.addWidget(self.text, 10)
        centred.addStretch(1)
        column.addLayout(centred)
        column.addSpacing(12)
        self.begin_button = scaled_button(QPushButton(self), 1.4)
        self.begin_button.setObjectName("primary")
        self.begin_button.setMinimumSize(BUTTON_MIN_PX, TOUCH_PX + 16)
        self.begin_button.clicked.connect(self.begin)
        column.addWidget(self.begin_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)
        self.name = QLabel(station, self)
        self.name.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        style_with_tones(self.name, "color: $muted;")
        column.addWidget(self.name)
        self.wait()

    def wait(self) -> None:
        """No intake: the station waits, in its own language."""
        self.words = self.station_words
        self.title.setText(self.words.say(KIOSK_WORDS["welcome"]))
        self.subtitle.hide()
        self.text.setText(self.words.say(KIOSK_WORDS["waiting"]))
        self.begin_button.hide()

    def greet(self, words: PatientWords) -> None:
        """An intake has arrived: welcome its patient in their language, the button to
        start the questions focused."""
        self.words = words
        self.title.setText(words.say(KIOSK_WORDS["welcome"]))
        self.subtitle.setText(words.say(WORDS["title"]))
        self.subtitle.show()
        self.text.setText(words.say(WORDS["intro"]))
        label = words.say(WORDS["next"])
        self.begin_button.setText(label + "  ›")
        self.begin_button.setAccessibleName(label)
        self.begin_button.show()
        self.begin_button.setFocus(Qt.FocusReason.OtherFocusReason)
