"""The patient page (start and resume consultations by role) and the patient form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate

from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.services import consultations as consultation_service
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patient_page import ConsultationTableModel, PatientPage
from consult.ui.patients import PatientDialog
from consult.ui.session import AppSession
from tests import factories


@pytest.fixture
def people(sqlite_db: Database):
    return factories.staff(ServiceContext(sqlite_db))


def page_for(qtbot, db, home, user) -> PatientPage:
    session = AppSession(db, home)
    session.set_user(user)
    page = PatientPage(session)
    qtbot.addWidget(page)
    return page


def show(qtbot, page: PatientPage, patient) -> None:
    with qtbot.waitSignal(page.loaded):
        page.set_patient(patient)


def test_a_practitioner_starts_a_consultation_and_can_resume_it(
    qtbot, sqlite_db, home, people
) -> None:
    doctor = people["practitioner"]
    patient = factories.patient(ServiceContext(sqlite_db), doctor, given="Ελένη")
    page = page_for(qtbot, sqlite_db, home, doctor)
    show(qtbot, page, patient)
    assert page.title.text() == "Ελένη Lefèvre"
    assert page.identity["born"].text().startswith("1990-04-02 (age ")
    assert page.identity["phone"].text() == "+44 7700 900123"
    assert page.start_button.isVisibleTo(page)
    assert page.status.text() == "0 consultation(s)"
    with qtbot.waitSignal(page.consultation_opened) as opened:
        page.start_button.click()
    info, who = opened.args
    assert who.id == patient.id
    assert info.status == "draft" and info.step == "treatments"
    assert [c.id for c in consultation_service.for_patient(page.session.ctx, patient.id)] == [
        info.id
    ]
    show(qtbot, page, patient)
    assert page.model.rowCount() == 1
    assert page.model.index(0, ConsultationTableModel.COL_STATUS).data() == "In progress"
    assert "1 in progress can be resumed" in page.status.text()
    assert page.resume_button.isEnabled()
    with qtbot.waitSignal(page.consultation_opened) as resumed:
        page.resume_button.click()
    assert resumed.args[0].id == info.id


def test_reception_sees_no_start_button_and_no_consultations(
    qtbot, sqlite_db, home, people
) -> None:
    patient = factories.patient(ServiceContext(sqlite_db), people["reception"])
    page = page_for(qtbot, sqlite_db, home, people["reception"])
    page.set_patient(patient)
    assert not page.start_button.isVisibleTo(page)
    assert not page.resume_button.isVisibleTo(page)
    assert not page.table.isVisibleTo(page)
    assert "practitioners and managers" in page.status.text()
    # The service refuses even if the button were pressed.
    page.start_consultation()
    assert "practitioner" in page.error.text()
    assert (
        consultation_service.for_patient(
            ServiceContext(sqlite_db).signed_in(people["manager"]), patient.id
        )
        == []
    )


def test_a_manager_sees_consultations_but_cannot_start_or_resume(
    qtbot, sqlite_db, home, people
) -> None:
    ctx = ServiceContext(sqlite_db)
    doctor = people["practitioner"]
    patient = factories.patient(ctx, doctor)
    consultation_service.start(ctx.signed_in(doctor), patient.id)
    page = page_for(qtbot, sqlite_db, home, people["manager"])
    show(qtbot, page, patient)
    assert not page.start_button.isVisibleTo(page)
    assert page.model.rowCount() == 1
    assert page.model.index(0, ConsultationTableModel.COL_PRACTITIONER).data() == "Dr Dana Doe"
    assert not page.resume_button.isEnabled()


def test_the_consultation_model_passes_the_model_tester(
    qtmodeltester, sqlite_db, home, people
) -> None:
    from consult.store.services import consultation_overview

    ctx = ServiceContext(sqlite_db).signed_in(people["practitioner"])
    patient = factories.patient(ctx, people["practitioner"])
    consultation_service.start(ctx, patient.id)
    model = ConsultationTableModel()
    model.set_rows(consultation_overview.for_patient(ctx, patient.id))
    qtmodeltester.check(model)


names = st.text(max_size=60)
phones = st.one_of(
    st.text(alphabet="+0123456789 ()-./x", max_size=30),
    st.text(max_size=30),
)
dates = st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(given_name=names, family_name=names, phone=phones, born=dates)
def test_the_patient_form_never_crashes_and_refuses_bad_input_with_a_message(
    qtbot, sqlite_db, home, people, given_name, family_name, phone, born
) -> None:
    session = AppSession(sqlite_db, home)
    session.set_user(people["reception"])
    before = patient_service.count(session.ctx)
    dialog = PatientDialog(session)
    qtbot.addWidget(dialog)
    dialog.confirm_duplicates = lambda duplicates: True  # type: ignore[method-assign]
    dialog.given.setText(given_name)
    dialog.family.setText(family_name)
    dialog.phone.setText(phone)
    dialog.dob.setDate(QDate(born.year, born.month, born.day))
    draft = dialog.draft()  # what the widgets hold (the date picker keeps dates in range)
    try:
        patient_service.validate(draft)
    except ValidationError as exc:
        expected_error: str | None = exc.message
    else:
        expected_error = None
    dialog.save()
    after = patient_service.count(session.ctx)
    if expected_error is None:
        assert dialog.result_patient is not None
        assert after == before + 1
    else:
        assert dialog.result_patient is None
        assert after == before
        assert dialog.error.text() == "⚠ " + expected_error
    dialog.close()
