"""The forms' paper is a clinic setting a manager chooses: in the app (Users tab) and with
``consult clinic set form_paper a4|letter|auto``; a form sealed afterwards is laid out on
the paper chosen, and "auto" goes back to the paper of the clinic's country."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult import paths
from consult.documents import paper
from consult.store.database import Database, open_database
from consult.store.dto import UserInfo
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services.context import ServiceContext
from tests import factories, security_support


def _page_sizes(db: Database, consent_id: int) -> set[tuple[float, float]]:
    with db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        forms = [bytes(row.pdf)] + ([bytes(row.signed_pdf)] if row.signed_pdf else [])
    return {
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for form in forms
        for page in PdfReader(io.BytesIO(form)).pages
    }


def _size(on: paper.Paper) -> set[tuple[float, float]]:
    return {(round(on.width, 2), round(on.height, 2))}


def _sign_one(db: Database, staff: dict[str, UserInfo], family: str = "Lefèvre") -> int:
    """Seal one form now, for a new patient; its record's id."""
    ctx = ServiceContext(db, workstation="test-workstation")
    clinic = {role: ctx.signed_in(user) for role, user in staff.items()}
    _, _, consent = security_support.signed_consent(clinic, family=family)
    return consent.id


@pytest.fixture
def staff(sqlite_db: Database) -> dict[str, UserInfo]:
    """A clinic in Great Britain with one user per role."""
    return factories.staff(ServiceContext(sqlite_db))


@pytest.fixture
def users_page(qtbot, sqlite_db, home, staff):
    from consult.ui.manager.users_page import UsersPage
    from consult.ui.shell.session import AppSession

    session = AppSession(sqlite_db, home)
    session.set_user(staff["manager"])
    page = UsersPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def test_a_manager_chooses_letter_in_the_app_and_the_next_form_is_on_letter(
    qtbot, users_page, sqlite_db, staff
) -> None:
    box = users_page.form_paper
    # A clinic in Great Britain: "by the country" is said to be A4, and is the choice.
    assert box.currentIndex() == 0 and box.itemText(0) == "By the clinic's country (A4)"
    assert [box.itemText(i) for i in (1, 2)] == ["A4", "US Letter"]
    box.setCurrentIndex(box.findData("letter"))
    users_page.save_settings_button.click()
    qtbot.waitUntil(lambda: "US Letter" in users_page.status.text())  # saved off the GUI thread
    assert clinic_service.settings(users_page.session.ctx)[paper.SETTING] == "letter"
    with sqlite_db.session() as session:
        logged = session.execute(
            select(AuditEntry).where(AuditEntry.event == "settings.changed")
        ).scalar_one()
        assert logged.details["after"][paper.SETTING] == "letter"
        assert logged.details["before"][paper.SETTING] is None
    assert _page_sizes(sqlite_db, _sign_one(sqlite_db, staff)) == _size(paper.LETTER)

    # Reopened, the page shows the choice; back to the country's paper: A4 again.
    with qtbot.waitSignal(users_page.loaded):
        users_page.refresh()
    assert box.setting() == "letter"
    box.setCurrentIndex(0)
    users_page.save_settings_button.click()
    qtbot.waitUntil(lambda: "printed on A4" in users_page.status.text())
    assert clinic_service.settings(users_page.session.ctx)[paper.SETTING] == ""
    assert _page_sizes(sqlite_db, _sign_one(sqlite_db, staff, "Silva")) == _size(paper.A4)


def test_by_the_country_names_letter_for_a_us_clinic(qtbot, sqlite_db, home) -> None:
    from consult.ui.manager.form_paper import FormPaperBox

    box = FormPaperBox()
    qtbot.addWidget(box)
    box.set_jurisdiction("US")
    assert box.itemText(0) == "By the clinic's country (US Letter)"
    box.set_setting("A4 ")  # as stored by hand: understood
    assert box.setting() == "a4"
    box.set_setting("folio")  # not understood: forms go by the country, and so does the box
    assert box.setting() == ""


def _consult(*args: str, password: str = factories.PASSWORD) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` in a process of its own (the test's home), the password on stdin."""
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextlib.contextmanager
def _opened(home: paths.Dirs) -> Iterator[Database]:
    """The test home's database, open in this process only meanwhile (a command run in
    another process finds it closed, as a workstation would)."""
    db = open_database(home)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def closed_clinic(home: paths.Dirs, migrated_sqlite) -> dict[str, UserInfo]:
    """A clinic in Great Britain in the test home's database, closed again."""
    migrated_sqlite.copy_to(home)
    with _opened(home) as db:
        return factories.staff(ServiceContext(db))


def _paper_setting(home: paths.Dirs) -> object:
    with _opened(home) as db:
        return clinic_service.settings(ServiceContext(db)).get(paper.SETTING)


def _next_form_size(home: paths.Dirs, staff: dict[str, UserInfo], family: str) -> set:
    with _opened(home) as db:
        return _page_sizes(db, _sign_one(db, staff, family))


def test_the_command_line_sets_the_paper_and_the_next_form_follows(home, closed_clinic) -> None:
    done = _consult("clinic", "set", "form_paper", "letter", "--as", "boss")
    assert done.returncode == 0, done.stderr
    assert "Consent forms are printed on Letter: chosen by the clinic." in done.stdout
    assert _paper_setting(home) == "letter"
    assert _next_form_size(home, closed_clinic, "Lefèvre") == _size(paper.LETTER)

    shown = _consult("clinic", "show", "--as", "boss")
    assert shown.returncode == 0, shown.stderr
    assert "form_paper = 'letter'" in shown.stdout

    done = _consult("clinic", "set", "form_paper", "auto", "--as", "boss")
    assert done.returncode == 0, done.stderr
    assert "A4: the paper of the clinic's country (GB)" in done.stdout
    assert _paper_setting(home) == ""
    assert _next_form_size(home, closed_clinic, "Silva") == _size(paper.A4)


def test_only_a_manager_sets_the_paper_and_only_to_a_paper_it_knows(home, closed_clinic) -> None:
    refused = _consult("clinic", "set", "form_paper", "letter", "--as", "desk")
    assert refused.returncode != 0
    assert "manager" in (refused.stdout + refused.stderr).lower()
    unknown = _consult("clinic", "set", "form_paper", "folio", "--as", "boss")
    assert unknown.returncode == 2 and "invalid choice: 'folio'" in unknown.stderr
    assert _paper_setting(home) is None
