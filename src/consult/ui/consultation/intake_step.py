"""Step 2 of a consultation: the questionnaire, grouped by section.

It shows only the questions asked for the planned treatments and the answers so far; a
question asked for one treatment (G6PD deficiency for IV vitamin C) appears when that
treatment is planned and vanishes when it is removed, keeping its answer in its widget
in case the treatment comes back.

Making the widgets of some forty questions takes a few hundred milliseconds, so the page
makes them a few at a time, a short slice per turn of the event loop, and says when it is
done (:attr:`IntakePage.built`): the window keeps running while a consultation opens. The
page is not shown before (the wizard opens on its treatments and waits for the page
before it says it is loaded). Laying out and painting every section at once would hold
the window up as long when the page is first shown, so then it shows its sections one
per turn of the event loop, from the top (:attr:`IntakePage.revealed` when all are).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.ui.consultation.question import QuestionWidget
from consult.ui.consultation.section_confirm import Confirmed, SectionConfirmBar
from consult.ui.consultation.styles import scrolled
from consult.ui.consultation.worded import IntakeWords, WordedLabel, untranslated_mark
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
    """Step 2: the questionnaire, grouped by section; questions appear as answers need them.

    Its questions are made in slices (:attr:`SLICE_MS` each) after it is created;
    :attr:`is_built` tells when all are there, and :attr:`built` is emitted then. Answers
    and treatments given before wait for the questions. When first shown, its sections
    appear one per turn of the event loop; :attr:`is_revealed` and :attr:`revealed` tell
    when all have (going to a question further down shows them all at once).
    """

    changed = Signal()
    built = Signal()
    revealed = Signal()
    SLICE_MS = 12  # at most this long making questions per turn of the event loop

    def __init__(
        self,
        kb: KnowledgeBase,
        sex_at_birth: str,
        parent: QWidget | None = None,
        *,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
        words: IntakeWords | None = None,
    ) -> None:
        """``first_day`` and ``last_day`` bound date answers (the birth and the
        consultation day). ``words``: the questionnaire in the patient's language, with
        the desk's wording where it differs (None: the English as written)."""
        super().__init__(parent)
        self.kb = kb
        self.words = words
        self.sex_at_birth = sex_at_birth
        self.treatment_ids: tuple[str, ...] = ()
        self.first_day = first_day
        self.last_day = last_day
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("2. Intake"), self), 1)
        # Patient mode (docs/patient-mode.md): the patient answers on their own screen.
        self.hand_button = QPushButton(self.tr("Han&d to patient…"), self)
        self.hand_button.setAccessibleName(self.tr("Hand to patient"))
        self.hand_button.setToolTip(
            self.tr("The patient answers on their own screen; your password takes it back.")
        )
        top.addWidget(self.hand_button)
        layout.addLayout(top)
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
        for section in kb.sections:
            title = section.title if words is None else words.section_title(section.id).text
            self.sections.addItem(title)
        # As wide as the section titles, and never so wide that the questions are squeezed.
        self.sections.setMaximumWidth(
            min(220, self.sections.sizeHintForColumn(0) + 2 * self.sections.frameWidth() + 8)
        )
        body.addWidget(self.sections)
        self.content = QWidget(self)
        self.column = QVBoxLayout(self.content)
        self.groups: dict[str, QGroupBox] = {}
        self.questions: dict[str, QuestionWidget] = {}
        self.scroll_area = scrolled(self.content, self)
        # The questions wrap to the width: nothing is ever scrolled sideways.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(self.scroll_area, 1)
        layout.addLayout(body, 1)
        self.sections.currentRowChanged.connect(self._go_to_section)
        # What is still to make, in questionnaire order: a section (its group), then each
        # of its questions.
        self._to_make: deque[tuple[str, Question | None]] = deque()
        for section in kb.sections:
            self._to_make.append((section.id, None))
            self._to_make.extend((section.id, q) for q in kb.questions if q.section == section.id)
        self._answers_waiting: dict[str, Any] = {}
        # A repeat visit (issue 21): the last intake, each section confirmed as unchanged
        # or updated before its answers are taken over.
        self.previous: dict[str, Any] | None = None
        self.previous_date: dt.date | None = None  # the last intake's consultation date
        self.bars: dict[str, SectionConfirmBar] = {}
        self._previous_waiting: tuple[dict[str, Any], dt.date] | None = None
        self._confirmations_waiting: dict[str, str] | None = None
        # Tab goes through the questions in questionnaire order, as if they had been made
        # with the page: each one made is put in the focus chain after the last.
        self._chain_end: QWidget = self.content
        self.is_built = False
        # Sections shown so far (the rest stay hidden whatever is asked): none before the
        # page is first shown, then one more per turn; None once all are.
        self._reveal_limit: int | None = 0
        self._revealer = QTimer(self)
        self._revealer.setSingleShot(True)
        self._revealer.setInterval(0)
        self._revealer.timeout.connect(self._reveal_next)
        self._builder = QTimer(self)
        self._builder.setSingleShot(True)
        self._builder.setInterval(0)
        self._builder.timeout.connect(self._build_slice)
        self._builder.start()  # the first slice too: the page itself is made in this one

    def _build_slice(self) -> None:
        """Make questions for at most :attr:`SLICE_MS` (at least one), then let the event
        loop turn; once every question is made, show the answers given meanwhile."""
        deadline = time.perf_counter() + self.SLICE_MS / 1000
        made = False
        while self._to_make and not (made and time.perf_counter() > deadline):
            section_id, question = self._to_make.popleft()
            if question is None:
                self._make_group(section_id)
            else:
                self._make_question(section_id, question)
                made = True
        if self._to_make:
            self._builder.start()
            return
        self.column.addStretch(1)
        self.is_built = True
        answers, self._answers_waiting = self._answers_waiting, {}
        self.set_answers(answers)  # and shows the questions asked
        if self._previous_waiting is not None:
            self.set_previous(*self._previous_waiting)
        if self._confirmations_waiting is not None:
            confirmations, self._confirmations_waiting = self._confirmations_waiting, None
            self.restore_confirmations(confirmations)
        self.built.emit()

    @property
    def is_revealed(self) -> bool:
        """Whether every section is shown (as the answers ask)."""
        return self._reveal_limit is None

    def showEvent(self, event: QShowEvent) -> None:
        """First shown: the sections appear from the top, one per turn of the event loop."""
        super().showEvent(event)
        if self._reveal_limit == 0:
            self._reveal_next()

    def _reveal_next(self) -> None:
        if self._reveal_limit is None:
            return
        self._reveal_limit += 1
        if self._reveal_limit >= len(self.kb.sections):
            self.reveal_all()
            return
        self.update_visibility()
        self._revealer.start()

    def reveal_all(self) -> None:
        """Show every section now (as the answers ask)."""
        if self._reveal_limit is None:
            return
        self._revealer.stop()
        self._reveal_limit = None
        self.update_visibility()
        self.revealed.emit()

    def _make_group(self, section_id: str) -> None:
        section = next(s for s in self.kb.sections if s.id == section_id)
        words = self.words
        title = section.title if words is None else words.section_title(section_id).inline()
        group = QGroupBox(title, self.content)
        box = QVBoxLayout(group)
        if words is None:
            group.setAccessibleName(section.title)
            if section.help:
                help_label = QLabel(section.help, group)
                help_label.setWordWrap(True)
                box.addWidget(help_label)
        else:
            wording = words.section_title(section_id)
            group.setAccessibleName(wording.spoken())
            if wording.untranslated:
                # The title is the group's frame: its mark goes first inside it.
                box.addWidget(untranslated_mark(words.language, group))
            help_wording = words.section_help(section_id)
            if help_wording.text:
                box.addWidget(WordedLabel(help_wording, words.language, group))
        self.column.addWidget(group)
        self.groups[section.id] = group
        self._chain(group)

    def _make_question(self, section_id: str, question: Question) -> None:
        group = self.groups[section_id]
        widget = QuestionWidget(question, group, words=self.words)
        if widget.date_edit is not None:
            _bound_dates(widget.date_edit, self.first_day, self.last_day)
        widget.changed.connect(self._answer_changed)
        widget.advance.connect(self.focus_after)
        layout = group.layout()
        assert layout is not None
        layout.addWidget(widget)
        # Styled now, in this slice of the making, not all at once when shown.
        widget.ensurePolished()
        self.questions[question.id] = widget
        self._chain(widget)

    def _chain(self, widget: QWidget) -> None:
        """Put ``widget`` and what it holds next in the focus chain (Tab's order)."""
        for part in (widget, *widget.findChildren(QWidget)):
            QWidget.setTabOrder(self._chain_end, part)
            self._chain_end = part

    def _reveal_section_of(self, section_id: str) -> None:
        """Show every section now if ``section_id`` has not appeared yet."""
        limit = self._reveal_limit
        if limit is not None and [s.id for s in self.kb.sections].index(section_id) >= limit:
            self.reveal_all()

    def _go_to_section(self, row: int) -> None:
        if 0 <= row < len(self.kb.sections):
            self._reveal_section_of(self.kb.sections[row].id)
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
            if self.is_built:
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
        """Show saved answers (once the questions are made)."""
        if not self.is_built:
            self._answers_waiting.update(answers)
            return
        for question_id, value in answers.items():
            widget = self.questions.get(question_id)
            if widget is not None:
                widget.set_answer(value)
        self.update_visibility()

    # A repeat visit -------------------------------------------------------------------

    def set_previous(self, answers: Mapping[str, Any], since: dt.date) -> None:
        """Start from the last intake (``answers``, of ``since``): each section asks to be
        confirmed as unchanged (its answers copied and kept) or updated (copied, to
        change); none is taken over before."""
        if not self.is_built:
            self._previous_waiting = (dict(answers), since)
            return
        self._previous_waiting = None
        self.previous, self.previous_date = dict(answers), since
        for section in self.kb.sections:
            group = self.groups[section.id]
            bar = SectionConfirmBar(group.accessibleName(), since, group)
            box = group.layout()
            assert isinstance(box, QVBoxLayout)
            box.insertWidget(0, bar)
            bar.chosen.connect(lambda how, sid=section.id: self.confirm_section(sid, how))
            self.bars[section.id] = bar
        self.update_visibility()

    def confirm_section(self, section_id: str, how: str) -> None:
        """Take over a section's answers from the last intake: kept as they were
        (unchanged) or to change (update)."""
        if self.previous is None:
            return
        state = Confirmed(how)
        self.set_answers(self._previous_of(section_id))
        self._show_confirmed(section_id, state)
        self.changed.emit()
        if state == Confirmed.UPDATE:
            asked = [q.id for q in self.asked() if q.section == section_id]
            if asked:
                self.focus_question(asked[0])
            return
        following = self.unconfirmed_sections()
        if following:
            self.focus_section_bar(following[0])

    def _previous_of(self, section_id: str) -> dict[str, Any]:
        """The last intake's answers to the questions of one section."""
        assert self.previous is not None
        return {
            question_id: value
            for question_id, value in self.previous.items()
            if question_id in self.questions
            and self.questions[question_id].question.section == section_id
        }

    def _show_confirmed(self, section_id: str, state: Confirmed) -> None:
        """A confirmed section's bar, and its questions: those taken over unchanged are
        kept as they were (disabled), an updated section's are open to change."""
        mine = self._previous_of(section_id)
        for widget in self.questions.values():
            if widget.question.section == section_id:
                widget.setEnabled(state == Confirmed.UPDATE or widget.question.id not in mine)
        self.bars[section_id].set_state(state)

    def confirmations(self) -> dict[str, str]:
        """The sections confirmed so far and how, to save with the draft (empty at a
        first visit)."""
        return {
            section_id: bar.state.value
            for section_id, bar in self.bars.items()
            if bar.state is not None
        }

    def restore_confirmations(self, confirmations: Mapping[str, str]) -> None:
        """A reopened draft's confirmations (after :meth:`set_previous`): the bars say
        them again and the sections kept unchanged are kept, without copying the last
        intake over the draft's answers (an updated section's may have been changed)."""
        if not self.is_built:
            self._confirmations_waiting = dict(confirmations)
            return
        if self.previous is None:
            return
        for section_id, how in confirmations.items():
            if section_id in self.bars:
                self._show_confirmed(section_id, Confirmed(how))

    def unconfirmed_sections(self) -> list[str]:
        """At a repeat visit, the sections asked and not yet confirmed, in order."""
        if self.previous is None:
            return []
        asked = {q.section for q in self.asked()}
        return [s.id for s in self.kb.sections if s.id in asked and self.bars[s.id].state is None]

    def focus_section_bar(self, section_id: str) -> None:
        """Scroll to a section's bar and focus its Unchanged button."""
        self._reveal_section_of(section_id)
        bar = self.bars[section_id]
        self.scroll_area.ensureWidgetVisible(bar, 0, 40)
        bar.unchanged_button.setFocus()

    def update_visibility(self) -> None:
        """Show the questions asked, hide the others (and sections left empty)."""
        asked = {q.id for q in self.asked()}
        for question_id, widget in self.questions.items():
            # Only a change: showing a question (even in a section not yet shown) lays its
            # section out there and then, 30 ms for the whole intake at once; one not
            # hidden is shown with its section anyway.
            if widget.isHidden() == (question_id in asked):
                widget.setVisible(question_id in asked)
        for index, section in enumerate(self.kb.sections):
            shown = any(
                question_id in asked
                for question_id, widget in self.questions.items()
                if widget.question.section == section.id
            )
            limit = self._reveal_limit
            self.groups[section.id].setVisible(shown and (limit is None or index < limit))
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
        self._reveal_section_of(widget.question.section)
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
