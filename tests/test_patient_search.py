"""Finding patients: accents and case, word order, dates of birth, phones (typed in
national or international form), ordering; and a search box whose stale answers never
overwrite newer ones."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.patients.search_page import PatientsPage
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import LatestOnly
from tests import factories

PEOPLE = [
    ("Zoë", "Lefèvre", dt.date(1990, 4, 2), "+44 7700 900123"),
    ("Zoe", "Lefevre", dt.date(1985, 1, 1), "07700 900456"),  # typed in national form
    ("Chloé", "Zoellner", dt.date(1970, 6, 30), "020 7946 0000"),
    ("Ελένη", "Παπαδοπούλου", dt.date(1992, 2, 29), "+30 21 0000 0000"),
    ("Анна", "Иванова", dt.date(1988, 8, 8), "+7 495 000 0000"),
    ("花子", "山田", dt.date(1979, 3, 14), "+81 3 1234 5678"),
    ("Siobhán", "O'Brien", dt.date(2001, 12, 31), "+353 87 000 0000"),
]


def click_save(qtbot, dialog: PatientDialog) -> None:
    """Click Save and wait for the save (a write off the GUI thread) to end."""
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not dialog.is_saving())


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


def test_a_phone_number_is_found_in_national_or_international_form(desk) -> None:
    # Zoë was typed "+44 7700 900123" and Zoe "07700 900456": both are stored in E.164.
    assert [p.phone for p in patient_service.search(desk, "lefevre")] == [
        "+447700900456",
        "+447700900123",
    ]
    for query in ("07700 900123", "7700900123", "+447700900123", "0044 7700 900123", "447700 9"):
        assert names(desk, query) == (
            ["Zoë Lefèvre"] if query != "447700 9" else ["Zoe Lefevre", "Zoë Lefèvre"]
        ), query
    for query in ("07700 900456", "+44 7700 900456", "(07700) 900-456", "７７００９００４５６"):
        assert names(desk, query) == ["Zoe Lefevre"], query
    assert names(desk, "07700 9") == ["Zoe Lefevre", "Zoë Lefèvre"]
    # Numbers abroad: international digits, with or without the "+".
    assert names(desk, "+353 87") == ["Siobhán O'Brien"]
    assert names(desk, "35387") == ["Siobhán O'Brien"]
    assert names(desk, "+81 3-1234") == ["花子 山田"]
    assert names(desk, "07700 900999") == []


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
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    click_save(qtbot, dialog)
    assert asked == [["Zoë Lefèvre"]]
    assert dialog.result_patient is None
    assert patient_service.count(session.ctx) == 1


# --- phone numbers in the patient form --------------------------------------------------


def _desk_session(db: Database, home, jurisdiction: str = "GB") -> AppSession:
    staff = factories.staff(ServiceContext(db), jurisdiction)
    session = AppSession(db, home)
    session.set_user(staff["reception"])
    return session


def _fill_and_save(qtbot, session: AppSession, phone: str) -> PatientDialog:
    dialog = PatientDialog(session)
    qtbot.addWidget(dialog)
    dialog.confirm_duplicates = lambda duplicates: True  # type: ignore[method-assign]
    qtbot.keyClicks(dialog.given, "Ada")
    qtbot.keyClicks(dialog.family, "Okonkwo")
    dialog.dob.setDate(dt.date(1984, 5, 6))
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    qtbot.keyClicks(dialog.phone, phone)
    click_save(qtbot, dialog)
    return dialog


def test_a_number_typed_in_national_form_is_found_in_either_form(qtbot, sqlite_db, home) -> None:
    session = _desk_session(sqlite_db, home)
    dialog = _fill_and_save(qtbot, session, "07505 605832")
    saved = dialog.result_patient
    assert saved is not None and saved.phone == "+447505605832"
    page = PatientsPage(session)
    qtbot.addWidget(page)
    for query in ("+44 7505 605832", "+447505605832", "07505 605832", "7505605832"):
        page.search.clear()
        qtbot.keyClicks(page.search, query)
        qtbot.waitUntil(
            lambda: page.model.rowCount() == 1 and page.status.text() == "1 patient(s) found",
            timeout=3000,
        )
        # Shown the clinic's way: a number of its own country in national form.
        assert page.model.index(0, page.model.COL_PHONE).data() == "07505 605832", query
    page.runner.wait()
    # Reopened for editing, the field holds the number as the clinic reads it.
    again = PatientDialog(session, saved)
    qtbot.addWidget(again)
    assert again.phone.text() == "07505 605832"
    assert "07400 123456" in again.phone.placeholderText()


def test_an_invalid_phone_number_is_refused_with_its_message(qtbot, sqlite_db, home) -> None:
    session = _desk_session(sqlite_db, home)
    dialog = _fill_and_save(qtbot, session, "0770 090")
    assert dialog.result_patient is None
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("⚠ Phone number: this is not a valid phone number.")
    assert dialog.focusWidget() is dialog.phone
    assert patient_service.count(session.ctx) == 0
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "07505 605832 ext 12")
    click_save(qtbot, dialog)
    assert "an extension is not stored" in dialog.error.text()
    assert patient_service.count(session.ctx) == 0


def test_a_clinic_without_a_single_country_asks_for_international_numbers(
    qtbot, sqlite_db, home
) -> None:
    session = _desk_session(sqlite_db, home, "EU")
    dialog = _fill_and_save(qtbot, session, "06 12 34 56 78")
    assert dialog.result_patient is None
    assert dialog.error.text().startswith(
        "⚠ Phone number: type it in international form, starting with + and the country code"
    )
    assert "International form" in dialog.phone.placeholderText()
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "+33 6 12 34 56 78")
    click_save(qtbot, dialog)
    assert dialog.result_patient is not None
    assert dialog.result_patient.phone == "+33612345678"
    assert [p.full_name for p in patient_service.search(session.ctx, "+33 6 12")] == ["Ada Okonkwo"]
    assert patient_service.search(session.ctx, "06 12 34") == []  # no country to read it in
