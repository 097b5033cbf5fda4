"""How much of the knowledge base and the consent templates each language translates.

``consult knowledge check`` prints this per language and category, and fails on the
errors (a malformed translation file, an orphan key, a folder that is not a language);
missing and stale translations are work in progress, reported but not failed, unless
``--require-complete LANG`` asks for a language to be complete (the rule messages, read
by the practitioner, are optional and never required).

Unlike the app's loader, which ignores a bad translation and carries on, this reads every
file again and keeps every problem, so a translator sees them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from consult import resources
from consult.knowledge.consent_templates import (
    ConsentTemplateError,
    load_template,
    template_source_texts,
    template_translation,
)
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.translations import (
    FOLDER,
    bad_language_folders,
    knowledge_source_texts,
    load_knowledge_language,
    translation_files,
)
from consult.knowledge.yaml_files import read_yaml

__all__ = [
    "CATEGORIES",
    "OPTIONAL_CATEGORIES",
    "Counts",
    "LanguageCoverage",
    "category_of",
    "coverage",
    "knowledge_sources",
]

CATEGORIES: Final = (
    "context",
    "sections",
    "questions",
    "values",
    "treatments",
    "patient_risk",
    "next_step",
    "message",
    "consent",
)
"""The categories reported, in this order. ``treatments`` covers treatment names, routes,
product sources and groups; ``next_step`` the rules' sentences saying what a patient not
treated should do next (issue 21); ``consent`` every consent template's title and
sections."""

OPTIONAL_CATEGORIES: Final = frozenset({"message"})
"""Categories a complete language may leave untranslated (the practitioner's findings)."""


def category_of(key: str) -> str:
    """The category of a knowledge-base translation key."""
    head = key.split(".", 1)[0]
    if head == "questions":
        return "values" if ".values." in key else "questions"
    if head in ("routes", "product_sources", "groups", "treatments"):
        return "treatments"
    if head == "rules":
        if key.endswith(".message"):
            return "message"
        return "next_step" if key.endswith(".next_step") else "patient_risk"
    return head  # "context" or "sections"


@dataclass
class Counts:
    """Translated, stale and missing texts of one category."""

    translated: int = 0
    stale: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        """Every text of the category."""
        return self.translated + self.stale + self.missing


@dataclass
class LanguageCoverage:
    """One language's coverage by category, its errors, and what is left to translate.

    ``incomplete`` names every missing or stale text (file: key) outside the optional
    categories: what ``--require-complete`` fails on.
    """

    language: str
    counts: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    problems: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)

    def add(
        self,
        where: str,
        source: Iterable[str],
        fresh: Iterable[str],
        stale: Iterable[str],
        category: str | None = None,
    ) -> None:
        """Count one source file's texts, given its fresh and stale translation keys;
        ``category`` is that of every key (else each key's own, :func:`category_of`)."""
        done, old = set(fresh), set(stale)
        for key in source:
            kind = category or category_of(key)
            counts = self.counts[kind]
            if key in done:
                counts.translated += 1
                continue
            if key in old:
                counts.stale += 1
            else:
                counts.missing += 1
            if kind not in OPTIONAL_CATEGORIES:
                state = "stale" if key in old else "missing"
                self.incomplete.append(f"{where}: {key} ({state})")

    @property
    def complete(self) -> bool:
        """Whether every required text is translated and current."""
        return not self.incomplete


def knowledge_sources(root: Path) -> dict[str, dict[str, str]]:
    """The translatable texts of every knowledge file under ``root``, by source path.

    KnowledgeError if a source file cannot be read (the knowledge check reports that
    before the translations are looked at).
    """
    found: dict[str, dict[str, str]] = {}
    names = ["questionnaire.yaml", "treatments.yaml"]
    names += [f"rules/{p.name}" for p in sorted((root / "rules").glob("*.yaml"))]
    for relative in names:
        found[relative] = knowledge_source_texts(relative, read_yaml(root / relative))
    return found


def coverage(
    language: str,
    knowledge_root: Path | None = None,
    consent_root: Path | None = None,
    sources: Mapping[str, Mapping[str, str]] | None = None,
) -> LanguageCoverage:
    """The coverage of ``language`` over the knowledge base and the consent templates.

    ``sources`` (from :func:`knowledge_sources`) saves reading the knowledge files again
    for each language. A language without any folder is simply all missing.
    """
    knowledge = resources.path("knowledge") if knowledge_root is None else knowledge_root
    consent = resources.path("consent") if consent_root is None else consent_root
    sources = knowledge_sources(knowledge) if sources is None else sources
    result = LanguageCoverage(language)
    result.problems += [
        f"{folder}: not a language code (a folder of {FOLDER}/ must be one, and not 'en')"
        for folder in bad_language_folders(knowledge) + bad_language_folders(consent)
    ]
    loaded = load_knowledge_language(knowledge, language, sources)
    result.problems += loaded.problems
    folder = knowledge / FOLDER / language
    by_source = {Path(f.file).relative_to(folder).as_posix(): f for f in loaded.files}
    for relative, texts in sources.items():
        checked = by_source.get(relative)
        result.add(
            f"{FOLDER}/{language}/{relative}",
            texts,
            checked.fresh if checked else (),
            checked.stale if checked else (),
        )
    _consent(result, language, consent)
    return result


def _consent(result: LanguageCoverage, language: str, root: Path) -> None:
    templates = sorted(root.glob("*.yaml"))
    for file in templates:
        where = f"consent/{FOLDER}/{language}/{file.name}"
        try:
            template = load_template(file)
        except ConsentTemplateError as exc:
            result.problems.append(f"{file}: {exc}")
            continue
        try:
            checked = template_translation(file, template, language)
        except KnowledgeError as exc:
            result.problems.append(str(exc))
            checked = None
        if checked is not None:
            result.problems += checked.problems
        result.add(
            where,
            template_source_texts(template),
            checked.fresh if checked else (),
            checked.stale if checked else (),
            category="consent",
        )
    names = {file.name for file in templates}
    for relative, path in translation_files(root, language):
        if relative not in names:
            result.problems.append(f"{path}: translates no consent template ({relative})")
