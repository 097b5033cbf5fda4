"""The practitioner's day: today's consultations as the start page, opened with Return or
a double-click; a finished consultation reopened from the patient record, read-only,
with its signed forms printed again the way reception prints them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from consult.domain.roles import Qualification, Role
from consult.store.database import Database
from consult.store.models import ConsentEvent
from consult.store.services import consultation_overview as overview
from consult.store.services import consultations as consultation_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser
from consult.ui.consultation.record import ConsultationRecordDialog
from consult.ui.consultation.today_page import TodayPage, TodayTableModel, local_clock
from consult.ui.consultation.wizard import ConsultationWizard
from tests import factories
from tests.print_support import print_to_files
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one
from tests.test_consultation_wizard import signed_in_window

shown_window = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bytes]:
    """Prints go to PDF files instead of a printer; the PDFs painted are kept."""
    return print_to_files(monkeypatch, tmp_path, ConsultationRecordDialog)


def double_click(qtbot, table, pos) -> None:
    """A double-click as the mouse gives it: a click, then the second press."""
    viewport = table.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)


def a_day(clinic: dict[str, Any], sqlite_db: Database) -> dict[str, Any]:
    """A consented consultation and a draft today; a draft yesterday; another
    practitioner's today."""
    doc = clinic["practitioner"]
    signed = sign_one(clinic, given="Zoë", family="Lefèvre")
    other = factories.patient(doc, clinic["users"]["practitioner"], given="Ingrid")
    draft = consultation_service.start(doc, other.id)
    old_patient = factories.patient(doc, clinic["users"]["practitioner"], given="Olga")
    old = consultation_service.start(doc, old_patient.id, dt.date.today() - dt.timedelta(days=1))
    nurse = user_service.create_user(
        clinic["manager"],
        NewUser(
            "nurse",
            "Nia Nurse",
            factories.PASSWORD,
            frozenset({Role.PRACTITIONER}),
            Qualification.NURSE,
        ),
    )
    theirs = consultation_service.start(doc.signed_in(nurse), other.id)
    return {"signed": signed, "draft": draft, "old": old, "theirs": theirs, "other": other}


def test_today_lists_the_practitioners_consultations_of_the_day_in_order(clinic, sqlite_db) -> None:
    day = a_day(clinic, sqlite_db)
    rows = overview.today(clinic["practitioner"])
    assert [r.consultation.id for r in rows] == [
        day["signed"].consultation_id,
        day["draft"].id,
    ]
    consented, draft = rows
    assert consented.consultation.status == "consented" and consented.forms_signed == 1
    assert draft.consultation.status == "draft" and draft.forms_signed == 0
    assert draft.patient.given_name == "Ingrid"
    assert all(r.started_at is not None for r in rows)
    # Another day, asked for.
    yesterday = overview.today(clinic["practitioner"], dt.date.today() - dt.timedelta(days=1))
    assert [r.consultation.id for r in yesterday] == [day["old"].id]


@shown_window
def test_a_practitioner_starts_on_today_and_opens_a_draft_with_return(
    qtbot, sqlite_db, home, clinic
) -> None:
    day = a_day(clinic, sqlite_db)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.show()
    qtbot.waitExposed(window)
    clinical = window.workspace.clinical
    today: TodayPage = clinical.today
    assert window.workspace.currentWidget() is today
    assert window.workspace.tabText(0) == "&Today"
    qtbot.waitUntil(lambda: today.model.rowCount() == 2)
    assert today.table.hasFocus() or QApplication.focusWidget() is today.table
    # The draft still to finish is chosen first.
    assert today.current() is not None
    assert today.current().consultation.id == day["draft"].id
    patient = today.model.index(1, TodayTableModel.COL_PATIENT).data()
    assert patient == "Ingrid Lefèvre"
    assert today.model.index(0, TodayTableModel.COL_STATUS).data() == "Consented"
    assert today.model.index(1, TodayTableModel.COL_STEP).data() == "Treatments"
    assert today.model.index(1, TodayTableModel.COL_TIME).data() == local_clock(
        today.current().started_at
    )
    assert today.status.text() == "2 consultation(s) today: 1 to continue, 1 consented."
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    # Read again off the GUI thread (it may have moved on), then opened.
    qtbot.waitUntil(lambda: clinical.consultation.wizard is not None)
    wizard = clinical.consultation.wizard
    assert isinstance(wizard, ConsultationWizard)
    assert wizard.info.id == day["draft"].id
    assert window.workspace.currentWidget() is clinical.consultation
    qtbot.waitUntil(lambda: wizard.is_loaded)
    # Leaving the consultation comes back to the day.
    wizard.close_button.click()
    assert window.workspace.currentWidget() is today


@shown_window
def test_a_consented_consultation_opens_read_only_and_its_form_prints_from_today(
    qtbot, sqlite_db, home, clinic, printed
) -> None:
    day = a_day(clinic, sqlite_db)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.show()
    qtbot.waitExposed(window)
    clinical = window.workspace.clinical
    today = clinical.today
    qtbot.waitUntil(lambda: today.model.rowCount() == 2)
    today.table.selectRow(0)
    # A double-click on the row opens it.
    rect = today.table.visualRect(today.model.index(0, TodayTableModel.COL_PATIENT))
    double_click(qtbot, today.table, rect.center())
    qtbot.waitUntil(lambda: clinical.record_dialog is not None)  # read off the GUI thread
    dialog = clinical.record_dialog
    assert isinstance(dialog, ConsultationRecordDialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    assert clinical.consultation.wizard is None  # not opened for editing
    assert dialog.info.id == day["signed"].consultation_id
    assert "Went on to consent" in dialog.summary.text.text()
    assert dialog.summary.state_text == "Consented: 1 form(s) signed"
    assert not dialog.summary.title.isVisibleTo(dialog)
    assert dialog.forms.rowCount() == 1
    assert dialog.current() is not None
    assert dialog.current().document_number == day["signed"].document_number
    assert dialog.print_button.text() == "Print cop&y…"
    dialog.print_button.click()
    qtbot.waitUntil(lambda: len(printed) == 1)  # the print is logged off the GUI thread
    assert "Printed a copy of " + day["signed"].document_number in dialog.output_status.text()
    with sqlite_db.session() as session:
        kinds = session.execute(
            select(ConsentEvent.kind).where(ConsentEvent.consent_id == day["signed"].id)
        ).scalars()
        assert "printed" in list(kinds)
    dialog.reject()
    qtbot.waitUntil(lambda: clinical.record_dialog is None)


@shown_window
def test_the_patient_record_reopens_a_finished_consultation_with_return(
    qtbot, sqlite_db, home, clinic, printed
) -> None:
    day = a_day(clinic, sqlite_db)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.show()
    qtbot.waitExposed(window)
    clinical = window.workspace.clinical
    patient = consultation_service.get(clinic["practitioner"], day["signed"].consultation_id)
    from consult.store.services import patients as patient_service

    person = patient_service.get(clinic["practitioner"], patient.patient_id)
    page = clinical.patient_page
    with qtbot.waitSignal(page.loaded):
        clinical.show_patient(person)
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    assert not page.resume_button.isEnabled()  # consented: nothing to resume
    assert page.view_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: clinical.record_dialog is not None)  # read off the GUI thread
    dialog = clinical.record_dialog
    assert isinstance(dialog, ConsultationRecordDialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    assert dialog.forms.rowCount() == 1
    assert dialog.windowTitle().startswith("Consultation of ")
    # The preview shows the copy a print gives; printing from it prints.
    monkey_preview = []

    def run_preview(cls, preview) -> bool:
        monkey_preview.append(preview.note.text())
        return True

    ConsultationRecordDialog.run_preview = classmethod(run_preview)  # type: ignore[method-assign]
    try:
        dialog.preview_button.click()
    finally:
        del ConsultationRecordDialog.run_preview
    assert monkey_preview == ["Every page, as it will print."]
    qtbot.waitUntil(lambda: len(printed) == 1)  # the print is logged off the GUI thread
    dialog.reject()


@shown_window
def test_the_patient_record_resumes_ones_own_draft_with_a_double_click(
    qtbot, sqlite_db, home, clinic
) -> None:
    day = a_day(clinic, sqlite_db)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.show()
    qtbot.waitExposed(window)
    clinical = window.workspace.clinical
    page = clinical.patient_page
    with qtbot.waitSignal(page.loaded):
        clinical.show_patient(day["other"])
    # Ingrid: the doctor's draft (resumable) and the nurse's (read-only).
    assert page.model.rowCount() == 2
    mine = page.model.row_of(lambda r: r.consultation.id == day["draft"].id)
    theirs = page.model.row_of(lambda r: r.consultation.id == day["theirs"].id)
    page.table.selectRow(theirs)
    rect = page.table.visualRect(page.model.index(theirs, 0))
    double_click(qtbot, page.table, rect.center())
    qtbot.waitUntil(lambda: clinical.record_dialog is not None)  # read off the GUI thread
    dialog = clinical.record_dialog
    assert isinstance(dialog, ConsultationRecordDialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    assert "Nia Nurse" in dialog.about.text()
    assert "Not screened" in dialog.summary.text.text()
    assert dialog.forms.rowCount() == 0 and not dialog.print_button.isVisibleTo(dialog)
    dialog.reject()
    qtbot.waitUntil(lambda: clinical.record_dialog is None)
    page.table.selectRow(mine)
    rect = page.table.visualRect(page.model.index(mine, 0))
    double_click(qtbot, page.table, rect.center())
    qtbot.waitUntil(lambda: clinical.consultation.wizard is not None)  # read off the GUI thread
    assert clinical.consultation.wizard.info.id == day["draft"].id
    assert window.workspace.currentWidget() is clinical.consultation


def test_other_roles_start_where_they_did_and_see_no_today_tab(
    qtbot, sqlite_db, home, clinic
) -> None:
    window = signed_in_window(qtbot, sqlite_db, home, "desk")
    today = window.workspace.clinical.today
    assert not window.workspace.isTabVisible(window.workspace.indexOf(today))
    assert window.workspace.currentWidget() is window.workspace.patients


@shown_window
def test_signing_out_forgets_the_day(qtbot, sqlite_db, home, clinic) -> None:
    a_day(clinic, sqlite_db)
    window = signed_in_window(qtbot, sqlite_db, home)
    today = window.workspace.clinical.today
    qtbot.waitUntil(lambda: today.model.rowCount() == 2)
    window.sign_out()
    assert today.model.rowCount() == 0
    assert today.status.text() == ""


def test_a_consultation_abandoned_today_is_listed_as_closed(qtbot, clinic, sqlite_db) -> None:
    day = a_day(clinic, sqlite_db)
    info = consultation_service.get(clinic["practitioner"], day["draft"].id)
    consultation_service.abandon(clinic["practitioner"], info.id, info.version, "Patient left")
    rows = overview.today(clinic["practitioner"])
    model = TodayTableModel()
    model.set_rows(rows)
    closed = model.row_of(lambda r: r.consultation.id == info.id)
    assert model.index(closed, TodayTableModel.COL_STATUS).data() == "Closed without consent"
    assert model.index(closed, TodayTableModel.COL_STEP).data() == "Finished"
