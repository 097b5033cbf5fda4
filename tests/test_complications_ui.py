"""Complications in the interface: a practitioner records one from the consultation
record; managers list the open ones (most severe first), edit one and make its report for
the national scheme. Screenshots of the page and the form at 1366x768 and 1024x700, light
and dark (``CONSULT_SCREENSHOTS=dir`` keeps them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.store.services import complications
from consult.store.services.context import ServiceContext
from consult.ui.consultation.complication_dialog import ComplicationDialog
from consult.ui.consultation.record import ConsultationRecordDialog
from consult.ui.manager import complications_page
from consult.ui.manager.complication_report import ComplicationReportDialog
from consult.ui.manager.complications_page import ComplicationsPage, ComplicationTableModel
from consult.ui.shell.session import AppSession
from tests import security_support
from tests.screen_support import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["palette"]  # the fixture


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, ServiceContext]:
    return security_support.contexts(ServiceContext(sqlite_db))


def session_as(sqlite_db: Database, home: Any, ctx: ServiceContext) -> AppSession:
    session = AppSession(sqlite_db, home)
    session.set_user(ctx.user)
    return session


def events(clinic: dict[str, ServiceContext]) -> list[complications.ComplicationInfo]:
    """Two open events (a serious one and a mild one) and a resolved one."""
    doc = clinic["practitioner"]
    made = []
    for family, category, severity, outcome in (
        ("Mild", "bruising", "mild", "ongoing"),
        ("Serious", "vascular_occlusion", "serious", "ongoing"),
        ("Done", "swelling", "moderate", "resolved"),
    ):
        _, info, _ = security_support.signed_consent(clinic, given="Iris", family=family)
        made.append(
            complications.record(
                doc,
                info.id,
                security_support.TREATMENT,
                complications.ComplicationDraft(
                    category=category,
                    description="Blanching and livedo over the left nasolabial fold",
                    noticed_on=dt.date.today(),
                    severity=severity,
                    action_taken="Hyaluronidase 1500 IU, warm compress, aspirin",
                    outcome=outcome,
                    follow_up_on=dt.date.today() + dt.timedelta(days=2),
                ),
            )
        )
    return made


def test_a_practitioner_records_one_from_the_consultation_record(
    qtbot, sqlite_db, home, clinic
) -> None:
    patient, info, _ = security_support.signed_consent(clinic, given="Jon", family="Record")
    session = session_as(sqlite_db, home, clinic["practitioner"])
    record = ConsultationRecordDialog(session, info, patient, "Dr Dana Doe")
    qtbot.addWidget(record)
    qtbot.waitUntil(lambda: record.is_loaded)
    assert not record.complication_button.isHidden()
    dialog = ComplicationDialog(
        session, consultation_id=info.id, treatment_ids=[security_support.TREATMENT], parent=record
    )
    qtbot.addWidget(dialog)
    dialog.category.setCurrentIndex(dialog.category.findData("other"))
    dialog.save()  # "other" needs a description: refused at its field
    qtbot.waitUntil(lambda: not dialog.is_saving())
    assert dialog.saved is None and dialog.form.errors["description"].isVisibleTo(dialog)
    dialog.category.setCurrentIndex(dialog.category.findData("nodule"))
    dialog.severity.setCurrentIndex(dialog.severity.findData("serious"))
    assert dialog.serious_note.isVisibleTo(dialog)
    dialog.description.setPlainText("Firm nodule, upper lip")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving())
    assert dialog.saved is not None and dialog.saved.category == "nodule"
    assert complications.for_patient(clinic["practitioner"], patient.id)[0].severity == "serious"
    manager = session_as(sqlite_db, home, clinic["manager"])
    as_manager = ConsultationRecordDialog(manager, info, patient, "Dr Dana Doe")
    qtbot.addWidget(as_manager)
    qtbot.waitUntil(lambda: as_manager.is_loaded)
    assert as_manager.complication_button.isHidden()


def test_managers_list_open_ones_edit_and_report(
    qtbot, sqlite_db, home, clinic, monkeypatch
) -> None:
    mild, serious, _ = events(clinic)
    page = ComplicationsPage(session_as(sqlite_db, home, clinic["manager"]))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    model = page.model
    assert [model.item(r).id for r in range(model.rowCount())] == [serious.id, mild.id]
    severity = model.index(0, ComplicationTableModel.COL_SEVERITY)
    assert model.data(severity) == "Serious" and page.status.text() == "2 open complication(s)"
    shown: list[str] = []
    monkeypatch.setattr(page, "show_report", lambda event_id, made: shown.append(made.scheme.name))
    page.report_button.click()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["MHRA Yellow Card scheme"]
    resolved = complications.update(
        clinic["manager"],
        serious.id,
        serious.version,
        dataclasses.replace(serious.draft(), outcome="resolved"),
    )
    monkeypatch.setattr(complications_page.ComplicationDialog, "ask", lambda *a, **k: resolved)
    with qtbot.waitSignal(page.loaded):
        page.edit_button.click()
    assert model.rowCount() == 1 and model.item(0).id == mild.id


def test_the_report_dialog_copies_and_saves(qtbot, sqlite_db, home, clinic, monkeypatch, tmp_path):
    _, serious, _ = events(clinic)
    session = session_as(sqlite_db, home, clinic["manager"])
    made = complications.report(clinic["manager"], serious.id)
    text = complications.report_text(made, {})
    dialog = ComplicationReportDialog(session, serious.id, made.scheme.name, text, {})
    qtbot.addWidget(dialog)
    dialog.copy()
    assert QApplication.clipboard().text() == text and "Iris" not in text
    target = tmp_path / "report.txt"
    monkeypatch.setattr("consult.ui.manager.complication_report.ask_save_path", lambda *a: target)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: target.exists() and dialog.save_button.isEnabled())
    assert target.read_text(encoding="utf-8") == text
    assert dialog.status.text() == f"Saved to {target}"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_screenshots(qtbot, sqlite_db, home, clinic, tmp_path, palette, width, height) -> None:
    _, serious, _ = events(clinic)
    page = ComplicationsPage(session_as(sqlite_db, home, clinic["manager"]))
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    folder = out_dir(tmp_path)
    assert page.grab().save(str(folder / f"complications-{width}x{height}-{palette}.png"))
    form = ComplicationDialog(
        page.session,
        consultation_id=serious.consultation_id,
        treatment_ids=[serious.treatment_id],
        existing=serious,
        parent=page,
    )
    qtbot.addWidget(form)
    form.show()
    QApplication.processEvents()
    assert form.grab().save(str(folder / f"complication-form-{width}x{height}-{palette}.png"))
    made = complications.report(clinic["manager"], serious.id)
    report = ComplicationReportDialog(
        page.session, serious.id, made.scheme.name, complications.report_text(made, {}), {}, page
    )
    qtbot.addWidget(report)
    report.show()
    QApplication.processEvents()
    assert report.grab().save(str(folder / f"complication-report-{width}x{height}-{palette}.png"))
    page.leave()
