"""The printed consent form's own words (its labels), in the form's language.

The form adds words of its own around what the patient read: headings, field names,
"Page 1 of 3", the signature captions, the marks of a printed copy. A patient reading a
Japanese form must read those in Japanese too, so they are data beside the source, like
the knowledge base's texts (issue 18, docs/translations.md):

- ``resources/consent/form/form_labels.yaml``: the English, ``labels: {key: text}``;
- ``resources/consent/form/translations/<lang>/form_labels.yaml``: each translation in
  the knowledge base's translation format (``en`` and the language's text per key),
  read and checked by :mod:`consult.knowledge.translations`, so a label whose English
  has changed since it was translated is stale and counts as missing.

A label with no (current) translation prints in English: a form never lacks a label,
and the form's English labels are the source itself, so an English form is printed
exactly as before. A label may hold ``{name}`` placeholders, filled in by
:meth:`FormWords.text`; a translation must use the same placeholders as its English or
it is ignored (logged), because a missing value would drop a fact from the form.

The catalog lives in a folder of its own (not beside the consent templates) so that the
template loader, which reads every ``*.yaml`` of ``resources/consent``, never takes it
for a template.
"""

from __future__ import annotations

import functools
import logging
import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from consult import resources
from consult.domain.knowledge_texts import SOURCE_LANGUAGE
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.translations import FOLDER, check_translation, read_translation
from consult.knowledge.yaml_files import read_yaml

__all__ = ["CATALOG_FILE", "FormWords", "catalog_folder", "english_labels", "form_words"]

_log = logging.getLogger(__name__)

CATALOG_FILE: Final = "form_labels.yaml"


def catalog_folder() -> Path:
    """The folder of the English catalog, and of its ``translations`` folder."""
    return resources.path("consent", "form")


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@functools.cache
def english_labels() -> Mapping[str, str]:
    """The English labels by key (the source of every translation).

    Raises KnowledgeError if the shipped catalog is malformed: a form must not be
    printed with a label missing.
    """
    path = catalog_folder() / CATALOG_FILE
    data = read_yaml(path)
    labels = data.get("labels") if isinstance(data, Mapping) else None
    if not isinstance(labels, Mapping) or not labels:
        raise KnowledgeError(str(path), "labels", "must map each key to its English text")
    for key, text in labels.items():
        if not isinstance(key, str) or not isinstance(text, str) or not text:
            raise KnowledgeError(str(path), f"labels.{key}", "must be a non-empty text")
    return MappingProxyType(dict(labels))


def _translations(language: str) -> Mapping[str, str]:
    """The current translations into ``language``, checked against the English; a bad
    file or entry is logged and left out (the English stands in)."""
    path = catalog_folder() / FOLDER / language / CATALOG_FILE
    if language == SOURCE_LANGUAGE or not path.is_file():
        return {}
    source = english_labels()
    try:
        entries = read_translation(path, language)
    except KnowledgeError:
        _log.exception("the form's %s labels cannot be read: printed in English", language)
        return {}
    checked = check_translation(entries, language, source, str(path))
    for problem in checked.problems:
        _log.warning("%s", problem)
    for key in checked.stale:
        _log.warning("%s: %s: stale (its English has changed): printed in English", path, key)
    usable: dict[str, str] = {}
    for key, text in checked.fresh.items():
        if _placeholders(text) != _placeholders(source[key]):
            _log.warning("%s: %s: placeholders differ from the English: ignored", path, key)
            continue
        usable[key] = text
    return usable


class FormWords:
    """The form's labels in one language, each falling back to its English."""

    __slots__ = ("_english", "_translated", "language")

    def __init__(
        self, language: str, english: Mapping[str, str], translated: Mapping[str, str]
    ) -> None:
        self.language = language
        self._english = english
        self._translated = translated

    def text(self, key: str, **values: object) -> str:
        """The label ``key`` with its placeholders filled in (KeyError for a key the
        English catalog lacks: a programming error, caught by the tests)."""
        template = self._translated.get(key) or self._english[key]
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        """Whether the catalog has a label under ``key`` (for keys made from data, such
        as a severity or a signature's meaning)."""
        return key in self._english

    def translated(self, key: str) -> bool:
        """Whether ``key`` is in the form's language (always, for English)."""
        return self.language == SOURCE_LANGUAGE or key in self._translated

    def around(self, key: str, placeholder: str) -> tuple[str, str]:
        """The label's text before and after its one ``{placeholder}``, for a value set
        differently (in bold) from the words around it."""
        template = self._translated.get(key) or self._english[key]
        before, _, after = template.partition("{" + placeholder + "}")
        return before, after


@functools.cache
def form_words(language: str) -> FormWords:
    """The form's labels in ``language`` (loaded once per language and process)."""
    english = english_labels()
    return FormWords(language, english, MappingProxyType(_translations(language)))
