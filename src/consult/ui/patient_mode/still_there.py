""" "Are you still there?": after a while without input in patient mode, the patient is
asked; unanswered, patient mode pauses and the desk must be unlocked by the practitioner.

Counting starts again on any key, touch or click (the idle lock's
:class:`~consult.ui.shell.idle_lock.IdleWatcher`). The question waits :data:`ANSWER_MS`
for "I am still here"; then :attr:`StillThere.timed_out` (the answers are already saved:
nothing is lost).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.ui.patient_mode.answer_buttons import TOUCH_PX
from consult.ui.patient_mode.section_page import scaled
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.idle_lock import IdleWatcher
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

IDLE_DEFAULT_MS = 3 * 60_000
"""How long without input before the patient is asked (the setting's default)."""
ANSWER_MS = 60_000
"""How long the question waits for an answer."""
_ASK = QT_TRANSLATE_NOOP("PatientMode", "Are you still there?")
_EXPLAIN = QT_TRANSLATE_NOOP(
    "PatientMode", "Touch the button to carry on with your questions. Your answers are saved."
)
_HERE = QT_TRANSLATE_NOOP("PatientMode", "Yes, I am still here")


class StillTherePrompt(QFrame):
    """The question, over the patient's questions, with one large button."""

    confirmed = Signal()

    def __init__(self, words: PatientWords, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("still_there")
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "QFrame#still_there { background: palette(window); }"
            f"QPushButton {{ min-height: {TOUCH_PX + 16}px; padding: 0 40px;"
            " border-radius: 14px; background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold; }"
            "QPushButton:focus { border: 3px solid palette(text); }"
        )
        column = QVBoxLayout(self)
        column.addStretch(1)
        self.question = scaled(QLabel(words.say(_ASK), self), 2.2, True)
        self.question.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.question)
        explain = scaled(QLabel(words.say(_EXPLAIN), self), 1.3)
        explain.setWordWrap(True)
        explain.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(explain)
        self.here_button = scaled_button(QPushButton(words.say(_HERE), self))
        metrics = self.here_button.fontMetrics()
        self.here_button.setMinimumWidth(metrics.horizontalAdvance(self.here_button.text()) + 96)
        column.addWidget(self.here_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.here_button.clicked.connect(self.confirmed)
        self.hide()

    def cover(self) -> None:
        """Cover the parent and take the keyboard."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.here_button.setFocus()


def scaled_button(button: QPushButton, factor: float = 1.3) -> QPushButton:
    """``button`` with larger words."""
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    button.setFont(font)
    return button


class StillThere(QObject):
    """Asks whether the patient is still there after :attr:`idle_ms` without input, and
    emits :attr:`timed_out` if nobody answers within :attr:`answer_ms`."""

    timed_out = Signal()

    def __init__(self, prompt: StillTherePrompt, idle_ms: int = IDLE_DEFAULT_MS) -> None:
        super().__init__(prompt)
        self.prompt = prompt
        self.answer_ms = ANSWER_MS
        self.watcher = IdleWatcher(idle_ms, self)
        self.watcher.idle.connect(self.ask)
        self.countdown = QTimer(self)
        self.countdown.setSingleShot(True)
        self.countdown.timeout.connect(self._no_answer)
        prompt.confirmed.connect(self._here)

    @property
    def asking(self) -> bool:
        """Whether the question is on screen."""
        return self.countdown.isActive()

    def start(self) -> None:
        """Count idle time from now."""
        self.watcher.start()

    def stop(self) -> None:
        """Stop counting (patient mode ended or paused)."""
        self.watcher.stop()
        self.countdown.stop()
        self.prompt.hide()

    def ask(self) -> None:
        """Show the question and start waiting for an answer."""
        self.prompt.cover()
        self.countdown.start(self.answer_ms)

    def _here(self) -> None:
        self.countdown.stop()
        self.prompt.hide()
        self.watcher.start()

    def _no_answer(self) -> None:
        self.stop()
        self.timed_out.emit()
