"""Windows that fit the screen: the main window's size on a 1366x768 laptop, a 1024x700
screen and a 1920x1080 one, its place remembered per workstation, dialogs never larger
than the screen, and the questionnaire at 1024x700 with nothing scrolled sideways."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.store.services.context import ServiceContext
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.widgets import geometry
from consult.ui.widgets.geometry import (
    SavedGeometry,
    fit_size,
    initial_window_geometry,
    restored_geometry,
    workstation_settings,
)
from tests import factories

shown_window = pytest.mark.qt_log_ignore("propagateSizeHints")

LAPTOP = QRect(0, 0, 1366, 738)  # 1366x768 less a 30-pixel task bar
SMALL = QRect(0, 0, 1024, 700)
DESKTOP = QRect(0, 0, 1920, 1040)  # 1920x1080 less a task bar


def inside(rect: QRect, area: QRect) -> bool:
    return area.contains(rect)


@pytest.mark.parametrize("available", [LAPTOP, SMALL])
def test_a_small_screen_opens_the_window_maximised_and_its_normal_size_still_fits(
    available: QRect,
) -> None:
    rect, maximised = initial_window_geometry(available)
    assert maximised
    assert inside(rect, available)
    # Room for the title bar and frame when it is restored from maximised.
    assert rect.height() <= available.height() - geometry.FRAME.height()
    assert rect.width() <= available.width() - geometry.FRAME.width()


def test_a_large_screen_opens_the_window_at_its_default_size_centred() -> None:
    rect, maximised = initial_window_geometry(DESKTOP)
    assert not maximised
    assert rect.size() == geometry.DEFAULT_WINDOW
    assert abs(rect.center().x() - DESKTOP.center().x()) <= 1
    assert inside(rect, DESKTOP)


def test_a_screen_offset_in_a_virtual_desktop_is_respected() -> None:
    right = QRect(1920, 0, 1366, 738)
    rect, _maximised = initial_window_geometry(right)
    assert inside(rect, right)


def test_nothing_is_ever_sized_beyond_the_available_area() -> None:
    for available in (LAPTOP, SMALL, DESKTOP):
        size = fit_size(QSize(1240, 780), available)
        assert size.width() <= available.width() and size.height() <= available.height()
    assert fit_size(QSize(600, 400), DESKTOP) == QSize(600, 400)


def test_a_saved_place_is_restored_only_onto_a_screen_that_still_exists() -> None:
    saved = SavedGeometry("HDMI-1", QRect(2000, 100, 1200, 700), maximised=False)
    assert restored_geometry(saved, {"eDP-1": LAPTOP}) is None
    assert restored_geometry(None, {"eDP-1": LAPTOP}) is None
    external = QRect(1366, 0, 1920, 1040)
    rect, maximised = restored_geometry(saved, {"eDP-1": LAPTOP, "HDMI-1": external}) or (
        QRect(),
        True,
    )
    assert rect == QRect(2000, 100, 1200, 700) and not maximised


def test_a_saved_place_too_big_or_off_the_edge_is_moved_and_shrunk_into_its_screen() -> None:
    # Saved on the same screen at a higher resolution: now it is a 1024x700 one.
    saved = SavedGeometry("eDP-1", QRect(600, 400, 1280, 800), maximised=True)
    rect, maximised = restored_geometry(saved, {"eDP-1": SMALL}) or (QRect(), False)
    assert maximised
    assert inside(rect, SMALL)
    assert rect.height() <= SMALL.height() - geometry.FRAME.height()


@shown_window
def test_the_window_remembers_its_place_and_state_on_this_workstation(
    qtbot, sqlite_db: Database, home
) -> None:
    screen = QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    first = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(first)
    first.setWindowState(Qt.WindowState.WindowNoState)
    wanted = QRect(available.x() + 40, available.y() + 60, 640, 480)
    first.setGeometry(wanted)
    first.show()
    qtbot.waitExposed(first)
    first.close()
    settings_file = Path(home.config) / geometry.SETTINGS_FILE
    assert settings_file.exists()
    assert "main_window" in settings_file.read_text()

    again = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(again)
    assert again.geometry() == wanted
    assert not again.windowState() & Qt.WindowState.WindowMaximized

    # Maximised is remembered too, with the normal size for when it is restored.
    again.show()
    qtbot.waitExposed(again)
    again.showMaximized()
    qtbot.waitUntil(lambda: again.isMaximized())
    again.close()
    third = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(third)
    assert third.windowState() & Qt.WindowState.WindowMaximized
    assert inside(third.geometry(), available)


def test_a_place_saved_on_a_screen_now_gone_opens_at_the_default(
    qtbot, sqlite_db: Database, home
) -> None:
    settings = workstation_settings(Path(home.config))
    settings.setValue("main_window/screen", "a screen unplugged since")
    settings.setValue("main_window/geometry", "5000,3000,900,700")
    settings.setValue("main_window/maximised", "false")
    settings.sync()
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    available = QGuiApplication.primaryScreen().availableGeometry()
    expected, maximised = initial_window_geometry(available)
    assert window.geometry() == expected
    assert bool(window.windowState() & Qt.WindowState.WindowMaximized) == maximised


def test_an_unreadable_saved_place_is_ignored(qtbot, sqlite_db: Database, home) -> None:
    settings = workstation_settings(Path(home.config))
    settings.setValue("main_window/screen", QGuiApplication.primaryScreen().name())
    settings.setValue("main_window/geometry", "not,a,rect")
    settings.sync()
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    assert inside(window.geometry(), QGuiApplication.primaryScreen().availableGeometry())


# A real screen of each size: the offscreen platform reads its screens from a file, so
# a child process opens the main window on a 1366x768 or a 1024x700 screen.
_ON_A_SCREEN = r"""
import json, sys
from consult import paths
from consult.store import migrate
from consult.store.database import open_database
from consult.store.services.context import ServiceContext
from consult.ui.shell.app import make_application
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from tests import factories
from PySide6.QtCore import QThreadPool
from consult.ui.widgets.tasks import wait_for_writes

app = make_application()
dirs = paths.for_home(__import__("pathlib").Path(sys.argv[1])).ensure()
db = open_database(dirs)
migrate.upgrade(db)
ctx = ServiceContext(db)
staff = factories.staff(ctx)
person = factories.patient(ctx, staff["practitioner"])
factories.product(ctx, staff["manager"], "exosome", "ExoGlow", source="synthetic")
window = MainWindow(AppSession(db, dirs))
window.show()
window.sign_in.username.setText("doc")
window.sign_in.password.setText(factories.PASSWORD)
window.sign_in.button.click()

def settle():
    for _ in range(20):
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(100)
        wait_for_writes(100)

settle()
clinical = window.workspace.clinical
clinical.show_patient(person)
clinical.patient_page.start_consultation()
settle()
wizard = clinical.consultation.wizard
while not wizard.is_loaded:  # its questions are made a slice at a time
    settle()
row = wizard.treatments_page.rows[0]
row.treatment.setCurrentIndex(row.treatment.findData("exosome"))
row.product.setCurrentIndex(1)
if row.lot.currentData() is None:
    row.lot.setCurrentIndex(1)
wizard.next()
settle()
page = wizard.intake_page
for question in ("cancer_history", "autoimmune_disease"):
    widget = page.questions[question]
    next(b for b in widget.group.buttons() if b.property("value") == "yes").click()
settle()
page.focus_question("autoimmune_types")
settle()
screen = app.primaryScreen().availableGeometry()
frame = window.frameGeometry()
next_button = wizard.next_button
corner = next_button.mapTo(window, next_button.rect().bottomRight())
bar = page.scroll_area.horizontalScrollBar()
content = page.scroll_area.widget()
print(json.dumps({
    "screen": [screen.width(), screen.height()],
    "window": [window.width(), window.height()],
    "maximised": window.isMaximized(),
    "next_visible": next_button.isVisible(),
    "next_inside": window.rect().contains(corner),
    "status_inside": window.rect().contains(
        window.statusBar().mapTo(window, window.statusBar().rect().bottomRight())
    ),
    "sideways": bar.isVisible() and bar.maximum() > 0,
    "content_fits": content.width() <= page.scroll_area.viewport().width(),
    "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
}))
window.close()
"""


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_on_a_small_screen_the_window_fits_and_next_and_the_status_bar_are_in_sight(
    tmp_path: Path, width: int, height: int
) -> None:
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    script = tmp_path / "on_a_screen.py"
    script.write_text(_ON_A_SCREEN)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR="1")
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "home")],
        cwd=root,
        env=dict(env, PYTHONPATH=str(root)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["maximised"]
    assert seen["window"][0] <= width and seen["window"][1] <= height
    assert seen["minimum"][0] <= width and seen["minimum"][1] <= height
    assert seen["next_visible"] and seen["next_inside"]
    assert seen["status_inside"]
    assert not seen["sideways"]
    assert seen["content_fits"]


def test_dialogs_fit_the_screen(qtbot, sqlite_db: Database, home) -> None:
    from PySide6.QtWidgets import QDialog

    factories.staff(ServiceContext(sqlite_db))
    dialog = QDialog()
    qtbot.addWidget(dialog)
    size = geometry.fit_dialog(dialog, QSize(5000, 5000))
    available = QApplication.primaryScreen().availableGeometry()
    assert size.width() <= available.width() and size.height() <= available.height()
    assert dialog.size() == size


@shown_window
def test_the_consent_dialog_fits_the_screen_and_sign_and_seal_stays_in_sight(
    qtbot, sqlite_db: Database, home
) -> None:
    from consult.ui.consent.dialog import ConsentDialog
    from tests.test_consent_step import ready_consultation
    from tests.test_consultation_wizard import make_session

    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    product = factories.product(ctx, people["manager"], "ha_filler", "Volbella")
    clinic = {"ctx": ctx, "people": people, "products": {"ha_filler": product}}
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_consultation(session, clinic)
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    available = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= available.width() and dialog.height() <= available.height()
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.loading)  # what to sign is read off the GUI thread
    step = dialog.step
    assert step is not None

    def in_sight(widget) -> bool:
        corner = widget.mapTo(dialog, widget.rect().bottomRight())
        return widget.isVisible() and dialog.rect().contains(corner)

    # A 1024x700 screen: everything fits without scrolling.
    dialog.resize(980, 652)
    qtbot.waitUntil(lambda: dialog.width() == 980)
    assert step.body.verticalScrollBar().maximum() == 0
    assert in_sight(step.sign_button) and in_sight(step.close_button)
    # Smaller still: the form scrolls, the buttons stay.
    dialog.resize(760, 420)
    qtbot.waitUntil(lambda: dialog.height() == 420)
    assert in_sight(step.sign_button) and in_sight(step.close_button)
    assert step.body.verticalScrollBar().maximum() > 0
    assert step.body.horizontalScrollBar().maximum() >= 0
