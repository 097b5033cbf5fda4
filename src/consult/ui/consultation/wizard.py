"""The consultation: treatments, intake, screening and summary, saved as it goes.

One page per step with Back and Next (:mod:`treatments_step`, :mod:`intake_step`,
:mod:`screening_step`, :mod:`summary_step`). Every page change and (debounced) every
answer change is saved through ``consultations.save``, so a draft survives closing the
app or a crash and reopens at the saved step. Only the answers to questions asked for
the saved treatments are saved. A draft screened under another rule set than the one
loaded is screened again when it is reopened, with a notice saying so.

The wizard says it is loaded (:attr:`ConsultationWizard.is_loaded`) once the products
are read (off the GUI thread) and the intake's questions are made (a slice at a time,
:class:`~consult.ui.consultation.intake_step.IntakePage`); it waits, disabled, until then.

Every save, screening and decision is a service write run off the GUI thread
(:func:`~consult.ui.widgets.tasks.run_write`, made by :class:`DraftWrites`): the window
keeps painting while the database works. Next checks the page, starts the save and
returns; the step changes when the save is stored, Back and Next disabled meanwhile.
The summary reads where each treatment stands (:mod:`.standing`, off the GUI thread) on
arriving at it, and again when the consent dialog closes or an outcome is recorded:
some treatments may be settled while others still wait for consent.
Closing the consultation waits for the writes under way, so that nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.states import ConsultationStep
from consult.store.dto import ConsultationInfo, PatientInfo, ProductInfo
from consult.store.errors import ValidationError
from consult.store.services import consultations as consultation_service
from consult.store.services import products as product_service
from consult.store.services import reconfirmation
from consult.store.services.reconfirmation import RepeatStart
from consult.ui.consent import templates
from consult.ui.consultation.draft_writes import DraftWrites, Write
from consult.ui.consultation.intake_step import IntakePage
from consult.ui.consultation.not_treated import NotTreatedDialog
from consult.ui.consultation.screening_step import ScreeningPage
from consult.ui.consultation.standing import Standing, read_standing
from consult.ui.consultation.summary_step import SummaryPage
from consult.ui.consultation.treatments_step import TreatmentRow, TreatmentsPage
from consult.ui.consultation.worded import IntakeWords, desk_text
from consult.ui.patient_mode.handover import PatientHandover
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.tasks import LatestOnly, run_in_background, run_write, wait_for_writes
from consult.ui.widgets.tones import style_with_tones

PAGES: tuple[ConsultationStep, ...] = (
    ConsultationStep.TREATMENTS,
    ConsultationStep.INTAKE,
    ConsultationStep.SCREENING,
    ConsultationStep.SUMMARY,
)
"""The wizard's steps, in order (the consent step is a dialog of its own)."""
_TREATMENT_FIELD = re.compile(r"^treatments\[(\d+)\]\.(\w+)$")
_log = logging.getLogger(__name__)


class ConsultationWizard(QWidget):
    """A consultation from treatments to the summary; emits :attr:`ready_for_consent`."""

    ready_for_consent = Signal(int)  # consultation id
    closed = Signal(int)  # consultation id: the practitioner left (the draft is kept)
    loaded = Signal()
    SAVE_DELAY_MS = 400

    def __init__(
        self,
        session: AppSession,
        patient: PatientInfo,
        info: ConsultationInfo,
        kb: KnowledgeBase | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.patient = patient
        self.info = info
        self.kb: KnowledgeBase = kb if kb is not None else knowledge()
        self.products: dict[int, ProductInfo] = {}
        self.is_loaded = False
        self._sealed = False  # a consent is signed: the stored screening stands as signed
        self._draft = DraftWrites(session.ctx, info, self.kb)
        self._planned = [str(t["id"]) for t in info.treatments]  # as saved or being saved
        self._writes = 0  # writes started and not yet come back
        self._moving = False  # a move to another step is under way
        self._after_writes: Callable[[], None] | None = None  # waits for the writes
        self._closed = False
        self._last_saved = ""  # what the save status says once no write is under way
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = heading(self.tr("Consultation: %1").replace("%1", patient.full_name), self)
        top.addWidget(self.title, 1)
        self.saved = QLabel(self)
        self.saved.setAccessibleName(self.tr("Save status"))
        top.addWidget(self.saved)
        layout.addLayout(top)
        desk = current_language()
        # The practitioner's words: the sex at birth and the jurisdiction by name.
        names = self._names = self.kb.texts(desk)
        self.about = QLabel(
            fill(
                self.tr("Born %1, %2 · consultation on %3 · jurisdiction %4"),
                patient.date_of_birth.isoformat(),
                names.label("sex", patient.sex_at_birth).text,
                info.consultation_date.isoformat(),
                names.label("jurisdiction", info.jurisdiction).text,
            ),
            self,
        )
        layout.addWidget(self.about)
        self.steps = QLabel(self)
        self.steps.setAccessibleName(self.tr("Steps"))
        layout.addWidget(self.steps)
        self.message = ErrorLabel(self)
        layout.addWidget(self.message)
        # What the practitioner should know about this consultation (the rules changed
        # since it was screened): stays while the consultation is open.
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        style_with_tones(
            self.notice,
            "color: $info; background: $info_bg; border: 1px solid $info; padding: 6px;",
        )
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setAccessibleName(self.tr("Notice"))
        self.notice.hide()
        layout.addWidget(self.notice)
        self.stack = QStackedWidget(self)
        self.treatments_page = TreatmentsPage(self.kb, info.consultation_date, self)
        self.intake_page = IntakePage(
            self.kb,
            patient.sex_at_birth,
            self,
            first_day=patient.date_of_birth,
            last_day=info.consultation_date,
            # The patient reads the intake: in their language, the desk's under it.
            words=IntakeWords(self.kb, patient.language, desk),
        )
        self.screening_page = ScreeningPage(self.kb, self)
        self.summary_page = SummaryPage(self.kb, self)
        for page in (
            self.treatments_page,
            self.intake_page,
            self.screening_page,
            self.summary_page,
        ):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("C&lose (the draft is kept)"), self)
        self.back_button = QPushButton(self.tr("&Back"), self)
        self.next_button = QPushButton(self.tr("&Next"), self)
        self.consent_button = QPushButton(self.tr("&Go on to consent"), self)
        for button, name in (
            (self.close_button, self.tr("Close the consultation; the draft is kept")),
            (self.back_button, self.tr("Back")),
            (self.next_button, self.tr("Next")),
            (self.consent_button, self.tr("Go on to consent")),
        ):
            button.setAccessibleName(name)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.consent_button)
        layout.addLayout(buttons)
        self.runner = LatestOnly(self)
        # Where the treatments stand, read again for the summary; the newest read wins.
        self.standing_reader = LatestOnly(self)
        self.standing: Standing | None = None  # as last read
        self._after_standing: list[Callable[[], None]] = []  # wait for the read under way
        self._answers_timer = QTimer(self)
        self._answers_timer.setSingleShot(True)
        self._answers_timer.setInterval(self.SAVE_DELAY_MS)
        self._answers_timer.timeout.connect(self._save_answers)
        self._treatments_timer = QTimer(self)
        self._treatments_timer.setSingleShot(True)
        self._treatments_timer.setInterval(self.SAVE_DELAY_MS)
        self._treatments_timer.timeout.connect(self._save_treatments)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close_consultation)
        self.consent_button.clicked.connect(self._go_to_consent)
        self.summary_page.not_treated_requested.connect(self._not_treated)
        self.screening_page.decided.connect(self._decide)
        self.screening_page.clarify_requested.connect(self.clarify)
        self.intake_page.set_treatments([str(t["id"]) for t in info.treatments])
        self.intake_page.set_answers(info.answers)
        self.intake_page.changed.connect(self._answers_timer.start)
        self._products_waiting: list[ProductInfo] | None = None
        self.intake_page.built.connect(self._intake_built)
        self._arriving = False  # a move waits for the intake's sections to appear
        self.intake_page.revealed.connect(self._intake_revealed)
        self.treatments_page.changed.connect(self._treatments_changed)
        self.handover: PatientHandover | None = None  # patient mode, while it is open
        self.intake_page.hand_button.clicked.connect(self.hand_to_patient)
        self._show_page(0)
        self.setEnabled(False)
        self.saved.setText(self.tr("Loading…"))
        ctx = session.ctx
        self.runner.submit(
            lambda: product_service.list_products(ctx), self._products_loaded, self._load_failed
        )

    # Loading and restoring --------------------------------------------------------------

    def _products_loaded(self, products: list[ProductInfo]) -> None:
        if not shiboken6.isValid(self) or self._closed:
            return
        if not self.intake_page.is_built:  # go on once the questions are made
            self._products_waiting = products
            return
        self.products = {p.id: p for p in products}
        self.treatments_page.changed.disconnect(self._treatments_changed)
        self.treatments_page.set_treatments(products, self.info.treatments)
        self.treatments_page.changed.connect(self._treatments_changed)
        self.intake_page.set_treatments(self.treatments_page.planned_ids())
        self._say_saved(self.tr("Draft saved"))
        step = self.info.step if self.info.step in PAGES else ConsultationStep.SUMMARY
        index = PAGES.index(step)
        self._restore_repeat_visit(
            lambda: self._screen_again_if_rules_changed(lambda stands: self._restore(index, stands))
        )

    def _restore_repeat_visit(self, then: Callable[[], None]) -> None:
        """A reopened repeat visit's draft: the last intake again, and the sections
        confirmed before it was closed (saved with it); then ``then``."""
        confirmations = self.info.section_confirmations
        if not confirmations:
            then()
            return
        ctx, consultation_id, planned = self.session.ctx, self.info.id, list(self._planned)

        def found(start: RepeatStart | None) -> None:
            if not shiboken6.isValid(self):
                return
            if start is not None:
                self.intake_page.set_previous(start.answers, start.consultation_date)
                self.intake_page.restore_confirmations(confirmations)
            then()

        def failed(exc: Exception) -> None:
            _log.warning("the last intake could not be read", exc_info=exc)
            if shiboken6.isValid(self):
                then()

        run_in_background(
            lambda: reconfirmation.repeat_start(ctx, consultation_id, planned), found, failed
        )

    def _intake_built(self) -> None:
        products, self._products_waiting = self._products_waiting, None
        if products is not None:
            self._products_loaded(products)

    def _restore(self, index: int, screening_stands: bool) -> None:
        """Reopen at the saved step (at the intake if the rules in force refuse it)."""
        if not screening_stands and index >= 2:
            index = 1
        if index >= 2:
            self._enter_screening(quiet=True, then=lambda: self._loaded_at(index))
        else:
            self._loaded_at(index)

    def _loaded_at(self, index: int) -> None:
        if index == 3 and self._unresolved():
            index = 2
        if index == 3:
            templates.warm_up()  # reopened at the summary: consent comes next
            # Some of its treatments may be settled: the summary says so from the start.
            self._read_standing(lambda: self._loaded_now(index))
            return
        self._loaded_now(index)

    def _loaded_now(self, index: int) -> None:
        self.setEnabled(True)
        self.is_loaded = True
        self._show_page(index)
        self._focus_page()
        self.loaded.emit()

    def _screen_again_if_rules_changed(self, then: Callable[[bool], None]) -> None:
        """On reopening, screen a draft screened under another rule set again; say so.

        ``then(False)`` if the rules in force refuse its intake: the refusal is shown next
        to its field, and the old screening (still stored, with its version) is not used.
        """
        if not consultation_service.rules_changed(self.info, self.kb):
            then(True)
            return
        old = (self.info.rule_set_version or self.tr("unknown"))[:12]
        new = self.kb.version[:12]

        def screened(info: ConsultationInfo) -> None:
            self._accept(info)
            self._notify(
                fill(
                    self.tr(
                        "The screening rules have changed since this consultation was screened "
                        "(rule set %1 → %2); it has been screened again."
                    ),
                    old,
                    new,
                )
            )
            then(True)

        def refused(exc: Exception) -> None:
            if isinstance(exc, ValidationError) and exc.field == "status":
                # A consent is signed: the screening is sealed with it, never redone.
                self._sealed = True
                self._notify(
                    fill(
                        self.tr(
                            "The screening rules have changed since this consultation was "
                            "screened (rule set %1 → %2); a consent of it is already signed, "
                            "so it keeps the screening that consent was signed with."
                        ),
                        old,
                        new,
                    )
                )
                then(True)
                return
            if isinstance(exc, ValidationError):
                self._notify(
                    fill(
                        self.tr(
                            "The screening rules have changed since this consultation was "
                            "screened (rule set %1 → %2); it could not be screened again: %3. "
                            "Check the answers, then go on to screen it."
                        ),
                        old,
                        new,
                        refusal_words(exc.message),
                    )
                )
                self.show_validation(exc)
            else:
                self.message.show_error(refusal_text(exc))
            then(False)

        self._write(self._draft.screen(), screened, refused)

    def _notify(self, text: str) -> None:
        """Show a notice that stays while the consultation is open."""
        self.notice.setText("ℹ " + text)
        self.notice.show()

    def _screening_stands(self) -> bool:
        """Whether the stored screening is the one to go on with: made under the rules in
        force, or sealed by a signed consent."""
        return self.info.screening is not None and (
            self._sealed or not consultation_service.rules_changed(self.info, self.kb)
        )

    def _load_failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self._say_saved("")
            self.message.show_error(
                self.tr("The products could not be loaded: %1").replace("%1", refusal_text(exc))
            )

    # Writing ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether a write or a move to another step is under way."""
        return self._moving or self._writes > 0

    def _write(
        self,
        work: Write,
        on_done: Callable[[ConsultationInfo], None],
        on_error: Callable[[Exception], None],
        busy: QWidget | None = None,
    ) -> None:
        """Run a service write off the GUI thread (:func:`run_write`); its result or
        refusal comes back here. Nothing is started once the consultation is closed."""
        if self._closed:
            return
        self._writes += 1
        self.saved.setText(self.tr("Saving…"))

        def done(info: ConsultationInfo) -> None:
            if shiboken6.isValid(self):
                try:
                    on_done(info)
                finally:
                    self._write_ended()

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                try:
                    on_error(exc)
                finally:
                    self._write_ended()

        run_write(work, done, failed, busy=busy)

    def _write_ended(self) -> None:
        self._writes -= 1
        if self._writes:
            return
        self.saved.setText(self._last_saved)
        if self._after_writes is not None:
            then, self._after_writes = self._after_writes, None
            then()

    def _say_saved(self, text: str) -> None:
        """Set what the save status says once no write is under way ("Saving…" until
        then)."""
        self._last_saved = text
        if not self._writes:
            self.saved.setText(text)

    def _save(
        self,
        changes: Mapping[str, Any],
        then: Callable[[], None] | None = None,
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Save ``changes`` to the draft; a refusal shows next to its field. ``then`` runs
        once saved, ``failed`` if not."""

        def saved(info: ConsultationInfo) -> None:
            self._accept(info)
            if then is not None:
                then()

        def refused(exc: Exception) -> None:
            self._not_saved(exc)
            if failed is not None:
                failed()

        self._write(self._draft.save(**changes), saved, refused)

    def _not_saved(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.show_validation(exc)
            return
        # A conflict (changed on another workstation) or another refusal: it says why.
        _log.warning("consultation %s not saved: %s", self.info.id, exc)
        self.message.show_error(refusal_text(exc))
        self._say_saved(self.tr("Not saved"))

    def _accept(self, info: ConsultationInfo) -> None:
        self.info = info
        self._say_saved(
            self.tr("Draft saved at %1").replace("%1", dt.datetime.now().strftime("%H:%M:%S"))
        )

    def show_validation(self, exc: ValidationError) -> None:
        """Show a service's refusal next to the field it names."""
        match = _TREATMENT_FIELD.match(exc.field)
        rows = self.treatments_page.rows
        if match and int(match.group(1)) < len(rows):
            if self.stack.currentWidget() is not self.treatments_page:
                self.message.show_error(
                    self.tr("Check the treatments: %1").replace("%1", refusal_words(exc.message))
                )
            rows[int(match.group(1))].show_error(match.group(2), refusal_words(exc.message))
            return
        if exc.field.startswith("answers."):
            widget = self.intake_page.questions.get(exc.field.removeprefix("answers."))
            if widget is not None:
                widget.error.show_error(refusal_words(exc.message))
                if self.stack.currentWidget() is not self.intake_page or not widget.isVisibleTo(
                    self.intake_page
                ):
                    self.message.show_error(
                        fill(
                            self.tr("Check the intake: %1: %2"),
                            widget.question.label,
                            refusal_words(exc.message),
                        )
                    )
                return
        if exc.field == "treatments":
            self.treatments_page.error.show_error(refusal_words(exc.message))
            if self.stack.currentWidget() is self.treatments_page:
                return
        self.message.show_error(refusal_words(exc.message))

    def _treatments_changed(self) -> None:
        self.treatments_page.clear_errors()
        self.intake_page.set_treatments(self.treatments_page.planned_ids())
        self._treatments_timer.start()

    def _save_treatments(self) -> None:
        self._save_rows(self.treatments_page.treatments(complete_only=True))

    def _save_rows(
        self,
        rows: list[tuple[TreatmentRow, dict[str, Any]]],
        changes: Mapping[str, Any] | None = None,
        then: Callable[[], None] | None = None,
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Save the treatments of ``rows`` with the answers asked for exactly those."""
        planned = [str(value["id"]) for _row, value in rows if value["id"] is not None]
        self._planned = planned  # what the draft holds once this is saved

        def saved(info: ConsultationInfo) -> None:
            self._accept(info)
            if then is not None:
                then()

        def refused(exc: Exception) -> None:
            self._planned = [str(t["id"]) for t in self.info.treatments]
            row = self._row_refused(exc, rows)
            if row is not None and isinstance(exc, ValidationError):
                row[0].show_error(row[1], refusal_words(exc.message))
            else:
                self._not_saved(exc)
            if failed is not None:
                failed()

        write = self._draft.save(
            treatments=[value for _row, value in rows],
            answers=self.intake_page.answers(planned),
            **(changes or {}),
        )
        self._write(write, saved, refused)

    @staticmethod
    def _row_refused(
        exc: Exception, rows: Sequence[tuple[TreatmentRow, Mapping[str, Any]]]
    ) -> tuple[TreatmentRow, str] | None:
        """The row (still on screen) and the field of it a refusal names, if any."""
        match = _TREATMENT_FIELD.match(exc.field) if isinstance(exc, ValidationError) else None
        if match is None or int(match.group(1)) >= len(rows):
            return None
        row = rows[int(match.group(1))][0]
        return (row, match.group(2)) if shiboken6.isValid(row) else None

    def _saved_answers(self) -> dict[str, Any]:
        """The answers to save: those asked for the treatments saved (or being saved)."""
        return self.intake_page.answers(self._planned)

    def _save_answers(self) -> None:
        # A repeat visit's confirmed sections are kept with the draft (issue 21).
        confirmed = (
            {"section_confirmations": self.intake_page.confirmations()}
            if self.intake_page.previous is not None
            else {}
        )
        self._save({"answers": self._saved_answers(), **confirmed})

    def _save_waiting(self) -> None:
        """Start the saves the debounce timers hold."""
        if not self.is_loaded:
            return
        if self._treatments_timer.isActive():
            self._treatments_timer.stop()
            self._save_treatments()
        if self._answers_timer.isActive():
            self._answers_timer.stop()
            self._save_answers()

    def flush(self) -> None:
        """Save whatever is waiting to be saved, and wait until it is stored (before
        closing or signing out: nothing entered is lost)."""
        self._save_waiting()
        wait_for_writes()

    # Moving between pages ---------------------------------------------------------------

    @property
    def page(self) -> ConsultationStep:
        """The step shown."""
        return PAGES[self.stack.currentIndex()]

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        names = (self.tr("Treatments"), self.tr("Intake"), self.tr("Screening"), self.tr("Summary"))
        self.steps.setText(
            "  ›  ".join(
                f"<b>[{n}. {name}]</b>" if i == index else f"{n}. {name}"
                for i, (n, name) in enumerate(zip(range(1, 5), names, strict=True))
            )
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Back, Next and Go on to consent as the step allows; none while moving."""
        index = self.stack.currentIndex()
        self.back_button.setEnabled(index > 0 and not self._moving)
        self.next_button.setVisible(index < 3)
        self.next_button.setEnabled(not self._moving)
        self.consent_button.setVisible(index == 3)
        self.consent_button.setEnabled(
            index == 3 and bool(self.summary_page.ready) and not self._moving
        )

    def _focus_page(self) -> None:
        page = self.page
        if page == ConsultationStep.TREATMENTS:
            rows = self.treatments_page.rows
            (rows[0].treatment if rows else self.treatments_page.add_button).setFocus()
        elif page == ConsultationStep.INTAKE:
            missing = self.intake_page.missing()
            asked = self.intake_page.asked()
            if missing or asked:
                self.intake_page.focus_question(missing[0] if missing else asked[0].id)
        elif page == ConsultationStep.SCREENING:
            self.screening_page.focus_first_pending()
            focus = QApplication.focusWidget()
            if focus is None or not self.isAncestorOf(focus):
                self.next_button.setFocus()
        else:
            (
                self.consent_button if self.consent_button.isEnabled() else self.back_button
            ).setFocus()

    def _begin_move(self) -> None:
        self._moving = True
        self._update_buttons()

    def _end_move(self) -> None:
        self._moving = False
        self._update_buttons()

    def _arrive(self, index: int) -> None:
        """A move ends on step ``index`` (on the intake once its sections have appeared)."""
        self._show_page(index)
        if self.page == ConsultationStep.INTAKE and not self.intake_page.is_revealed:
            if self.intake_page.isVisible():
                self._arriving = True
                return
            self.intake_page.reveal_all()  # not on screen: nothing to spread out
        self._end_move()
        self._focus_page()

    def _intake_revealed(self) -> None:
        if self._arriving:
            self._arriving = False
            self._end_move()
            self._focus_page()

    def next(self) -> None:
        """Check the page, save, and go to the next step once saved.

        The save runs off the GUI thread with Back and Next disabled meanwhile; a move
        asked for while earlier saves are still running starts when they have ended, so
        that it is checked against what they stored.
        """
        if not self.is_loaded or self._moving:
            return
        self._begin_move()
        if self._writes:
            self._after_writes = self._next_now
        else:
            self._next_now()

    def _next_now(self) -> None:
        if self._closed:
            self._end_move()
            return
        self.message.clear_error()
        page = self.page
        if page == ConsultationStep.TREATMENTS:
            self._treatments_timer.stop()
            rows = self.treatments_page.treatments()
            if not rows:
                self._end_move()
                self.treatments_page.error.show_error(self.tr("Plan at least one treatment."))
                self.treatments_page.add_button.setFocus()
                return
            for row, value in rows:
                if value["id"] is None:
                    self._end_move()
                    row.show_error("id", self.tr("Choose the treatment, or remove this row."))
                    return
            self._save_rows(
                rows,
                {"step": ConsultationStep.INTAKE},
                then=self._to_intake,
                failed=self._end_move,
            )
        elif page == ConsultationStep.INTAKE:
            self._answers_timer.stop()
            unconfirmed = self.intake_page.unconfirmed_sections()
            if unconfirmed:  # a repeat visit: each section confirmed or updated first
                self._end_move()
                self.message.show_error(
                    self.tr(
                        "Confirm each section as unchanged since the last visit, or update "
                        "it: %n left.",
                        "",
                        len(unconfirmed),
                    )
                )
                self.intake_page.focus_section_bar(unconfirmed[0])
                return
            missing = self.intake_page.show_missing(self.tr("Answer this question."))
            if missing:
                self._end_move()
                self.message.show_error(
                    self.tr("Every question asked needs an answer: %n left.", "", len(missing))
                )
                self._save({"answers": self._saved_answers()})
                return
            self._save(
                {"step": ConsultationStep.SCREENING, "answers": self._saved_answers()},
                then=lambda: self._enter_screening(then=lambda: self._arrive(2)),
                failed=self._end_move,
            )
        elif page == ConsultationStep.SCREENING:
            if not self._screening_stands():
                self._enter_screening(then=self._end_move)
                return
            unresolved = self._unresolved()
            if unresolved:
                self._end_move()
                self.message.show_error(
                    self.tr(
                        "Decide on every finding first (write a justification or acknowledge "
                        "it), clarify what is asked, or go back and remove the treatment: %1"
                    ).replace(
                        "%1",
                        ", ".join(desk_text(self._names.label("treatment", t)) for t in unresolved),
                    )
                )
                self.screening_page.focus_first_pending()
                return
            self._save(
                {"step": ConsultationStep.SUMMARY},
                then=self._to_summary,
                failed=self._end_move,
            )
        else:
            self._end_move()

    def _to_intake(self) -> None:
        """Go on to the intake; a first intake of a patient whose consent for a planned
        treatment is still valid starts from their last one (docs/repeat-visits.md)."""
        if self.intake_page.previous is not None or self.intake_page.raw_answers():
            self._arrive(1)
            return
        ctx, consultation_id, planned = self.session.ctx, self.info.id, list(self._planned)

        def found(start: RepeatStart | None) -> None:
            if not shiboken6.isValid(self):
                return
            if start is not None:
                self.intake_page.set_previous(start.answers, start.consultation_date)
                self._notify(
                    fill(
                        self.tr(
                            "A returning patient: the consent for %1 is still valid. The "
                            "intake starts from the last visit's (%2): confirm each section "
                            "as unchanged or update it."
                        ),
                        ", ".join(
                            self.tr("%1 (until %2)")
                            .replace("%1", treatment_name(t))
                            .replace("%2", s.valid_until.isoformat() if s.valid_until else "")
                            for t, s in start.valid.items()
                        ),
                        start.consultation_date.isoformat(),
                    )
                )
            self._arrive(1)

        def failed(exc: Exception) -> None:
            _log.warning("the last intake could not be read", exc_info=exc)
            if shiboken6.isValid(self):
                self._arrive(1)

        run_in_background(
            lambda: reconfirmation.repeat_start(ctx, consultation_id, planned), found, failed
        )

    def _to_summary(self) -> None:
        self._read_standing(lambda: self._arrive(3))
        # The consent step comes next: its templates are parsed on a pool thread while
        # the summary is read (not sooner: parsing competes with the GUI thread for
        # Python while the intake is made and filled in).
        templates.warm_up()

    def refresh_summary(self) -> None:
        """Read again where the treatments stand and show it on the summary (a consent
        dialog closed, an outcome recorded: some may be settled since)."""
        if self.is_loaded and not self._closed:
            self._read_standing(self._update_buttons)

    def _read_standing(self, then: Callable[[], None]) -> None:
        """Read where the treatments stand (off the GUI thread), show the summary with
        it, then call ``then``. Unread, the summary shows the consultation as the wizard
        has it (nothing settled but what is blocked) and says why below it.

        Only the newest read is shown; ``then`` of an older one still runs, after it (a
        move waiting for the summary must end whichever read brings it)."""
        ctx, consultation_id = self.session.ctx, self.info.id
        self._after_standing.append(then)

        def shown() -> None:
            waiting, self._after_standing = self._after_standing, []
            for each in waiting:
                each()

        def read(standing: Standing) -> None:
            if not shiboken6.isValid(self) or self._closed:
                return
            self.standing = standing
            self.summary_page.show_summary(standing.info, self.products, standing)
            shown()

        def unread(exc: Exception) -> None:
            if not shiboken6.isValid(self) or self._closed:
                return
            _log.warning("consultation %s: its treatments not read: %s", consultation_id, exc)
            self.message.show_error(refusal_text(exc))
            self.summary_page.show_summary(self.info, self.products, self.standing)
            shown()

        self.standing_reader.submit(lambda: read_standing(ctx, consultation_id), read, unread)

    def back(self) -> None:
        """Save and go back one step at once (nothing entered is lost)."""
        index = self.stack.currentIndex()
        if index == 0 or not self.is_loaded or self._moving:
            return
        self.message.clear_error()
        self._save_waiting()
        self._save({"step": PAGES[index - 1]})
        self._show_page(index - 1)
        self._focus_page()

    def _unresolved(self) -> list[str]:
        return [
            r.treatment
            for r in consultation_service.reviews(self.info)
            if r.status in ("clarify", "needs_decision")
        ]

    def _enter_screening(self, quiet: bool = False, then: Callable[[], None] | None = None) -> None:
        """Screen the intake unless the stored screening still stands, then show it (and
        call ``then``)."""

        def show() -> None:
            # A screening under other rules is never shown as the current one.
            shown = self.info if self._screening_stands() else replace(self.info, screening=None)
            self.screening_page.show_result(shown)
            if self.info.step == ConsultationStep.SUMMARY and quiet:
                self.summary_page.show_summary(shown, self.products)
            if then is not None:
                # The findings are made in this turn of the event loop, shown in the
                # next: both at once kept the window from repainting for 40-60 ms.
                QTimer.singleShot(0, self, then)

        if self._screening_stands():
            show()
            return

        def screened(info: ConsultationInfo) -> None:
            self._accept(info)
            show()

        def refused(exc: Exception) -> None:
            if isinstance(exc, ValidationError):
                self._sealed = self._sealed or exc.field == "status"
                self.show_validation(exc)
            else:
                self.message.show_error(refusal_text(exc))
            show()

        self._write(self._draft.screen(), screened, refused)

    def _decide(self, treatment: str, rule: str, justification: str) -> None:
        """Record a decision on a finding (the finding waits, disabled, until it is)."""

        def refused(exc: Exception) -> None:
            widget = self.screening_page.finding(treatment, rule)
            if isinstance(exc, ValidationError) and widget is not None:
                widget.error.show_error(refusal_words(exc.message))
            elif isinstance(exc, ValidationError):
                self.message.show_error(refusal_words(exc.message))
            else:
                self.message.show_error(refusal_text(exc))

        self._write(
            self._draft.decide(treatment, rule, justification),
            self._decided,
            refused,
            busy=self.screening_page.finding(treatment, rule),
        )

    def _decided(self, info: ConsultationInfo) -> None:
        self._accept(info)
        self.screening_page.show_result(self.info)
        self.screening_page.focus_first_pending()
        if not self._unresolved():
            self.next_button.setFocus()

    def clarify(self, question_ids: Sequence[str]) -> None:
        """Send the practitioner back to the intake, to the questions named."""
        if self._moving:
            return
        self.message.clear_error()
        self._save({"step": ConsultationStep.INTAKE})
        self._show_page(1)
        self.intake_page.highlight(
            list(question_ids),
            self.tr("Please clarify: the screening needs a definite answer here."),
        )

    def _go_to_consent(self) -> None:
        if not self.summary_page.ready or self._moving:
            return
        if self._writes:  # the consent step reads the consultation: once it is stored
            self._begin_move()
            self._after_writes = self._consent_now
            return
        self.ready_for_consent.emit(self.info.id)

    def _consent_now(self) -> None:
        self._end_move()
        if not self._closed:
            self.ready_for_consent.emit(self.info.id)

    def _not_treated(self) -> None:
        """The summary's "Not treated: letter for the patient…": once the draft is stored,
        record which treatments are not given and hand over the letter (:mod:`.not_treated`);
        a consultation left with nothing to consent is closed when the dialog is."""
        if not self.summary_page.offered or self._moving:
            return
        if self._writes:  # the outcome is recorded against the stored version
            self._begin_move()
            self._after_writes = self._not_treated_now
            return
        self._not_treated_now()

    def _not_treated_now(self) -> None:
        """Read where the treatments stand again (a consent signed since moved the
        consultation on and settled its treatment), then open."""
        if self._closed:
            self._end_move()
            return
        self._begin_move()
        ctx, consultation_id = self.session.ctx, self.info.id
        run_in_background(
            lambda: read_standing(ctx, consultation_id),
            self._open_not_treated,
            self._not_treated_unread,
        )

    def _open_not_treated(self, standing: Standing) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_move()
        if self._closed:
            return
        self.standing = standing
        self.summary_page.show_summary(standing.info, self.products, standing)
        self._update_buttons()
        if not self.summary_page.offered:  # settled meanwhile: the summary now says how
            return
        dialog = NotTreatedDialog(
            self.session.ctx,
            self.kb,
            self.patient,
            standing.info,
            self,
            standing.settlement.consented,
        )
        self.not_treated_dialog: NotTreatedDialog | None = dialog
        dialog.recorded.connect(lambda _outcome: self.refresh_summary())
        dialog.finished.connect(lambda _result: self._not_treated_done(dialog))
        dialog.open()

    def _not_treated_unread(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._end_move()
        _log.warning("consultation %s not read again: %s", self.info.id, exc)
        self.message.show_error(refusal_text(exc))

    def _not_treated_done(self, dialog: NotTreatedDialog) -> None:
        self.not_treated_dialog = None
        dialog.deleteLater()
        if dialog.outcome is not None and dialog.outcome.closed and not self._closed:
            self.close_consultation()

    # Patient mode -----------------------------------------------------------------------

    def hand_to_patient(self) -> None:
        """Open patient mode for the intake (docs/patient-mode.md): each answer the
        patient gives is shown here and saved as if typed; the desk stays covered until
        the practitioner's password takes the consultation back."""
        if not self.is_loaded or self._moving or self.handover is not None:
            return
        self._save_waiting()
        self.handover = PatientHandover(
            self.session, self.kb, self.patient, self.info, self.intake_page, self.window()
        )
        self.handover.answered.connect(self._patient_answered)
        self.handover.returned.connect(self._patient_returned)
        self.handover.start()

    def _patient_answered(self, question_id: str, value: Any) -> None:
        self.intake_page.set_answers({question_id: value})
        self._answers_timer.start()

    def _patient_returned(self) -> None:
        self.handover = None
        self._save_waiting()
        self._focus_page()

    # Leaving ----------------------------------------------------------------------------

    def leave(self) -> None:
        """Save what is waiting and start nothing more (closing the consultation, signing
        out, quitting); the writes go on, in order. Its reads are not waited for: what
        they read is not shown once the wizard has left (the GUI thread does not wait
        for the database; the app waits for every job before it closes the database)."""
        self.flush()
        self._closed = True
        self._after_writes = None

    def close_consultation(self) -> None:
        """Save what is waiting and leave; the draft can be resumed later."""
        self.leave()
        self.closed.emit(self.info.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter goes on (where the focused widget does not use it); Escape closes."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(
                focus, QRadioButton | QCheckBox
            ):
                focus.click()
            elif self.page == ConsultationStep.SUMMARY:
                self._go_to_consent()
            else:
                self.next()
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.close_consultation()
            event.accept()
            return
        super().keyPressEvent(event)
