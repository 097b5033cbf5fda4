"""The questionnaire as the patient answers it: one section at a time, with progress,
Back and Next, and "I have finished" at the end.

Sections whose questions are all not asked (a pregnancy section for a man, a treatment
not planned) are skipped, and the count ("Section 2 of 6") counts only those asked. Every
answer is reported as it is given (:attr:`PatientIntakeView.answered`), so that the desk
saves it at once; the view holds no screening and shows none. "I have finished" asks to
confirm, listing the questions still without an answer (every question asked is
required), each a button that goes to it.

At a repeat visit (issue 21) each section first asks whether anything has changed since
the last visit (:mod:`consult.ui.patient_mode.section_confirm`), as the desk's intake
does: *nothing* fills in the last visit's answers and keeps them, *something* fills them
in to be changed; Next waits for the choice. Each choice is reported
(:attr:`PatientIntakeView.section_confirmed`) for the desk to take over and save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.domain.reconfirmation import Confirmed
from consult.ui.patient_mode.answer_buttons import TOUCH_PX
from consult.ui.patient_mode.section_confirm import PatientSectionBar
from consult.ui.patient_mode.section_page import SectionPage, scaled
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

NAV_STYLE = f"""
QPushButton {{
    min-height: {TOUCH_PX}px; min-width: 140px; padding: 0 28px;
    border: 2px solid palette(mid); border-radius: 12px; background: palette(button);
}}
QPushButton:focus {{ border: 3px solid palette(highlight); }}
QPushButton:disabled {{ color: palette(mid); }}
QPushButton#primary {{
    background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight); font-weight: bold;
}}
QPushButton#primary:focus {{ border: 3px solid palette(text); }}
QPushButton#quiet {{ border: none; background: transparent; min-width: 0; padding: 0 8px; }}
"""
# The words of patient mode (translated in the PatientMode context, looked up in the
# patient's language by PatientWords.tr).
WORDS = {
    "title": QT_TRANSLATE_NOOP("PatientMode", "Your health questions"),
    "intro": QT_TRANSLATE_NOOP(
        "PatientMode",
        "Please answer each question as well as you can. If you do not know, choose "
        "“Not sure”. Your answers are private: only your practitioner sees them.",
    ),
    "section": QT_TRANSLATE_NOOP("PatientMode", "Section %1 of %2"),
    "progress_name": QT_TRANSLATE_NOOP("PatientMode", "Progress"),
    "back": QT_TRANSLATE_NOOP("PatientMode", "Back"),
    "next": QT_TRANSLATE_NOOP("PatientMode", "Next"),
    "finish": QT_TRANSLATE_NOOP("PatientMode", "I have finished"),
    "practitioner": QT_TRANSLATE_NOOP("PatientMode", "For the practitioner"),
    "confirm_title": QT_TRANSLATE_NOOP("PatientMode", "Have you finished?"),
    "all_answered": QT_TRANSLATE_NOOP(
        "PatientMode", "You have answered every question. Thank you."
    ),
    "some_missing": QT_TRANSLATE_NOOP(
        "PatientMode",
        "These questions have no answer yet. Your practitioner needs an answer to each; "
        "choose “Not sure” if you do not know. Touch a question to answer it:",
    ),
    "go_back": QT_TRANSLATE_NOOP("PatientMode", "Go back to the questions"),
    "resume": QT_TRANSLATE_NOOP("PatientMode", "Back to the questions"),
    "yes_finished": QT_TRANSLATE_NOOP("PatientMode", "Yes, I have finished"),
    "finished_anyway": QT_TRANSLATE_NOOP("PatientMode", "Finish without answering them"),
    "thanks": QT_TRANSLATE_NOOP("PatientMode", "Thank you"),
    "hand_back": QT_TRANSLATE_NOOP(
        "PatientMode", "Please give the screen back to your practitioner. Your answers are saved."
    ),
    "wait": QT_TRANSLATE_NOOP(
        "PatientMode", "Your practitioner will be with you in a moment. Your answers are saved."
    ),
    "paused": QT_TRANSLATE_NOOP(
        "PatientMode",
        "The questions were paused because nobody answered for a while. Your answers are "
        "saved. Please ask your practitioner to carry on.",
    ),
    "progress": QT_TRANSLATE_NOOP("PatientMode", "Questions answered: %1 of %2"),
}


class PatientIntakeView(QWidget):
    """The patient's questionnaire, a section at a time.

    :attr:`answered` (question id, value) reports each answer as it is given, with the
    value in the exchange format (None for a list left with nothing ticked, which is no
    answer); :attr:`progress` (sections done, sections, questions answered, questions)
    reports how far the patient is; :attr:`finished` when they confirm they have
    finished; :attr:`practitioner_requested` when the practitioner's button is pressed;
    :attr:`section_confirmed` (section id, "unchanged" or "update") at a repeat visit.
    """

    answered = Signal(str, object)
    section_confirmed = Signal(str, str)
    progress = Signal(int, int, int, int)
    finished = Signal()
    practitioner_requested = Signal()

    def __init__(
        self,
        kb: KnowledgeBase,
        words: PatientWords,
        sex_at_birth: str,
        treatment_ids: Sequence[str],
        answers: Mapping[str, Any],
        parent: QWidget | None = None,
        *,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
        previous: tuple[Mapping[str, Any], dt.date] | None = None,
        confirmations: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.kb = kb
        self.words = words
        self.sex_at_birth = sex_at_birth
        self.treatment_ids = tuple(treatment_ids)
        self.setObjectName("patient_intake")
        self.setStyleSheet(NAV_STYLE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.setSpacing(14)
        top = QHBoxLayout()
        self.title = scaled(QLabel(words.say(WORDS["title"]), self), 1.8, True)
        self.title.setAccessibleName(self.title.text())
        top.addWidget(self.title, 1)
        self.where = scaled(QLabel(self), 1.3, True)
        self.where.setAccessibleName(words.say(WORDS["progress_name"]))
        top.addWidget(self.where, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(top)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(12)
        self.bar.setAccessibleName(words.say(WORDS["progress_name"]))
        layout.addWidget(self.bar)
        self.count = QLabel(self)
        style_with_tones(self.count, "color: $muted;")
        layout.addWidget(self.count)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        self.pages: dict[str, SectionPage] = {}
        for section in kb.sections:
            page = SectionPage(
                kb, section.id, words, self.stack, first_day=first_day, last_day=last_day
            )
            page.changed.connect(self._changed)
            self.stack.addWidget(page)
            self.pages[section.id] = page
        self.confirm_page = self._make_confirm_page()
        self.stack.addWidget(self.confirm_page)
        self.done_page, self.done_title, self.done_text, self.done_slot = self._make_done_page()
        self.stack.addWidget(self.done_page)
        buttons = QHBoxLayout()
        self.practitioner_button = QPushButton(words.say(WORDS["practitioner"]), self)
        self.practitioner_button.setObjectName("quiet")
        self.practitioner_button.setMinimumHeight(TOUCH_PX)
        style_with_tones(self.practitioner_button, "color: $muted;")
        self.practitioner_button.clicked.connect(self.practitioner_requested)
        self.back_button = QPushButton("‹  " + words.say(WORDS["back"]), self)
        self.back_button.setAccessibleName(words.say(WORDS["back"]))
        self.next_button = QPushButton(words.say(WORDS["next"]) + "  ›", self)
        self.next_button.setAccessibleName(words.say(WORDS["next"]))
        self.next_button.setObjectName("primary")
        self.nav = QWidget(self)
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        buttons.addWidget(self.practitioner_button)
        buttons.addStretch(1)
        buttons.addWidget(self.nav)
        layout.addLayout(buttons)
        # Patient mode's own words not yet translated into the patient's language: said once.
        self.chrome_note = QLabel(self)
        self.chrome_note.setWordWrap(True)
        style_with_tones(self.chrome_note, "color: $muted;")
        layout.insertWidget(1, self.chrome_note)
        self._note_untranslated()
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        for page in self.pages.values():
            for question_id, card in page.cards.items():
                if question_id in answers:
                    card.answer.set_answer(answers[question_id])
        # A repeat visit: the last intake's answers, and a question over each section.
        self.previous: dict[str, Any] | None = None
        self.bars: dict[str, PatientSectionBar] = {}
        if previous is not None:
            self._ask_what_changed(*previous, confirmations or {})
        self.refresh()
        sections = self.sections()
        self.go_to(sections[0] if sections else None)

    def _note_untranslated(self) -> None:
        missing = bool(self.words.untranslated)
        self.chrome_note.setVisible(missing)
        if missing:
            self.chrome_note.setText("⚠ " + self.words.untranslated_note())

    # Pages ------------------------------------------------------------------------------

    def _make_confirm_page(self) -> QWidget:
        page = QWidget(self.stack)
        column = QVBoxLayout(page)
        column.setSpacing(16)
        title = scaled(QLabel(self.words.say(WORDS["confirm_title"]), page), 1.6, True)
        column.addWidget(title)
        self.confirm_text = scaled(QLabel(page), 1.15)
        self.confirm_text.setWordWrap(True)
        column.addWidget(self.confirm_text)
        self.missing_list = QWidget(page)
        self.missing_column = QVBoxLayout(self.missing_list)
        self.missing_column.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.missing_list)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.go_back_button = QPushButton(self.words.say(WORDS["go_back"]), page)
        self.finish_button = QPushButton(self.words.say(WORDS["yes_finished"]), page)
        self.finish_button.setObjectName("primary")
        row.addWidget(self.go_back_button)
        row.addStretch(1)
        row.addWidget(self.finish_button)
        column.addLayout(row)
        self.go_back_button.clicked.connect(self._back_to_questions)
        self.finish_button.clicked.connect(self._finish)
        return page

    def _make_done_page(self) -> tuple[QWidget, QLabel, QLabel, QVBoxLayout]:
        page = QWidget(self.stack)
        column = QVBoxLayout(page)
        column.addStretch(1)
        title = scaled(QLabel(self.words.say(WORDS["thanks"]), page), 2.2, True)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(title)
        text = scaled(QLabel(page), 1.3)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(text)
        slot = QVBoxLayout()
        column.addLayout(slot)
        column.addStretch(2)
        return page, title, text, slot

    # A repeat visit ---------------------------------------------------------------------

    def _ask_what_changed(
        self, answers: Mapping[str, Any], since: dt.date, confirmations: Mapping[str, str]
    ) -> None:
        self.previous = dict(answers)
        for section_id, page in self.pages.items():
            bar = PatientSectionBar(self.words, since, page)
            page.set_bar(bar)
            bar.chosen.connect(lambda how, sid=section_id: self.confirm_section(sid, how))
            self.bars[section_id] = bar
        for section_id, how in confirmations.items():  # confirmed at the desk already
            if section_id in self.bars:
                self._show_confirmed(section_id, Confirmed(how))

    def _previous_of(self, section_id: str) -> dict[str, Any]:
        assert self.previous is not None
        cards = self.pages[section_id].cards
        return {q: value for q, value in self.previous.items() if q in cards}

    def _show_confirmed(self, section_id: str, state: Confirmed) -> None:
        """Kept unchanged: the answers taken over cannot be changed here; to change:
        every card is open."""
        mine = self._previous_of(section_id)
        for question_id, card in self.pages[section_id].cards.items():
            card.setEnabled(state == Confirmed.UPDATE or question_id not in mine)
        self.bars[section_id].set_state(state)

    def confirm_section(self, section_id: str, how: str) -> None:
        """The patient's choice for a section: its answers from the last visit filled
        in, kept (unchanged) or to change (update); reported to the desk."""
        if self.previous is None:
            return
        state = Confirmed(how)
        for question_id, value in self._previous_of(section_id).items():
            self.pages[section_id].cards[question_id].answer.set_answer(value)
        self._show_confirmed(section_id, state)
        self.section_confirmed.emit(section_id, state.value)
        self.refresh()
        if state == Confirmed.UPDATE:
            self.go_to(section_id)
        else:
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def unconfirmed_sections(self) -> list[str]:
        """At a repeat visit, the sections asked and not yet confirmed, in order."""
        if self.previous is None:
            return []
        return [s for s in self.sections() if self.bars[s].state is None]

    # Where the patient is ---------------------------------------------------------------

    def raw_answers(self) -> dict[str, Any]:
        """Every answer given (hidden questions' too)."""
        answers: dict[str, Any] = {}
        for page in self.pages.values():
            for question_id, card in page.cards.items():
                given, value = card.answer.answer()
                if given:
                    answers[question_id] = value
        return answers

    def asked(self) -> tuple[Question, ...]:
        """The questions asked, given the answers so far."""
        return asked_questions(self.raw_answers(), self.sex_at_birth, self.kb, self.treatment_ids)

    def answers(self) -> dict[str, Any]:
        """The answers to the questions asked."""
        raw = self.raw_answers()
        return {q.id: raw[q.id] for q in self.asked() if q.id in raw}

    def missing(self) -> list[Question]:
        """The questions asked without an answer, in questionnaire order."""
        answers = self.answers()
        return [q for q in self.asked() if q.id not in answers]

    def sections(self) -> list[str]:
        """The sections with a question asked, in order."""
        asked = {q.section for q in self.asked()}
        return [s.id for s in self.kb.sections if s.id in asked]

    def current_section(self) -> str | None:
        """The section shown, if a section is."""
        page = self.stack.currentWidget()
        return page.section_id if isinstance(page, SectionPage) else None

    def card(self, question_id: str) -> Any:
        """The card of a question (tests and the desk's review use it)."""
        section = self.kb.question(question_id).section
        return self.pages[section].cards[question_id]

    def _changed(self, question_id: str) -> None:
        given, value = self.card(question_id).answer.answer()
        self.card(question_id).mark_missing(False)
        self.answered.emit(question_id, value if given else None)
        self.refresh()

    def refresh(self) -> None:
        """Show the questions asked and how far the patient is (and report it)."""
        asked = self.asked()
        by_section: dict[str, list[str]] = {}
        for question in asked:
            by_section.setdefault(question.section, []).append(question.id)
        for section_id, page in self.pages.items():
            page.show_asked(by_section.get(section_id, []))
        answers = self.answers()
        sections = self.sections()
        done = sum(1 for s in sections if all(q in answers for q in by_section[s]))
        self.bar.setMaximum(max(1, len(sections)))
        self.bar.setValue(done)
        self.count.setText(
            self.words.say(WORDS["progress"])
            .replace("%1", str(len(answers)))
            .replace("%2", str(len(asked)))
        )
        self._update_nav()
        self.progress.emit(done, len(sections), len(answers), len(asked))

    def _update_nav(self) -> None:
        sections = self.sections()
        current = self.current_section()
        on_questions = current is not None
        self.nav.setVisible(on_questions)
        if current is None:
            return
        index = sections.index(current) if current in sections else 0
        self.where.setText(
            self.words.say(WORDS["section"])
            .replace("%1", str(index + 1))
            .replace("%2", str(len(sections)))
        )
        self.back_button.setEnabled(index > 0)
        last = index >= len(sections) - 1
        text = WORDS["finish"] if last else WORDS["next"]
        self.next_button.setText(self.words.say(text) + ("" if last else "  ›"))
        self.next_button.setAccessibleName(self.words.say(text))

    # Moving -----------------------------------------------------------------------------

    def go_to(self, section_id: str | None, question_id: str | None = None) -> None:
        """Show a section (from its top, or at ``question_id``) with the keyboard on its
        first question."""
        if section_id is None:
            return
        page = self.pages[section_id]
        self.stack.setCurrentWidget(page)
        self._update_nav()
        shown = page.shown()
        target = next((c for c in shown if c.question.id == question_id), None)
        if target is not None:
            page.ensureWidgetVisible(target, 0, 40)
        else:
            page.verticalScrollBar().setValue(0)  # from the section's title
            target = shown[0] if shown else None
        bar = self.bars.get(section_id)
        if bar is not None and bar.state is None and question_id is None:
            bar.unchanged_button.setFocus(Qt.FocusReason.OtherFocusReason)  # asked first
        elif target is not None:
            target.answer.first_button().setFocus(Qt.FocusReason.OtherFocusReason)

    def next(self) -> None:
        """The next section, or the question whether the patient has finished."""
        sections = self.sections()
        current = self.current_section()
        if current is None:
            return
        if current in self.unconfirmed_sections():  # a repeat visit: the question first
            bar = self.bars[current]
            bar.mark_missing(True)
            self.pages[current].ensureWidgetVisible(bar, 0, 20)
            bar.unchanged_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        index = sections.index(current) if current in sections else -1
        if index + 1 < len(sections):
            self.go_to(sections[index + 1])
        else:
            self.ask_finished()

    def back(self) -> None:
        """The section before."""
        sections = self.sections()
        current = self.current_section()
        if current in sections and sections.index(current) > 0:
            self.go_to(sections[sections.index(current) - 1])

    def ask_finished(self) -> None:
        """ "Have you finished?", with the questions still without an answer."""
        while self.missing_column.count():
            item = self.missing_column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        missing = self.missing()
        self.confirm_text.setText(
            self.words.say(WORDS["some_missing"] if missing else WORDS["all_answered"])
        )
        for question in missing:
            label = self.words.marked(self.words.texts.question_label(question.id))
            button = QPushButton(label, self.missing_list)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _c=False, q=question: self.go_to(q.section, q.id))
            self.missing_column.addWidget(button)
            self.card(question.id).mark_missing(True)
        self.missing_column.addStretch(1)
        self.finish_button.setText(
            self.words.say(WORDS["finished_anyway"] if missing else WORDS["yes_finished"])
        )
        self.stack.setCurrentWidget(self.confirm_page)
        self._update_nav()
        self.where.setText("")
        (self.go_back_button if missing else self.finish_button).setFocus()

    def _back_to_questions(self) -> None:
        missing = self.missing()
        if missing:
            self.go_to(missing[0].section, missing[0].id)
        else:
            sections = self.sections()
            self.go_to(sections[-1] if sections else None)

    def _finish(self) -> None:
        self.show_done(WORDS["wait"])
        self.finished.emit()

    def show_done(self, text: str) -> None:
        """The end: thanks, and ``text`` (one of :data:`WORDS`, in English) translated."""
        self.done_text.setText(self.words.say(text))
        self.stack.setCurrentWidget(self.done_page)
        self.where.setText("")
        self._update_nav()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter presses the button in focus; Page Down and Page Up go on and back."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if isinstance(focus, QAbstractButton) and self.isAncestorOf(focus):
                focus.click()
                event.accept()
                return
        if key == Qt.Key.Key_PageDown and self.nav.isVisible():
            self.next()
            return
        if key == Qt.Key.Key_PageUp and self.nav.isVisible():
            self.back()
            return
        super().keyPressEvent(event)
