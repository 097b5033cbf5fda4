"""Reading the knowledge base's YAML files strictly: YAML 1.2 booleans, no duplicate keys.

Shared by the knowledge loader, the translation loader and the knowledge report, so every
file under ``resources/knowledge`` is read by the same rules and fails the same way (a
:class:`KnowledgeError` naming the file and the position).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml

from consult.knowledge.errors import KnowledgeError

__all__ = ["MAX_NESTING", "read_yaml"]


# libyaml's C parser reads the knowledge base several times faster than the pure-Python
# one (the constructor, and so the checks below, are the same Python code either way).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader without YAML 1.1's surprises: ``no`` is text, so is ``2026-01-01``."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|false)$"), list("tf"))


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # PyYAML keeps the last of two equal keys; a rule silently losing its condition that
    # way is exactly the quiet error this loader exists to prevent.
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {line})", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_pairs(node))


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


MAX_NESTING = 64
"""Mappings and lists nested deeper than this are refused (libyaml's loader recurses, and
a file nested tens of thousands of levels deep would end the process)."""


def _check_nesting(text: str, name: str) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_StrictLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
                    raise KnowledgeError(name, where, f"nested more than {MAX_NESTING} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the load below reports the syntax error with its position


def read_yaml(path: Path) -> object:
    """Read one YAML data file; KnowledgeError if it is missing, empty or malformed."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(name, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(name, "", f"cannot be read: {exc}") from None
    _check_nesting(text, name)
    try:
        # A SafeLoader subclass: it constructs plain data only.
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise KnowledgeError(name, where, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML parse error is marked
        raise KnowledgeError(name, "", f"not valid YAML: {exc}") from None
    if data is None:
        raise KnowledgeError(name, "", "the file is empty")
    return cast(object, data)
