"""Step 2 of a consultation: the questionnaire, grouped by section.

It shows only the questions asked for the planned treatments and the answers so far; a
question asked for one treatment (G6PD deficiency for IV vitamin C) appears when that
treatment is planned and vanishes when it is removed, keeping its answer in its widget
in case the treatment comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.ui.consultation.question import QuestionWidget
from consult.ui.consultation.styles import scrolled
from consult.ui.widgets.basics import heading
from consult.ui.widgets.forms import to_qdate
from consult.ui.widgets.tones import style_with_tones


def _bound_dates(edit: QDateEdit, first: dt.date | None, last: dt.date | None) -> None:
    # A date answer lies between the birth and the consultation day (the service refuses
    # anything else); the day shown first is the consultation day.
    if first is not None and (last is None or first <= last):
        edit.setMinimumDate(to_qdate(first))
    if last is not None:
        edit.setMaximumDate(to_qdate(last))
        edit.setDate(to_qdate(last))


class IntakePage(QWidget):
    """Step 2: the questionnaire, grouped by section; questions appear as answers need them."""

    changed = Signal()

    def __init__(
        self,
        kb: KnowledgeBase,
        sex_at_birth: str,
        parent: QWidget | None = None,
        *,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        """``first_day`` and ``last_day`` bound date answers (the birth and the
        consultation day)."""
        super().__init__(parent)
        self.kb = kb
        self.sex_at_birth = sex_at_birth
        self.treatment_ids: tuple[str, ...] = ()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("2. Intake"), self))
        self.progress = QLabel(self)
        self.progress.setAccessibleName(self.tr("Questions left to answer"))
        layout.addWidget(self.progress)
        self.keys_hint = QLabel(
            self.tr(
                "Keyboard: Tab goes to the next question and the arrow keys choose within "
                "it; Y, N or U answers yes, no or not sure and moves on; in a list, N ticks "
                "“None of these” and Space ticks the box in focus."
            ),
            self,
        )
        self.keys_hint.setWordWrap(True)
        style_with_tones(self.keys_hint, "color: $muted;")
        self.keys_hint.setAccessibleName(self.tr("Keyboard"))
        layout.addWidget(self.keys_hint)
        body = QHBoxLayout()
        self.sections = QListWidget(self)
        self.sections.setAccessibleName(self.tr("Sections of the questionnaire"))
        body.addWidget(self.sections)
        content = QWidget(self)
        column = QVBoxLayout(content)
        self.groups: dict[str, QGroupBox] = {}
        self.questions: dict[str, QuestionWidget] = {}
        for section in kb.sections:
            group = QGroupBox(section.title, content)
            group.setAccessibleName(section.title)
            box = QVBoxLayout(group)
            if section.help:
                help_label = QLabel(section.help, group)
                help_label.setWordWrap(True)
                box.addWidget(help_label)
            for question in kb.questions:
                if question.section != section.id:
                    continue
                widget = QuestionWidget(question, group)
                if widget.date_edit is not None:
                    _bound_dates(widget.date_edit, first_day, last_day)
                widget.changed.connect(self._answer_changed)
                widget.advance.connect(self.focus_after)
                box.addWidget(widget)
                self.questions[question.id] = widget
            column.addWidget(group)
            self.groups[section.id] = group
            self.sections.addItem(section.title)
        column.addStretch(1)
        # As wide as the section titles, and never so wide that the questions are squeezed.
        self.sections.setMaximumWidth(
            min(220, self.sections.sizeHintForColumn(0) + 2 * self.sections.frameWidth() + 8)
        )
        self.scroll_area = scrolled(content, self)
        # The questions wrap to the width: nothing is ever scrolled sideways.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self.scroll_area, 1)
        layout.addLayout(body, 1)
        self.sections.currentRowChanged.connect(self._go_to_section)
        self.update_visibility()

    def _go_to_section(self, row: int) -> None:
        if 0 <= row < len(self.kb.sections):
            group = self.groups[self.kb.sections[row].id]
            self.scroll_area.verticalScrollBar().setValue(group.y())

    def raw_answers(self) -> dict[str, Any]:
        """Every question's answer as the widgets hold it (hidden ones included)."""
        answers: dict[str, Any] = {}
        for question_id, widget in self.questions.items():
            answered, value = widget.answer()
            if answered:
                answers[question_id] = value
        return answers

    def set_treatments(self, treatment_ids: Sequence[str]) -> None:
        """The planned treatments changed: show the questions asked for them.

        Answers stay in their widgets: a question that vanishes keeps its answer (not
        saved or screened while hidden) and shows it again if it comes back.
        """
        ids = tuple(dict.fromkeys(treatment_ids))
        if ids != self.treatment_ids:
            self.treatment_ids = ids
            self.update_visibility()

    def asked(self, treatment_ids: Sequence[str] | None = None) -> tuple[Question, ...]:
        """The questions asked given the answers so far, for the planned treatments (or
        for ``treatment_ids``)."""
        planned = self.treatment_ids if treatment_ids is None else treatment_ids
        return asked_questions(self.raw_answers(), self.sex_at_birth, self.kb, planned)

    def answers(self, treatment_ids: Sequence[str] | None = None) -> dict[str, Any]:
        """The answers to the questions asked (what is saved and screened), for the
        planned treatments or for ``treatment_ids``."""
        raw = self.raw_answers()
        return {q.id: raw[q.id] for q in self.asked(treatment_ids) if q.id in raw}

    def missing(self) -> list[str]:
        """The asked questions without an answer, in questionnaire order."""
        answers = self.answers()
        return [q.id for q in self.asked() if q.id not in answers]

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        """Show saved answers."""
        for question_id, value in answers.items():
            widget = self.questions.get(question_id)
            if widget is not None:
                widget.set_answer(value)
        self.update_visibility()

    def update_visibility(self) -> None:
        """Show the questions asked, hide the others (and sections left empty)."""
        asked = {q.id for q in self.asked()}
        for question_id, widget in self.questions.items():
            widget.setVisible(question_id in asked)
        for index, section in enumerate(self.kb.sections):
            shown = any(
                question_id in asked
                for question_id, widget in self.questions.items()
                if widget.question.section == section.id
            )
            self.groups[section.id].setVisible(shown)
            item = self.sections.item(index)
            item.setHidden(not shown)
        left = len(self.missing())
        self.progress.setText(
            self.tr("Every question asked is required: %n still to answer.", "", left)
            if left
            else self.tr("Every question asked has an answer.")
        )

    def _answer_changed(self, _question_id: str) -> None:
        self.update_visibility()
        self.changed.emit()

    def show_missing(self, message: str) -> list[str]:
        """Put ``message`` next to every unanswered question; focus the first."""
        missing = self.missing()
        for question_id in missing:
            self.questions[question_id].error.show_error(message)
        if missing:
            self.focus_question(missing[0])
        return missing

    def focus_question(self, question_id: str) -> None:
        """Scroll to a question and put the keyboard focus on it."""
        widget = self.questions[question_id]
        self.scroll_area.ensureWidgetVisible(widget, 0, 40)
        widget.first_input().setFocus()

    def focus_after(self, question_id: str) -> None:
        """Go on to the question asked after ``question_id`` (answered from the keyboard)."""
        asked = [q.id for q in self.asked()]
        if question_id in asked and asked.index(question_id) + 1 < len(asked):
            self.focus_question(asked[asked.index(question_id) + 1])

    def highlight(self, question_ids: Sequence[str], message: str) -> None:
        """Mark questions to clarify and go to the first."""
        for widget in self.questions.values():
            if widget.highlighted:
                widget.set_highlight(False)
        for question_id in question_ids:
            if question_id in self.questions:
                self.questions[question_id].set_highlight(True, message)
        shown = [q for q in question_ids if q in self.questions]
        if shown:
            self.focus_question(shown[0])
