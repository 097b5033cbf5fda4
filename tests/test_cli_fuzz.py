"""Malformed command lines never end in a traceback.

Hypothesis builds command lines from the parser itself (every subcommand, option and
choice; see ``tests/cli_fuzz_support.py``) and runs ``consult.cli.main`` in this
process, on a home of its own. Whatever the arguments, no exception escapes, the exit
code is 0, 1 or 2 and standard error shows no traceback. The app itself is never
started: no command line without a subcommand, and ``demo`` always with ``--no-gui``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consult import cli, paths
from tests import cli_fuzz_support as fuzz

LEAVES = list(fuzz.leaves(cli.build_parser()))
CHECKED_HANDLERS = {"export", "recall", "screen", "knowledge"}
"""Commands whose arguments are checked by type, so that no input reaches the
last-resort handler; the others are only held to the command line's contract (no
traceback, exit 0, 1 or 2)."""


@pytest.fixture
def playground(
    tmp_path: Path, home: paths.Dirs, monkeypatch: pytest.MonkeyPatch
) -> fuzz.Playground:
    # Relative file names ("Zoë", "-") land in a folder of the test's own.
    monkeypatch.chdir(tmp_path)
    play = fuzz.make_playground(tmp_path / "play", home)
    setup = fuzz.run_main(["db", "upgrade"])
    assert setup.code == 0, setup.stderr
    return play


def test_every_subcommand_is_drawn() -> None:
    words = {leaf.words for leaf in LEAVES}
    for expected in (("export", "consents"), ("recall",), ("consent", "pdf"), ("screen",)):
        assert expected in words
    assert () not in words  # the app itself is never started


@st.composite
def command_lines(draw: st.DrawFn, play: fuzz.Playground) -> list[str]:
    leaf = draw(st.sampled_from(LEAVES))
    return fuzz.argv_for(draw, play, leaf)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_command_line_ends_in_a_traceback(
    playground: fuzz.Playground, data: st.DataObject
) -> None:
    argv = data.draw(command_lines(playground), label="argv")
    outcome = fuzz.run_main(argv)
    assert outcome.problems() == [], (argv, outcome.stderr)
    if outcome.code == 2:
        assert outcome.stderr.strip(), argv
        assert outcome.stderr.strip().count("\n") == 0 or "usage:" in outcome.stderr, argv
    # A real bug is logged and reported as one; none is expected from these commands.
    if CHECKED_HANDLERS & set(argv):
        assert "a bug: the details are in" not in outcome.stderr, (argv, outcome.stderr)
    # Nothing ever lands in the home's own folders or replaces the device node.
    assert playground.home.database_file.is_file()
    assert (playground.home.config / "audit-chain.key").is_file()
    assert (playground.root / "null-device").is_char_device()
