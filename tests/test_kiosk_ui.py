"""The kiosk station and the desk, driven through their widgets on PostgreSQL (issue 19):
"Hand to patient…" offers the waiting station, the desk is covered by the progress panel
(counts only, read from the database), the station shows that intake alone, the patient
answers it by touch and finishes, the desk asks the password (a wrong one refused), and
the answers arrive in the wizard while the station waits again. Pictures of the station
and the desk panel at tablet and desk sizes, light and dark, go to
``$CONSULT_SCREENSHOTS`` (else the test's temporary directory)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from consult.store.database import Database
from consult.store.services import kiosk, patient_answers
from consult.store.services.context import ServiceContext
from consult.ui.patient_mode.handover import PatientHandover
from consult.ui.patient_mode.kiosk_station import KioskStation
from consult.ui.shell.knowledge import knowledge
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories
from tests.test_consultation_wizard import click_next, open_wizard, plan
from tests.test_patient_mode import click_section
from tests.test_patient_mode_screens import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture
ON_SERVER = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def server_clinic(db: Database) -> dict[str, Any]:
    """Staff and an HA filler product on the test's database (the wizard's clinic)."""
    ctx = ServiceContext(db)
    people = factories.staff(ctx)
    products = {"ha_filler": factories.product(ctx, people["manager"], "ha_filler", "Volbella")}
    return {"ctx": ctx, "people": people, "products": products}


def _station(qtbot, clinic: dict[str, Any], name: str = "Tablet A") -> KioskStation:
    ctx: ServiceContext = clinic["ctx"]
    boss = ctx.signed_in(clinic["people"]["manager"])
    credential = kiosk.register_station(boss, name)
    station = KioskStation(kiosk.sign_in_station(ctx, name, credential.secret), knowledge())
    station.poll_timer.setInterval(150)
    qtbot.addWidget(station)
    station.resize(1280, 800)
    station.show()
    station.start()
    return station


def _texts(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def _hand_to_station(qtbot, db: Database, home, clinic: dict[str, Any], station: KioskStation):
    doc = clinic["ctx"].signed_in(clinic["people"]["practitioner"])
    qtbot.waitUntil(lambda: bool(kiosk.waiting_stations(doc)), timeout=10_000)
    wizard, session, _person = open_wizard(qtbot, db, home, clinic, given="Ada", family="Tablet")
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    wizard.show()
    wizard.intake_page.hand_button.click()
    handover = wizard.handover
    assert isinstance(handover, PatientHandover)
    qtbot.waitUntil(lambda: handover.choice is not None)
    choice = handover.choice
    assert choice is not None
    assert [b.text() for b in choice.station_buttons] == ["On kiosk station Tablet A"]
    choice.station_buttons[0].click()
    qtbot.waitUntil(lambda: handover.kiosk is not None and handover.kiosk.is_sent)
    assert handover.kiosk is not None
    handover.kiosk.timer.setInterval(150)
    qtbot.waitUntil(lambda: station.view is not None, timeout=10_000)
    # The station welcomes the patient; the questions start at their touch.
    assert station.stack.currentWidget() is station.waiting_page
    assert station.waiting_page.begin_button.isVisible()
    station.waiting_page.begin_button.click()
    assert station.view is not None and station.view.isVisible()
    return wizard, session, handover


@ON_SERVER
def test_an_intake_answered_on_a_kiosk_station_reaches_the_desk(
    qtbot, db: Database, home, server_clinic
) -> None:
    station = _station(qtbot, server_clinic)
    assert "will send your health questions" in _texts(station)
    wizard, session, handover = _hand_to_station(qtbot, db, home, server_clinic, station)
    # The desk: covered, and never the patient's window here.
    assert handover.panel.isVisible() and not handover.window.isVisible()
    assert not wizard.intake_page.isEnabled()
    assert "on the kiosk station Tablet A" in _texts(handover.panel)
    view = station.view
    assert view is not None and not view.practitioner_button.isVisible()
    # The station shows the questions and nothing of the patient or the screening.
    assert "Tablet" not in _texts(station) and "Ada" not in _texts(station)
    sections = view.sections()
    answered: list[str] = []
    for index in range(len(sections)):
        answered += click_section(SimpleNamespace(view=view))  # type: ignore[arg-type]
        view.next_button.click()
        qtbot.waitUntil(
            lambda i=index: f"Sections done: {i + 1} of {len(sections)}" in _texts(handover.panel),
            timeout=10_000,
        )
    desk = _texts(handover.panel)
    for question_id in answered:
        assert view.kb.question(question_id).label not in desk
    view.finish_button.click()
    qtbot.waitUntil(lambda: handover.panel.unlock.isVisible(), timeout=10_000)
    assert "has finished" in _texts(handover.panel)

    handover.panel.unlock.password.setText("not-the-password")
    handover.panel.unlock.unlock_button.click()
    qtbot.waitUntil(lambda: handover.panel.unlock.error.isVisible())
    assert handover.active and handover.panel.isVisible()
    with qtbot.waitSignal(handover.returned, timeout=10_000):
        handover.panel.unlock.password.setText(factories.PASSWORD)
        handover.panel.unlock.unlock_button.click()
    qtbot.waitUntil(lambda: station.intake is None, timeout=10_000)  # waiting again
    assert "will send your health questions" in _texts(station)
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)
    assert set(wizard.intake_page.answers()) == set(answered)
    given = patient_answers.get(session.ctx, wizard.info.id)
    assert given is not None and set(given.answers) == set(answered)
    assert wizard.intake_page.isEnabled()
    station.stop()
    wait_for_writes()


@ON_SERVER
def test_pictures_of_the_station_and_the_desk(
    qtbot, db: Database, home, server_clinic, tmp_path: Path, palette: str
) -> None:
    station = _station(qtbot, server_clinic)
    folder = out_dir(tmp_path)
    QApplication.processEvents()
    for width, height in ((1280, 800), (800, 1280)):
        station.resize(width, height)
        QApplication.processEvents()
        assert station.grab().save(str(folder / f"kiosk-waiting-{width}x{height}-{palette}.png"))
    wizard, _session, _handover = _hand_to_station(qtbot, db, home, server_clinic, station)
    for width, height in ((1280, 800), (800, 1280)):
        station.resize(width, height)
        QApplication.processEvents()
        assert station.grab().save(str(folder / f"kiosk-intake-{width}x{height}-{palette}.png"))
    for width, height in ((1366, 768), (1024, 700)):
        wizard.resize(width, height)
        QApplication.processEvents()
        picture = folder / f"kiosk-desk-{width}x{height}-{palette}.png"
        assert wizard.window().grab().save(str(picture))
    station.stop()
    wait_for_writes()
