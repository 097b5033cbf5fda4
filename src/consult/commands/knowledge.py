"""``consult knowledge check|report``: check the knowledge base, or report it for sign-off.

``consult knowledge check [DIR]`` loads and validates the knowledge base (default: the
shipped one) and the clinic's policy files and prints a summary, or the first error and
exit 2. It then reports the translation coverage of every language (docs/translations.md):
translated, stale and missing texts per category; a malformed translation file or an
orphan key is an error (exit 1), a missing or stale translation is not, unless
``--require-complete LANG`` asks for that language to be complete.

``consult knowledge report`` prints the report a clinical lead reviews and signs
(``--format md|html``), or writes it to ``-o FILE`` (``--format pdf`` needs one); an
existing file is replaced only with ``--force``, and the file is written as every
command's output is (:mod:`consult.commands.output`): under a temporary name, renamed
when complete, readable by its owner only, never into Consult's own folders.

The report, its PDF and the translation coverage are imported in the handlers, for
start-up speed only: building this module's parsers (``consult knowledge --help``) needs
none of them.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands.base import EXIT_FAILED, EXIT_OK, UsageError, show
from consult.commands.screening import add_policy_options, load_knowledge_base, policy_dir

if TYPE_CHECKING:
    from consult.commands.base import Context
    from consult.knowledge.report import KnowledgeReport
    from consult.knowledge.translation_coverage import LanguageCoverage


def _check(args: argparse.Namespace, ctx: Context) -> int:
    root = Path(args.dir) if args.dir else None
    kb = load_knowledge_base(root, policy_dir(args, ctx))
    added = sum(1 for rule in kb.rules if rule.origin != "shipped")
    raised = sum(1 for rule in kb.rules if rule.policy_note)
    print(
        f"Knowledge base OK: {len(kb.questions)} questions, {len(kb.treatments)} treatments, "
        f"{len(kb.rules)} rules ({added} added and {raised} raised by clinic policy); "
        f"rule set version {kb.version}"
    )
    return _check_translations(root, Path(args.consent_dir) if args.consent_dir else None, args)


def _check_translations(
    knowledge: Path | None, consent: Path | None, args: argparse.Namespace
) -> int:
    from consult.knowledge.errors import KnowledgeError
    from consult.knowledge.translation_coverage import coverage, knowledge_sources
    from consult.knowledge.translations import offered_languages

    try:
        sources = knowledge_sources(knowledge) if knowledge else None
    except KnowledgeError as exc:  # pragma: no cover - the load above read the same files
        raise UsageError(str(exc)) from None
    required: list[str] = args.require_complete or []
    languages = sorted(set(offered_languages(knowledge, consent)[1:]) | set(required))
    failed = False
    problems: set[str] = set()  # a folder that is not a language is found for each one
    for language in languages:
        found = coverage(language, knowledge, consent, sources)
        _print_coverage(found)
        for problem in found.problems:
            if problem not in problems:
                problems.add(problem)
                print(f"error: {problem}", file=sys.stderr)
        if language in required and not found.complete:
            failed = True
            for entry in found.incomplete:
                print(f"incomplete ({language}): {entry}", file=sys.stderr)
            print(
                f"{language} is not complete: {len(found.incomplete)} texts missing or stale",
                file=sys.stderr,
            )
    if not languages:
        print("Translations: none (resources/*/translations/ has no language folder)")
    if problems:
        print(f"{len(problems)} translation errors", file=sys.stderr)
    return EXIT_FAILED if problems or failed else EXIT_OK


def _print_coverage(found: LanguageCoverage) -> None:
    print(f"Translations into {found.language} (translated / stale / missing of total):")
    for category, counts in found.counts.items():
        print(
            f"  {category:<13} {counts.translated:>5} / {counts.stale:>3} / {counts.missing:>4}"
            f" of {counts.total}"
        )


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
        "the clinic's policy files; print a summary, or the first error and exit 2. Then "
        "report the translation coverage of every language: exit 1 on a malformed "
        "translation file or an orphan key (missing or stale translations are reported, "
        "not failed, unless --require-complete names the language).",
    )
    check.add_argument("dir", metavar="DIR", nargs="?", help="a knowledge directory to check")
    check.add_argument(
        "--consent-dir",
        metavar="DIR",
        help="the consent templates whose translations are checked (default: the shipped)",
    )
    check.add_argument(
        "--require-complete",
        metavar="LANG",
        action="append",
        help="exit 1 unless every patient-facing text has a current LANG translation "
        "(rule messages excepted); may be given more than once",
    )
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
