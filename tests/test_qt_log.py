"""Qt's messages and failed background work reach the log, with their traceback."""

from __future__ import annotations

import logging

from PySide6.QtCore import qWarning

from consult.store.errors import StoreError
from consult.ui.shell.qt_log import route_qt_messages
from consult.ui.widgets.tasks import run_in_background, run_write, wait_for_writes


def test_qt_warnings_go_to_the_log(qapp, caplog) -> None:
    put_back = route_qt_messages()
    try:
        with caplog.at_level(logging.DEBUG, logger="consult.qt"):
            qWarning("a layout cannot fit")
    finally:
        put_back()
    (record,) = [r for r in caplog.records if r.name == "consult.qt"]
    assert record.levelno == logging.WARNING
    assert "a layout cannot fit" in record.getMessage()


def test_a_bug_in_background_work_is_logged_with_its_traceback(qtbot, caplog) -> None:
    def broken() -> None:
        raise ZeroDivisionError("a real bug")

    failures: list[Exception] = []
    with caplog.at_level(logging.ERROR, logger="consult.ui.widgets.tasks"):
        run_in_background(broken, lambda _r: None, failures.append)
        qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], ZeroDivisionError)
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_an_expected_refusal_is_not_logged_as_a_bug(qtbot, caplog) -> None:
    def refused() -> None:
        raise StoreError("not allowed")

    failures: list[Exception] = []
    with caplog.at_level(logging.ERROR, logger="consult.ui.widgets.tasks"):
        run_write(refused, lambda _r: None, failures.append)
        qtbot.waitUntil(lambda: bool(failures))
    assert str(failures[0]) == "not allowed"
    assert caplog.records == []


def test_a_write_disables_its_button_until_it_ends(qtbot) -> None:
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("Save")
    qtbot.addWidget(button)
    results: list[int] = []
    run_write(lambda: 42, results.append, lambda exc: None, busy=button)
    assert not button.isEnabled()
    qtbot.waitUntil(lambda: results == [42])
    assert button.isEnabled()
    assert wait_for_writes(1000)


def test_a_long_export_does_not_hold_back_a_save(qtbot) -> None:
    import threading

    release = threading.Event()
    saved: list[str] = []
    exported: list[str] = []
    run_write(lambda: (release.wait(5), "export")[1], exported.append, lambda e: None,
              long_running=True)  # fmt: skip
    run_write(lambda: "save", saved.append, lambda e: None)
    qtbot.waitUntil(lambda: saved == ["save"], timeout=3000)
    assert exported == []  # the export is still running
    release.set()
    qtbot.waitUntil(lambda: exported == ["export"], timeout=3000)
    assert wait_for_writes(1000)
