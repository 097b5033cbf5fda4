"""The patient page (start and resume consultations by role) and the patient form."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from consult.domain.conditions import age_on
from consult.store.database import Database
from consult.store.dto import PatientInfo
from consult.store.errors import ValidationError
from consult.store.services import consultations as consultation_service
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients.consultation_table import ConsultationTableModel
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.patients.patient_page import PatientPage
from consult.ui.shell.session import AppSession
from consult.ui.widgets.phone_format import phone_region
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
    assert page.identity["born"].text().startswith("2 April 1990 · ")
    assert page.identity["born"].text().endswith(" years")
    assert page.identity["phone"].text().endswith("7700 900123")
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
    qtbot.waitUntil(lambda: "practitioner" in page.error.text())
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


# --- the patient form: dates as people type them -----------------------------------------


@pytest.fixture
def british():
    """The clinic's locale: dates typed DD/MM/YYYY."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


# Showing a dialog on the offscreen platform logs this harmless warning.
shown_dialog = pytest.mark.qt_log_ignore("propagateSizeHints")


def reception_dialog(qtbot, db, home, people, patient=None) -> PatientDialog:
    session = AppSession(db, home)
    session.set_user(people["reception"])
    dialog = PatientDialog(session, patient)
    qtbot.addWidget(dialog)
    dialog.confirm_duplicates = lambda duplicates: True  # type: ignore[method-assign]
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def type_into(qtbot, edit, text: str) -> None:
    """Click into a text box and type, as a person does."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is edit
    qtbot.keyClicks(edit, text)


def type_names(qtbot, dialog: PatientDialog) -> None:
    type_into(qtbot, dialog.given, "Zoe")
    qtbot.keyClick(dialog.given, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.family
    qtbot.keyClicks(dialog.family, "Lefevre")


def choose_sex(qtbot, dialog: PatientDialog, letter: str = "f") -> None:
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.sex
    qtbot.keyClicks(dialog.sex, letter)  # typing a letter picks the item, as a person does


def click_save(qtbot, dialog: PatientDialog) -> None:
    """Click Save and wait for the save (a write off the GUI thread) to end."""
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_saving())


def saved(dialog: PatientDialog) -> PatientInfo:
    assert dialog.result_patient is not None, dialog.error.text()
    return patient_service.get(dialog.session.ctx, dialog.result_patient.id)


@shown_dialog
def test_an_untouched_form_starts_empty_and_says_what_is_missing(
    qtbot, sqlite_db, home, people, british
) -> None:
    dialog = reception_dialog(qtbot, sqlite_db, home, people)
    assert dialog.dob.text() == "" and dialog.dob.date() is None
    assert dialog.dob.edit.placeholderText() == "DD/MM/YYYY"
    assert dialog.sex.currentIndex() == -1 and dialog.sex.currentText() == ""
    click_save(qtbot, dialog)
    assert dialog.result_patient is None
    assert dialog.error.text() == (
        "⚠ Still to fill in: given name, family name, date of birth and sex at birth."
    )
    assert patient_service.count(dialog.session.ctx) == 0
    type_names(qtbot, dialog)
    click_save(qtbot, dialog)
    assert dialog.error.text() == "⚠ Still to fill in: date of birth and sex at birth."
    assert QApplication.focusWidget() is dialog.dob.edit
    qtbot.keyClicks(dialog.dob.edit, "16/07/1965")
    click_save(qtbot, dialog)
    assert dialog.error.text() == "⚠ Still to fill in: sex at birth."
    assert QApplication.focusWidget() is dialog.sex
    assert patient_service.count(dialog.session.ctx) == 0
    qtbot.keyClicks(dialog.sex, "m")
    click_save(qtbot, dialog)
    patient = saved(dialog)
    assert patient.date_of_birth == dt.date(1965, 7, 16)
    assert patient.sex_at_birth == "male"


@shown_dialog
@pytest.mark.parametrize(
    "typed", ["16/07/1965", "16/7/1965", "1965-07-16", "19650716", "16.07.1965"]
)
def test_a_date_of_birth_typed_in_any_accepted_form_is_saved_as_typed(
    qtbot, sqlite_db, home, people, british, typed
) -> None:
    dialog = reception_dialog(qtbot, sqlite_db, home, people)
    type_names(qtbot, dialog)
    qtbot.keyClick(dialog.family, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.dob.edit, typed)
    age = age_on(dt.date(1965, 7, 16), dt.date.today())
    assert dialog.dob.summary.text() == f"16 July 1965 · {age} years"
    choose_sex(qtbot, dialog)
    click_save(qtbot, dialog)
    patient = saved(dialog)
    assert patient.date_of_birth == dt.date(1965, 7, 16)
    assert patient.sex_at_birth == "female"


@shown_dialog
def test_tabbing_back_or_selecting_all_and_retyping_replaces_the_whole_date(
    qtbot, sqlite_db, home, people, british
) -> None:
    dialog = reception_dialog(qtbot, sqlite_db, home, people)
    type_names(qtbot, dialog)
    qtbot.keyClick(dialog.family, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.dob.edit
    qtbot.keyClicks(dialog.dob.edit, "1965-07-16")
    assert dialog.dob.date() == dt.date(1965, 7, 16)
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.sex
    qtbot.keyClick(dialog.sex, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.dob.edit
    qtbot.keyClicks(dialog.dob.edit, "19650717")  # tabbing in selected the whole date
    assert dialog.dob.text() == "19650717"
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.dob.edit, "16/07/1965")
    assert dialog.dob.text() == "16/07/1965"
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.sex, "i")
    click_save(qtbot, dialog)
    patient = saved(dialog)
    assert patient.date_of_birth == dt.date(1965, 7, 16)
    assert patient.sex_at_birth == "intersex"


def too_old() -> str:
    today = dt.date.today()
    born = today.replace(year=today.year - 120) if (today.month, today.day) != (2, 29) else None
    return (born or dt.date(today.year - 120, 2, 28)).isoformat()


@shown_dialog
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2023-02-30", "There is no 30 February 2023: February 2023 has 28 days."),
        ("30/02/2023", "There is no 30 February 2023: February 2023 has 28 days."),
        ("1965-13-01", "There is no month 13"),
        ("07/16/1965", "There is no month 16"),
        ("16/07/65", "type the year with four digits (DD/MM/YYYY)"),
        ("yesterday", "“yesterday” is not a date: type it as DD/MM/YYYY, YYYY-MM-DD or YYYYMMDD."),
        (f"{dt.date.today().year + 1}-01-01", "is in the future"),
        ("too old", "years ago: a date 120 or more years ago is refused. Check the year."),
    ],
)
def test_an_impossible_or_implausible_date_is_refused_with_a_clear_message(
    qtbot, sqlite_db, home, people, british, typed, message
) -> None:
    typed = too_old() if typed == "too old" else typed
    dialog = reception_dialog(qtbot, sqlite_db, home, people)
    type_names(qtbot, dialog)
    qtbot.keyClick(dialog.family, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.dob.edit, typed)
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_Tab)  # leaving the field shows the problem
    assert dialog.dob.date() is None
    assert message in dialog.dob.summary.text()
    assert dialog.dob.summary.text().startswith("⚠ ")
    qtbot.keyClicks(dialog.sex, "f")
    click_save(qtbot, dialog)
    assert dialog.result_patient is None
    assert dialog.error.text().startswith("⚠ Date of birth: ")
    assert message in dialog.error.text()
    assert QApplication.focusWidget() is dialog.dob.edit
    assert patient_service.count(dialog.session.ctx) == 0


@shown_dialog
def test_119_years_ago_is_accepted(qtbot, sqlite_db, home, people, british) -> None:
    today = dt.date.today()
    born = dt.date(today.year - 120, 12, 31) if today < dt.date(today.year, 12, 31) else today
    born = born if age_on(born, today) == 119 else dt.date(today.year - 119, 1, 1)
    dialog = reception_dialog(qtbot, sqlite_db, home, people)
    type_names(qtbot, dialog)
    type_into(qtbot, dialog.dob.edit, born.strftime("%d/%m/%Y"))
    assert dialog.dob.summary.text().endswith(" · 119 years")
    choose_sex(qtbot, dialog)
    click_save(qtbot, dialog)
    assert saved(dialog).date_of_birth == born


@shown_dialog
def test_editing_shows_the_saved_date_and_sex_and_saves_a_retyped_date(
    qtbot, sqlite_db, home, people, british
) -> None:
    ctx = ServiceContext(sqlite_db)
    patient = factories.patient(ctx, people["reception"])
    dialog = reception_dialog(qtbot, sqlite_db, home, people, patient)
    assert dialog.dob.text() == "02/04/1990"
    assert dialog.dob.summary.text().startswith("2 April 1990 · ")
    assert dialog.sex.currentData() == "female"
    qtbot.mouseClick(dialog.dob.edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.dob.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.dob.edit, "1990-02-04")
    click_save(qtbot, dialog)
    changed = saved(dialog)
    assert changed.date_of_birth == dt.date(1990, 2, 4)
    assert changed.sex_at_birth == "female"


def test_the_patient_page_shows_the_date_of_birth_in_words(
    qtbot, sqlite_db, home, people, british
) -> None:
    patient = factories.patient(ServiceContext(sqlite_db), people["reception"])
    page = page_for(qtbot, sqlite_db, home, people["reception"])
    page.set_patient(patient)
    age = age_on(dt.date(1990, 4, 2), dt.date.today())
    assert page.identity["born"].text() == f"2 April 1990 · {age} years"


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
    dialog.dob.setText(born.isoformat())
    dialog.sex.setCurrentIndex(0)
    missing = [label for _key, label in dialog.missing()]
    expected_error: str | None
    if missing:
        expected_error = (
            "Still to fill in: "
            + (missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1])
            + "."
        )
    elif dialog.dob.error() is not None:
        expected_error = "Date of birth: " + dialog.dob.error()
    else:
        assert dialog.dob.date() == born
        try:
            patient_service.validate(dialog.draft(), region=phone_region(session))
        except ValidationError as exc:
            # How a phone number is read depends on the clinic: any phone message will do.
            expected_error = "Phone number" if exc.field == "phone" else exc.message
        else:
            expected_error = None
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving())  # the save runs off the GUI thread
    after = patient_service.count(session.ctx)
    if expected_error is None:
        assert dialog.result_patient is not None
        assert after == before + 1
    else:
        assert dialog.result_patient is None
        assert after == before
        if expected_error == "Phone number":
            assert dialog.error.text().startswith("⚠ Phone number")
        else:
            assert dialog.error.text() == "⚠ " + expected_error
    dialog.close()
