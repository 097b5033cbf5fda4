"""The interface's own copies of words the domain and the store say in English (they are
marked for translation where the domain cannot be): equal to them in English, and
covering every sentence they can say; every table's headers translated in the context
its model looks in; and placeholders filled as Qt's arg() fills them."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, Qt

import consult.ui
from consult.domain.jurisdictions import JURISDICTION_LABELS, REGENERATIVE_MEDICINE_ACTS
from consult.domain.review import MIN_JUSTIFICATION, justification_problem
from consult.domain.roles import Role
from consult.store import passwords
from consult.ui.manager.audit_model import AuditTableModel
from consult.ui.manager.register_model import RegisterTableModel
from consult.ui.shell import language
from consult.ui.widgets import words
from consult.ui.widgets.password_strength import problem_text
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.table_model import RowsTableModel

ROOT = Path(__file__).resolve().parents[1]


def test_the_first_run_pages_jurisdictions_and_acts_are_the_domains() -> None:
    assert dict(words.JURISDICTION_WORDS) == dict(JURISDICTION_LABELS)
    assert list(words.JURISDICTION_WORDS) == list(JURISDICTION_LABELS)  # the same order
    assert dict(words.REGENERATIVE_MEDICINE_ACT_WORDS) == dict(REGENERATIVE_MEDICINE_ACTS)


def test_every_role_and_consent_event_has_its_words() -> None:
    from consult.store.consent_events import EVENT_KINDS

    assert set(words.ROLE_WORDS) == set(Role)
    assert set(words.EVENT_WORDS) == set(EVENT_KINDS)


@pytest.mark.parametrize(
    "text", ["too short", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x"]
)
def test_every_refused_justification_is_said_in_the_interfaces_words(text: str) -> None:
    problem = justification_problem(text)
    assert problem in words.JUSTIFICATION_PROBLEM_WORDS
    assert words.justification_problem_text(problem) == problem  # English reads the same
    assert str(MIN_JUSTIFICATION) in words.justification_problem_text(
        justification_problem("short") or ""
    )


@pytest.mark.parametrize("password", ["short", "boss-boss-boss-9", "password1234"])
def test_every_refused_password_is_said_in_the_interfaces_words(password: str) -> None:
    problem = passwords.assess(password, "boss", []).problem
    assert problem
    assert problem_text(problem) == problem  # English reads the same, and it is known:
    assert problem.startswith(
        (
            f"must be at least {passwords.MIN_LENGTH} characters long",
            "must not contain the username",
            "is too easy to guess.",
        )
    )


def _models() -> list[type[QAbstractItemModel]]:
    for info in pkgutil.walk_packages(consult.ui.__path__, "consult.ui."):
        importlib.import_module(info.name)
    found: list[type[QAbstractItemModel]] = [AuditTableModel, RegisterTableModel]
    pending = list(RowsTableModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.HEADERS:
            found.append(model)
    return found


def _model(cls: type[QAbstractItemModel]) -> QAbstractItemModel:
    try:
        return cls()
    except TypeError:  # NamedRowsModel's: the treatments' names first
        return cls({})  # type: ignore[call-arg]


def test_every_tables_headers_are_translated_where_its_model_looks(qapp, tmp_path) -> None:
    out = tmp_path / "translations"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "build", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    language.use_translations_dir(out)
    try:
        assert language.apply_language("ja") == "ja"
        untranslated = []
        models = _models()
        assert len(models) >= 12  # every table of the interface
        for cls in models:
            model = _model(cls)
            for column in range(model.columnCount()):
                header = model.headerData(column, Qt.Orientation.Horizontal)
                if not header or header.isascii():
                    untranslated.append(f"{cls.__name__}[{column}]: {header!r}")
        assert untranslated == []
    finally:
        language.reset_language()
        language.use_translations_dir(None)
    assert QCoreApplication.translate("Tabs", "&Patients") == "&Patients"


def test_placeholders_are_filled_in_one_pass_in_any_order() -> None:
    assert fill("%1 handed to %2", "C-1", "Zoë") == "C-1 handed to Zoë"
    assert fill("%2 さんに %1 を渡しました", "C-1", "Zoë") == "Zoë さんに C-1 を渡しました"
    # A value that itself reads like a placeholder stays as typed.
    assert fill("%1: “%2”", "Dr Doe", "raised 50%1 of %2") == "Dr Doe: “raised 50%1 of %2”"
    assert fill("%1% (%2 of %3)", 25, 2, 8) == "25% (2 of 8)"
    assert fill("%1 and %3", "a") == "a and %3"  # no value: left for the reader to see
    assert fill("%10", *"abcdefghij") == "j"
