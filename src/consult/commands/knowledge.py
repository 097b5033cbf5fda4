"""``consult knowledge check|report``: check the knowledge base, or report it for sign-off.

``consult knowledge check [DIR]`` loads and validates the knowledge base (default: the
shipped one) and the clinic's policy files and prints a summary, or the first error and
exit 2. ``consult knowledge report`` prints the report a clinical lead reviews and signs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult.cli import EXIT_OK
from consult.commands.screening import _knowledge, _policy_dir, _policy_options

if TYPE_CHECKING:
    from consult.cli import Context


def _check(args: argparse.Namespace, ctx: Context) -> int:
    kb = _knowledge(Path(args.dir) if args.dir else None, _policy_dir(args, ctx))
    added = sum(1 for rule in kb.rules if rule.origin != "shipped")
    raised = sum(1 for rule in kb.rules if rule.policy_note)
    print(
        f"Knowledge base OK: {len(kb.questions)} questions, {len(kb.treatments)} treatments, "
        f"{len(kb.rules)} rules ({added} added and {raised} raised by clinic policy); "
        f"rule set version {kb.version}"
    )
    return EXIT_OK


def _report(args: argparse.Namespace, ctx: Context) -> int:
    from consult.knowledge.report import render_report

    kb = _knowledge(None, _policy_dir(args, ctx))
    sys.stdout.write(render_report(kb, args.format))
    if args.format == "md":
        sys.stdout.write("\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``knowledge check`` and ``knowledge report`` to the ``consult`` command line."""
    knowledge = sub.add_parser(
        "knowledge",
        help="check or report the clinical knowledge base",
        description="Check the clinical knowledge base and the clinic's policy files, or "
        "report every rule.",
    )
    actions = knowledge.add_subparsers(
        dest="knowledge_command", metavar="COMMAND", required=True, parser_class=type(knowledge)
    )
    check = actions.add_parser(
        "check",
        help="validate the knowledge base and the policy files",
        description="Load and validate the knowledge base (default: the shipped one) and "
        "the clinic's policy files; print a summary, or the first error and exit 2.",
    )
    check.add_argument("dir", metavar="DIR", nargs="?", help="a knowledge directory to check")
    _policy_options(check)
    check.set_defaults(func=_check)
    report = actions.add_parser(
        "report",
        help="every rule by treatment, with its condition in words and its source",
        description="Print every rule by treatment: severity, condition in words, source.",
    )
    report.add_argument(
        "--format", choices=("md", "html"), default="md", help="output (default: md)"
    )
    _policy_options(report)
    report.set_defaults(func=_report)
