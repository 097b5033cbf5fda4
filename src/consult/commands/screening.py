"""``consult screen``: the headless screening command.

``consult screen FILE`` reads an intake in the exchange format (``-`` reads stdin; a
UTF-8 byte-order mark is accepted; duplicate keys, nesting deeper than 64 levels and
files over 1 MiB are refused), screens it against the shipped rules and the clinic's
policy files, and prints the result as JSON (or ``--format text``). Bad input exits 2
with one line naming the field.

The knowledge loader, YAML and the screening engine are imported inside the functions
that use them, for start-up speed only: ``consult screen --help`` (and every other
command's, which builds this module's parser too) loads none of them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands.base import EXIT_OK, UsageError, show

if TYPE_CHECKING:
    from consult.commands.base import Context
    from consult.domain.knowledge_model import KnowledgeBase
    from consult.domain.screening import ScreeningResult
    from consult.paths import Dirs


def _one_line(text: str) -> str:
    return " ".join(text.split())


def knowledge_cache(dirs: Dirs) -> Path:
    """Where the knowledge base's validated data is cached (the app uses the same folder,
    :func:`consult.ui.shell.knowledge.knowledge_cache`): under the home's data folder, as
    :mod:`consult.paths` has no cache folder."""
    return dirs.data / "cache" / "knowledge"


def load_knowledge_base(
    root: Path | None, policy: Path | None, cache_dir: Path | None = None
) -> KnowledgeBase:
    from consult.knowledge.errors import KnowledgeError
    from consult.knowledge.loader import load_knowledge

    _check_nesting(root, policy)
    try:
        return load_knowledge(root, policy, cache_dir=cache_dir)
    except KnowledgeError as exc:
        raise UsageError(_one_line(str(exc))) from None
    except RecursionError:
        raise UsageError("the knowledge base or a policy file is nested too deeply") from None


MAX_YAML_DEPTH = 64
"""Lists and mappings nested deeper than this, in a file given on the command line, are
refused before the file is loaded."""


def _check_nesting(root: Path | None, policy: Path | None) -> None:
    """Refuse a YAML file nested absurdly deep before the loader builds it.

    libyaml's C loader builds nested lists and mappings recursively: a file nested tens of
    thousands of levels deep (a few hundred kilobytes of ``[``) overflows the C stack and
    kills the process with no message. The event parser is not recursive, so the depth
    is measured with it first, in the files the user named (a knowledge directory, the
    policy files); the shipped knowledge base is not read twice.
    """
    files: list[Path] = []
    with contextlib.suppress(OSError):
        if root is not None and root.is_dir():
            files += [root / n for n in ("knowledge.yaml", "questionnaire.yaml", "treatments.yaml")]
            files += sorted((root / "rules").glob("*.yaml"))
        if policy is not None and policy.is_dir():
            files += sorted(policy.glob("*.yaml"))
    for path in files:
        line = _too_deep(path)
        if line is not None:
            raise UsageError(
                f"{show(str(path))}, line {line}: lists and mappings are nested more than "
                f"{MAX_YAML_DEPTH} levels deep"
            )


def _too_deep(path: Path) -> int | None:
    """The line where ``path`` first nests deeper than MAX_YAML_DEPTH, or None (also when
    it cannot be read or parsed: the loader reports that, naming the file)."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    depth = 0
    try:
        with path.open("rb") as file:
            for event in yaml.parse(file, Loader=loader):
                if isinstance(event, opening):
                    depth += 1
                    if depth > MAX_YAML_DEPTH:
                        mark = event.start_mark
                        return int(mark.line) + 1 if mark is not None else 1
                elif isinstance(event, closing):
                    depth -= 1
    except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None
    return None


def policy_dir(args: argparse.Namespace, ctx: Context) -> Path | None:
    if args.no_policy:
        return None
    return Path(args.policy) if args.policy else ctx.dirs.policy_dir


def _read_intake(name: str) -> object:
    from consult.domain.strict_json import MAX_BYTES, StrictJSONError, decode, loads

    label = "stdin" if name == "-" else name
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with Path(name).open("rb") as file:
                data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(_one_line(f"{label}: cannot be read: {exc.strerror or exc}")) from None
    try:
        text = decode(data)
        if not text.strip():
            raise UsageError(f"{label}: the file is empty (expected an intake as JSON)")
        return loads(text)
    except StrictJSONError as exc:
        raise UsageError(f"{label}: {exc}") from None


def format_text(result: ScreeningResult) -> str:
    """A screening result as a readable report."""
    lines = [f"Rule set {result.rule_set_version}"]
    for entry in result.results:
        lines.append("")
        lines.append(f"{entry.treatment} ({entry.route}): {entry.outcome.upper()}")
        if entry.clarify:
            lines.append(f"  to clarify: {', '.join(entry.clarify)}")
        for finding in entry.findings:
            lines.append(f"  [{finding.severity}] {finding.rule}: {finding.message}")
            lines.append(f"      patient risk: {finding.patient_risk}")
            lines.append(f"      source: {finding.source} ({finding.basis})")
        if entry.outcome == "clear":
            lines.append("  no findings")
    return "\n".join(lines)


def _screen(args: argparse.Namespace, ctx: Context) -> int:
    from consult.domain.errors import IntakeError
    from consult.domain.intake import parse_intake
    from consult.domain.screening import screen

    data = _read_intake(args.file)
    kb = load_knowledge_base(None, policy_dir(args, ctx), knowledge_cache(ctx.dirs))
    try:
        result = screen(parse_intake(data, kb), kb)
    except IntakeError as exc:
        raise UsageError(_one_line(str(exc))) from None
    if args.format == "text":
        print(format_text(result))
    else:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--policy",
        metavar="DIR",
        help="the clinic's policy files (default: the policy directory of the home)",
    )
    group.add_argument(
        "--no-policy", action="store_true", help="the shipped rules only, without clinic policy"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``screen`` to the ``consult`` command line."""
    screen = sub.add_parser(
        "screen",
        help="screen an intake file and print the result",
        description="Screen an intake (JSON in the intake exchange format, see "
        "docs/clinical-knowledge.md) against every planned treatment and print the result "
        "as JSON. Exit 2 on bad input.",
    )
    screen.add_argument("file", metavar="FILE", help="the intake JSON file, or - for stdin")
    screen.add_argument(
        "--format", choices=("json", "text"), default="json", help="output (default: json)"
    )
    add_policy_options(screen)
    screen.set_defaults(func=_screen)
