"""The consent as the patient reads, initials and signs it on their own screen.

The text is the consent step's (the same :class:`ConsentTextView`, which counts what has
been shown: the patient's signature box opens only once every section has been on
screen). Each section is initialled in a large field, the photographs and data choices
are large yes / no buttons (no default), and the patient signs with a finger or a pen.
"I have signed" checks that nothing is missing and says what is; the practitioner
countersigns at the desk afterwards (:mod:`consult.ui.patient_mode.consent_handover`).
On a landscape screen the text is beside the initials and choices; on a portrait one,
above them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_texts import untranslated_note
from consult.knowledge.consent_templates import CHOICE_SECTIONS
from consult.store.dto import PatientInfo
from consult.store.services.consents import ConsentText
from consult.ui.consent.signature_pad import SignatureBox
from consult.ui.consent.templates import view_body
from consult.ui.consent.text_view import ConsentTextView
from consult.ui.patient_mode.answer_buttons import ANSWER_STYLE, TOUCH_PX, ChoiceButton
from consult.ui.patient_mode.intake_view import NAV_STYLE
from consult.ui.patient_mode.intake_view import WORDS as INTAKE_WORDS
from consult.ui.patient_mode.section_page import scaled
from consult.ui.patient_mode.words import PatientWords
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

WORDS = {
    "read": QT_TRANSLATE_NOOP(
        "PatientMode", "Please read the whole text: you can sign once you have reached its end."
    ),
    "initials": QT_TRANSLATE_NOOP("PatientMode", "Your initials for each section"),
    "initials_hint": QT_TRANSLATE_NOOP("PatientMode", "Initials"),
    "choices": QT_TRANSLATE_NOOP("PatientMode", "Your choices"),
    "given": QT_TRANSLATE_NOOP("PatientMode", "Consent given"),
    "patient": QT_TRANSLATE_NOOP("PatientMode", "Patient"),
    "signed": QT_TRANSLATE_NOOP("PatientMode", "I have signed"),
    "missing_read": QT_TRANSLATE_NOOP("PatientMode", "Please read the text to its end."),
    "missing_initials": QT_TRANSLATE_NOOP("PatientMode", "Please initial every section."),
    "missing_choices": QT_TRANSLATE_NOOP("PatientMode", "Please answer yes or no to each choice."),
    "missing_signature": QT_TRANSLATE_NOOP("PatientMode", "Please sign in the box."),
}


class PatientConsentView(QWidget):
    """Read, initial, choose and sign: :attr:`signed` once all is done;
    :attr:`progress` (steps done, steps) as the patient goes."""

    signed = Signal()
    progress = Signal(int, int)
    practitioner_requested = Signal()

    def __init__(
        self,
        text: ConsentText,
        patient: PatientInfo,
        words: PatientWords,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.text = text
        self.words = words
        self.setStyleSheet(NAV_STYLE + ANSWER_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 20)
        outer.setSpacing(12)
        self.title = scaled(QLabel(text.title, self), 1.6, True)
        self.title.setWordWrap(True)
        outer.addWidget(self.title)
        self.hint = scaled(QLabel(words.say(WORDS["read"]), self), 1.1)
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self.body, 1)
        self.text_view = ConsentTextView(self)
        font = self.text_view.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.text_view.setFont(font)
        note = untranslated_note(text.language)
        marks = {
            number: note
            for number, untranslated in enumerate(
                (text.title_untranslated, *(s.untranslated for s in text.sections))
            )
            if untranslated
        }
        self.text_view.set_sections(
            [(f"{i}. {s.heading}", view_body(s.text)) for i, s in enumerate(text.sections, 1)],
            text.title,
            marks,
        )
        self.body.addWidget(self.text_view, 3)
        self.side = QScrollArea(self)
        self.side.setWidgetResizable(True)
        self.side.setFrameShape(QFrame.Shape.NoFrame)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel = QWidget(self.side)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 8, 0)
        self.initials: dict[str, QLineEdit] = {}
        column.addWidget(scaled(QLabel(words.say(WORDS["initials"]), panel), 1.2, True))
        grid = QGridLayout()
        for number, section in enumerate(text.sections, 1):
            label = scaled(QLabel(f"{number}. {section.heading}", panel), 1.1)
            label.setWordWrap(True)
            edit = QLineEdit(panel)
            edit.setMaxLength(6)
            edit.setFixedWidth(110)
            edit.setMinimumHeight(TOUCH_PX)
            edit.setPlaceholderText(words.say(WORDS["initials_hint"]))
            edit.setAccessibleName(f"{words.say(WORDS['initials_hint'])}: {section.heading}")
            label.setBuddy(edit)
            # The field first: always in sight, however long the heading.
            grid.addWidget(edit, number, 0)
            grid.addWidget(label, number, 1)
            edit.textChanged.connect(self._changed)
            self.initials[section.id] = edit
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addWidget(scaled(QLabel(words.say(WORDS["choices"]), panel), 1.2, True))
        headings = {s.id: s.heading for s in text.sections}
        self.choices: dict[str, QButtonGroup] = {}
        for key in CHOICE_SECTIONS:
            label = scaled(QLabel(headings.get(key, key), panel), 1.1)
            label.setWordWrap(True)
            column.addWidget(label)
            row = QHBoxLayout()
            group = QButtonGroup(panel)
            for value, answer in ((True, "yes"), (False, "no")):
                word = text.choice_words.get(answer) or words.answer(answer)
                button = ChoiceButton(words.marked(word), answer, panel)
                button.setProperty("value", value)
                button.setAccessibleName(f"{headings.get(key, key)}: {button.words}")
                group.addButton(button)
                row.addWidget(button)
            group.buttonToggled.connect(lambda _b, _c: self._changed())
            column.addLayout(row)
            self.choices[key] = group
        column.addStretch(1)
        self.side.setWidget(panel)
        self.body.addWidget(self.side, 2)
        self.signature = SignatureBox(
            self,
            meaning=words.say(WORDS["given"]),
            name=patient.full_name,
            role=words.say(WORDS["patient"]),
            mnemonics=False,
        )
        self.signature.pad.setEnabled(False)
        self.signature.pad.set_disabled_hint(words.say(WORDS["read"]))
        self.signature.pad.setMinimumHeight(160)
        outer.addWidget(self.signature)
        self.error = ErrorLabel(self)
        outer.addWidget(self.error)
        bottom = QHBoxLayout()
        self.practitioner_button = QPushButton(words.say(INTAKE_WORDS["practitioner"]), self)
        self.practitioner_button.setObjectName("quiet")
        self.practitioner_button.clicked.connect(self.practitioner_requested)
        self.signed_button = QPushButton(words.say(WORDS["signed"]), self)
        self.signed_button.setObjectName("primary")
        bottom.addWidget(self.practitioner_button)
        bottom.addStretch(1)
        bottom.addWidget(self.signed_button)
        outer.addLayout(bottom)
        self.text_view.reachedEnd.connect(self._read)
        self.signature.pad.changed.connect(self._changed)
        self.signed_button.clicked.connect(self.finish)

    def _read(self) -> None:
        self.signature.pad.setEnabled(True)
        self.signature.pad.set_disabled_hint("")
        self._changed()

    def missing(self) -> list[str]:
        """What is still to do, in the patient's words (nothing: ready to hand back)."""
        missing = []
        if not self.text_view.has_reached_end():
            missing.append(self.words.say(WORDS["missing_read"]))
        if any(not edit.text().strip() for edit in self.initials.values()):
            missing.append(self.words.say(WORDS["missing_initials"]))
        if any(group.checkedButton() is None for group in self.choices.values()):
            missing.append(self.words.say(WORDS["missing_choices"]))
        if self.signature.pad.is_empty():
            missing.append(self.words.say(WORDS["missing_signature"]))
        return missing

    def _changed(self) -> None:
        self.error.clear_error()
        steps = 4
        self.progress.emit(steps - len(self.missing()), steps)

    def finish(self) -> None:
        """Hand back if everything is done, else say what is not."""
        missing = self.missing()
        if missing:
            self.error.show_error(" ".join(missing))
            return
        self.signed.emit()

    def result(self) -> dict[str, Any]:
        """What the patient gave: initials by section, choices, and the signature."""
        choices = {}
        for key, group in self.choices.items():
            button = group.checkedButton()
            if button is not None:
                choices[key] = bool(button.property("value"))
        return {
            "initials": {sid: edit.text().strip() for sid, edit in self.initials.items()},
            "choices": choices,
            "signature": self.signature.pad.signature_data(),
            "read": self.text_view.has_reached_end(),
        }

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Text beside the initials on a landscape screen, above them on a portrait one."""
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        direction = (
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        if self.body.direction() != direction:
            self.body.setDirection(direction)
            self.body.activate()
