"""The interface's translations, through Qt's own workflow (lupdate, Qt Linguist, lrelease).

    uv run python tools/translations.py update           extract the strings into the .ts files
    uv run python tools/translations.py build [--out D]  compile the .qm files the app loads
    uv run python tools/translations.py check            fail if a .ts is stale or unfinished
    uv run python tools/translations.py data LANG        add LANG's untranslated knowledge
                                                         and consent texts as placeholders

``update`` runs lupdate over the sources (every ``tr()``, ``QCoreApplication.translate()``
and ``QT_TRANSLATE_NOOP()``) into ``resources/translations/consult_<lang>.ts``, keeping
the translations already made and dropping the strings the code no longer has. The
translator then finishes each new entry (Qt Linguist, or any editor). English is the
language the strings are written in: it has no .ts file.

``build`` compiles each .ts with lrelease and copies Qt's own translations (standard
buttons and dialogs: ``qtbase_<lang>.qm``) beside them, for every language offered. The
.qm files are built, not committed: CI builds them before the tests, and
``packaging/build.py`` before the bundle, which ships ``consult/resources/translations``.

``check`` extracts again into a scratch copy and fails (exit 1, naming what is wrong) when
the committed .ts misses a string of the sources or keeps one they dropped, when an entry
is unfinished or empty, or when a translation loses a ``%1``/``%n`` placeholder or its
mnemonic (``&``). tests/test_translations.py runs it.

``data`` is the other half: the knowledge base and the consent templates are translated
as data (resources/knowledge/translations/<lang>/, resources/consent/translations/<lang>/;
docs/translations.md). It adds every text LANG lacks to LANG's files as ``LANG: null``
(counted as missing until translated), keeps stale and orphan entries as they are, and
lists them; see :mod:`consult.knowledge.translation_skeleton`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import QLibraryInfo

from consult.knowledge.translation_skeleton import update_language

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "consult"
"""Where the interface's strings are: lupdate reads every Python module under it (the
migrations have none)."""
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("ja",)
"""The interface's languages besides English, each with a complete consult_<lang>.ts."""
SOURCE_LANGUAGE = "en"
"""The language the strings are written in."""
QT_CATALOGS = ("qtbase",)
"""Qt's own catalogs shipped for each language (the widgets Consult uses are in qtbase)."""

_PLACEHOLDER = re.compile(r"%(?:\d+|n)")
_MNEMONIC = re.compile(r"&(?!&)(?![#\w]+;)(?=\w)")  # "&File", not "&&" nor "&amp;"


def ts_file(language: str) -> Path:
    """The .ts file of ``language``."""
    return TRANSLATIONS / f"consult_{language}.ts"


def _tool(name: str) -> str:
    """Qt's ``lupdate`` or ``lrelease``, as PySide6 ships it."""
    scripts = Path(sys.executable).parent
    package = Path(PySide6.__file__).parent
    for candidate in (
        scripts / f"pyside6-{name}",
        scripts / f"pyside6-{name}.exe",
        package / name,
        package / f"{name}.exe",
        package / "Qt" / "libexec" / name,
    ):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"translations: Qt's {name} was not found beside {sys.executable}")
    return found


def source_files() -> list[Path]:
    """Every module lupdate reads, in a stable order."""
    return sorted(
        path
        for path in SOURCES.rglob("*.py")
        if "migrations" not in path.relative_to(SOURCES).parts
    )


def lupdate(ts: Path, language: str) -> None:
    """Extract the strings into ``ts`` (created or merged), without source locations:
    the file changes only when the strings do, not whenever a line moves."""
    command = [
        _tool("lupdate"),
        "-silent",
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        SOURCE_LANGUAGE,
        "-target-language",
        language,
        *(str(path) for path in source_files()),
        "-ts",
        str(ts),
    ]
    subprocess.run(command, check=True, cwd=ROOT)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm``."""
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT)


# --- reading a .ts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One message of a .ts file."""

    context: str
    source: str
    comment: str
    numerus: bool
    translations: tuple[str, ...]
    unfinished: bool

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the message (the string the code asks for)."""
        return (self.context, self.source, self.comment)

    def where(self) -> str:
        """The message as a problem report names it."""
        return f"[{self.context}] {self.source!r}"


def entries(ts: Path) -> Iterator[Entry]:
    """The messages of ``ts``."""
    root = ET.parse(ts).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{ts}: a message without <translation>"
            forms = [form.text or "" for form in translation.iter("numerusform")]
            yield Entry(
                context=name,
                source=message.findtext("source") or "",
                comment=message.findtext("comment") or "",
                numerus=message.get("numerus") == "yes",
                translations=tuple(forms) if forms else (translation.text or "",),
                unfinished=translation.get("type") in ("unfinished", "vanished", "obsolete"),
            )


def problems(ts: Path, language: str) -> list[str]:
    """What is wrong with ``ts`` as committed: stale against the sources, or unfinished."""
    found: list[str] = []
    if not ts.is_file():
        return [f"{ts.relative_to(ROOT)} is missing: run `tools/translations.py update`"]
    committed = {entry.key: entry for entry in entries(ts)}
    with tempfile.TemporaryDirectory() as scratch:
        fresh_ts = Path(scratch) / ts.name
        shutil.copyfile(ts, fresh_ts)
        lupdate(fresh_ts, language)
        fresh = {entry.key for entry in entries(fresh_ts)}
    name = ts.relative_to(ROOT)
    for key in sorted(fresh - committed.keys()):
        found.append(f"{name}: not extracted yet (run update): [{key[0]}] {key[1]!r}")
    for key in sorted(committed.keys() - fresh):
        found.append(f"{name}: no longer in the sources (run update): [{key[0]}] {key[1]!r}")
    for entry in committed.values():
        found.extend(f"{name}: {entry.where()}: {problem}" for problem in entry_problems(entry))
    return found


def entry_problems(entry: Entry) -> list[str]:
    """What is wrong with one translation."""
    if entry.unfinished:
        return ["unfinished"]
    found = []
    wanted_placeholders = sorted(set(_PLACEHOLDER.findall(entry.source)))
    wanted_mnemonics = len(_MNEMONIC.findall(entry.source))
    for text in entry.translations:
        if not text.strip():
            found.append("empty translation")
            continue
        have = sorted(set(_PLACEHOLDER.findall(text)))
        if have != wanted_placeholders:
            found.append(f"placeholders {have} instead of {wanted_placeholders}: {text!r}")
        if len(_MNEMONIC.findall(text)) != wanted_mnemonics:
            found.append(f"{wanted_mnemonics} mnemonic(s) (&) expected: {text!r}")
    return found


# --- the commands ---------------------------------------------------------------------------


def update() -> int:
    """Extract the strings into every .ts file."""
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = ts_file(language)
        lupdate(ts, language)
        unfinished = sum(1 for entry in entries(ts) if entry.unfinished)
        print(f"{ts.relative_to(ROOT)}: {unfinished} to translate")
    return 0


def qt_translations() -> Path:
    """Where this Qt installation keeps its own .qm files."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def build(out: Path) -> int:
    """Compile every .ts into ``out``, and copy Qt's own catalogs of each language there."""
    out.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        lrelease(ts_file(language), out / f"consult_{language}.qm")
        for catalog in QT_CATALOGS:
            qt_file = qt_translations() / f"{catalog}_{language}.qm"
            if not qt_file.is_file():
                print(f"translations: {qt_file} is missing", file=sys.stderr)
                return 1
            shutil.copyfile(qt_file, out / qt_file.name)
    print(f"translations built in {out}")
    return 0


def check() -> int:
    """Exit 1, listing the problems, when a .ts is stale or unfinished."""
    found = [problem for language in LANGUAGES for problem in problems(ts_file(language), language)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(f"translations: {len(found)} problem(s)", file=sys.stderr)
        return 1
    print("translations: every string is extracted and translated")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="extract the strings into the .ts files")
    build_command = commands.add_parser("build", help="compile the .qm files")
    build_command.add_argument(
        "--out", type=Path, default=TRANSLATIONS, help="default: resources/translations/"
    )
    commands.add_parser("check", help="fail if a .ts file is stale or unfinished")
    data_command = commands.add_parser(
        "data", help="add LANG's untranslated knowledge and consent texts as placeholders"
    )
    data_command.add_argument("language", metavar="LANG", help="the language code, e.g. ja")
    data_command.add_argument(
        "--knowledge", type=Path, help="the knowledge folder (default: resources/knowledge)"
    )
    data_command.add_argument(
        "--consent", type=Path, help="the consent templates (default: resources/consent)"
    )
    args = parser.parse_args(argv)
    if args.command == "update":
        return update()
    if args.command == "build":
        return build(args.out.resolve())
    if args.command == "data":
        return data(args.language, args.knowledge, args.consent)
    return check()


def data(language: str, knowledge: Path | None, consent: Path | None) -> int:
    """Write the placeholders of ``language``'s data translations and list what is left.

    Exit 1 when a file could not be updated (malformed) or an orphan entry needs a
    person's decision; missing and stale translations are the translator's to-do list.
    """
    try:
        updates = update_language(language, knowledge, consent)
    except ValueError as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 2
    failed = False
    placeholders = 0
    for update in updates:
        shown = _shown(update.path)
        if update.error:
            failed = True
            print(f"error: {update.error}", file=sys.stderr)
            continue
        if update.written:
            print(f"{shown}: {len(update.added)} new entries to translate (written as null)")
        for key in update.stale:
            print(f"{shown}: {key}: stale (the English changed; update en and the translation)")
        for key in update.orphans:
            failed = True
            print(f"error: {shown}: {key}: names nothing in the source", file=sys.stderr)
        placeholders += update.placeholders
    stale = sum(len(update.stale) for update in updates)
    print(f"translations ({language}): {placeholders} to translate, {stale} stale")
    return 1 if failed else 0


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


if __name__ == "__main__":
    sys.exit(main())
