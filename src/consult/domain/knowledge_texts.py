"""The patient-facing words of the knowledge base in one language, with their provenance.

Issue 18: a patient reads the questionnaire, treatment names and risk sentences in their
own language, and a passage that has no translation yet is shown in English *and marked*
(never silently mixed into a Japanese form). So every lookup here answers a
:class:`LocalText`: the words, and whether they are a translation (``translated=True``)
or the English fallback (``translated=False``).

This module is pure: the translations arrive as a plain mapping from a *key* (the path of
the text in its source file, e.g. ``questions.pregnant.label``; the format is described in
docs/translations.md) to the translated text, already checked against the current English
source by :mod:`consult.knowledge.translations` (stale and orphan entries never reach it).
The UI, the PDF and the sealed record all ask :meth:`KnowledgeBase.texts` for a
:class:`KnowledgeTexts` rather than reading files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

SOURCE_LANGUAGE: Final = "en"
"""The language the knowledge base and the consent templates are written in."""

TextKind = Literal[
    "treatment",
    "route",
    "product_source",
    "group",
    "qualification",
    "jurisdiction",
    "sex",
    "answer",
]
"""The named things :meth:`KnowledgeTexts.label` looks up."""

_LABEL_KEYS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        # kind -> (key prefix, field): the key is f"{prefix}.{id}.{field}".
        "treatment": ("treatments", "name"),
        "route": ("routes", "label"),
        "product_source": ("product_sources", "label"),
        "group": ("groups", "label"),
        "qualification": ("context.qualifications", "label"),
        "jurisdiction": ("context.jurisdictions", "label"),
        "sex": ("context.sexes", "label"),
        "answer": ("context.answers", "label"),
    }
)

ANSWERS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "yes": "Yes",
        "no": "No",
        "unsure": "Not sure",
        "none_of_these": "None of these",
        "never": "Never",
        "on_date": "On this date:",
        "date": "Date",
    }
)
"""The answers a question offers without listing them (yes/no/unsure, "None of these"
for a list, "Never"/"On this date:" for a date), by id, in English. The questionnaire
lists them under ``context.answers`` so that they are translated as data like every
other word the patient reads; these stand in for a knowledge base that does not."""

UNTRANSLATED_NOTES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "en": "Not translated: shown in English",
        "ja": "この部分は翻訳されていないため、英語で表示しています",
    }
)
"""What marks a passage shown in English for want of a translation, in the patient's
language (the practitioner reads the same in their interface language, from Qt)."""


def untranslated_note(language: str) -> str:
    """The mark of an untranslated passage in ``language`` (English if it has none)."""
    return UNTRANSLATED_NOTES.get(language, UNTRANSLATED_NOTES[SOURCE_LANGUAGE])


def label_key(kind: TextKind, value_id: str) -> str:
    """The translation key of a named thing's name, e.g. ``treatments.prp.name``."""
    prefix, name = _LABEL_KEYS[kind]
    return f"{prefix}.{value_id}.{name}"


def question_key(question_id: str, part: Literal["label", "help"]) -> str:
    """The key of a question's label or help text."""
    return f"questions.{question_id}.{part}"


def value_key(question_id: str, value_id: str) -> str:
    """The key of the label of one of a question's values."""
    return f"questions.{question_id}.values.{value_id}.label"


def section_key(section_id: str, part: Literal["title", "help"]) -> str:
    """The key of a questionnaire section's title or help text."""
    return f"sections.{section_id}.{part}"


def rule_key(rule_id: str, part: Literal["patient_risk", "message", "next_step"]) -> str:
    """The key of a rule's patient_risk sentence, its (practitioner's) message or its
    next_step sentence (what a patient not treated because of it should do next)."""
    return f"rules.{rule_id}.{part}"


@dataclass(frozen=True)
class LocalText:
    """Words meant for one language, and whether they really are in it.

    ``translated`` is False when ``text`` is the English source standing in for a
    missing (or stale) translation: whoever shows it must mark it as untranslated.
    English itself is always ``translated``.
    """

    text: str
    translated: bool
    language: str

    def __str__(self) -> str:
        return self.text


class KnowledgeTexts:
    """The knowledge base's texts in one language, falling back to English with a mark.

    Made by :meth:`consult.domain.knowledge_model.KnowledgeBase.texts`; ``source`` is every
    translatable English text by key, ``translations`` the valid translations into
    ``language`` by the same keys.
    """

    __slots__ = ("_source", "_translations", "language")

    def __init__(
        self, language: str, source: Mapping[str, str], translations: Mapping[str, str]
    ) -> None:
        self.language = language
        self._source = source
        self._translations = {} if language == SOURCE_LANGUAGE else translations

    def text(self, key: str, default: str | None = None) -> LocalText:
        """The text of ``key`` in this language, or the English with ``translated=False``.

        A key the knowledge base does not have answers ``default`` (an id the current
        knowledge base no longer knows still shows in an old record), marked untranslated
        outside English; without a default it raises KeyError.
        """
        english = self._source.get(key)
        if english is None:
            if default is None:
                raise KeyError(key)
            return LocalText(default, self.language == SOURCE_LANGUAGE, self.language)
        if self.language == SOURCE_LANGUAGE:
            return LocalText(english, True, self.language)
        translated = self._translations.get(key)
        if translated is None:
            return LocalText(english, False, self.language)
        return LocalText(translated, True, self.language)

    def has(self, key: str) -> bool:
        """Whether the knowledge base has an English text under ``key``."""
        return key in self._source

    def label(self, kind: TextKind, value_id: str) -> LocalText:
        """The name of a treatment, route, product source, group, qualification,
        jurisdiction or sex at birth (the id itself, if the knowledge base has no such)."""
        return self.text(label_key(kind, value_id), value_id)

    def question_label(self, question_id: str) -> LocalText:
        """A question as the patient reads it (KeyError for an unknown question)."""
        return self.text(question_key(question_id, "label"))

    def question_help(self, question_id: str) -> LocalText:
        """A question's help text (empty when it has none)."""
        return self.text(question_key(question_id, "help"), "")

    def value_label(self, question_id: str, value_id: str) -> LocalText:
        """The label of one value of a question (the value id, if it is unknown)."""
        return self.text(value_key(question_id, value_id), value_id)

    def answer(self, answer_id: str) -> LocalText:
        """An implicit answer (``yes``, ``no``, ``unsure``, ``none_of_these``, ``never``,
        ``on_date``, ``date``: :data:`ANSWERS`) as the patient reads it."""
        return self.text(label_key("answer", answer_id), ANSWERS.get(answer_id, answer_id))

    def section_title(self, section_id: str) -> LocalText:
        """A questionnaire section's title (KeyError for an unknown section)."""
        return self.text(section_key(section_id, "title"))

    def section_help(self, section_id: str) -> LocalText:
        """A questionnaire section's help text (empty when it has none)."""
        return self.text(section_key(section_id, "help"), "")

    def patient_risk(self, rule_id: str) -> LocalText:
        """A rule's patient_risk sentence, for the consent form (KeyError if unknown)."""
        return self.text(rule_key(rule_id, "patient_risk"))

    def next_step(self, rule_id: str) -> LocalText | None:
        """What a patient not treated because of a rule should do next (None where the
        rule has no such sentence, or the knowledge base no such rule)."""
        key = rule_key(rule_id, "next_step")
        return self.text(key) if key in self._source else None

    def message(self, rule_id: str) -> LocalText:
        """A rule's finding as the practitioner reads it (KeyError if unknown)."""
        return self.text(rule_key(rule_id, "message"))

    def coverage(self) -> tuple[int, int]:
        """(translated, total) over every translatable text of the knowledge base."""
        if self.language == SOURCE_LANGUAGE:
            return len(self._source), len(self._source)
        done = sum(1 for key in self._source if key in self._translations)
        return done, len(self._source)
