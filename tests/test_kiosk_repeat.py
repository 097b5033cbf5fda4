"""A repeat visit on a kiosk station (issue 21 on issue 19's kiosk), on PostgreSQL: the
desk sends the last intake with the hand-over, the station asks per section whether
anything has changed exactly as patient mode does at the desk (the same
:class:`PatientSectionBar`), the patient's choices are saved with the answers through
the station's own calls and reach the desk's intake when the practitioner takes the
intake back. Pictures of the station's question at tablet sizes, light and dark,
English and Japanese, go to ``$CONSULT_SCREENSHOTS`` (else the test's temporary
directory)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from consult.domain.local_dates import format_date
from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.services import consultations, kiosk
from consult.store.services.context import ServiceContext
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.patient_mode.handover import PatientHandover
from consult.ui.patient_mode.kiosk_station import KioskStation
from consult.ui.patient_mode.section_confirm import CONFIRM_WORDS
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories, kiosk_support, security_support
from tests.repeat_visit_support import returning_patient, wizard_at_intake
from tests.screen_support import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture
ON_SERVER = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _station(qtbot, returning: dict[str, Any], name: str) -> KioskStation:
    ctx: ServiceContext = returning["ctx"]
    credential = kiosk.register_station(ctx.signed_in(returning["people"]["manager"]), name)
    station = KioskStation(kiosk.sign_in_station(ctx, name, credential.secret), knowledge())
    station.poll_timer.setInterval(150)
    qtbot.addWidget(station)
    station.resize(1280, 800)
    station.show()
    station.start()
    return station


def _to_the_station(
    qtbot, db: Database, home: Any, returning: dict[str, Any], station: KioskStation
) -> tuple[ConsultationWizard, AppSession, PatientHandover]:
    """The returning patient's new consultation, at the intake (starting from the last
    one), handed to the waiting station."""
    session = AppSession(db, home)
    session.set_user(returning["people"]["practitioner"])
    qtbot.waitUntil(lambda: bool(kiosk.waiting_stations(session.ctx)), timeout=10_000)
    wizard = wizard_at_intake(qtbot, session, returning)
    assert wizard.intake_page.previous is not None
    wizard.intake_page.hand_button.click()
    handover = wizard.handover
    assert isinstance(handover, PatientHandover)
    qtbot.waitUntil(lambda: handover.choice is not None, timeout=10_000)
    choice = handover.choice
    assert choice is not None
    choice.station_buttons[0].click()
    qtbot.waitUntil(lambda: handover.kiosk is not None and handover.kiosk.is_sent)
    assert handover.kiosk is not None
    handover.kiosk.timer.setInterval(150)
    qtbot.waitUntil(lambda: station.view is not None, timeout=10_000)
    station.waiting_page.begin_button.click()  # the patient starts from the Welcome screen
    return wizard, session, handover


@ON_SERVER
@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_station_asks_what_has_changed_and_the_desk_gets_the_choices(
    qtbot, db: Database, home: Any, language: str
) -> None:
    returning = returning_patient(db, language, f"Kiosk{language.upper()}")
    station = _station(qtbot, returning, f"Tablet {language}")
    wizard, session, handover = _to_the_station(qtbot, db, home, returning, station)
    desk = wizard.intake_page
    view = station.view
    assert view is not None
    # The last intake, as the desk has it, and the desk's question on the station.
    assert view.previous == desk.previous
    sections = view.unconfirmed_sections()
    assert sections == desk.unconfirmed_sections() and len(sections) >= 5
    first, second = sections[0], sections[1]
    assert view.current_section() == first
    bar = view.bars[first]
    assert desk.previous_date is not None
    day = format_date(desk.previous_date, language)
    assert bar.label.text() == view.words.say(CONFIRM_WORDS["ask"]).replace("%1", day)
    if language == "ja":
        assert (
            "年" in bar.label.text() and bar.unchanged_button.text() != "Yes, nothing has changed"
        )
    # Next waits for the question, as at the desk's patient mode.
    view.next_button.click()
    assert view.current_section() == first and bar.reminder.isVisibleTo(bar)
    qtbot.mouseClick(bar.unchanged_button, Qt.MouseButton.LeftButton)
    previous = view.previous
    assert previous is not None
    for question_id, card in view.pages[first].cards.items():
        if question_id in previous:
            assert card.answer.answer() == (True, previous[question_id])
            assert not card.isEnabled()
    view.next_button.click()
    assert view.current_section() == second
    qtbot.mouseClick(view.bars[second].update_button, Qt.MouseButton.LeftButton)
    assert all(card.isEnabled() for card in view.pages[second].cards.values())
    # Saved on the server with the answers, through the station's own calls.
    doc = session.ctx
    qtbot.waitUntil(
        lambda: station.confirmations == {first: "unchanged", second: "update"}, timeout=5_000
    )
    # The rest confirmed unchanged, and finished.
    for section_id in sections[2:]:
        view.confirm_section(section_id, "unchanged")
    view.finish_button.click()
    qtbot.waitUntil(lambda: handover.panel.unlock.isVisible(), timeout=10_000)
    with qtbot.waitSignal(handover.returned, timeout=10_000):
        handover.panel.unlock.password.setText(factories.PASSWORD)
        handover.panel.unlock.unlock_button.click()
    qtbot.waitUntil(lambda: station.intake is None, timeout=10_000)
    # The desk's intake: every section confirmed as the patient said, nothing left to ask.
    assert desk.bars[first].state == "unchanged" and desk.bars[second].state == "update"
    assert desk.unconfirmed_sections() == []
    for question_id, value in previous.items():
        if question_id in desk.questions and desk.questions[question_id].question.section == first:
            assert desk.answers().get(question_id) == value
    # Saved with the draft, as the desk's own confirmations are.
    wizard.flush()
    wait_for_writes()
    stored = consultations.get(doc, wizard.info.id)
    assert stored.section_confirmations is not None
    assert stored.section_confirmations[first] == "unchanged"
    assert stored.section_confirmations[second] == "update"
    assert set(stored.section_confirmations) == set(sections)
    station.stop()
    wait_for_writes()


@ON_SERVER
def test_the_hand_over_carries_the_last_intake_and_the_choices(
    db: Database, ctx: ServiceContext
) -> None:
    clinic = security_support.contexts(ctx)
    doc = clinic["practitioner"]
    kb = knowledge()
    _patient, info = security_support.screened(clinic, given="Ada", family="Kioskrepeat")
    station, station_ctx = kiosk_support.waiting(ctx, clinic["manager"])
    last = factories.no_answers(treatments=[security_support.TREATMENT])
    since = dt.date(2026, 6, 1)
    first, second = kb.sections[0].id, kb.sections[1].id
    with pytest.raises(ValidationError, match="unknown section"):
        kiosk.send(
            doc,
            info.id,
            station.id,
            treatment_ids=[security_support.TREATMENT],
            answers={},
            kb=kb,
            previous=(last, since),
            confirmations={"no_such_section": "unchanged"},
        )
    kiosk.send(
        doc,
        info.id,
        station.id,
        treatment_ids=[security_support.TREATMENT],
        answers={},
        kb=kb,
        previous=({**last, "a_question_long_gone": "yes"}, since),
        confirmations={first: "unchanged"},
    )
    intake = kiosk.current_intake(station_ctx)
    assert intake is not None
    assert intake.previous == last and intake.previous_date == since  # known questions only
    assert intake.confirmations == {first: "unchanged"}
    progress = {"done": 1, "sections": 6, "answered": 3, "asked": 40}
    with pytest.raises(ValidationError, match="neither unchanged nor update"):
        kiosk.save_answers(station_ctx, info.id, {}, progress, kb, confirmations={second: "maybe"})
    kiosk.save_answers(
        station_ctx,
        info.id,
        last,
        progress,
        kb,
        confirmations={first: "unchanged", second: "update"},
    )
    again = kiosk.current_intake(station_ctx)
    assert again is not None and again.confirmations == {first: "unchanged", second: "update"}
    kiosk.finish(
        station_ctx, info.id, last, progress, kb, confirmations={first: "update", second: "update"}
    )
    taken = kiosk.take_back(doc, info.id)
    assert taken.confirmations == {first: "update", second: "update"}
    assert taken.answers == last


@ON_SERVER
def test_a_first_visit_on_the_station_asks_no_such_question(
    db: Database, ctx: ServiceContext
) -> None:
    clinic = security_support.contexts(ctx)
    kb = knowledge()
    _patient, info, _station, station_ctx = kiosk_support.handed_over(ctx, clinic)
    intake = kiosk.current_intake(station_ctx)
    assert intake is not None
    assert (intake.previous, intake.previous_date, intake.confirmations) == (None, None, {})
    progress = {"done": 1, "sections": 6, "answered": 0, "asked": 40}
    # Confirmations without a last visit are not kept.
    kiosk.save_answers(
        station_ctx, info.id, {}, progress, kb, confirmations={kb.sections[0].id: "unchanged"}
    )
    again = kiosk.current_intake(station_ctx)
    assert again is not None and again.confirmations == {}
    assert kiosk.take_back(clinic["practitioner"], info.id).confirmations == {}


@ON_SERVER
@pytest.mark.parametrize("language", ["en", "ja"])
def test_pictures_of_the_question_on_the_station(
    qtbot, db: Database, home: Any, tmp_path: Path, palette: str, language: str
) -> None:
    returning = returning_patient(db, language, f"Picture{language.upper()}")
    station = _station(qtbot, returning, f"Tablet picture {language}")
    _to_the_station(qtbot, db, home, returning, station)
    view = station.view
    assert view is not None
    folder = out_dir(tmp_path)
    for width, height in ((1280, 800), (800, 1280)):
        station.resize(width, height)
        QApplication.processEvents()
        bar = view.bars[view.current_section() or ""]
        assert bar.unchanged_button.isVisible() and bar.update_button.isVisible()
        assert bar.update_button.geometry().right() <= bar.width()  # nothing cut off
        picture = folder / f"kiosk-repeat-{language}-{width}x{height}-{palette}.png"
        assert station.grab().save(str(picture))
    station.stop()
    wait_for_writes()
