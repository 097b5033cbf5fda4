"""What the patient reads, in the patient's language.

The questions, their help, the choices, the section titles and the plain answers (yes,
no, not sure, none of these, never: ``context.answers``) are the knowledge base's texts
in the patient's language (:meth:`KnowledgeBase.texts`); a text without a translation is
shown in English and marked, in the patient's language (:meth:`PatientWords.marked`).
The words of patient mode itself (Back, Next, "I have finished"…) are Consult's own,
translated in the ``PatientMode`` context of the interface's translation files; they
are looked up in the patient's language with a translator of its own, never installed,
so that the desk keeps its language.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTranslator

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import SOURCE_LANGUAGE, LocalText, untranslated_note
from consult.ui.shell.language import ensure_script_fonts, translations_dir

CONTEXT = "PatientMode"
"""The translation context of patient mode's own words."""
_log = logging.getLogger(__name__)


class PatientWords:
    """The patient's language: the knowledge base's texts and patient mode's words."""

    def __init__(self, kb: KnowledgeBase, language: str) -> None:
        self.language = language
        self.texts = kb.texts(language)
        self._translator: QTranslator | None = None
        self.untranslated: set[str] = set()  # patient mode's words shown in English
        if language != SOURCE_LANGUAGE:
            ensure_script_fonts()  # a Japanese patient never reads empty boxes
            translator = QTranslator()
            path = translations_dir() / f"consult_{language}.qm"
            if translator.load(str(path)):
                self._translator = translator
            else:
                _log.warning(
                    "no interface words in %s (%s): patient mode's in English", language, path
                )

    def say(self, text: str) -> str:
        """Patient mode's own words (``text``, the English) in the patient's language."""
        if self.language == SOURCE_LANGUAGE:
            return text
        # ``text`` is marked where it is written (QT_TRANSLATE_NOOP in the PatientMode
        # context), so that lupdate extracts it; here it is only looked up.
        look_up = self._translator.translate if self._translator is not None else None
        translated = look_up(CONTEXT, text) if look_up is not None else ""
        if not translated:
            self.untranslated.add(text)
        return translated or text

    def untranslated_note(self) -> str:
        """What marks English standing in for a translation, in the patient's language."""
        return untranslated_note(self.language)

    def answer(self, answer_id: str) -> LocalText:
        """A plain answer (yes, no, unsure, none_of_these, never, on_date), as data."""
        return self.texts.answer(answer_id)

    def marked(self, text: LocalText) -> str:
        """``text`` as shown to the patient: English standing in for a translation says
        so, in the patient's language."""
        if text.translated or not text.text:
            return text.text
        return f"{text.text}  [{untranslated_note(self.language)}]"
