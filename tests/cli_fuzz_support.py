"""Malformed command lines for ``consult``, and running ``cli.main`` in process.

The arguments are drawn from the parser itself (:func:`consult.cli.build_parser`): every
subcommand, its options and their choices, with values that mix sensible ones with odd
strings, huge numbers, dates at the ends of the calendar and paths that are directories,
device nodes, missing folders, the home's own database and audit key.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from consult import cli, paths
from tests.screening_support import intake

ODD = [
    "",
    " ",
    "-",
    "--",
    "-1",
    "0",
    "x" * 300,
    "Zoë",
    "²",
    "١٢",
    "\udcff",
    "a\nb",
    "%s%n",
    "../../",
    "~",
]
NUMBERS = [
    "1",
    "-1",
    "0",
    str(2**63 - 1),
    str(2**63),
    str(2**70),
    "-" + str(2**63 + 1),
    "9" * 40,
    "1e309",
    "nan",
    "0x10",
    " 7 ",
    "٣",
]
DATES = [
    "2024-01-01",
    "2024-12-31",
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "2024-02-30",
    "20240101",
    "2024-W01-1",
    "٢٠٢٤-٠١-٠١",
    "2024-1-1",
]
GLOBAL_URLS = [
    "mysql://x/y",
    "not a url",
    "sqlite://",
    "sqlite:///:memory:",
    "postgresql+psycopg://nobody@127.0.0.1:9/none",
]


@dataclass(frozen=True)
class Leaf:
    """One runnable subcommand: its words and its parser."""

    words: tuple[str, ...]
    parser: argparse.ArgumentParser


def leaves(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[Leaf]:
    """Every subcommand at the end of the parser's tree."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield Leaf(words, parser)
        return
    for action in subs:
        for name, child in action.choices.items():
            yield from leaves(child, (*words, name))


@dataclass(frozen=True)
class Playground:
    """Files and folders the generated arguments point at, made once per test."""

    home: paths.Dirs
    root: Path

    @property
    def inputs(self) -> list[str]:
        r = self.root
        return [
            str(r / "intake.json"),
            str(r / "deep.json"),
            str(r / "bad.json"),
            str(r / "empty.json"),
            str(r / "huge.json"),
            str(r / "garbage.bin"),
            str(r / "missing.json"),
            str(r / "no-folder" / "x.json"),
            str(r),
            str(r / "policy-deep"),
            str(r / "policy-bad"),
            str(r / "link-to-dir"),
            str(self.home.database_file),
            str(self.home.backups),
            "/dev/null",
            "x" * 300,
        ]

    @property
    def outputs(self) -> list[str]:
        r, h = self.root, self.home
        return [
            str(r / "out" / "new.file"),
            str(r / "out" / "existing.txt"),
            str(r / "out"),
            str(r / "no-folder" / "x.csv"),
            str(r / "null-device"),
            str(r / "link-to-dir"),
            str(r / "link-to-db"),
            str(r / "out" / ".." / ".." / "home" / "data" / "consult.sqlite3"),
            str(h.database_file),
            str(h.config / "audit-chain.key"),
            str(h.data),
            str(h.backups / "x.csv"),
            str(r / "out" / ("x" * 300)),
            "-",
        ]

    def urls(self) -> list[str]:
        return [
            *GLOBAL_URLS,
            f"sqlite:///{self.home.database_file}",
            f"sqlite:///{self.root / 'out' / 'existing.txt'}",
            f"sqlite:///{self.root / 'no-folder' / 'db.sqlite3'}",
        ]

    def homes(self) -> list[str]:
        return ["/dev/null/home", str(self.root / "out" / "existing.txt"), "/proc/consult-home"]


def make_playground(root: Path, home: paths.Dirs) -> Playground:
    """Create the files the arguments point at."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "intake.json").write_text(json.dumps(intake("botulinum_toxin")), encoding="utf-8")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (root / "bad.json").write_text('{"a": 1, "a": 2', encoding="utf-8")
    (root / "empty.json").write_bytes(b"")
    (root / "huge.json").write_bytes(b" " * (2 * 1024 * 1024))
    (root / "garbage.bin").write_bytes(bytes(range(256)) * 4)
    for name, text in (("policy-deep", "a: " + "[" * 50_000 + "]" * 50_000), ("policy-bad", "{")):
        (root / name).mkdir(exist_ok=True)
        (root / name / "policy.yaml").write_text(text, encoding="utf-8")
    (root / "out").mkdir(exist_ok=True)
    (root / "out" / "existing.txt").write_text("keep me\n", encoding="utf-8")
    for link, target in (("link-to-dir", root / "out"), ("link-to-db", home.database_file)):
        with contextlib.suppress(FileExistsError):
            (root / link).symlink_to(target)
    null = root / "null-device"
    if not null.exists():
        if os.geteuid() == 0:
            # A private copy of /dev/null: a command that wrongly replaced it harms nothing.
            os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        else:  # pragma: no cover - the suite runs as root in CI containers
            os.mkfifo(null)
    return Playground(home=home, root=root)


def argv_for(draw: st.DrawFn, play: Playground, leaf: Leaf) -> list[str]:
    """A command line for one subcommand, with globals, options and positionals."""
    argv: list[str] = []
    glob = draw(st.sampled_from(["none", "none", "none", "home", "url", "version"]))
    if glob == "home":
        argv += ["--home", draw(st.sampled_from(play.homes()))]
    elif glob == "url":
        argv += ["--database-url", draw(st.sampled_from(play.urls()))]
    elif glob == "version":
        argv += [draw(st.sampled_from(["--version", "--help", "--bogus"]))]
    argv += list(leaf.words)
    if leaf.words == ("demo",):
        return [*argv, "--no-gui"]  # without it, demo starts the app
    for action in leaf.parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:  # a positional
            if action.nargs == "?" and draw(st.booleans()):
                continue
            argv.append(draw(_value(play, action)))
            continue
        if not action.required and draw(st.integers(0, 2)) == 0:
            continue
        if action.required and draw(st.integers(0, 15)) == 0:
            continue  # now and then a missing required option
        option = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            argv.append(option)
        else:
            argv += [option, draw(_value(play, action))]
    if draw(st.integers(0, 10)) == 0:
        argv.append(draw(st.sampled_from(["--unknown", "extra", "-o"])))
    return argv


def _value(play: Playground, action: argparse.Action) -> st.SearchStrategy[str]:
    names = {*action.option_strings, action.dest, str(action.metavar or "")}
    odd = st.sampled_from(ODD)
    if action.choices:
        return st.one_of(st.sampled_from(sorted(map(str, action.choices))), odd)
    if names & {"-o", "--output", "--csv", "csv"}:
        return st.one_of(st.sampled_from(play.outputs), odd)
    if names & {"DATE", "date_from", "date_to", "expiry_from", "expiry_to"}:
        return st.one_of(st.sampled_from(DATES), odd)
    if "--id" in names:
        return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(["CF-1", "x"]), odd)
    if names & {"FILE", "file", "DIR", "dir", "--policy"}:
        return st.one_of(st.sampled_from(play.inputs), odd)
    return st.one_of(st.sampled_from(["A123", "lot 7", "Botox"]), st.sampled_from(NUMBERS), odd)


@dataclass(frozen=True)
class Outcome:
    """What one in-process run of ``consult`` did."""

    argv: list[str]
    code: object
    stdout: str
    stderr: str
    escaped: BaseException | None

    def problems(self) -> list[str]:
        """What is wrong with this run (empty: it behaved)."""
        out: list[str] = []
        if self.escaped is not None:
            out.append(f"escaped: {type(self.escaped).__name__}: {self.escaped}")
        elif self.code not in (0, 1, 2):
            out.append(f"exit code {self.code!r}")
        if "Traceback" in self.stderr:
            out.append("a traceback on stderr")
        return out


def run_main(argv: list[str], stdin: str = "") -> Outcome:
    """``cli.main(argv)`` in this process, with ``stdin`` (empty unless given: a password
    for ``--as``) and stdout/stderr captured."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(
        io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    given = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    saved = sys.stdin
    code: object = None
    escaped: BaseException | None = None
    sys.stdin = given
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except BaseException as exc:  # what the test is looking for
                escaped = exc
    finally:
        sys.stdin = saved
    return Outcome(argv, code, _text(out), _text(err), escaped)


def _text(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8", errors="replace")
