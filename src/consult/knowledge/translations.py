"""Translations of the knowledge base and the consent templates, as data (issue 18).

A translation lives beside its source, one file per language mirroring the source tree
(``resources/knowledge/translations/ja/rules/prp.yaml`` translates
``resources/knowledge/rules/prp.yaml``; ``resources/consent/translations/ja/prp.yaml``
the PRP consent template). Each entry names the English it translates::

    language: ja
    entries:
      questions.pregnant.label:
        en: Are you pregnant, or could you be pregnant?
        ja: 妊娠している、または妊娠の可能性がありますか？

so a translation can never silently outlive its source: when the English changes, the
entry is *stale* and counts as missing (the English is shown, marked untranslated) until
a translator updates it. ``ja: null`` is a placeholder written by
``tools/translations.py data`` for a text nobody has translated yet: missing too.

Problems are of two kinds. A missing or stale translation is normal work in progress:
reported by ``consult knowledge check``, never an error. A malformed file, or a key that
names nothing in the source (an *orphan*: a typo, or a question since removed), is an
error for ``consult knowledge check`` and the tests; at run time the app logs it and
ignores the entry (or the file), because a translator's typo must never stop a clinic.

The languages offered are the folders present (``en``, the source, always is).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, TypeAlias

from consult import resources
from consult.domain.knowledge_texts import (
    SOURCE_LANGUAGE,
    TextKind,
    label_key,
    question_key,
    rule_key,
    section_key,
    value_key,
)
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.yaml_files import read_yaml

__all__ = [
    "FOLDER",
    "SOURCE_LANGUAGE",
    "FileTranslation",
    "LanguageLoad",
    "Translation",
    "bad_language_folders",
    "cache_key",
    "check_translation",
    "consent_translation_file",
    "is_language_code",
    "knowledge_source_texts",
    "language_folders",
    "load_knowledge_language",
    "offered_languages",
    "read_translation",
    "same_english",
    "translation_files",
    "validate_translation",
]

_log = logging.getLogger(__name__)

FOLDER: Final = "translations"
"""The folder, inside ``resources/knowledge`` and ``resources/consent``, holding one
folder per language."""

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

Translation: TypeAlias = "Mapping[str, Mapping[str, str | None]]"
"""A translation file's entries: key -> {"en": English, <language>: text or None}."""


def is_language_code(name: str) -> bool:
    """Whether ``name`` can be a translation folder: a language code, not English."""
    return bool(_LANGUAGE.match(name)) and name != SOURCE_LANGUAGE


def same_english(recorded: str, source: str) -> bool:
    """Whether a translation's ``en`` still names the source text.

    Whitespace is compared loosely (a translator's ``>-`` block folds lines that the
    source may keep as a literal block): the words must be the same, in the same order.
    """
    return recorded.split() == source.split()


@dataclass(frozen=True)
class FileTranslation:
    """One translation file checked against the current source.

    ``fresh`` holds the usable translations by key; ``stale`` the keys whose ``en`` no
    longer equals the source (with the old English, so the translator sees what
    changed); ``placeholders`` the keys written but not yet translated (``null``);
    ``problems`` the errors (orphan keys), each a line naming the file and the key.
    """

    file: str
    language: str
    fresh: Mapping[str, str] = field(default_factory=dict)
    stale: Mapping[str, str] = field(default_factory=dict)
    placeholders: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()


def check_translation(
    entries: Translation, language: str, source: Mapping[str, str], file: str
) -> FileTranslation:
    """Sort a file's entries into fresh, stale, placeholder and orphan (a problem)."""
    fresh: dict[str, str] = {}
    stale: dict[str, str] = {}
    placeholders: set[str] = set()
    problems: list[str] = []
    for key, entry in entries.items():
        english = source.get(key)
        if english is None:
            problems.append(f"{file}: {key}: names nothing in the source (orphan key)")
            continue
        recorded = entry.get("en") or ""
        text = entry.get(language)
        if not same_english(recorded, english):
            stale[key] = recorded
        elif text is None:
            placeholders.add(key)
        else:
            fresh[key] = text.strip()
    return FileTranslation(file, language, fresh, stale, frozenset(placeholders), tuple(problems))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    path = resources.path("knowledge", "schema", "translation.schema.json")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def validate_translation(data: object, language: str, file: str) -> Translation:
    """Check a translation file's parsed data: the schema, then its language.

    Raises KnowledgeError naming the file and the key: the file's ``language`` must be
    its folder's, and each entry has ``en`` and the language's text, nothing else.
    """
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(data))
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path)
        raise KnowledgeError(file, where, error.message)
    assert isinstance(data, dict)  # the schema says so
    if data["language"] != language:
        raise KnowledgeError(
            file, "language", f"is {data['language']!r} but the file is in the {language!r} folder"
        )
    entries: dict[str, dict[str, str | None]] = data["entries"] or {}
    for key, entry in entries.items():
        others = sorted(set(entry) - {"en", language})
        if others or language not in entry:
            raise KnowledgeError(
                file,
                f"entries.{key}",
                f"needs exactly 'en' and {language!r} (found {sorted(entry)})",
            )
    return entries


def read_translation(path: Path, language: str) -> Translation:
    """Read and validate one translation file (KnowledgeError if it is malformed)."""
    return validate_translation(read_yaml(path), language, str(path))


def language_folders(root: Path) -> tuple[str, ...]:
    """The languages with a folder under ``root/translations`` (sorted; never ``en``).

    A folder whose name is not a language code is ignored here and logged: it offers
    nothing, and ``consult knowledge check`` reports it.
    """
    folder = root / FOLDER
    if not folder.is_dir():
        return ()
    found: list[str] = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir():
            continue
        if not is_language_code(child.name):
            _log.warning("translation folder %s is not a language code; ignored", child)
            continue
        found.append(child.name)
    return tuple(found)


def bad_language_folders(root: Path) -> tuple[str, ...]:
    """The folders under ``root/translations`` that are not language codes (errors)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return ()
    return tuple(
        str(child)
        for child in sorted(folder.iterdir())
        if child.is_dir() and not is_language_code(child.name)
    )


def translation_files(root: Path, language: str) -> list[tuple[str, Path]]:
    """Every ``*.yaml`` of a language's folder, by the source path it translates
    (``rules/prp.yaml``), in a stable order."""
    folder = root / FOLDER / language
    return [(path.relative_to(folder).as_posix(), path) for path in sorted(folder.rglob("*.yaml"))]


def consent_translation_file(template_file: Path, language: str) -> Path:
    """Where the translation of a consent template into ``language`` is."""
    return template_file.parent / FOLDER / language / template_file.name


def offered_languages(
    knowledge_root: Path | None = None, consent_root: Path | None = None
) -> tuple[str, ...]:
    """The languages a patient can be offered: English, then every language with a
    translation folder for the knowledge base or the consent templates."""
    knowledge = resources.path("knowledge") if knowledge_root is None else knowledge_root
    consent = resources.path("consent") if consent_root is None else consent_root
    found = set(language_folders(knowledge)) | set(language_folders(consent))
    return (SOURCE_LANGUAGE, *sorted(found))


# --- the knowledge base's translatable texts, read from its source files ----------------


def knowledge_source_texts(relative: str, data: Any) -> dict[str, str]:
    """The translatable English texts of one knowledge file by key, from its parsed data.

    ``relative`` is the file's path under ``resources/knowledge`` (``questionnaire.yaml``,
    ``treatments.yaml``, ``rules/<file>.yaml``); other files have nothing to translate.
    The keys are those of :meth:`KnowledgeBase.source_texts`.
    """
    found: dict[str, str] = {}

    def put(key: str, text: object) -> None:
        if isinstance(text, str) and text:
            found[key] = text

    def each(items: object) -> list[Mapping[str, Any]]:
        if not isinstance(items, list):
            return []
        return [item for item in items if isinstance(item, Mapping)]

    if not isinstance(data, Mapping):
        return found
    if relative == "questionnaire.yaml":
        context = data.get("context") or {}
        kinds: tuple[tuple[str, TextKind], ...] = (
            ("sexes", "sex"),
            ("jurisdictions", "jurisdiction"),
            ("qualifications", "qualification"),
            ("answers", "answer"),
        )
        for field_name, kind in kinds:
            for item in each(context.get(field_name)):
                put(label_key(kind, str(item.get("id"))), item.get("label"))
        for item in each(data.get("sections")):
            sid = str(item.get("id"))
            put(section_key(sid, "title"), item.get("title"))
            put(section_key(sid, "help"), item.get("help"))
        for item in each(data.get("questions")):
            qid = str(item.get("id"))
            put(question_key(qid, "label"), item.get("label"))
            put(question_key(qid, "help"), item.get("help"))
            for value in each(item.get("values")):
                put(value_key(qid, str(value.get("id"))), value.get("label"))
    elif relative == "treatments.yaml":
        tables: tuple[tuple[str, TextKind, str], ...] = (
            ("routes", "route", "label"),
            ("product_sources", "product_source", "label"),
            ("groups", "group", "label"),
            ("treatments", "treatment", "name"),
        )
        for field_name, kind, text in tables:
            for item in each(data.get(field_name)):
                put(label_key(kind, str(item.get("id"))), item.get(text))
    elif relative.startswith("rules/"):
        for item in each(data.get("rules")):
            rid = str(item.get("id"))
            put(rule_key(rid, "patient_risk"), item.get("patient_risk"))
            put(rule_key(rid, "message"), item.get("message"))
            put(rule_key(rid, "next_step"), item.get("next_step"))
    return found


# --- loading a language of the knowledge base ------------------------------------------


@dataclass(frozen=True)
class LanguageLoad:
    """What the knowledge base's translation folder of one language holds.

    ``files`` are the well-formed files, checked against their sources; ``problems`` the
    errors (malformed files, files translating no source file, orphan keys); ``data`` the
    validated content of the well-formed files by cache key, for the loader's cache.
    """

    language: str
    files: tuple[FileTranslation, ...]
    problems: tuple[str, ...]
    data: Mapping[str, object]

    @property
    def fresh(self) -> dict[str, str]:
        """Every usable translation of the language, by key."""
        found: dict[str, str] = {}
        for file in self.files:
            found.update(file.fresh)
        return found


def cache_key(language: str, relative: str) -> str:
    """The key a translation file's data is cached and hashed under."""
    return f"{FOLDER}/{language}/{relative}"


def load_knowledge_language(
    root: Path,
    language: str,
    sources: Mapping[str, Mapping[str, str]],
    cached: Mapping[str, object] | None = None,
) -> LanguageLoad:
    """Read a language's translation files of the knowledge base and check them.

    ``sources`` holds, by source path (``rules/prp.yaml``), the file's translatable texts
    (:func:`knowledge_source_texts`). ``cached`` is data validated by an earlier load, by
    :func:`cache_key`; it is used as is. Never raises for a bad file: it is a problem.
    """
    files: list[FileTranslation] = []
    problems: list[str] = []
    data: dict[str, object] = {}
    for relative, path in translation_files(root, language):
        name = str(path)
        source = sources.get(relative)
        if source is None:
            problems.append(f"{name}: translates no knowledge file ({relative} does not exist)")
            continue
        key = cache_key(language, relative)
        try:
            if cached is not None and key in cached:
                content = cached[key]
                entries: Translation = (
                    content.get("entries") or {} if isinstance(content, dict) else {}
                )
            else:
                content = read_yaml(path)
                entries = validate_translation(content, language, name)
        except KnowledgeError as exc:
            problems.append(str(exc))
            continue
        data[key] = content
        checked = check_translation(entries, language, source, name)
        problems.extend(checked.problems)
        files.append(checked)
    return LanguageLoad(language, tuple(files), tuple(problems), data)
