"""Signing in and unlocking read nothing on the GUI thread (issue 16): the password check
on the write thread also reads the user's interface language and the clinic's idle-lock
minutes, which the window then takes. A setting that cannot be read there is read again
on the GUI thread, as before (its failure told there)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest

from consult.store.database import Database
from consult.store.errors import StoreError
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories
from tests.signin_support import open_window, sign_in


@pytest.fixture
def staff(sqlite_db: Database):
    ctx = ServiceContext(sqlite_db)
    users = factories.staff(ctx)
    manager = ctx.signed_in(users["manager"])
    clinic = clinic_service.get_clinic(manager)
    assert clinic is not None
    clinic_service.update_settings(manager, clinic.version, {"idle_lock_minutes": 7})
    user_service.set_interface_language(ctx.signed_in(users["practitioner"]), "ja")
    return users


@pytest.fixture
def gui_reads(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every database session opened on the GUI thread, by where it was asked for."""
    opened: list[str] = []
    session = Database.session

    @contextlib.contextmanager
    def watched(self: Database) -> Iterator[object]:
        if threading.current_thread() is threading.main_thread():
            import traceback

            opened.append("".join(traceback.format_stack(limit=8)))
        with session(self) as inner:
            yield inner

    monkeypatch.setattr(Database, "session", watched)
    return opened


def test_signing_in_reads_the_language_and_idle_minutes_off_the_gui_thread(
    qtbot, sqlite_db, home, staff, gui_reads
) -> None:
    window = open_window(qtbot, sqlite_db, home)
    window.workspace  # noqa: B018 - built before, as the app builds it during sign-in
    wait_for_writes()
    gui_reads.clear()
    sign_in(window, "doc")
    assert window.session.user is not None and window.session.user.username == "doc"
    assert window.user_language == "ja"  # the language read on the write thread
    assert window.idle_lock.watcher.timer.interval() == 7 * 60_000  # the clinic's, not 10
    settings_reads = [s for s in gui_reads if "interface_language" in s or "idle_lock" in s]
    assert settings_reads == []


def test_unlocking_reads_the_idle_minutes_off_the_gui_thread(
    qtbot, sqlite_db, home, staff, gui_reads
) -> None:
    window = open_window(qtbot, sqlite_db, home)
    sign_in(window, "doc")
    window.idle_lock.lock()
    wait_for_writes()
    gui_reads.clear()
    window.idle_lock.page.password.setText(factories.PASSWORD)
    window.idle_lock.page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.idle_lock.locked)
    assert [s for s in gui_reads if "idle_lock" in s] == []
    assert window.idle_lock.watcher.timer.interval() == 7 * 60_000


def test_a_setting_that_could_not_be_read_ahead_is_read_on_the_gui_thread(
    qtbot, sqlite_db, home, staff, monkeypatch
) -> None:
    reads = user_service.interface_language
    threads: list[bool] = []

    def on_the_write_thread_only_fails(ctx):
        on_gui = threading.current_thread() is threading.main_thread()
        threads.append(on_gui)
        if not on_gui:
            raise StoreError("The settings cannot be read just now.")
        return reads(ctx)

    monkeypatch.setattr(user_service, "interface_language", on_the_write_thread_only_fails)
    window = open_window(qtbot, sqlite_db, home)
    sign_in(window, "doc")
    assert threads == [False, True]  # tried ahead, then read again on the GUI thread
    assert window.user_language == "ja"
