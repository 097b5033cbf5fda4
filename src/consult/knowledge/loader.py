"""Load the clinical knowledge base from ``resources/knowledge`` and check it.

Each file is read as YAML (1.2 style: only ``true``/``false`` are booleans, dates stay
text, duplicate keys are refused), validated against its JSON Schema, then checked for
meaning: every question, value, treatment, route and source a rule names must exist, ids
must be unique, a question may only depend on questions before it. Any problem raises
:class:`KnowledgeError` naming the file, the key path and what is wrong.

The rule-set version is the SHA-256 of the canonical JSON of every loaded data file
(shipped and clinic policy), keyed by its name, so the same rules give the same version
on every workstation and any change gives a new one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from consult import __version__, resources
from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.domain.knowledge_model import (
    Choice,
    Document,
    KnowledgeBase,
    Question,
    Route,
    Rule,
    Section,
    Treatment,
    TreatmentGroup,
)
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.policy import apply_policies
from consult.knowledge.rules import Catalog, build_rule, check_condition, parse_checked
from consult.knowledge.translations import (
    cache_key,
    knowledge_source_texts,
    language_folders,
    load_knowledge_language,
    translation_files,
)
from consult.knowledge.yaml_files import MAX_NESTING, read_yaml

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from referencing import Registry, Resource

__all__ = ["MAX_NESTING", "KnowledgeError", "load_knowledge", "read_yaml"]

_log = logging.getLogger(__name__)

_SCHEMA_BASE = "https://consult.app/schema/knowledge/"


# --- schemas ---------------------------------------------------------------------------


def _format_path(parts: Iterable[object]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class _Schemas:
    registry: Registry[Any]  # JSON Schema is imported only when a file must be validated

    def validate(self, name: str, data: object, file: str) -> None:
        schema = self.registry.contents(_SCHEMA_BASE + name)
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import best_match

        validator = Draft202012Validator(schema, registry=self.registry)
        error: ValidationError | None = best_match(validator.iter_errors(data))
        if error is not None:
            message = error.message
            if len(message) > 240:
                message = message[:237] + "..."
            raise KnowledgeError(file, _format_path(error.absolute_path), message)


def _schemas() -> _Schemas:
    folder = resources.path("knowledge", "schema")
    from referencing import Registry, Resource

    found: list[tuple[str, Resource[Any]]] = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        found.append((_SCHEMA_BASE + path.name, Resource.from_contents(contents)))
    return _Schemas(Registry().with_resources(found))


# --- building the model ----------------------------------------------------------------


def _unique(items: Sequence[Mapping[str, Any]], file: str, path: str, what: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            raise KnowledgeError(file, f"{path}[{index}].id", f"duplicate {what} id {item['id']!r}")
        seen.add(item["id"])


def _choices(items: Sequence[Mapping[str, Any]], file: str, path: str) -> dict[str, Choice]:
    _unique(items, file, path, "value")
    return {
        item["id"]: Choice(
            item["id"], item["label"], item.get("group"), item.get("information_only", "")
        )
        for item in items
    }


def _questionnaire(doc: Mapping[str, Any], file: str) -> Catalog:
    context = doc["context"]
    catalog = Catalog(
        sexes=_choices(context["sexes"], file, "context.sexes"),
        jurisdictions=_choices(context["jurisdictions"], file, "context.jurisdictions"),
        qualifications=_choices(context["qualifications"], file, "context.qualifications"),
        sections={},
        questions={},
        routes={},
        sources={},
        groups={},
        treatments={},
        question_ids=tuple(item["id"] for item in doc["questions"]),
    )
    _unique(doc["sections"], file, "sections", "section")
    for item in doc["sections"]:
        catalog.sections[item["id"]] = Section(item["id"], item["title"], item.get("help", ""))
    _unique(doc["questions"], file, "questions", "question")
    for index, item in enumerate(doc["questions"]):
        path = f"questions[{index}]"
        if item["section"] not in catalog.sections:
            raise KnowledgeError(file, f"{path}.section", f"unknown section {item['section']!r}")
        if "values" in item and item["type"] not in ("multi", "one"):
            raise KnowledgeError(
                file, f"{path}.values", f"a {item['type']} question has no list of values"
            )
        values = _choices(item.get("values", []), file, f"{path}.values")
        asked_when = None
        if "asked_when" in item:
            # Checked before the question is added, so it cannot depend on itself.
            check_condition(item["asked_when"], f"{path}.asked_when", file, catalog, True)
            asked_when = parse_checked(item["asked_when"], f"{path}.asked_when", file)
        catalog.questions[item["id"]] = Question(
            id=item["id"],
            type=item["type"],
            label=item["label"],
            section=item["section"],
            values=tuple(values.values()),
            help=item.get("help", ""),
            asked_when=asked_when,
            asked_for=frozenset(item.get("asked_for", [])),
            information_only=item.get("information_only", ""),
        )
    return catalog


def _check_asked_for(doc: Mapping[str, Any], file: str, catalog: Catalog) -> None:
    # Run once the treatments are known. A follow-up question must not be asked for a
    # treatment its parent is not asked for: it could never be shown for it.
    for index, item in enumerate(doc["questions"]):
        question = catalog.questions[item["id"]]
        for position, treatment in enumerate(item.get("asked_for", [])):
            if treatment not in catalog.treatments:
                raise KnowledgeError(
                    file,
                    f"questions[{index}].asked_for[{position}]",
                    f"unknown treatment {treatment!r}",
                )
        if question.asked_when is None:
            continue
        for parent_id in sorted(question.asked_when.questions()):
            parent = catalog.questions[parent_id]
            if parent.asked_for and not question.asked_for <= parent.asked_for:
                raise KnowledgeError(
                    file,
                    f"questions[{index}].asked_for",
                    f"must be within the treatments {parent_id!r} is asked for: "
                    + ", ".join(sorted(parent.asked_for)),
                )


def _documents(doc: Mapping[str, Any], file: str, catalog: Catalog) -> None:
    _unique(doc["documents"], file, "documents", "document")
    for item in doc["documents"]:
        catalog.documents[item["id"]] = Document(item["id"], item["title"], item.get("author", ""))


def _check_coverage(rules: Iterable[Rule], catalog: Catalog, file: str) -> None:
    """Every question is read by a rule, or says why not; never both."""
    read: set[str] = set()
    for rule in rules:
        read |= rule.condition.questions()
    for index, qid in enumerate(catalog.question_ids):
        question = catalog.questions[qid]
        if question.information_only and qid in read:
            raise KnowledgeError(
                file,
                f"questions[{index}].information_only",
                f"{qid!r} is read by a rule, so it is not information only",
            )
        if not question.information_only and qid not in read:
            raise KnowledgeError(
                file,
                f"questions[{index}]",
                f"no rule reads {qid!r}: add a rule, or say why with information_only",
            )


def _treatments(doc: Mapping[str, Any], file: str, catalog: Catalog) -> None:
    _unique(doc["routes"], file, "routes", "route")
    for item in doc["routes"]:
        catalog.routes[item["id"]] = Route(item["id"], item["label"], item["invasive"])
    catalog.sources = _choices(doc["product_sources"], file, "product_sources")
    _unique(doc["treatments"], file, "treatments", "treatment")
    for index, item in enumerate(doc["treatments"]):
        for key, known in (("routes", catalog.routes), ("product_sources", catalog.sources)):
            for position, value in enumerate(item.get(key, [])):
                if value not in known:
                    raise KnowledgeError(
                        file,
                        f"treatments[{index}].{key}[{position}]",
                        f"unknown {key[:-1]} {value!r}",
                    )
        catalog.treatments[item["id"]] = Treatment(
            id=item["id"],
            name=item["name"],
            routes=tuple(item["routes"]),
            product_sources=tuple(item.get("product_sources", [])),
            notes=item.get("notes", ""),
        )
    _unique(doc["groups"], file, "groups", "group")
    for index, item in enumerate(doc["groups"]):
        for position, member in enumerate(item["treatments"]):
            if member not in catalog.treatments:
                raise KnowledgeError(
                    file, f"groups[{index}].treatments[{position}]", f"unknown treatment {member!r}"
                )
        catalog.groups[item["id"]] = TreatmentGroup(
            item["id"], item["label"], tuple(item["treatments"])
        )
    for treatment_id, treatment in list(catalog.treatments.items()):
        groups = tuple(g.id for g in catalog.groups.values() if treatment_id in g.treatments)
        catalog.treatments[treatment_id] = Treatment(
            treatment.id,
            treatment.name,
            treatment.routes,
            treatment.product_sources,
            groups,
            treatment.notes,
        )


def _sources(root: Path, policy_dir: Path | None) -> list[tuple[str, Path]]:
    # Every file that goes into the knowledge base, by the key it is hashed under.
    found = [
        (f"knowledge/{name}", root / name)
        for name in ("knowledge.yaml", "questionnaire.yaml", "treatments.yaml")
    ]
    found += [(f"knowledge/rules/{p.name}", p) for p in sorted((root / "rules").glob("*.yaml"))]
    if policy_dir is not None and policy_dir.is_dir():
        found += [(f"policy/{p.name}", p) for p in sorted(policy_dir.glob("*.yaml"))]
    return found


def _cache_file(root: Path, policy_dir: Path | None, cache_dir: Path) -> Path | None:
    """Where the validated data of exactly these files (and this program) is cached."""
    digest = hashlib.sha256(f"consult {__version__}\n".encode())
    try:
        for schema in sorted(resources.path("knowledge", "schema").glob("*.json")):
            digest.update(schema.name.encode() + b"\0" + schema.read_bytes())
        for key, path in _sources(root, policy_dir):
            digest.update(key.encode() + b"\0" + path.read_bytes() + b"\0")
        for language in language_folders(root):
            for relative, path in translation_files(root, language):
                key = cache_key(language, relative)
                digest.update(key.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None  # the normal load names the file that cannot be read
    return cache_dir / f"knowledge-{digest.hexdigest()}.json"


def _read_cache(path: Path | None) -> dict[str, object]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path, hashed: Mapping[str, object]) -> None:
    # Atomically, and only ever a cache: a failure to write it changes nothing.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("knowledge-*.json"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(".partial")
        temporary.write_text(json.dumps(hashed, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return


def load_knowledge(
    root: Path | None = None, policy_dir: Path | None = None, cache_dir: Path | None = None
) -> KnowledgeBase:
    """Load, validate and check the knowledge base, and apply the clinic's policy files.

    ``root`` defaults to the shipped ``resources/knowledge``; ``policy_dir`` holds the
    clinic's ``*.yaml`` policy files (none when None or missing). Raises KnowledgeError.

    With ``cache_dir``, the files' parsed and schema-checked data is kept there as JSON,
    keyed by the SHA-256 of every source file, schema and the program version: a start
    with unchanged files skips YAML parsing and JSON Schema validation. The checks of
    meaning (references, coverage, policy rules) run on every load, and the rule-set
    version is the hash of the same data either way.
    """
    root = resources.path("knowledge") if root is None else root
    cache_file = None if cache_dir is None else _cache_file(root, policy_dir, cache_dir)
    cached = _read_cache(cache_file)
    schemas: _Schemas | None = None
    hashed: dict[str, object] = {}

    def validated(key: str, path: Path, schema: str) -> Any:
        nonlocal schemas
        if key in cached:
            data = cached[key]
        else:
            data = read_yaml(path)
            schemas = schemas or _schemas()
            schemas.validate(schema, data, str(path))
        hashed[key] = data
        return data

    def load(relative: str, schema: str) -> Any:
        return validated(f"knowledge/{relative}", root / relative, schema)

    about = load("knowledge.yaml", "knowledge.schema.json")
    questionnaire_file = str(root / "questionnaire.yaml")
    questionnaire = load("questionnaire.yaml", "questionnaire.schema.json")
    catalog = _questionnaire(questionnaire, questionnaire_file)
    _documents(about, str(root / "knowledge.yaml"), catalog)
    _treatments(
        load("treatments.yaml", "treatments.schema.json"), str(root / "treatments.yaml"), catalog
    )
    _check_asked_for(questionnaire, questionnaire_file, catalog)
    rule_files = sorted((root / "rules").glob("*.yaml"))
    if not rule_files:
        raise KnowledgeError(str(root / "rules"), "", "no rule files (*.yaml)")
    rules: dict[str, Rule] = {}
    groups: dict[str, str] = {}
    for path in rule_files:
        relative = f"rules/{path.name}"
        doc = load(relative, "rules.schema.json")
        file = str(path)
        if doc["group"] in groups:
            raise KnowledgeError(
                file, "group", f"group {doc['group']!r} is also in {groups[doc['group']]}"
            )
        groups[doc["group"]] = file
        for index, item in enumerate(doc["rules"]):
            rule = build_rule(
                item,
                f"rules[{index}]",
                file,
                catalog,
                doc["group"],
                doc["reference"],
                rules,
                "shipped",
            )
            rules[rule.id] = rule
    _check_coverage(rules.values(), catalog, questionnaire_file)
    if policy_dir is not None and policy_dir.is_dir():
        for path in sorted(policy_dir.glob("*.yaml")):
            data = validated(f"policy/{path.name}", path, "policy.schema.json")
            rules = apply_policies(rules, cast(Mapping[str, Any], data), path, catalog)
    # The rule-set version hashes the clinical files only: a translation changes no rule.
    version = sha256_hex(canonical_bytes(hashed))
    translations, translated = _translations(root, hashed, cached)
    if cache_file is not None and set(cached) != set(hashed) | set(translated):
        _write_cache(cache_file, {**hashed, **translated})
    return KnowledgeBase(
        version=version,
        sections=tuple(catalog.sections.values()),
        questions=tuple(catalog.questions.values()),
        routes=tuple(catalog.routes.values()),
        product_sources=tuple(catalog.sources.values()),
        groups=tuple(catalog.groups.values()),
        treatments=tuple(catalog.treatments.values()),
        rules=tuple(rules.values()),
        jurisdictions=tuple(catalog.jurisdictions.values()),
        qualifications=tuple(catalog.qualifications.values()),
        sexes=tuple(catalog.sexes.values()),
        documents=tuple(catalog.documents.values()),
        edition=int(about["edition"]),
        answers=tuple(
            _choices(
                questionnaire["context"].get("answers", []), questionnaire_file, "context.answers"
            ).values()
        ),
        translations=translations,
    )


def _translations(
    root: Path, hashed: Mapping[str, object], cached: Mapping[str, object]
) -> tuple[Mapping[str, Mapping[str, str]], dict[str, object]]:
    """The usable translations by language, and the translation files' data to cache.

    A malformed translation file or an orphan key is logged and left out, never raised:
    a translator's slip must not stop a clinic (``consult knowledge check`` reports it).
    """
    prefix = "knowledge/"
    sources = {
        key[len(prefix) :]: knowledge_source_texts(key[len(prefix) :], data)
        for key, data in hashed.items()
        if key.startswith(prefix)
    }
    by_language: dict[str, Mapping[str, str]] = {}
    data: dict[str, object] = {}
    for language in language_folders(root):
        loaded = load_knowledge_language(root, language, sources, cached)
        for problem in loaded.problems:
            _log.warning("translation ignored: %s", problem)
        by_language[language] = MappingProxyType(loaded.fresh)
        data.update(loaded.data)
    return MappingProxyType(by_language), data
