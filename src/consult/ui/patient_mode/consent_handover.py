"""Hands a consent to the patient to read, initial and sign on their own screen, and
takes it back to the desk for the practitioner's countersignature.

Like the intake's hand-over (:mod:`consult.ui.patient_mode.handover`): on a second
screen when one is attached, else over the desk; the desk covered by a panel with the
patient's progress; escape keys refused; "Are you still there?" after a while; the
practitioner's password to take it back. Taken back, what the patient gave (initials,
choices, signature) is put into the desk's consent step, the text counted as read there
too (the patient read all of it on their screen: their signature box opened only then),
and the practitioner signs and seals as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QButtonGroup, QLineEdit, QWidget

from consult.store.dto import PatientInfo
from consult.store.services import users as user_service
from consult.store.services.consents import ConsentText
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.consent.text_view import ConsentTextView
from consult.ui.patient_mode.consent_view import PatientConsentView
from consult.ui.patient_mode.desk_panel import DeskPanel
from consult.ui.patient_mode.handover import idle_ms
from consult.ui.patient_mode.intake_view import WORDS
from consult.ui.patient_mode.patient_window import EscapeGuard, PatientWindow
from consult.ui.patient_mode.screens import patient_screen
from consult.ui.patient_mode.still_there import StillThere
from consult.ui.patient_mode.unlock_box import UnlockBox
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import run_write

_log = logging.getLogger(__name__)


class ConsentForm(Protocol):
    """What the desk's consent step offers the patient's answers to (its fields)."""

    text_view: ConsentTextView
    initials: dict[str, QLineEdit]
    choices: dict[str, QButtonGroup]
    patient_box: SignatureBox


def read_through(view: ConsentTextView) -> None:
    """Scroll ``view`` from top to bottom a page at a time, so that it counts every line
    as shown (what the patient read on their own screen)."""
    bar = view.verticalScrollBar()
    value = bar.minimum()
    while True:
        bar.setValue(value)
        if value >= bar.maximum():
            break
        value = min(bar.maximum(), value + max(1, bar.pageStep() // 2))


def fill_in(form: ConsentForm, given: Mapping[str, Any]) -> None:
    """Put the patient's initials, choices and signature into the desk's consent step."""
    if given.get("read"):
        read_through(form.text_view)
    for section_id, initials in dict(given.get("initials", {})).items():
        edit = form.initials.get(section_id)
        if edit is not None:
            edit.setText(str(initials))
    for key, value in dict(given.get("choices", {})).items():
        group = form.choices.get(key)
        if group is None:
            continue
        for button in group.buttons():
            if button.property("value") == value and not button.isChecked():
                button.click()
    signature = given.get("signature")
    if signature:
        form.patient_box.pad.setEnabled(True)
        form.patient_box.pad.set_signature_data(signature)


class PatientConsentHandover(QObject):
    """Patient mode for one consent: read, initial, sign, then back to the desk."""

    returned = Signal()

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo,
        text: ConsentText,
        form: ConsentForm,
        desk: QWidget,
    ) -> None:
        super().__init__(desk)
        self.session = session
        self.form = form
        # The language the text was rendered in (the patient's).
        self.words = PatientWords(knowledge(), text.language or patient.language)
        self.view = PatientConsentView(text, patient, self.words)
        self.window = PatientWindow(self.view, self.words, text.title)
        self.destroyed.connect(self.window.deleteLater)
        self.panel = DeskPanel(session, desk, patient.full_name, consent=True)
        self.screen = patient_screen(QGuiApplication.screens(), desk.screen())
        self.guard = EscapeGuard((self.window, desk), self)
        self.still_there = StillThere(self.window.prompt, idle_ms(session))
        self.unlock_here = UnlockBox(session, self.view)
        self.unlock_here.hide()
        layout = self.view.layout()
        if layout is not None:
            layout.addWidget(self.unlock_here)
        self.given: dict[str, Any] | None = None
        self.escape_attempts = 0
        self.active = False
        self.view.progress.connect(self.panel.show_steps)
        self.view.signed.connect(self._signed)
        self.view.practitioner_requested.connect(self._practitioner_here)
        self.still_there.timed_out.connect(self._paused)
        self.window.escape_attempted.connect(self._escape_attempted)
        self.guard.attempted.connect(self._escape_attempted)
        self.panel.unlock.unlocked.connect(self.take_back)
        self.unlock_here.unlocked.connect(self.take_back)

    @property
    def on_second_screen(self) -> bool:
        """Whether the patient has a screen of their own."""
        return self.screen is not None

    def start(self) -> None:
        """Cover the desk and open the consent on the patient's screen."""
        self.active = True
        self.panel.cover()
        self.panel.show_steps(0, 4)
        self.window.keep_focus = not self.on_second_screen
        self.window.open_on(self.screen)
        self.view.text_view.setFocus()
        self.still_there.start()
        ctx = self.session.ctx
        run_write(
            lambda: user_service.lock(ctx, reason="patient_mode"),
            lambda _none: None,
            lambda exc: _log.warning("patient mode lock not logged: %s", exc),
        )

    def _ask_password(self, desk_text: str) -> None:
        self.still_there.stop()
        self.panel.say(desk_text)
        if self.on_second_screen:
            self.panel.ask_password()
        else:
            self.unlock_here.show()
            self.unlock_here.start()

    def _signed(self) -> None:
        self.view.hint.setText(
            self.words.say(WORDS["wait"] if self.on_second_screen else WORDS["hand_back"])
        )
        self.view.signed_button.setEnabled(False)
        self._ask_password(
            self.tr("The patient has signed. Enter your password, then countersign and seal.")
        )

    def _paused(self) -> None:
        self.view.hint.setText(self.words.say(WORDS["paused"]))
        self._ask_password(
            self.tr(
                "Patient mode is paused: nobody touched the screen for a while. Enter your "
                "password to take the consent back."
            )
        )

    def _practitioner_here(self) -> None:
        self.still_there.stop()
        self.unlock_here.show()
        self.unlock_here.start()

    def _escape_attempted(self, how: str) -> None:
        self.escape_attempts += 1
        _log.info("consent in patient mode: leaving refused (%s)", how)

    def take_back(self) -> None:
        """The practitioner's password was given: the patient's part goes into the desk's
        consent step, patient mode closes, the desk is uncovered."""
        if not self.active:
            return
        self.active = False
        self.still_there.stop()
        self.guard.remove()
        self.given = self.view.result()
        self.window.release()
        self.window.deleteLater()
        self.panel.uncover()
        fill_in(self.form, self.given)
        self.returned.emit()
