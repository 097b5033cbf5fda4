"""The patient's language: chosen at registration, kept on the patient, changed by an edit
(and audited), refused when it is not a language code; migration 0010 gives the patients
already registered English. The patient form offers the languages by their own names and
starts at the desk's language."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from consult.store import migrate
from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.models import AuditEntry, Patient
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients import patient_dialog
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.patients.patient_page import PatientPage
from consult.ui.shell.session import AppSession
from tests import factories

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_patient_reads_in_english_unless_registered_otherwise(db: Database, ctx) -> None:
    staff = factories.staff(ctx)
    plain = factories.patient(ctx, staff["reception"])
    japanese = factories.patient(
        ctx, staff["reception"], given="花子", family="山田", language="ja"
    )
    reader = ctx.signed_in(staff["practitioner"])
    assert patient_service.get(reader, plain.id).language == "en"
    assert patient_service.get(reader, japanese.id).language == "ja"


@pytest.mark.parametrize("bad", ["", "日本語", "Japanese", "ja_JP", "x" * 17, "ja-"])
def test_a_language_that_is_not_a_language_code_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError) as refused:
        patient_service.validate(factories.draft(language=bad))
    assert refused.value.field == "language"


@pytest.mark.parametrize("good", ["en", "ja", "pt-BR", "zh-Hant"])
def test_a_language_code_is_kept(good: str) -> None:
    assert patient_service.validate(factories.draft(language=f" {good} ")).language == good


def test_changing_the_language_is_an_audited_edit(db: Database, ctx) -> None:
    staff = factories.staff(ctx)
    patient = factories.patient(ctx, staff["reception"])
    desk = ctx.signed_in(staff["reception"])
    changed = patient_service.update(
        desk, patient.id, patient.version, factories.draft(language="ja")
    )
    assert changed.language == "ja" and changed.version == patient.version + 1
    with ctx.unit_of_work() as session:
        details = session.execute(
            select(AuditEntry.details)
            .where(AuditEntry.event == "patient.updated")
            .order_by(AuditEntry.id.desc())
        ).scalar_one()
    assert details == {"fields": ["language"]}


def test_migration_0010_gives_registered_patients_english(db: Database, ctx) -> None:
    staff = factories.staff(ctx)
    factories.patient(ctx, staff["reception"], language="ja")
    migrate.downgrade(db, "0009")
    with db.engine.connect() as connection:
        columns = {c["name"] for c in sa_inspect(connection).get_columns("patient")}
    assert "language" not in columns
    migrate.upgrade(db)
    with ctx.unit_of_work() as session:
        assert session.execute(select(Patient.language)).scalars().all() == ["en"]


@pytest.fixture
def session(sqlite_db, home) -> AppSession:
    staff = factories.staff(ServiceContext(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["reception"])
    return session


def test_reception_registers_a_patient_who_reads_japanese(qtbot, session, monkeypatch) -> None:
    monkeypatch.setattr(patient_dialog, "current_language", lambda: "en")
    dialog = PatientDialog(session)
    qtbot.addWidget(dialog)
    dialog.confirm_duplicates = lambda duplicates: True  # type: ignore[method-assign]
    with qtbot.waitExposed(dialog):
        dialog.show()
    # The desk reads English, so a new patient starts in English; each language is
    # offered in its own name.
    assert dialog.language.currentData() == "en"
    assert dialog.language.findText("日本語") >= 0
    # Japanese is typed through an input method, which commits whole words (QTest can
    # only type ASCII keys).
    dialog.given.insert("花子")
    dialog.family.insert("山田")
    dialog.dob.setDate(dt.date(1990, 4, 2))
    dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_End)  # the last one offered: 日本語
    assert dialog.language.currentData() == "ja"
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.result_patient is not None, timeout=10000)
    saved = dialog.result_patient
    assert saved is not None and saved.language == "ja"

    page = PatientPage(session)
    qtbot.addWidget(page)
    page.set_patient(saved)
    assert page.identity["language"].text() == "日本語"

    edit = PatientDialog(session, saved)
    qtbot.addWidget(edit)
    assert edit.language.currentData() == "ja"


def test_a_language_the_desk_does_not_offer_is_kept_on_edit(qtbot, session) -> None:
    ctx = session.ctx
    patient = patient_service.register(ctx, factories.draft(language="pt-BR"))
    dialog = PatientDialog(session, patient)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "pt-BR"
    assert dialog.draft().language == "pt-BR"


def test_a_new_patient_starts_in_the_desk_language(qtbot, session, monkeypatch) -> None:
    monkeypatch.setattr(patient_dialog, "current_language", lambda: "ja")
    dialog = PatientDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "ja"
