"""What a kiosk station shows: "please wait", then the one intake handed to it, then
"please wait" again.

Its first screen (:class:`~consult.ui.patient_mode.kiosk_welcome.KioskWelcome`) waits in
the station's interface language; when an intake arrives it welcomes the patient in
their language, and the questions start when they touch it.

The station asks the server every :data:`POLL_MS` for the intake handed to it
(``kiosk.current_intake``, off the GUI thread; the asking itself says the station is
still there). An intake shows in patient mode's own questionnaire
(:class:`PatientIntakeView`), in the patient's language; each answer is saved as it is
given (``kiosk.save_answers``, with the counts the desk shows), "I have finished"
returns it (``kiosk.finish``), and so does the idle pause ("Are you still there?"
unanswered: ``paused``). When the practitioner has taken it back the station waits
again. There is no way from here to any other record: the station's context reaches
only the intake handed to it.

At a repeat visit the hand-over carries the last intake (sent by the desk), and the
questionnaire asks per section whether anything has changed, with patient mode's own
question (:class:`~consult.ui.patient_mode.section_confirm.PatientSectionBar`, shown by
:class:`PatientIntakeView` as at the desk); each choice is saved with the answers and
reaches the desk's intake when the practitioner takes it back.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.services import kiosk as kiosk_service
from consult.store.services.context import ServiceContext
from consult.store.services.kiosk import KioskIntake
from consult.ui.patient_mode.intake_view import WORDS, PatientIntakeView
from consult.ui.patient_mode.kiosk_welcome import KioskWelcome
from consult.ui.patient_mode.still_there import IDLE_DEFAULT_MS, StillThere, StillTherePrompt
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.language import current_language
from consult.ui.widgets.tasks import run_in_background, write_pool

_log = logging.getLogger(__name__)
POLL_MS = 2000
"""How often the station asks for its intake (and says it is there)."""
SAVE_DELAY_MS = 300
"""Answers given within this time are saved together."""


class KioskStation(QWidget):
    """The station's whole screen. :attr:`intake_shown` (consultation id) when an intake
    arrives, :attr:`waiting` when the station waits again."""

    intake_shown = Signal(int)
    waiting = Signal()

    def __init__(
        self,
        ctx: ServiceContext,
        kb: KnowledgeBase,
        parent: QWidget | None = None,
        *,
        poll_ms: int = POLL_MS,
        idle_ms: int = IDLE_DEFAULT_MS,
    ) -> None:
        super().__init__(parent)
        assert ctx.kiosk is not None, "a kiosk station's context"
        self.ctx = ctx
        self.kb = kb
        self.idle_ms = idle_ms
        self.setObjectName("kiosk_station")
        self.stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.waiting_page = KioskWelcome(PatientWords(kb, current_language()), ctx.kiosk.name)
        self.waiting_page.begin.connect(self._begin)
        self.stack.addWidget(self.waiting_page)
        self.intake: KioskIntake | None = None
        self.view: PatientIntakeView | None = None
        self.still_there: StillThere | None = None
        self.page: QWidget | None = None
        self.counts: dict[str, int] = {}
        self.confirmations: dict[str, str] = {}
        self.finished = False
        self._asking = False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self._save)

    def start(self) -> None:
        """Ask for an intake now and every :data:`POLL_MS`."""
        self.poll_timer.start()
        self.poll()

    def stop(self) -> None:
        """Stop asking (the station closes)."""
        self.poll_timer.stop()
        self.save_timer.stop()
        if self.still_there is not None:
            self.still_there.stop()

    # Asking the server ------------------------------------------------------------------

    def poll(self) -> None:
        """Ask for the intake handed to this station (once at a time)."""
        if self._asking:
            return
        self._asking = True
        ctx = self.ctx
        # On the writes' thread: the answers saved so far are stored before the station
        # hears whether the intake is still its own.
        run_in_background(
            lambda: kiosk_service.current_intake(ctx), self._heard, self._not_heard, write_pool()
        )

    def _heard(self, intake: KioskIntake | None) -> None:
        self._asking = False
        if intake is None:
            if self.intake is not None:
                self._wait_again()
            return
        if self.intake is None or intake.consultation_id != self.intake.consultation_id:
            self._show(intake)

    def _not_heard(self, exc: Exception) -> None:
        self._asking = False
        _log.warning("kiosk: the server did not answer: %s", exc)

    # One intake -------------------------------------------------------------------------

    def _show(self, intake: KioskIntake) -> None:
        self._wait_again(quietly=True)
        self.intake = intake
        self.finished = intake.state in ("finished", "paused")
        words = PatientWords(self.kb, intake.language)
        page = QWidget(self.stack)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        view = PatientIntakeView(
            self.kb,
            words,
            intake.sex_at_birth,
            intake.treatment_ids,
            intake.answers,
            page,
            first_day=intake.date_of_birth,
            last_day=intake.consultation_date,
            previous=(
                (intake.previous, intake.previous_date)
                if intake.previous is not None and intake.previous_date is not None
                else None
            ),
            confirmations=intake.confirmations,
        )
        view.practitioner_button.hide()  # the practitioner takes it back at their desk
        column.addWidget(view)
        prompt = StillTherePrompt(words, page)
        self.still_there = StillThere(prompt, self.idle_ms)
        self.still_there.timed_out.connect(self._paused)
        self.confirmations = dict(intake.confirmations)
        view.answered.connect(self._answered)
        view.section_confirmed.connect(self._confirmed)
        view.progress.connect(self._progress)
        view.finished.connect(self._finish)
        self.view, self.page = view, page
        self.stack.addWidget(page)
        view.refresh()
        if self.finished:
            view.show_done(WORDS["wait"])
            self.stack.setCurrentWidget(page)
        else:
            self.waiting_page.greet(words)  # the questions start at the patient's touch
            self._write(None)  # the desk's counts from the start
        _log.info("kiosk: the intake of consultation %s is on screen", intake.consultation_id)
        self.intake_shown.emit(intake.consultation_id)

    def _begin(self) -> None:
        """The patient touched the Welcome screen: the questions, and the idle pause."""
        if self.view is None or self.page is None or self.still_there is None:
            return
        self.stack.setCurrentWidget(self.page)
        self.still_there.start()
        self.view.go_to(self.view.current_section())

    def _wait_again(self, *, quietly: bool = False) -> None:
        """Taken back by the practitioner: nothing of that intake stays on screen."""
        self.save_timer.stop()
        if self.still_there is not None:
            self.still_there.stop()
        if self.page is not None:
            self.stack.removeWidget(self.page)
            self.page.deleteLater()
        self.intake = self.view = self.page = self.still_there = None
        self.counts, self.confirmations = {}, {}
        self.waiting_page.wait()
        self.stack.setCurrentWidget(self.waiting_page)
        if not quietly:
            _log.info("kiosk: taken back; waiting")
            self.waiting.emit()

    def _progress(self, done: int, sections: int, answered: int, asked: int) -> None:
        self.counts = {"done": done, "sections": sections, "answered": answered, "asked": asked}

    def _answered(self, _question_id: str, _value: Any) -> None:
        self.save_timer.start()

    def _confirmed(self, section_id: str, how: str) -> None:
        """A repeat visit's section confirmed by the patient: saved with the answers."""
        self.confirmations[section_id] = how
        self.save_timer.start()

    def _write(self, finishing: str | None) -> None:
        if self.intake is None or self.view is None:
            return
        ctx, kb, consultation_id = self.ctx, self.kb, self.intake.consultation_id
        answers, counts = self.view.answers(), dict(self.counts)
        confirmations = dict(self.confirmations)

        def work() -> None:
            if finishing is None:
                kiosk_service.save_answers(
                    ctx, consultation_id, answers, counts, kb, confirmations=confirmations
                )
            else:
                kiosk_service.finish(
                    ctx,
                    consultation_id,
                    answers,
                    counts,
                    kb,
                    paused=finishing == "paused",
                    confirmations=confirmations,
                )

        run_in_background(work, lambda _none: None, self._not_saved, write_pool())

    def _save(self) -> None:
        if not self.finished:
            self._write(None)

    def _not_saved(self, exc: Exception) -> None:
        # Taken back meanwhile, or the server away: the next poll shows which.
        _log.warning("kiosk: answers not saved: %s", exc)

    def _finish(self) -> None:
        self._end("finished", WORDS["wait"])

    def _paused(self) -> None:
        self._end("paused", WORDS["paused"])

    def _end(self, state: str, text: str) -> None:
        if self.finished or self.view is None:
            return
        self.finished = True
        self.save_timer.stop()
        if self.still_there is not None:
            self.still_there.stop()
        self.view.show_done(text)
        self._write(state)
