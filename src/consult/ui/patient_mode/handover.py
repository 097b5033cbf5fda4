"""Hands the intake to the patient, and takes it back.

:class:`PatientHandover` opens patient mode for one consultation: full screen on a second
screen when one is attached (the desk shows :class:`DeskPanel` with the patient's
progress), else over the desk window on its own screen. Every answer the patient gives
is passed on (:attr:`PatientHandover.answered`) to the wizard, which saves it through its
ordinary draft writes, so that nothing is lost whatever happens. The desk stays covered
until the practitioner's password is given ("Take back", "I have finished", or patient
mode paused after the patient stopped answering); then the patient's answers are kept as
their own (:mod:`consult.store.services.patient_answers`), the window closes, the
intake is reviewed (:class:`PatientAnswersReview`) and :attr:`PatientHandover.returned`
is emitted.

On a clinic's PostgreSQL server with a kiosk station waiting, the practitioner may send
the intake to the station instead (:class:`KioskChoice`, :class:`KioskFollower`): the
desk is covered by the same panel, fed from the database, and the patient's answers
arrive when the practitioner takes the intake back with their password.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton, QWidget

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import kiosk as kiosk_service
from consult.store.services import patient_answers as patient_answer_service
from consult.store.services import users as user_service
from consult.store.services.kiosk import StationInfo, TakenBack
from consult.store.services.patient_answers import PatientAnswers
from consult.ui.consultation.intake_step import IntakePage
from consult.ui.patient_mode.desk_panel import DeskPanel
from consult.ui.patient_mode.intake_view import WORDS, PatientIntakeView
from consult.ui.patient_mode.kiosk_choice import KioskChoice
from consult.ui.patient_mode.kiosk_desk import KioskFollower
from consult.ui.patient_mode.patient_window import EscapeGuard, PatientWindow
from consult.ui.patient_mode.review import PatientAnswersReview
from consult.ui.patient_mode.screens import patient_screen
from consult.ui.patient_mode.still_there import IDLE_DEFAULT_MS, StillThere
from consult.ui.patient_mode.unlock_box import UnlockBox
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.session import AppSession
from consult.ui.widgets.geometry import workstation_settings
from consult.ui.widgets.tasks import run_in_background, run_write

_log = logging.getLogger(__name__)
IDLE_SETTING = "patient_mode/idle_minutes"
"""This workstation's setting: minutes without input before "Are you still there?"."""


def idle_ms(session: AppSession) -> int:
    """How long patient mode waits without input (the setting, 3 minutes by default)."""
    value = workstation_settings(session.dirs.config).value(IDLE_SETTING)
    try:
        minutes = float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        _log.warning("ignoring %s=%r: not a number of minutes", IDLE_SETTING, value)
        minutes = 0.0
    return int(minutes * 60_000) if minutes > 0 else IDLE_DEFAULT_MS


class PatientHandover(QObject):
    """Patient mode for the intake of one consultation, from the hand-over to the
    practitioner taking it back."""

    answered = Signal(str, object)  # question id, value (None: a list left empty)
    returned = Signal()

    def __init__(
        self,
        session: AppSession,
        kb: KnowledgeBase,
        patient: PatientInfo,
        info: ConsultationInfo,
        intake: IntakePage,
        desk: QWidget,
    ) -> None:
        super().__init__(desk)
        self.session = session
        self.kb = kb
        self.patient = patient
        self.info = info
        self.intake = intake
        self.desk = desk
        self.words = PatientWords(kb, patient.language)
        self.view = PatientIntakeView(
            kb,
            self.words,
            patient.sex_at_birth,
            intake.treatment_ids,
            intake.raw_answers(),
            first_day=patient.date_of_birth,
            last_day=info.consultation_date,
            # A repeat visit: the patient says per section what has changed (issue 21).
            previous=(
                (intake.previous, intake.previous_date)
                if intake.previous is not None and intake.previous_date is not None
                else None
            ),
            confirmations=intake.confirmations(),
        )
        self.window = PatientWindow(self.view, self.words, self.view.title.text())
        # The desk closing (quitting, signing out) ends patient mode with it.
        self.destroyed.connect(self.window.deleteLater)
        self.panel = DeskPanel(session, desk, patient.full_name)
        self.screen = patient_screen(QGuiApplication.screens(), desk.screen())
        self.guard = EscapeGuard((self.window, desk), self)
        self.still_there = StillThere(self.window.prompt, idle_ms(session))
        # On the desk's own screen the practitioner unlocks on the patient's window.
        self.unlock_here = UnlockBox(session, self.view.done_page)
        self.unlock_here.hide()
        self.view.done_slot.addWidget(self.unlock_here)
        self.back_to_questions = QPushButton(self.words.say(WORDS["resume"]))
        self.back_to_questions.hide()
        self.view.done_slot.addWidget(self.back_to_questions)
        self.escape_attempts = 0
        self.given: PatientAnswers | None = None
        self.review: PatientAnswersReview | None = None
        self.active = False
        self.kiosk: KioskFollower | None = None  # the intake is on a kiosk station
        self.choice: KioskChoice | None = None
        self.view.answered.connect(self.answered)
        self.view.section_confirmed.connect(intake.confirm_section)
        self.view.progress.connect(self.panel.show_progress)
        self.view.finished.connect(self._finished)
        self.view.practitioner_requested.connect(self._practitioner_here)
        self.back_to_questions.clicked.connect(self._resume)
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
        """Open patient mode: here, or on a kiosk station when the clinic's server has
        one waiting and the practitioner chooses it."""
        if self.session.ctx.db.is_sqlite:  # an embedded database has no kiosk
            self.start_here()
            return
        ctx = self.session.ctx
        run_in_background(
            lambda: kiosk_service.waiting_stations(ctx), self._choose_where, self._no_stations
        )

    def _no_stations(self, exc: Exception) -> None:
        _log.warning("kiosk stations not listed (patient mode opens here): %s", exc)
        self.start_here()

    def _choose_where(self, stations: list[StationInfo]) -> None:
        if not stations:
            self.start_here()
            return
        self.choice = KioskChoice(stations, self.desk)
        self.choice.finished.connect(self._chosen)
        self.choice.open()

    def _chosen(self, result: int) -> None:
        choice, self.choice = self.choice, None
        if choice is None:
            return
        choice.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            self._end()
            self.returned.emit()
        elif choice.station is None:
            self.start_here()
        else:
            self.start_on_kiosk(choice.station)

    def _log_lock(self) -> None:
        ctx = self.session.ctx
        run_write(
            lambda: user_service.lock(ctx, reason="patient_mode"),
            lambda _none: None,
            lambda exc: _log.warning("patient mode lock not logged: %s", exc),
        )

    def start_here(self) -> None:
        """Cover the desk and open patient mode on this workstation (logged as the desk
        being locked)."""
        self.active = True
        self.panel.cover()
        self.window.keep_focus = not self.on_second_screen
        self.view.refresh()
        self.window.open_on(self.screen)
        self.view.go_to(self.view.current_section())  # the keyboard on the first question
        self.still_there.start()
        self._log_lock()
        _log.info(
            "consultation %s handed to the patient (%s)",
            self.info.id,
            "second screen" if self.on_second_screen else "desk screen",
        )

    def start_on_kiosk(self, station: StationInfo) -> None:
        """Cover the desk and send the intake to a kiosk station (logged as the desk
        being locked, and the hand-over audited)."""
        self.active = True
        self.kiosk = KioskFollower(self.session.ctx, self.kb, self.info.id, station, self)
        self.panel.on_station(station.name)
        self.panel.cover()
        self.panel.say(self.tr("Sending the questions to %1…").replace("%1", station.name))
        self.kiosk.sent.connect(self._on_station)
        self.kiosk.progress.connect(self.panel.show_progress)
        self.kiosk.state.connect(self._station_state)
        self.kiosk.taken.connect(self._taken_from_station)
        self.kiosk.failed.connect(self._station_failed)
        intake = self.intake
        self.kiosk.send(
            intake.treatment_ids,
            intake.raw_answers(),
            previous=(
                (intake.previous, intake.previous_date)
                if intake.previous is not None and intake.previous_date is not None
                else None
            ),
            confirmations=intake.confirmations(),
        )
        self._log_lock()

    # On a kiosk station -----------------------------------------------------------------

    def _on_station(self) -> None:
        assert self.kiosk is not None
        self.panel.say(
            self.tr("The questions are on %1, waiting for the patient.").replace(
                "%1", self.kiosk.station.name
            )
        )

    def _station_state(self, state: str) -> None:
        if state == "answering":
            self.panel.say("")
        elif state == "finished":
            self.panel.say(
                self.tr(
                    "The patient has finished. Enter your password to take the consultation back."
                )
            )
            self.panel.ask_password()
        elif state == "paused":
            self.panel.say(
                self.tr(
                    "Patient mode is paused: nobody answered for a while. The answers are "
                    "saved; enter your password to take the consultation back."
                )
            )
            self.panel.ask_password()

    def _station_failed(self, message: str) -> None:
        if self.kiosk is not None and self.kiosk.is_sent:
            # Taking back failed (the server did not answer): the password again, to retry.
            self.panel.say(message)
            self.panel.ask_password()
            return
        # Not sent: nothing left the desk; it is the practitioner's again at once.
        self.active = False
        self._end()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Hand to patient"),
            self.tr("The questions were not sent to the kiosk station: %1").replace("%1", message),
            QMessageBox.StandardButton.Ok,
            self.desk,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.returned.emit()

    def _taken_from_station(self, taken: TakenBack) -> None:
        self.active = False
        self._end()
        # A repeat visit: the sections the patient confirmed on the station, first (each
        # fills in the last visit's answers), then their answers over them.
        confirmed = self.intake.confirmations()
        for section_id, how in taken.confirmations.items():
            if confirmed.get(section_id) != how:
                self.intake.confirm_section(section_id, how)
        for question_id, value in taken.answers.items():
            self.answered.emit(question_id, value)
        self._keep(taken.answers, taken.language)
        self.returned.emit()

    def _end(self) -> None:
        """Patient mode is over: the keys work again, the desk is uncovered."""
        self.still_there.stop()
        self.guard.remove()
        if self.kiosk is not None:
            self.kiosk.stop()
        self.window.release()
        self.window.deleteLater()
        self.panel.uncover()

    # While the patient answers ----------------------------------------------------------

    def _ask_password(self, patient_text: str, desk_text: str) -> None:
        """Patient mode stops taking answers; the practitioner's password is asked."""
        self.still_there.stop()
        self.view.show_done(patient_text)
        self.panel.say(desk_text)
        if self.on_second_screen:
            self.panel.ask_password()
        else:
            self.unlock_here.show()
            self.unlock_here.start()

    def _finished(self) -> None:
        self._ask_password(
            WORDS["wait"] if self.on_second_screen else WORDS["hand_back"],
            self.tr("The patient has finished. Enter your password to take the consultation back."),
        )

    def _paused(self) -> None:
        self._ask_password(
            WORDS["paused"],
            self.tr(
                "Patient mode is paused: nobody answered for a while. The answers are saved; "
                "enter your password to take the consultation back."
            ),
        )

    def _practitioner_here(self) -> None:
        """The practitioner's button on the patient's screen: their password there."""
        self.still_there.stop()
        self.view.show_done(WORDS["hand_back"])
        self.unlock_here.show()
        self.unlock_here.start()
        self.back_to_questions.show()

    def _resume(self) -> None:
        self.unlock_here.hide()
        self.back_to_questions.hide()
        sections = self.view.sections()
        self.view.go_to(sections[0] if sections else None)
        self.still_there.start()

    def _escape_attempted(self, how: str) -> None:
        self.escape_attempts += 1
        _log.info("consultation %s: leaving patient mode refused (%s)", self.info.id, how)

    # Taking back ------------------------------------------------------------------------

    def take_back(self) -> None:
        """The practitioner's password was given: keep the patient's answers as theirs,
        close patient mode, uncover the desk and review the answers."""
        if not self.active:
            return
        if self.kiosk is not None:  # the answers are on the station: fetched first
            self.panel.say(self.tr("Taking the answers back from the kiosk station…"))
            self.kiosk.take_back()
            return
        self.active = False
        answers = self.view.answers()
        self._end()
        self._keep(answers, self.words.language)
        self.returned.emit()

    def _keep(self, answers: dict[str, Any], language: str) -> None:
        ctx, kb, consultation_id = self.session.ctx, self.kb, self.info.id
        run_write(
            lambda: patient_answer_service.record_given(
                ctx, consultation_id, answers, language, kb
            ),
            self._kept,
            self._not_kept,
        )

    def _kept(self, given: PatientAnswers) -> None:
        self.given = given
        for earlier in self.intake.findChildren(PatientAnswersReview):
            earlier.retire()  # the patient answered again: this review replaces it
        self.review = PatientAnswersReview(self.session, self.kb, self.info, self.intake, given)

    def _not_kept(self, exc: Exception) -> None:
        # The answers themselves are in the draft; only the copy as the patient's is lost.
        _log.warning("the patient's own answers to consultation %s not kept: %s", self.info.id, exc)
