"""What the desk shows while the patient answers: how far they are, never what they
answer, and "Take back".

The panel covers the whole desk window (its menus disabled) until the practitioner's
password is given, so that no other patient, tab or menu is reachable meanwhile, and
nothing of the consultation (the screening least of all) shows.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.ui.patient_mode.unlock_box import UnlockBox
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import heading
from consult.ui.widgets.tones import style_with_tones


class DeskPanel(QFrame):
    """Covers the desk window: the patient's progress, "Take back" and the password."""

    def __init__(
        self, session: AppSession, desk: QWidget, patient_name: str, *, consent: bool = False
    ) -> None:
        """``consent``: the patient reads and signs a consent (else answers the intake)."""
        super().__init__(desk)
        self.desk = desk
        self.setObjectName("desk_panel")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QFrame#desk_panel { background: palette(window); }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(420)
        card.setMaximumWidth(600)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.card = card
        column = QVBoxLayout(card)
        column.setContentsMargins(24, 20, 24, 20)
        self.title = heading(
            self.tr("The patient is reading the consent")
            if consent
            else self.tr("The patient is answering"),
            card,
        )
        column.addWidget(self.title)
        doing = (
            self.tr("%1 is reading, initialling and signing the consent in patient mode.")
            if consent
            else self.tr("%1 is answering the health questions in patient mode.")
        )
        self.patient_name = patient_name
        self.who = QLabel(doing.replace("%1", patient_name), card)
        self.who.setWordWrap(True)
        column.addWidget(self.who)
        self.bar = QProgressBar(card)
        self.bar.setTextVisible(False)  # the lines under it say it in words
        self.bar.setAccessibleName(self.tr("Sections done"))
        column.addWidget(self.bar)
        self.sections = QLabel(card)
        self.sections.setAccessibleName(self.tr("Sections done"))
        column.addWidget(self.sections)
        self.questions = QLabel(card)
        self.questions.setAccessibleName(self.tr("Questions answered"))
        column.addWidget(self.questions)
        self.state = QLabel(card)
        self.state.setWordWrap(True)
        style_with_tones(self.state, "color: $info;")
        column.addWidget(self.state)
        self.take_back_button = QPushButton(self.tr("&Take back"), card)
        self.take_back_button.setAccessibleName(self.tr("Take back"))
        self.take_back_button.setMinimumHeight(44)
        column.addWidget(self.take_back_button, 0, Qt.AlignmentFlag.AlignRight)
        self.unlock = UnlockBox(session, card)
        self.unlock.hide()
        column.addWidget(self.unlock)
        self.take_back_button.clicked.connect(self.ask_password)
        self._menus_were_enabled = True
        self._disabled: list[QWidget] = []
        desk.installEventFilter(self)

    def cover(self) -> None:
        """Cover the desk window and disable its menus and everything under the panel
        (no key, Tab or screen reader reaches what is covered)."""
        self._disabled = [
            widget
            for widget in self.desk.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if widget is not self and widget.isEnabled() and not widget.isWindow()
        ]
        for widget in self._disabled:
            widget.setEnabled(False)
        self.setGeometry(self.desk.rect())
        self.show()
        self.raise_()
        if isinstance(self.desk, QMainWindow):
            self._menus_were_enabled = self.desk.menuBar().isEnabled()
            self.desk.menuBar().setEnabled(False)
        self.take_back_button.setFocus()

    def uncover(self) -> None:
        """The practitioner took the consultation back: the desk is theirs again."""
        self.desk.removeEventFilter(self)
        for widget in self._disabled:
            widget.setEnabled(True)
        self._disabled = []
        if isinstance(self.desk, QMainWindow):
            self.desk.menuBar().setEnabled(self._menus_were_enabled)
        self.hide()
        self.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stay over the whole desk window as it is resized."""
        if watched is self.desk and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.desk.rect())
        return False

    def show_progress(self, done: int, sections: int, answered: int, asked: int) -> None:
        """How far the patient is (counts only: never an answer)."""
        self.bar.setMaximum(max(1, sections))
        self.bar.setValue(done)
        self.sections.setText(
            self.tr("Sections done: %1 of %2").replace("%1", str(done)).replace("%2", str(sections))
        )
        self.questions.setText(
            self.tr("Questions answered: %1 of %2")
            .replace("%1", str(answered))
            .replace("%2", str(asked))
        )

    def show_steps(self, done: int, steps: int) -> None:
        """How far the patient is with the consent (steps done: read, initials…)."""
        self.bar.setMaximum(max(1, steps))
        self.bar.setValue(done)
        self.sections.setText(
            self.tr("Steps done: %1 of %2").replace("%1", str(done)).replace("%2", str(steps))
        )
        self.questions.hide()

    def on_station(self, station: str) -> None:
        """The patient answers on a kiosk station (not at this workstation)."""
        self.who.setText(
            self.tr("%1 is answering the health questions on the kiosk station %2.")
            .replace("%1", self.patient_name)
            .replace("%2", station)
        )
        self._fit_wrapped()

    def say(self, text: str) -> None:
        """A line about the patient's state (finished, paused, tried to leave)."""
        self.state.setText(text)
        self._fit_wrapped()

    def _fit_wrapped(self) -> None:
        # A wrapped label in a centred card does not grow by itself: give it its height
        # (as the idle lock's page does).
        width = max(self.card.width(), self.card.minimumWidth()) - 48
        for label in (self.who, self.state, self.unlock.prompt):
            label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)

    def ask_password(self) -> None:
        """Show the password field (Take back, or the patient finished)."""
        self.take_back_button.hide()
        self.unlock.show()
        self._fit_wrapped()
        self.unlock.start()
