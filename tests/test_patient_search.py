"""Finding patients: accents and case, word order, dates of birth, phones, ordering;
and a search box whose stale answers never overwrite newer ones."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt

from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients import PatientDialog, PatientsPage
from consult.ui.session import AppSession
from consult.ui.tasks import LatestOnly
from tests import factories

PEOPLE = [
    ("Zoë", "Lefèvre", dt.date(1990, 4, 2), "+44 7700 900123"),
    ("Zoe", "Lefevre", dt.date(1985, 1, 1), "+44 7700 900456"),
    ("Chloé", "Zoellner", dt.date(1970, 6, 30), "020 7946 0000"),
    ("Ελένη", "Παπαδοπούλου", dt.date(1992, 2, 29), "+30 21 0000 0000"),
    ("Анна", "Иванова", dt.date(1988, 8, 8), "+7 495 000 0000"),
    ("花子", "山田", dt.date(1979, 3, 14), "+81 3 0000 0000"),
    ("Siobhán", "O'Brien", dt.date(2001, 12, 31), "087 000 0000"),
]


@pytest.fixture
def desk(ctx: ServiceContext) -> ServiceContext:
    staff = factories.staff(ctx)
    user = ctx.signed_in(staff["reception"])
    for given, family, born, phone in PEOPLE:
        patient_service.register(
            user, factories.draft(given, family, date_of_birth=born, phone=phone, email="")
        )
    return user


def names(ctx: ServiceContext, query: str) -> list[str]:
    return [p.full_name for p in patient_service.search(ctx, query)]


def test_accent_and_case_insensitive(desk) -> None:
    assert names(desk, "zoe") == ["Zoe Lefevre", "Zoë Lefèvre", "Chloé Zoellner"]
    assert names(desk, "ZOË") == names(desk, "zoe")
    assert names(desk, "lefèvre") == ["Zoe Lefevre", "Zoë Lefèvre"]
    assert names(desk, "chloe") == ["Chloé Zoellner"]
    assert names(desk, "siobhan o'brien") == ["Siobhán O'Brien"]


def test_words_in_any_order_each_a_prefix(desk) -> None:
    assert names(desk, "lef zo") == ["Zoe Lefevre", "Zoë Lefèvre"]
    assert names(desk, "zoe lefevre x") == []


def test_other_scripts(desk) -> None:
    assert names(desk, "ελένη") == ["Ελένη Παπαδοπούλου"]
    assert names(desk, "ΕΛΕΝΗ") == ["Ελένη Παπαδοπούλου"]
    assert names(desk, "анна") == ["Анна Иванова"]
    assert names(desk, "山田") == ["花子 山田"]


def test_date_of_birth_and_phone(desk) -> None:
    assert names(desk, "1992-02-29") == ["Ελένη Παπαδοπούλου"]
    assert names(desk, "31/12/2001") == ["Siobhán O'Brien"]
    assert names(desk, "2001-02-30") == []  # not a date: nothing, and no error
    assert names(desk, "+44 7700 900") == ["Zoe Lefevre", "Zoë Lefèvre"]
    assert names(desk, "0207946") == ["Chloé Zoellner"]


def test_nothing_to_search_for(desk) -> None:
    assert names(desk, "   ") == []
    assert names(desk, "!!") == []


def test_searches_are_not_logged_but_opening_a_patient_is(desk) -> None:
    from sqlalchemy import func, select

    from consult.store.models import AuditEntry

    def viewed() -> int:
        with desk.unit_of_work() as session:
            return session.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.event == "patient.viewed")
            ).scalar_one()

    before = viewed()
    patient = patient_service.search(desk, "анна")[0]
    assert viewed() == before
    patient_service.get(desk, patient.id)
    assert viewed() == before + 1


def test_a_stale_answer_never_overwrites_a_newer_one(qtbot) -> None:
    runner = LatestOnly()
    release = threading.Event()
    shown: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old query"

    runner.pool.setMaxThreadCount(2)  # let the newer query finish first
    runner.submit(slow, shown.append, lambda exc: shown.append(f"error {exc}"))
    runner.submit(lambda: "new query", shown.append, lambda exc: shown.append(f"error {exc}"))
    qtbot.waitUntil(lambda: shown == ["new query"], timeout=3000)
    release.set()
    runner.wait()
    qtbot.wait(50)
    assert shown == ["new query"]


def test_the_search_box_lists_matches_as_you_type(qtbot, sqlite_db, home) -> None:
    staff = factories.staff(ServiceContext(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["reception"])
    for given, family, born, phone in PEOPLE:
        patient_service.register(
            session.ctx, factories.draft(given, family, date_of_birth=born, phone=phone)
        )
    page = PatientsPage(session)
    qtbot.addWidget(page)
    qtbot.keyClicks(page.search, "zoe lef")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=3000)
    shown = [page.model.index(row, 0).data() for row in range(2)]
    assert shown == ["Lefevre, Zoe", "Lefèvre, Zoë"]
    assert page.status.text() == "2 patient(s) found"
    page.runner.wait()


def test_a_likely_duplicate_is_pointed_out_before_saving(
    qtbot, sqlite_db, home, monkeypatch
) -> None:
    staff = factories.staff(ServiceContext(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["reception"])
    patient_service.register(session.ctx, factories.draft())
    asked: list[list[str]] = []

    def refuse(self, duplicates) -> bool:
        asked.append([p.full_name for p in duplicates])
        return False

    monkeypatch.setattr(PatientDialog, "confirm_duplicates", refuse)
    dialog = PatientDialog(session)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.given, "ZOE")
    qtbot.keyClicks(dialog.family, "lefevre")
    dialog.dob.setDate(dt.date(1990, 4, 2))
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert asked == [["Zoë Lefèvre"]]
    assert dialog.result_patient is None
    assert patient_service.count(session.ctx) == 1
