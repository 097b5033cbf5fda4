"""Consent templates: one per treatment, loaded from ``resources/consent/*.yaml``.

A template is data written for patients. Each section is initialled by the patient. The
app never shows a template directly: :func:`render_for` turns it into the exact text the
patient reads for one jurisdiction and one screening result, and that rendered text is
what gets frozen into the signed consent record.

The template version is derived from the content (``"<edition>.<sha256[:12]>"``), so
editing a single word gives a new version even if nobody remembers to raise the edition.

A section's text may depend on the clinic's jurisdiction (``text_by_jurisdiction``) and
may grow a paragraph for the planned product's source (``text_by_product_source``, for
example the donor-derived infection risk of a human-derived product).

Translations (issue 18) are data beside the templates
(``resources/consent/translations/<lang>/<template file>``, read by
:mod:`consult.knowledge.translations`): ``render_for(..., language="ja")`` gives each
section in Japanese where a current translation exists and in English, flagged
``untranslated``, where not. The template's ``version`` is always that of the English
source; :meth:`ConsentTemplate.translation_version` names the translation used, so a
signed record can name both.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from consult import resources
from consult.domain.jurisdictions import JURISDICTIONS
from consult.domain.knowledge_texts import SOURCE_LANGUAGE, LocalText
from consult.domain.reconfirmation import CourseLimit
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.translations import (
    FileTranslation,
    check_translation,
    consent_translation_file,
    language_folders,
    read_translation,
)

__all__ = [
    "BULLET",
    "CHOICE_SECTIONS",
    "JURISDICTIONS",
    "PER_JURISDICTION_SECTIONS",
    "PRODUCT_SOURCES",
    "REQUIRED_SECTIONS",
    "ConsentTemplate",
    "ConsentTemplateError",
    "RenderedSection",
    "SectionKind",
    "TemplateSection",
    "load_template",
    "load_templates",
    "render_for",
    "template_from_data",
    "template_source_texts",
    "template_translation",
]

_log = logging.getLogger(__name__)

# Every per-jurisdiction text covers all of JURISDICTIONS (one vocabulary for the app).

PRODUCT_SOURCES: Final = ("synthetic", "plant", "animal", "human_allogeneic", "autologous")
"""Where a product comes from (the knowledge base's product sources)."""

CHOICE_SECTIONS: Final = ("photographs", "data_processing")
"""Sections answered yes/no; their ids are the keys of the consent record's ``choices``."""

REQUIRED_SECTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # The knowledge base's consent sections, in reading order, with the kind each
        # must have.
        "what_it_is": "text",
        "product_and_regulation": "text",
        "benefits": "text",
        "risks": "text",
        "alternatives": "text",
        "aftercare": "text",
        "patient_specific_risks": "patient_specific_risks",
        "withdrawal": "text",
        "reflection": "text",
        "photographs": "choice",
        "data_processing": "choice",
    }
)
"""Every template has these sections (and may add others)."""

PER_JURISDICTION_SECTIONS: Final = ("product_and_regulation",)
"""Sections whose text must be written out per jurisdiction (regulatory status differs)."""

BULLET: Final = "• "


class SectionKind(StrEnum):
    """How the app presents a section."""

    TEXT = "text"
    PATIENT_SPECIFIC_RISKS = "patient_specific_risks"
    CHOICE = "choice"


class ConsentTemplateError(ValueError):
    """A consent template file is missing, malformed or incomplete.

    The message names the file and the key, e.g.
    ``ha_filler.yaml: sections[1] (product_and_regulation).text_by_jurisdiction: 'JP' is
    a required property``.
    """

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class TemplateSection:
    """One section of a consent template, as written in the YAML file."""

    id: str
    heading: str
    kind: SectionKind
    text: str | None = None
    text_by_jurisdiction: Mapping[str, str] | None = None
    text_if_none: str | None = None
    override_intro: str | None = None
    text_by_product_source: Mapping[str, str] | None = None

    def text_for(self, jurisdiction: str, product_source: str | None = None) -> str:
        """The section's text for a jurisdiction and the planned product's source.

        The text is the jurisdiction's (or the shared one); when the section has an
        addition for ``product_source`` it follows as a paragraph of its own. ``None``
        (no product, or a treatment without product sources) adds nothing.
        """
        if self.text_by_jurisdiction is not None:
            text = self.text_by_jurisdiction[_check_jurisdiction(jurisdiction)]
        else:
            assert self.text is not None  # guaranteed by the loader and the schema
            text = self.text
        addition = self.addition_for(product_source)
        return text if addition is None else f"{text}\n{addition}"

    def addition_for(self, product_source: str | None) -> str | None:
        """The paragraph added for a product source, if the section has one."""
        if product_source is None:
            return None
        _check_product_source(product_source)
        if self.text_by_product_source is None:
            return None
        return self.text_by_product_source.get(product_source)

    def canonical(self) -> dict[str, Any]:
        """The section's content as plain JSON-ready data (only the fields that are set)."""
        out: dict[str, Any] = {"id": self.id, "heading": self.heading, "kind": str(self.kind)}
        if self.text is not None:
            out["text"] = self.text
        if self.text_by_jurisdiction is not None:
            out["text_by_jurisdiction"] = dict(self.text_by_jurisdiction)
        if self.text_if_none is not None:
            out["text_if_none"] = self.text_if_none
        if self.override_intro is not None:
            out["override_intro"] = self.override_intro
        if self.text_by_product_source is not None:
            out["text_by_product_source"] = dict(self.text_by_product_source)
        return out


@dataclass(frozen=True)
class ConsentTemplate:
    """A versioned consent template for one treatment.

    ``version`` is computed from the content when the object is made; it cannot be
    passed in, so it can never disagree with the text.
    """

    id: str
    treatment: str
    edition: int
    title: str
    sections: tuple[TemplateSection, ...]
    translations: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    """Per language, the current translations by key (stale and orphan entries left
    out). Not part of ``version``: the English template is the same whatever is
    translated."""
    course: CourseLimit | None = None
    """The longest course one consent may cover (issue 21); None: one treatment."""
    version: str = field(init=False)
    sha256: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.canonical_bytes()).hexdigest()
        # frozen dataclass: derived fields are set once, here.
        object.__setattr__(self, "sha256", digest)
        object.__setattr__(self, "version", f"{self.edition}.{digest[:12]}")

    def canonical_bytes(self) -> bytes:
        """The canonical JSON of the template's content (what the version hashes)."""
        content = {
            "id": self.id,
            "treatment": self.treatment,
            "edition": self.edition,
            "title": self.title,
            "sections": [s.canonical() for s in self.sections],
        }
        if self.course is not None:
            content["course"] = {
                "max_sessions": self.course.max_sessions,
                "max_weeks": self.course.max_weeks,
            }
        return json.dumps(
            content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")

    def section(self, section_id: str) -> TemplateSection:
        """The section with this id; KeyError if the template has none."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def languages(self) -> tuple[str, ...]:
        """English, then every language this template has a translation file for."""
        return (SOURCE_LANGUAGE, *sorted(set(self.translations) - {SOURCE_LANGUAGE}))

    def text(self, language: str, key: str) -> LocalText:
        """One text of the template by its translation key (``sections.risks.heading``),
        in ``language`` or, flagged untranslated, in English. KeyError for a key the
        template does not have."""
        english = template_source_texts(self)[key]
        if language == SOURCE_LANGUAGE:
            return LocalText(english, True, language)
        translated = self.translations.get(language, {}).get(key)
        if translated is None:
            return LocalText(english, False, language)
        return LocalText(translated, True, language)

    def title_for(self, language: str) -> LocalText:
        """The template's title in ``language`` (English, flagged, if untranslated)."""
        return self.text(language, "title")

    def translation_version(self, language: str) -> str | None:
        """The version of the translation into ``language``, for the signed record.

        ``"<language>.<sha256[:12]>"`` of the translated entries in force (each with the
        English it translates), so any change to the translation gives a new version;
        None for English (the template's ``version`` says it all) and for a language
        without any current translation.
        """
        entries = self.translations.get(language)
        if language == SOURCE_LANGUAGE or not entries:
            return None
        source = template_source_texts(self)
        content = {key: {"en": source[key], language: entries[key]} for key in sorted(entries)}
        data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"{language}.{hashlib.sha256(data.encode('utf-8')).hexdigest()[:12]}"


@dataclass(frozen=True)
class RenderedSection:
    """A section exactly as the patient sees it and initials it.

    ``text`` is plain text: paragraphs separated by ``"\\n"``, list items starting with
    ``"• "``. It is frozen into the signed record unchanged.
    """

    id: str
    heading: str
    kind: SectionKind
    text: str
    untranslated: bool = False
    """True when any part of the heading or text is the English standing in for a
    missing translation: the form must mark the passage."""
    language: str = SOURCE_LANGUAGE
    """The language the section was rendered for (not necessarily all of its text's,
    see ``untranslated``)."""

    def to_dict(self) -> dict[str, str]:
        """The section as it goes into the consent document (initials are added later)."""
        return {"id": self.id, "heading": self.heading, "kind": str(self.kind), "text": self.text}


def render_for(
    template: ConsentTemplate,
    jurisdiction: str,
    patient_risks: Sequence[str | LocalText],
    overrides: Sequence[tuple[str | LocalText, str]],
    *,
    product_source: str | None = None,
    language: str = SOURCE_LANGUAGE,
) -> list[RenderedSection]:
    """Render a template for one consultation: the exact text the patient reads.

    ``patient_risks`` are the ``patient_risk`` sentences of the screening's caution and
    relative findings; ``overrides`` are ``(rule message, practitioner's justification)``
    pairs. They go into the patient-specific risks section; every other section is the
    template's text for ``jurisdiction``, with the section's paragraph for
    ``product_source`` (the planned product's source) after it where there is one.
    Duplicate risk sentences (two rules can share one) are shown once, in first-seen
    order.

    ``language`` is the patient's: each section's heading and text are the template's
    translation where it has a current one, else the English with ``untranslated`` set.
    Pass the risk sentences (and override messages) in the patient's language as
    :class:`LocalText` (``kb.texts(language).patient_risk(rule_id)``) so their own
    fallback is marked too; a plain string counts as translated only in English. The
    practitioner's justification is shown as written.
    """
    _check_jurisdiction(jurisdiction)
    if product_source is not None:
        _check_product_source(product_source)
    words = _Words(template, language)
    risks: dict[str, tuple[str, bool]] = {}
    for risk in patient_risks:
        text, ok = words.given(risk)
        if text:
            risks.setdefault(text, (text, ok))  # the first of equal sentences is kept
    # The message's full stop would sit oddly before the dash that joins the reason.
    pairs = [(words.given(m, strip="."), j.strip()) for m, j in overrides]
    for (message, _), justification in pairs:
        if not message or not justification:
            # An override without its reason must never reach a signed form.
            raise ValueError("an override needs both the rule message and a justification")
    rendered: list[RenderedSection] = []
    for s in template.sections:
        words.untranslated = False
        heading = words.get(f"sections.{s.id}.heading", s.heading)
        if s.kind is SectionKind.PATIENT_SPECIFIC_RISKS:
            text = _patient_specific_text(s, jurisdiction, list(risks.values()), pairs, words)
        else:
            text = _section_text(s, jurisdiction, product_source, words)
        rendered.append(
            RenderedSection(
                id=s.id,
                heading=heading,
                kind=s.kind,
                text=text,
                untranslated=words.untranslated,
                language=language,
            )
        )
    return rendered


class _Words:
    """The template's texts in one language for one rendering, noting any fallback."""

    def __init__(self, template: ConsentTemplate, language: str) -> None:
        self.language = language
        self._translations = template.translations.get(language, {})
        self.untranslated = False

    def get(self, key: str, english: str) -> str:
        if self.language == SOURCE_LANGUAGE:
            return english
        translated = self._translations.get(key)
        if translated is None:
            self.untranslated = True
            return english
        return translated

    def given(self, text: str | LocalText, strip: str = "") -> tuple[str, bool]:
        """A text handed in by the caller, with whether it is in the patient's language."""
        if isinstance(text, LocalText):
            ok = text.translated and text.language == self.language
            return text.text.strip().rstrip(strip), ok
        return text.strip().rstrip(strip), self.language == SOURCE_LANGUAGE

    def use(self, given: tuple[str, bool]) -> str:
        if not given[1]:
            self.untranslated = True
        return given[0]


def _section_text(
    section: TemplateSection, jurisdiction: str, product_source: str | None, words: _Words
) -> str:
    prefix = f"sections.{section.id}"
    if section.text_by_jurisdiction is not None:
        text = words.get(
            f"{prefix}.text_by_jurisdiction.{jurisdiction}",
            section.text_by_jurisdiction[jurisdiction],
        )
    else:
        assert section.text is not None  # guaranteed by the loader and the schema
        text = words.get(f"{prefix}.text", section.text)
    addition = section.addition_for(product_source)
    if addition is None:
        return text
    addition = words.get(f"{prefix}.text_by_product_source.{product_source}", addition)
    return f"{text}\n{addition}"


def _patient_specific_text(
    section: TemplateSection,
    jurisdiction: str,
    risks: Sequence[tuple[str, bool]],
    overrides: Sequence[tuple[tuple[str, bool], str]],
    words: _Words,
) -> str:
    if not risks and not overrides:
        assert section.text_if_none is not None
        return words.get(f"sections.{section.id}.text_if_none", section.text_if_none)
    lines: list[str] = []
    if risks:
        lines.append(_section_text(section, jurisdiction, None, words))
        lines.extend(BULLET + words.use(r) for r in risks)
    if overrides:
        assert section.override_intro is not None
        lines.append(words.get(f"sections.{section.id}.override_intro", section.override_intro))
        lines.extend(
            f"{BULLET}{words.use(message)} — {justification}"
            for message, justification in overrides
        )
    return "\n".join(lines)


def template_source_texts(template: ConsentTemplate) -> dict[str, str]:
    """Every translatable English text of a template by translation key (the keys of
    its translation files: ``title``, ``sections.<id>.heading``, ``...text``, ...)."""
    found = {"title": template.title}
    for s in template.sections:
        prefix = f"sections.{s.id}"
        found[f"{prefix}.heading"] = s.heading
        if s.text is not None:
            found[f"{prefix}.text"] = s.text
        for jurisdiction, text in (s.text_by_jurisdiction or {}).items():
            found[f"{prefix}.text_by_jurisdiction.{jurisdiction}"] = text
        for source, text in (s.text_by_product_source or {}).items():
            found[f"{prefix}.text_by_product_source.{source}"] = text
        if s.text_if_none is not None:
            found[f"{prefix}.text_if_none"] = s.text_if_none
        if s.override_intro is not None:
            found[f"{prefix}.override_intro"] = s.override_intro
    return found


def template_translation(
    file: Path, template: ConsentTemplate, language: str
) -> FileTranslation | None:
    """The translation of a template file into ``language``, checked against the
    template (None if there is no such file). KnowledgeError if it is malformed."""
    path = consent_translation_file(file, language)
    if not path.is_file():
        return None
    entries = read_translation(path, language)
    return check_translation(entries, language, template_source_texts(template), str(path))


def _with_translations(file: Path, template: ConsentTemplate) -> ConsentTemplate:
    # At run time a bad translation is logged and ignored: the English still works.
    found: dict[str, Mapping[str, str]] = {}
    for language in language_folders(file.parent):
        try:
            checked = template_translation(file, template, language)
        except KnowledgeError as exc:
            _log.warning("consent translation ignored: %s", exc)
            continue
        if checked is None:
            continue
        for problem in checked.problems:
            _log.warning("consent translation entry ignored: %s", problem)
        found[language] = MappingProxyType(dict(checked.fresh))
    if not found:
        return template
    return replace(template, translations=MappingProxyType(found))


def load_templates(root: Path | None = None) -> dict[str, ConsentTemplate]:
    """Load and validate every ``*.yaml`` template under ``root``, keyed by treatment id.

    ``root`` defaults to the shipped ``resources/consent``. Raises
    :class:`ConsentTemplateError` naming the file and key of the first problem.
    """
    directory = root if root is not None else resources.path("consent")
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ConsentTemplateError(str(directory), "", "no consent templates (*.yaml) found")
    templates: dict[str, ConsentTemplate] = {}
    ids: dict[str, str] = {}
    for file in files:
        template = load_template(file)
        if template.id in ids:
            raise ConsentTemplateError(
                file.name, "id", f"{template.id!r} is also the id of {ids[template.id]}"
            )
        ids[template.id] = file.name
        templates[template.treatment] = template
    return templates


def load_template(file: Path) -> ConsentTemplate:
    """Load and validate one template file (named ``<treatment_id>.yaml``), with its
    translations (``translations/<lang>/<file name>`` beside it; a malformed one is
    logged and ignored)."""
    name = file.name
    try:
        raw = yaml.load(file.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except OSError as exc:
        raise ConsentTemplateError(name, "", f"cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConsentTemplateError(name, "", f"is not valid YAML: {exc}") from exc
    template = template_from_data(raw, name=name, expected_treatment=file.stem)
    return _with_translations(file, template)


def template_from_data(
    raw: Any, *, name: str = "<data>", expected_treatment: str | None = None
) -> ConsentTemplate:
    """Validate already-parsed template data and build the template.

    ``name`` is used in error messages; ``expected_treatment`` (the file's stem) must
    equal the template's ``treatment`` when given.
    """
    error = best_match(_validator().iter_errors(raw))
    if error is not None:
        raise ConsentTemplateError(name, _key_of(error, raw), error.message)

    sections = tuple(_section(s) for s in raw["sections"])
    template = ConsentTemplate(
        id=raw["id"],
        treatment=raw["treatment"],
        edition=raw["edition"],
        title=raw["title"].strip(),
        sections=sections,
        course=CourseLimit(**raw["course"]) if "course" in raw else None,
    )
    _check_semantics(template, name, expected_treatment)
    return template


def _section(raw: Mapping[str, Any]) -> TemplateSection:
    by_j = raw.get("text_by_jurisdiction")
    by_source = raw.get("text_by_product_source")
    return TemplateSection(
        id=raw["id"],
        heading=raw["heading"].strip(),
        kind=SectionKind(raw["kind"]),
        text=_clean(raw.get("text")),
        text_by_jurisdiction=(
            None
            if by_j is None
            # Keep JURISDICTIONS order so the canonical form does not depend on the file.
            else MappingProxyType({j: _text(by_j[j]) for j in JURISDICTIONS})
        ),
        text_if_none=_clean(raw.get("text_if_none")),
        override_intro=_clean(raw.get("override_intro")),
        text_by_product_source=(
            None
            if by_source is None
            # PRODUCT_SOURCES order, for the same reason.
            else MappingProxyType(
                {p: _text(by_source[p]) for p in PRODUCT_SOURCES if p in by_source}
            )
        ),
    )


def _check_semantics(template: ConsentTemplate, name: str, expected: str | None) -> None:
    if expected is not None and template.treatment != expected:
        raise ConsentTemplateError(
            name,
            "treatment",
            f"is {template.treatment!r} but the file is named for {expected!r}",
        )
    seen: set[str] = set()
    for index, s in enumerate(template.sections):
        key = f"sections[{index}] ({s.id})"
        if s.id in seen:
            raise ConsentTemplateError(name, f"{key}.id", "appears more than once")
        seen.add(s.id)
        if s.kind is SectionKind.CHOICE and s.id not in CHOICE_SECTIONS:
            raise ConsentTemplateError(
                name, f"{key}.kind", f"a choice section must be one of {list(CHOICE_SECTIONS)}"
            )
        if s.id in PER_JURISDICTION_SECTIONS and s.text_by_jurisdiction is None:
            raise ConsentTemplateError(
                name, f"{key}.text_by_jurisdiction", "must be written out per jurisdiction"
            )
    for section_id, kind in REQUIRED_SECTIONS.items():
        try:
            found = template.section(section_id)
        except KeyError:
            raise ConsentTemplateError(
                name, "sections", f"the required section {section_id!r} is missing"
            ) from None
        if found.kind != kind:
            index = template.sections.index(found)
            raise ConsentTemplateError(
                name, f"sections[{index}] ({section_id}).kind", f"must be {kind!r}"
            )
    risk_sections = [s for s in template.sections if s.kind is SectionKind.PATIENT_SPECIFIC_RISKS]
    if len(risk_sections) != 1:
        raise ConsentTemplateError(
            name, "sections", "exactly one patient_specific_risks section is needed"
        )


def _key_of(error: ValidationError, raw: Any) -> str:
    """A readable key path such as ``sections[1] (risks).text``, naming the section id."""
    key = ""
    node: Any = raw
    for element in error.absolute_path:
        if isinstance(element, int):
            key += f"[{element}]"
            node = node[element] if isinstance(node, list) and element < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                key += f" ({node['id']})"
        else:
            key += f".{element}" if key else str(element)
            node = node.get(element) if isinstance(node, dict) else None
    return key or "(top level)"


def _check_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}; expected one of {JURISDICTIONS}")
    return jurisdiction


def _check_product_source(product_source: str) -> str:
    if product_source not in PRODUCT_SOURCES:
        raise ValueError(
            f"unknown product source {product_source!r}; expected one of {PRODUCT_SOURCES}"
        )
    return product_source


def _text(value: str) -> str:
    # Folded YAML may carry a trailing newline; it is not part of what the patient reads.
    return value.strip()


def _clean(value: str | None) -> str | None:
    return None if value is None else _text(value)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.path("consent", "schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects duplicate keys.

    PyYAML silently keeps the last of two equal keys; in a consent text that would drop a
    paragraph without anyone noticing.
    """


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        keys.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
