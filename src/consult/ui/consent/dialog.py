"""The consent step of one consultation: every treatment ready for consent and not yet
signed, one after the other.

The clinical flow (:mod:`consult.ui.shell.clinical_flow`) opens :class:`ConsentDialog`
when the wizard's "Go on to consent" is pressed; each treatment is a
:class:`~consult.ui.consent.step.ConsentStep`. The dialog opens at once: what is left to
consent, and then each treatment's text, are read on a pool thread
(:mod:`consult.ui.consent.plan`), the dialog saying it is loading meanwhile.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import ConsentInfo, PatientInfo
from consult.store.services.consents import ConsentText
from consult.store.services.reconfirmation import ReconfirmationInfo
from consult.ui.consent.buttons import plain_button
from consult.ui.consent.plan import ConsentPlan, StepPlan, read_plan, read_step
from consult.ui.consent.reconfirm_step import ReconfirmStep
from consult.ui.consent.step import ConsentStep
from consult.ui.consent.why_full import why_full
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import treatment_name
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, wait_for_writes


class ConsentDialog(QDialog):
    """The consent step of one consultation: every ready, unsigned treatment in turn.

    ``all_signed`` is True once every treatment that may go to consent is signed (the
    consultation is then consented and can no longer change). ``loading`` is True while
    what to show next is read; :attr:`loaded` is emitted once it is shown (a treatment's
    consent, or a notice).
    """

    loaded = Signal()

    def __init__(
        self,
        session: AppSession,
        consultation_id: int,
        patient: PatientInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.consultation_id = consultation_id
        self.patient = patient
        self.pending: list[str] = []
        self.signed: list[ConsentInfo] = []
        self.reconfirmed: list[ReconfirmationInfo] = []
        self.all_signed = False
        self.step: ConsentStep | ReconfirmStep | None = None
        self.total = 0
        self.number = 0
        self.loading = False
        self.setWindowTitle(self.tr("Consent"))
        # Large, never larger than the screen: on a small one it fills the screen.
        window = parent.window() if parent is not None else None
        if window is not None and window.width() > 900:
            preferred = QSize(window.width() - 40, max(window.height() - 40, 640))
        else:
            preferred = QSize(1240, 780)
        fit_dialog(self, preferred, parent)
        layout = QVBoxLayout(self)
        # At a repeat visit, why this treatment needs the full consent (issue 21).
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.why.setAccessibleName(self.tr("Why a full consent"))
        self.why.hide()
        layout.addWidget(self.why)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.notice = QWidget(self)
        column = QVBoxLayout(self.notice)
        self.notice_title = heading(self.tr("Consent"), self.notice)
        column.addWidget(self.notice_title)
        self.notice_text = QLabel(self.notice)
        self.notice_text.setWordWrap(True)
        self.notice_text.setAccessibleName(self.tr("Consent status"))
        column.addWidget(self.notice_text)
        self.notice_error = ErrorLabel(self.notice)
        column.addWidget(self.notice_error)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.notice_button = plain_button(self.tr("&Close"), self.tr("Close"), self.notice)
        self.notice_button.clicked.connect(self.accept)
        row.addWidget(self.notice_button)
        column.addLayout(row)
        self.stack.addWidget(self.notice)
        self.load()

    def load(self) -> None:
        """Find the treatments still to consent (on a pool thread), then show the first."""
        ctx, consultation_id, patient = self.session.ctx, self.consultation_id, self.patient
        self._set_loading(True)
        self._show_notice(self.tr("Loading…"))
        run_in_background(
            lambda: read_plan(ctx, consultation_id, patient), self._planned, self._plan_failed
        )

    def _set_loading(self, loading: bool) -> None:
        self.loading = loading
        if self.step is not None:
            self.step.setEnabled(not loading)

    def _planned(self, plan: ConsentPlan) -> None:
        if not shiboken6.isValid(self):
            return
        self.patient = plan.patient
        self.pending = list(plan.pending)
        self.total = len(self.pending)
        self.number = 0
        self.all_signed = plan.all_signed
        self._set_loading(False)
        self.show_next()

    def _plan_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_loading(False)
        self._show_notice("", refusal_text(exc))
        self.loaded.emit()

    def _show_notice(self, text: str, error: str = "") -> None:
        self.notice_text.setText(text)
        self.notice_error.show_error(error)
        self.stack.setCurrentWidget(self.notice)
        self.notice_button.setFocus()

    def _drop_step(self) -> None:
        if self.step is not None:
            old, self.step = self.step, None
            self.stack.removeWidget(old)
            old.hide()
            old.deleteLater()

    def show_next(self) -> None:
        """Show the next treatment to consent (its text read on a pool thread, the
        treatment shown until then waiting, disabled), or say that nothing is left."""
        if self.loading:
            return
        if not self.pending:
            self._drop_step()
            self._show_notice(
                self.tr("Every treatment ready for consent in this consultation is signed.")
                if self.all_signed
                else self.tr("No treatment of this consultation can go on to consent.")
            )
            self.loaded.emit()
            return
        treatment = self.pending.pop(0)
        self.number += 1
        ctx, consultation_id = self.session.ctx, self.consultation_id
        self._set_loading(True)
        run_in_background(
            lambda: read_step(ctx, consultation_id, treatment),
            self._show_step,
            lambda exc: self._text_failed(treatment, exc),
        )

    def _show_step(self, plan: StepPlan) -> None:
        """A re-confirmation where one signature will do, else the full consent (with
        why, at a repeat visit)."""
        if not shiboken6.isValid(self):
            return
        reason = why_full(knowledge(), plan.check.differences)
        self.why.setText(reason)
        self.why.setVisible(bool(reason))
        if plan.text is not None:
            self._show_text(plan.text)
            return
        assert self.patient is not None
        name = treatment_name(plan.treatment_id)
        step = ReconfirmStep(
            self.session, self.patient, self.consultation_id, plan.check, name, self
        )
        step.hide()
        step.sealed.connect(self._reconfirmed)
        step.continue_requested.connect(self._continue)
        step.close_requested.connect(self.close_asking)
        QTimer.singleShot(1, step, lambda: self._arrive(step, name))

    def _reconfirmed(self, info: ReconfirmationInfo) -> None:
        self.reconfirmed.append(info)
        if not self.pending:
            self.all_signed = True

    def _text_failed(self, treatment: str, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_loading(False)
        self._drop_step()
        self._show_notice(
            self.tr("The consent text for %1 cannot be shown.").replace(
                "%1", treatment_name(treatment)
            ),
            refusal_text(exc),
        )
        self.loaded.emit()

    def _show_text(self, text: ConsentText) -> None:
        """Make the treatment's consent step, hidden; it is shown on the next turn of the
        event loop, so that making it and laying it out never hold the window up in one
        go."""
        if not shiboken6.isValid(self):
            return
        assert self.patient is not None
        name = treatment_name(text.treatment_id)
        step = ConsentStep(self.session, self.patient, text, name, (self.number, self.total), self)
        step.hide()
        if self.pending:
            following = treatment_name(self.pending[0])
            step.sealed_panel.set_continue(
                self.tr("&Next treatment: %1").replace("%1", following),
                self.tr("Next treatment"),
            )
        step.sealed.connect(self._sealed)
        step.continue_requested.connect(self._continue)
        step.close_requested.connect(self.close_asking)
        # A timer, not a queued call (which Qt runs in the same pass over posted events).
        QTimer.singleShot(1, step, lambda: self._arrive(step, name))

    def _arrive(self, step: ConsentStep | ReconfirmStep, name: str) -> None:
        assert self.patient is not None
        self._set_loading(False)
        self._drop_step()
        self.stack.addWidget(step)
        self.stack.setCurrentWidget(step)
        self.step = step
        self.setWindowTitle(
            self.tr("Consent — %1 — %2").replace("%1", self.patient.full_name).replace("%2", name)
        )
        if isinstance(step, ReconfirmStep):
            step.box.pad.setFocus()
        else:
            step.text_view.setFocus()
        self.loaded.emit()

    def _sealed(self, info: ConsentInfo) -> None:
        self.signed.append(info)
        if not self.pending:
            self.all_signed = True

    def _continue(self) -> None:
        if self.pending:
            self.show_next()
        else:
            self.accept()

    @classmethod
    def confirm_discard(cls, parent: QWidget) -> bool:
        """Ask before throwing away initials, choices or signatures (tests replace this)."""
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("ConsentDialog", "Close without signing?"),
            QCoreApplication.translate(
                "ConsentDialog",
                "The initials, choices and signatures entered for this treatment will be "
                "lost. Nothing has been signed yet.",
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def close_asking(self) -> None:
        """The practitioner asked to close (Escape, "Close"): never while sealing, and
        only after asking if initials, choices or signatures would be lost."""
        if self._may_close():
            self.discard()

    def _may_close(self) -> bool:
        step = self.step
        if step is None:
            return True
        if step.busy:
            return False
        return not step.has_input() or self.confirm_discard(self)

    def reject(self) -> None:
        """Close without asking (the idle lock, sign-out); anything not sealed is dropped."""
        self.discard()

    def discard(self) -> None:
        """Close without asking, once any sealing has finished."""
        wait_for_writes()
        # Deliver the sealing's result, so that ``signed`` and ``all_signed`` are true.
        QCoreApplication.sendPostedEvents()
        super().reject()

    def done(self, result: int) -> None:
        """However the dialog closes, the writes it started (a seal, a logged print or
        save) end first, so that nothing is lost."""
        wait_for_writes()
        super().done(result)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape asks before throwing entries away (QDialog would just reject)."""
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close_asking()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close box behaves like Escape."""
        if self.isVisible() and not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)
