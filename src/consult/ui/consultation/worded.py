"""Words in two languages: the patient's, and the practitioner's when it differs.

The patient reads the intake and the consent text in their own language (issue 18); the
practitioner beside them may read another. So each text the patient reads comes as a
:class:`Wording`: the patient's words (a :class:`LocalText`, which says whether it is a
translation or the English standing in for a missing one) and, when the desk's interface
language differs and says something else, the practitioner's words, shown smaller
underneath so that they can follow. English standing in for a translation is never
shown silently: :func:`untranslated_mark` says so, in both languages, on screen and to
screen readers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import (
    SOURCE_LANGUAGE,
    KnowledgeTexts,
    LocalText,
    rule_key,
    untranslated_note,
)
from consult.ui.widgets.tones import style_with_tones

MARK = "⚠"
"""The sign before an untranslated passage's note (the words carry the meaning)."""


def not_translated() -> str:
    """ "Not translated: shown in English" in the practitioner's interface language."""
    return QCoreApplication.translate("Worded", "Not translated: shown in English")


def desk_text(text: LocalText) -> str:
    """A text for the practitioner: the words, marked when English stands in for a
    translation into the interface language."""
    if text.translated:
        return text.text
    note = QCoreApplication.translate("Worded", "not translated")
    return f"{text.text} [{MARK} {note}]"


def finding_message(texts: KnowledgeTexts, finding: Mapping[str, Any]) -> LocalText:
    """A finding's message in the practitioner's language (``texts``'s).

    In English, the message as the screening stored it; in another language, the rule's
    translated message, or the stored English marked untranslated.
    """
    stored = str(finding.get("message", ""))
    if texts.language == SOURCE_LANGUAGE:
        return LocalText(stored, True, SOURCE_LANGUAGE)
    return texts.text(rule_key(str(finding.get("rule", "")), "message"), stored)


def untranslated_text(language: str) -> str:
    """The mark of an untranslated passage: the note in the patient's language and, when
    it reads otherwise, in the practitioner's."""
    patient = untranslated_note(language)
    desk = not_translated()
    return f"{MARK} {patient}" if desk == patient else f"{MARK} {patient} / {desk}"


def untranslated_mark(language: str, parent: QWidget) -> QLabel:
    """A small line marking the passage above as English standing in for ``language``."""
    label = QLabel(untranslated_text(language), parent)
    label.setWordWrap(True)
    label.setObjectName("untranslated")
    style_with_tones(label, "color: $warning; font-size: small;")
    label.setAccessibleName(not_translated())
    return label


@dataclass(frozen=True)
class Wording:
    """A text as the patient reads it, and as the practitioner does when that differs."""

    patient: LocalText
    desk: str | None = None

    @property
    def text(self) -> str:
        """The patient's words."""
        return self.patient.text

    @property
    def untranslated(self) -> bool:
        """Whether the patient's words are the English standing in for a translation."""
        return not self.patient.translated

    def inline(self, separator: str = " ") -> str:
        """The patient's words, then the practitioner's in parentheses (a button's text)."""
        if self.desk is None:
            return self.text
        return f"{self.text}{separator}({self.desk})"

    def spoken(self) -> str:
        """What a screen reader says: both wordings, and the mark if untranslated."""
        parts = [self.inline()]
        if self.untranslated:
            parts.append(not_translated())
        return ", ".join(parts)


class IntakeWords:
    """The questionnaire's words for one patient, at one desk.

    ``patient_language`` is the patient's (:attr:`PatientInfo.language`),
    ``desk_language`` the interface's; when they are the same, every :class:`Wording`
    has no second line.
    """

    def __init__(self, kb: KnowledgeBase, patient_language: str, desk_language: str) -> None:
        self.language = patient_language
        self.patient: KnowledgeTexts = kb.texts(patient_language)
        self.desk: KnowledgeTexts | None = (
            None if desk_language == patient_language else kb.texts(desk_language)
        )

    def _pair(self, get: Callable[[KnowledgeTexts], LocalText]) -> Wording:
        patient = get(self.patient)
        if self.desk is None:
            return Wording(patient)
        desk = get(self.desk).text
        return Wording(patient, None if desk == patient.text or not desk else desk)

    def question(self, question_id: str) -> Wording:
        """A question's label."""
        return self._pair(lambda texts: texts.question_label(question_id))

    def help(self, question_id: str) -> Wording:
        """A question's help text (empty when it has none)."""
        return self._pair(lambda texts: texts.question_help(question_id))

    def value(self, question_id: str, value_id: str) -> Wording:
        """One of the listed values of a question."""
        return self._pair(lambda texts: texts.value_label(question_id, value_id))

    def answer(self, answer_id: str) -> Wording:
        """An implicit answer: yes, no, unsure, none_of_these, never, on_date, date."""
        return self._pair(lambda texts: texts.answer(answer_id))

    def section_title(self, section_id: str) -> Wording:
        """A section's title."""
        return self._pair(lambda texts: texts.section_title(section_id))

    def section_help(self, section_id: str) -> Wording:
        """A section's help text (empty when it has none)."""
        return self._pair(lambda texts: texts.section_help(section_id))


class WordedLabel(QWidget):
    """A text the patient reads, the practitioner's wording smaller under it when it
    differs, and the untranslated mark when the patient's words are English standing in.

    ``primary`` holds the patient's words, ``secondary`` the practitioner's (None when
    there is none), ``mark`` the untranslated mark (None when translated).
    """

    def __init__(
        self,
        wording: Wording,
        language: str,
        parent: QWidget | None = None,
        *,
        bold: bool = False,
        muted: bool = False,
    ) -> None:
        super().__init__(parent)
        self.wording = wording
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.primary = QLabel(wording.text, self)
        self.primary.setWordWrap(True)
        if bold:
            font = self.primary.font()
            font.setBold(True)
            self.primary.setFont(font)
        if muted:
            style_with_tones(self.primary, "color: $muted;")
        self.primary.setAccessibleName(wording.spoken())
        layout.addWidget(self.primary)
        self.secondary: QLabel | None = None
        if wording.desk is not None:
            self.secondary = QLabel(wording.desk, self)
            self.secondary.setWordWrap(True)
            self.secondary.setObjectName("deskWording")
            font = self.secondary.font()
            font.setPointSizeF(font.pointSizeF() * 0.85)
            self.secondary.setFont(font)
            style_with_tones(self.secondary, "color: $muted;")
            layout.addWidget(self.secondary)
        self.mark: QLabel | None = None
        if wording.untranslated:
            self.mark = untranslated_mark(language, self)
            layout.addWidget(self.mark)

    def text(self) -> str:
        """The patient's words."""
        return self.wording.text
