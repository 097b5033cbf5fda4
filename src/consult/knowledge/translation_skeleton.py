"""Write the skeleton of a language's translation files, for a translator to fill in.

``uv run python tools/translations.py data LANG`` runs this. For every knowledge file and
consent template it makes sure the translation file for LANG lists every text of the
source, in the source's order:

- a text with no entry yet gets one with its English and ``LANG: null``: a placeholder
  the loader treats as missing and ``consult knowledge check`` counts as missing, so an
  untranslated text is visible in the file yet never shown as if translated (an empty
  string would be; the schema refuses it);
- an entry whose ``en`` no longer matches the source (stale) is kept exactly as it is,
  old English included, so the translator sees what changed; it is reported, never
  refreshed silently;
- an entry that names nothing in the source (orphan) is kept and reported: deleting a
  translator's work is a decision for a person;
- a file is rewritten only when entries are added, and a malformed file is reported and
  left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from consult import resources
from consult.knowledge.consent_templates import (
    ConsentTemplateError,
    load_template,
    template_source_texts,
)
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.translation_coverage import knowledge_sources
from consult.knowledge.translations import (
    FOLDER,
    Translation,
    check_translation,
    is_language_code,
    read_translation,
)

__all__ = ["FileUpdate", "render_translation", "update_language"]


@dataclass(frozen=True)
class FileUpdate:
    """What the skeleton did to one translation file, and what the translator must do."""

    path: Path
    added: tuple[str, ...] = ()
    placeholders: int = 0
    stale: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    error: str = ""

    @property
    def written(self) -> bool:
        """Whether the file was (re)written: only when entries were added."""
        return bool(self.added) and not self.error


def render_translation(
    header: str, language: str, entries: Mapping[str, Mapping[str, str | None]]
) -> str:
    """A translation file's text: the header comment, the language, every entry.

    Strings are written double-quoted (JSON's escapes are YAML's), so no text can be
    misread as YAML (a ``no``, a colon, a leading ``*``).
    """
    lines = [line if line.startswith("#") else f"# {line}" for line in header.splitlines()]
    lines += [f"language: {language}", "entries:"]
    for key, entry in entries.items():
        lines.append(f"  {key}:")
        for name in ("en", language):
            value = entry.get(name)
            shown = "null" if value is None else json.dumps(value, ensure_ascii=False)
            lines.append(f"    {name}: {shown}")
    return "\n".join(lines) + "\n"


def _header(path: Path, source: str) -> str:
    # Keep the translator's own header; a new file names what it translates.
    if path.is_file():
        kept: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            kept.append(line)
        if kept:
            return "\n".join(kept)
    return f"# Translation of {source} (see docs/translations.md)."


def _update(path: Path, language: str, source: Mapping[str, str], named: str) -> FileUpdate:
    existing: Translation = {}
    if path.is_file():
        try:
            existing = read_translation(path, language)
        except KnowledgeError as exc:
            return FileUpdate(path, error=str(exc))
    checked = check_translation(existing, language, source, str(path))
    entries: dict[str, Mapping[str, str | None]] = {}
    added: list[str] = []
    for key, english in source.items():
        if key in existing:
            entries[key] = existing[key]
        else:
            entries[key] = {"en": english, language: None}
            added.append(key)
    orphans = [key for key in existing if key not in source]
    for key in orphans:
        entries[key] = existing[key]
    if added:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = render_translation(_header(path, named), language, entries)
        path.write_text(text, encoding="utf-8")
    placeholders = len(checked.placeholders) + len(added)
    return FileUpdate(path, tuple(added), placeholders, tuple(checked.stale), tuple(orphans))


def update_language(
    language: str, knowledge_root: Path | None = None, consent_root: Path | None = None
) -> list[FileUpdate]:
    """Bring every translation file of ``language`` up to its source (see above).

    ValueError for ``en`` (the source itself) or a name that is not a language code.
    """
    if not is_language_code(language):
        raise ValueError(f"{language!r} is not a language code to translate into")
    knowledge = resources.path("knowledge") if knowledge_root is None else knowledge_root
    consent = resources.path("consent") if consent_root is None else consent_root
    updates: list[FileUpdate] = []
    for relative, texts in knowledge_sources(knowledge).items():
        if texts:
            path = knowledge / FOLDER / language / relative
            updates.append(_update(path, language, texts, f"resources/knowledge/{relative}"))
    for file in sorted(consent.glob("*.yaml")):
        path = consent / FOLDER / language / file.name
        try:
            template = load_template(file)
        except ConsentTemplateError as exc:
            updates.append(FileUpdate(path, error=str(exc)))
            continue
        source = template_source_texts(template)
        updates.append(_update(path, language, source, f"resources/consent/{file.name}"))
    return updates
