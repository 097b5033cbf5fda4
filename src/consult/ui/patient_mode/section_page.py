"""One section of the questionnaire as the patient sees it: its title, its help, and
its questions, each a card with the question in large words and its answer buttons.

Only the questions asked (given the planned treatments, the patient's sex at birth and
the answers so far) are shown; a follow-up question appears under the one that opens it
as soon as it is answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from consult.domain.knowledge_model import KnowledgeBase, Question
from consult.ui.patient_mode.answer_buttons import AnswerButtons
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.tones import style_with_tones

QUESTION_SCALE = 1.35
"""How much larger than the desk's the question's words are: read at arm's length."""


def scaled(label: QLabel, factor: float, bold: bool = False) -> QLabel:
    """``label`` with its font ``factor`` times larger (and bold)."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    label.setFont(font)
    return label


class QuestionCard(QFrame):
    """One question: its words, its help, and its answer buttons."""

    def __init__(
        self, question: Question, words: PatientWords, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.setObjectName("card")
        style_with_tones(
            self,
            "QFrame#card { border: 1px solid $grid; border-radius: 14px; }"
            'QFrame#card[missing="true"] { border: 2px solid $question; }',
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        self.label = scaled(
            QLabel(words.marked(words.texts.question_label(question.id)), self),
            QUESTION_SCALE,
            bold=True,
        )
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        help_text = words.texts.question_help(question.id)
        self.help: QLabel | None = None
        if help_text.text:
            self.help = scaled(QLabel(words.marked(help_text), self), 1.1)
            self.help.setWordWrap(True)
            style_with_tones(self.help, "color: $muted;")
            layout.addWidget(self.help)
        self.answer = AnswerButtons(question, words, self)
        layout.addWidget(self.answer)
        self.setAccessibleName(self.label.text())

    def mark_missing(self, missing: bool) -> None:
        """Frame the card when it is asked for an answer still missing."""
        self.setProperty("missing", "true" if missing else "false")
        self.style().unpolish(self)
        self.style().polish(self)


class SectionPage(QScrollArea):
    """A section's questions, scrolled when the screen is too short for them."""

    changed = Signal(str)  # question id

    def __init__(
        self,
        kb: KnowledgeBase,
        section_id: str,
        words: PatientWords,
        parent: QWidget | None = None,
        *,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.section_id = section_id
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 12, 4)
        column.setSpacing(18)
        self.title = scaled(
            QLabel(words.marked(words.texts.section_title(section_id)), body), 1.6, True
        )
        self.title.setWordWrap(True)
        self.title.setAccessibleName(self.title.text())
        column.addWidget(self.title)
        help_text = words.texts.section_help(section_id)
        if help_text.text:
            help_label = scaled(QLabel(words.marked(help_text), body), 1.15)
            help_label.setWordWrap(True)
            column.addWidget(help_label)
        self._column, self._cards_at = column, column.count()
        self.bar: QWidget | None = None
        self.cards: dict[str, QuestionCard] = {}
        for question in kb.questions:
            if question.section != section_id:
                continue
            card = QuestionCard(question, words, body)
            card.answer.bound_dates(first_day, last_day)
            card.answer.changed.connect(self.changed)
            column.addWidget(card)
            self.cards[question.id] = card
        column.addStretch(1)
        self.setWidget(body)

    def set_bar(self, bar: QWidget) -> None:
        """Put ``bar`` (a repeat visit's question for the section) above the cards."""
        self.bar = bar
        self._column.insertWidget(self._cards_at, bar)

    def show_asked(self, asked: Iterable[str]) -> None:
        """Show the questions asked, hide the others."""
        wanted = set(asked)
        for question_id, card in self.cards.items():
            card.setVisible(question_id in wanted)

    def shown(self) -> list[QuestionCard]:
        """The cards asked, in questionnaire order."""
        return [card for card in self.cards.values() if not card.isHidden()]
