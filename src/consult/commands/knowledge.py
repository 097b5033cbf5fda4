"""``consult knowledge check|report``: check the knowledge base, or report it for sign-off.

``consult knowledge check [DIR]`` loads and validates the knowledge base (default: the
shipped one) and the clinic's policy files and prints a summary, or the first error and
exit 2. ``consult knowledge report`` prints the report a clinical lead reviews and signs
(``--format md|html``), or writes it to ``-o FILE`` (``--format pdf`` needs one); an
existing file is replaced only with ``--force``, and the file is written as every
command's output is (:mod:`consult.commands.output`): under a temporary name, renamed
when complete, readable by its owner only, never into Consult's own folders.

The report and its PDF are imported in the handlers, for start-up speed only: building
this module's parsers (``consult knowledge --help``) needs neither.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands.base import EXIT_OK, UsageError, show
from consult.commands.screening import add_policy_options, load_knowledge_base, policy_dir

if TYPE_CHECKING:
    from consult.commands.base import Context
    from consult.knowledge.report import KnowledgeReport


def _check(args: argparse.Namespace, ctx: Context) -> int:
    kb = load_knowledge_base(Path(args.dir) if args.dir else None, policy_dir(args, ctx))
    added = sum(1 for rule in kb.rules if rule.origin != "shipped")
    raised = sum(1 for rule in kb.rules if rule.policy_note)
    print(
        f"Knowledge base OK: {len(kb.questions)} questions, {len(kb.treatments)} treatments, "
        f"{len(kb.rules)} rules ({added} added and {raised} raised by clinic policy); "
        f"rule set version {kb.version}"
    )
    return EXIT_OK


def _report(args: argparse.Namespace, ctx: Context) -> int:
    from consult.commands import output
    from consult.knowledge.report import build_report

    if args.format == "pdf" and args.output is None:
        raise UsageError("--format pdf needs -o FILE")
    if args.output is not None:
        output.check(ctx, args.output, force=args.force)  # refused before the work
    kb = load_knowledge_base(None, policy_dir(args, ctx))
    report = build_report(kb, date.today())
    if args.output is None:  # Markdown or HTML: a PDF without -o was refused above
        sys.stdout.write(_text(report, args.format))
        return EXIT_OK
    if args.format == "pdf":
        from consult.documents.knowledge_report_pdf import render_report_pdf

        data = render_report_pdf(report)
    else:
        data = _text(report, args.format).encode("utf-8")
    output.write_bytes(ctx, args.output, data, force=args.force)
    print(
        f"Knowledge report written to {show(args.output)} (rule set version {report.short_version})"
    )
    return EXIT_OK


def _text(report: KnowledgeReport, fmt: str) -> str:
    from consult.knowledge.report import render_html, render_markdown

    return render_html(report) if fmt == "html" else render_markdown(report) + "\n"


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
    add_policy_options(check)
    check.set_defaults(func=_check)
    report = actions.add_parser(
        "report",
        help="the report of the rules for the clinical lead to sign",
        description="The knowledge report a clinical lead reviews and signs: the changes "
        "since the previous edition, every rule by treatment (severity, condition in "
        "words, messages, source), the coverage of the questionnaire, the outcomes and "
        "route classes, and a sign-off block. Markdown and HTML go to standard output "
        "unless -o is given; a PDF needs -o FILE.",
    )
    report.add_argument(
        "--format",
        choices=("md", "html", "pdf"),
        default="md",
        help="output (default: md)",
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE (readable by you only) instead of standard output",
    )
    report.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (default: refuse)"
    )
    add_policy_options(report)
    report.set_defaults(func=_report)
