"""Back at the desk: the practitioner reviews what the patient answered.

:class:`PatientAnswersReview` marks, in the wizard's intake, the answers that differ
from the patient's previous consultation (read off the GUI thread), and from then on
records every change the practitioner makes to an answer the patient gave: beside the
question it says what the patient answered, and the store keeps both and audits the
change ("changed by practitioner after discussion",
:func:`~consult.store.services.patient_answers.note_practitioner_changes`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout

from consult.domain.consent_document import answer_text
from consult.domain.knowledge_model import KnowledgeBase
from consult.store.dto import ConsultationInfo
from consult.store.services import consultations as consultation_service
from consult.store.services import patient_answers as patient_answer_service
from consult.store.services.patient_answers import PatientAnswers, differing
from consult.ui.consultation.intake_step import IntakePage
from consult.ui.consultation.question import QuestionWidget
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import run_in_background, run_write
from consult.ui.widgets.tones import style_with_tones

_log = logging.getLogger(__name__)
NOTE_DELAY_MS = 400
"""Practitioner changes are recorded this long after the last one (as the draft is)."""


def previous_answers(
    consultations: list[ConsultationInfo], current: ConsultationInfo
) -> dict[str, Any]:
    """The answers of the patient's consultation before ``current`` (none if it is the
    first): ``consultations`` as ``consultations.for_patient`` lists them."""
    earlier = [
        c
        for c in consultations
        if c.id != current.id
        and (c.consultation_date, c.id) < (current.consultation_date, current.id)
        and c.answers
    ]
    if not earlier:
        return {}
    latest = max(earlier, key=lambda c: (c.consultation_date, c.id))
    return dict(latest.answers)


def changed_since(previous: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """The questions answered both times whose answer is not the same."""
    return [q for q in answers if q in previous and previous[q] != answers[q]]


class NoteLabel(QLabel):
    """A line under a question of the intake: what differs, and from what."""

    def __init__(self, widget: QuestionWidget) -> None:
        super().__init__(widget)
        self.setWordWrap(True)
        style_with_tones(self, "color: $info;")
        layout = widget.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(max(0, layout.count() - 1), self)


class PatientAnswersReview(QObject):
    """Marks, in the intake, what differs from last time and what the practitioner
    changed of the patient's own answers."""

    def __init__(
        self,
        session: AppSession,
        kb: KnowledgeBase,
        info: ConsultationInfo,
        intake: IntakePage,
        given: PatientAnswers,
    ) -> None:
        super().__init__(intake)
        self.session = session
        self.kb = kb
        self.info = info
        self.intake = intake
        self.given = given
        self.notes: dict[str, NoteLabel] = {}
        self.previous: dict[str, Any] = {}
        self.since_last_time: list[str] = []
        self.loaded = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(NOTE_DELAY_MS)
        self.timer.timeout.connect(self.record_changes)
        intake.changed.connect(self.timer.start)
        ctx, patient_id = session.ctx, info.patient_id
        run_in_background(
            lambda: consultation_service.for_patient(ctx, patient_id),
            self._previous_read,
            self._previous_failed,
        )

    def retire(self) -> None:
        """A later hand-over replaces this review: stop recording, remove the notes."""
        self.timer.stop()
        self.intake.changed.disconnect(self.timer.start)
        for note in self.notes.values():
            note.deleteLater()
        self.notes.clear()
        self.deleteLater()

    def _previous_read(self, consultations: list[ConsultationInfo]) -> None:
        if not shiboken6.isValid(self.intake):
            return
        self.previous = previous_answers(consultations, self.info)
        answers = self.intake.answers()
        self.since_last_time = changed_since(self.previous, answers)
        for question_id in self.since_last_time:
            widget = self.intake.questions.get(question_id)
            if widget is not None:
                widget.set_highlight(True)
        self.loaded = True
        self._show_notes()

    def _previous_failed(self, exc: Exception) -> None:
        _log.warning("the previous consultation could not be read: %s", exc)
        self.loaded = True

    def _text(self, question_id: str, value: Any) -> str:
        return answer_text(self.kb.question(question_id), value)

    def _show_notes(self) -> None:
        """One line under each question: the previous answer where it differs, and the
        patient's own where the practitioner changed it."""
        answers = self.intake.answers()
        changed = set(differing(self.given.answers, answers))
        for question_id in set(self.notes) | set(self.since_last_time) | changed:
            widget = self.intake.questions.get(question_id)
            if widget is None:
                continue
            lines = []
            if question_id in self.since_last_time:
                lines.append(
                    self.tr("Differs from the last consultation (then: %1).").replace(
                        "%1", self._text(question_id, self.previous[question_id])
                    )
                )
            if question_id in changed:
                lines.append(
                    self.tr("Changed after discussion: the patient answered “%1”.").replace(
                        "%1", self._text(question_id, self.given.answers[question_id])
                    )
                )
            note = self.notes.get(question_id)
            if note is None:
                if not lines:
                    continue
                note = self.notes[question_id] = NoteLabel(widget)
            note.setText("\n".join("ℹ " + line for line in lines))
            note.setVisible(bool(lines))

    def record_changes(self) -> None:
        """Keep and audit the practitioner's changes to the patient's answers."""
        self.timer.stop()
        if not shiboken6.isValid(self.intake):
            return
        ctx, consultation_id = self.session.ctx, self.info.id
        answers = self.intake.answers()
        self._show_notes()
        run_write(
            lambda: patient_answer_service.note_practitioner_changes(ctx, consultation_id, answers),
            self._recorded,
            self._not_recorded,
        )

    def _recorded(self, stored: PatientAnswers | None) -> None:
        if stored is not None:
            self.given = stored

    def _not_recorded(self, exc: Exception) -> None:
        _log.warning("practitioner changes of consultation %s not recorded: %s", self.info.id, exc)
