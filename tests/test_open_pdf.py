"""Open PDF: a missing viewer is said, and no decrypted copy outlives the app's session."""

from __future__ import annotations

import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from consult import paths
from consult.store.database import Database
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.shell import app as ui_app
from consult.ui.shell.knowledge import use_policy_dir
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.pdf_pages import OpenCopies, open_externally
from tests.message_boxes import message_boxes
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one

# Showing a top-level window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files handed to the system's viewer (which opens them)."""
    files: list[Path] = []

    def open_url(url: QUrl) -> bool:
        files.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return files


@pytest.fixture
def no_viewer(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """No program on this computer opens PDF files."""
    files: list[Path] = []

    def open_url(url: QUrl) -> bool:
        files.append(Path(url.toLocalFile()))
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return files


@pytest.fixture
def reception(qtbot, sqlite_db: Database, home: paths.Dirs) -> Iterator[ReceptionPage]:
    clinic = make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))
    sign_one(clinic)
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])  # may open forms, whatever the desk may
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.forms.rowCount() == 1)
    yield page
    page.leave()


def test_open_pdf_gives_the_viewer_a_private_copy_of_the_stored_form(
    qtbot, reception, home, opened
) -> None:
    with message_boxes(qtbot) as shown:
        reception.open_button.click()
        qtbot.wait(60)
    assert shown == []
    (copy,) = opened
    assert copy.parent == home.open_copies
    form = reception.forms.item(0)
    assert copy.name == f"{form.document_number}.pdf"
    stored = consents.pdf(reception.session.ctx, form.consent_id, purpose="viewed")
    assert copy.read_bytes() == stored
    if sys.platform != "win32":
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(home.open_copies.stat().st_mode) == 0o700
    assert "opened in the PDF viewer" in reception.status.text()
    # Opening it again while the viewer has it replaces the copy, never piles them up.
    reception.open_button.click()
    assert OpenCopies(home.open_copies).files() == [copy]


def test_with_no_pdf_viewer_a_message_says_so_and_no_copy_is_left(
    qtbot, reception, home, no_viewer
) -> None:
    with message_boxes(qtbot) as shown:
        reception.open_button.click()
    assert len(shown) == 1
    title, message = shown[0]
    assert title == "The form could not be opened"
    assert "No program to show PDF files was found" in message
    assert "Print preview" in message
    (tried,) = no_viewer
    assert not tried.exists()
    assert OpenCopies(home.open_copies).files() == []
    assert "not opened: no PDF viewer" in reception.status.text()


def test_open_externally_without_a_folder_uses_the_homes(qtbot, home, opened) -> None:
    path = open_externally(b"%PDF-1.4 not really", "CF/2026 #7")
    assert path == home.open_copies / "CF_2026__7.pdf"
    assert opened == [path]


def test_clearing_removes_every_copy(home: paths.Dirs) -> None:
    copies = OpenCopies(home.open_copies)
    assert copies.clear() == 0  # no folder yet
    first = copies.write(b"one", "A")
    second = copies.write(b"two", "B")
    (home.open_copies / "left-by-a-viewer").mkdir()
    assert copies.files() == [first, second, home.open_copies / "left-by-a-viewer"]
    assert copies.clear() == 3
    assert copies.files() == []


@pytest.fixture
def app_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """run_gui sets process-wide state: put it back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    pdf_pages.use_open_copies(None)
    use_policy_dir(None)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
            widget.deleteLater()


def test_copies_are_removed_when_the_app_starts_and_when_it_closes(
    qtbot, sqlite_db: Database, home: paths.Dirs, opened, app_state, monkeypatch
) -> None:
    left_over = OpenCopies(home.open_copies).write(b"from a session that crashed", "CF-OLD")
    during: dict[str, object] = {}

    def session(*_args: object) -> int:
        """The app's session (instead of QApplication.exec, which a test must not run:
        PySide stops delivering results from other threads once it has returned)."""
        qtbot.waitUntil(
            lambda: any(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())
        )
        during["left over"] = left_over.exists()
        # Open PDF while the app runs: the copy goes to the app's folder.
        during["copy"] = open_externally(b"%PDF-1.4 stored form", "CF-NEW")
        return 0

    monkeypatch.setattr(QApplication, "exec", session)
    assert ui_app.run_gui(sqlite_db, home) == 0
    QThreadPool.globalInstance().waitForDone()  # the daily backup it started
    assert during["left over"] is False  # removed at start
    copy = during["copy"]
    assert isinstance(copy, Path) and copy.parent == home.open_copies
    assert opened == [copy]
    assert not copy.exists()  # removed at exit
    assert OpenCopies(home.open_copies).files() == []
