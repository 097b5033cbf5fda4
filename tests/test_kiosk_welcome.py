"""A kiosk station's Welcome screen (issue 19), on PostgreSQL: it waits in the station's
language, greets the patient an intake is handed for in *their* language (a Japanese
patient reads Japanese), the questions start at their touch, and once the intake is
taken back it waits again in the station's language. Pictures of the greeting at tablet
sizes, light and dark, English and Japanese, go to ``$CONSULT_SCREENSHOTS`` (else the
test's temporary directory)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.store.services import consultations, kiosk
from consult.store.services.context import ServiceContext
from consult.ui.patient_mode.kiosk_station import KioskStation
from consult.ui.patient_mode.kiosk_welcome import KIOSK_WORDS
from consult.ui.shell.knowledge import knowledge
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories
from tests.test_patient_mode_screens import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture
ON_SERVER = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _greeted(qtbot, db: Database, language: str, name: str) -> tuple[KioskStation, Any, int]:
    """A waiting station, and the intake of a new patient reading ``language`` handed to
    it: (station, the practitioner's context, consultation id)."""
    ctx = ServiceContext(db)
    people = factories.staff(ctx)
    doc = ctx.signed_in(people["practitioner"])
    credential = kiosk.register_station(ctx.signed_in(people["manager"]), name)
    station = KioskStation(kiosk.sign_in_station(ctx, name, credential.secret), knowledge())
    station.poll_timer.setInterval(150)
    qtbot.addWidget(station)
    station.resize(1280, 800)
    station.show()
    station.start()
    qtbot.waitUntil(lambda: bool(kiosk.waiting_stations(doc)), timeout=10_000)
    patient = factories.patient(ctx, people["practitioner"], language=language)
    info = consultations.start(doc, patient.id)
    [waiting] = kiosk.waiting_stations(doc)
    kiosk.send(doc, info.id, waiting.id, treatment_ids=["ha_filler"], answers={}, kb=knowledge())
    qtbot.waitUntil(lambda: station.view is not None, timeout=10_000)
    return station, doc, info.id


@ON_SERVER
def test_a_japanese_patient_is_welcomed_in_japanese(qtbot, db: Database) -> None:
    station, doc, consultation_id = _greeted(qtbot, db, "ja", "Tablet J")
    welcome = station.waiting_page
    assert station.stack.currentWidget() is welcome
    assert welcome.title.text() == "ようこそ"
    for label in (welcome.title, welcome.subtitle, welcome.text, welcome.begin_button):
        assert label.isVisible() and label.text()
        assert not LATIN_WORD.search(label.text()), label.text()  # no English left
    assert welcome.text.text() != KIOSK_WORDS["waiting"]
    view = station.view
    assert view is not None and not view.isVisible()
    assert station.still_there is not None and not station.still_there.watcher.timer.isActive()
    # The questions start at the patient's touch, in Japanese too.
    welcome.begin_button.click()
    assert view.isVisible() and view.title.text() == welcome.subtitle.text()
    assert station.still_there is not None and station.still_there.watcher.timer.isActive()
    # Taken back: the station waits again, in its own language.
    kiosk.take_back(doc, consultation_id)
    qtbot.waitUntil(lambda: station.intake is None, timeout=10_000)
    assert station.stack.currentWidget() is welcome
    assert welcome.title.text() == "Welcome" and welcome.text.text() == KIOSK_WORDS["waiting"]
    assert not welcome.begin_button.isVisible() and not welcome.subtitle.isVisible()
    station.stop()
    wait_for_writes()


@ON_SERVER
@pytest.mark.parametrize("language", ["en", "ja"])
def test_pictures_of_the_welcome(
    qtbot, db: Database, tmp_path: Path, palette: str, language: str
) -> None:
    station, _doc, _consultation_id = _greeted(qtbot, db, language, f"Tablet {language}")
    folder = out_dir(tmp_path)
    for width, height in ((1280, 800), (800, 1280)):
        station.resize(width, height)
        QApplication.processEvents()
        button = station.waiting_page.begin_button
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        picture = folder / f"kiosk-welcome-{language}-{width}x{height}-{palette}.png"
        assert station.grab().save(str(picture))
    station.stop()
    wait_for_writes()
