"""The reception desk and the manager's desk in the app: models, pages, dialogs, tabs."""

from __future__ import annotations

import threading

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from consult.documents.exports import ExportCancelled
from consult.store.database import Database
from consult.store.dto import RecallCriteria, RegisterFilters
from consult.store.services import consent_register, consents, reception
from consult.store.services import patients as patient_service
from consult.store.services import recall as recall_service
from consult.store.services.context import ServiceContext
from consult.ui.desk.desk_tables import DeskConsultationModel, FormTableModel
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.manager import recall_page, register_page
from consult.ui.manager.dashboard_page import DashboardPage, month_series
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.manager.recall_page import RecallPage, RecallTableModel
from consult.ui.manager.record_dialog import RecordDialog
from consult.ui.manager.register_model import RegisterTableModel
from consult.ui.manager.register_page import RegisterPage
from consult.ui.shell.session import AppSession
from consult.ui.widgets.export_panel import ExportPanel
from tests import factories
from tests.register_support import bulk_records, sign_one
from tests.register_support import clinic as make_clinic


@pytest.fixture
def clinic(sqlite_db: Database):
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def app_session(qtbot, sqlite_db: Database, home, clinic) -> AppSession:
    return AppSession(sqlite_db, home)


def _as(session: AppSession, clinic, role: str) -> AppSession:
    session.set_user(clinic["users"][role])
    return session


# --- models ---------------------------------------------------------------------------


def test_register_model_pages_and_passes_the_model_tester(qtmodeltester, clinic, sqlite_db):
    patient = patient_service.register(clinic["practitioner"], factories.draft())
    users = clinic["users"]
    bulk_records(sqlite_db, patient.id, [users["practitioner"].id, users["manager"].id], 45)
    manager = clinic["manager"]
    calls: list[object] = []

    def fetch(filters, after):
        calls.append(after)
        return consent_register.register_page(manager, filters, after=after, limit=20)

    model = RegisterTableModel(fetch, None, {"prp": "Platelet-rich plasma"})
    model.set_filters(RegisterFilters())
    assert model.rowCount() == 20 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 45 and not model.canFetchMore()
    qtmodeltester.check(model)
    model.sort(RegisterTableModel.COL_STATE, Qt.SortOrder.AscendingOrder)
    states = [model.record(r).state for r in range(model.rowCount())]
    assert states == sorted(states) and model.rowCount() == 20
    model.sort(RegisterTableModel.COL_PATIENT, Qt.SortOrder.AscendingOrder)  # not sortable
    assert model.filters.sort == "state"
    qtmodeltester.check(model)
    model.set_filters(RegisterFilters(treatment_id="prp"))
    while model.canFetchMore():
        model.fetchMore()
    assert {
        model.data(model.index(r, RegisterTableModel.COL_TREATMENT))
        for r in range(model.rowCount())
    } == {"Platelet-rich plasma"}


def test_register_model_fetches_off_the_gui_thread(qtbot, clinic, sqlite_db):
    from consult.ui.widgets.tasks import LatestOnly

    patient = patient_service.register(clinic["practitioner"], factories.draft())
    bulk_records(sqlite_db, patient.id, [clinic["users"]["practitioner"].id], 30)
    manager = clinic["manager"]
    threads: set[str] = set()

    def fetch(filters, after):
        threads.add(threading.current_thread().name)
        return consent_register.register_page(manager, filters, after=after, limit=10)

    runner = LatestOnly()
    model = RegisterTableModel(fetch, runner)
    model.set_filters(RegisterFilters(state="voided"))
    model.set_filters(RegisterFilters())  # the first request's page is dropped
    qtbot.waitUntil(lambda: model.rowCount() == 10)
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 20)
    runner.wait()
    assert threading.main_thread().name not in threads
    assert {model.record(r).state for r in range(20)} != {"voided"}


def test_desk_models_pass_the_model_tester(qtmodeltester, clinic):
    sign_one(clinic, given="Ελένη", family="Παπαδοπούλου", lot="HA-9")
    desk = clinic["reception"]
    forms = FormTableModel({"ha_filler": "HA filler"})
    forms.set_rows(reception.forms_signed_on(desk))
    assert forms.rowCount() == 1
    assert forms.data(forms.index(0, FormTableModel.COL_TREATMENT)) == "HA filler"
    assert forms.data(forms.index(0, FormTableModel.COL_STATE)) == "Signed"
    qtmodeltester.check(forms)
    visits = DeskConsultationModel({})
    visits.set_rows(reception.consultations_on(desk))
    qtmodeltester.check(visits)
    recall = RecallTableModel()
    recall.set_rows(recall_service.recall(clinic["manager"], RecallCriteria(lot="HA-9")))
    assert recall.rowCount() == 1 and recall.data(recall.index(0, 0)) == "Ελένη Παπαδοπούλου"
    qtmodeltester.check(recall)


# --- the register page and the record dialog -----------------------------------------


def test_manager_filters_voids_and_sees_it_in_the_register(qtbot, app_session, clinic, monkeypatch):
    record = sign_one(clinic)
    other = sign_one(clinic, "prp", given="Анна", family="Иванова")
    session = _as(app_session, clinic, "manager")
    page = RegisterPage(session)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and "2 record" in page.status.text())
    page.filter_bar.state.setCurrentIndex(page.filter_bar.state.findData("voided"))
    page.apply_filters()
    qtbot.waitUntil(lambda: not page.model.is_loading())
    assert page.model.rowCount() == 0
    page.reset_filters()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    page.table.selectRow(1 if page.model.record(0).id == other.id else 0)
    assert page.current().id == record.id

    dialog = RecordDialog(session, record.id, page)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    assert dialog.void_button.isEnabled() and dialog.withdraw_button.isEnabled()
    dialog.tabs.setCurrentWidget(dialog.preview)
    qtbot.waitUntil(lambda: dialog.preview.shown >= 1)  # read (logged) and drawn off the GUI thread
    monkeypatch.setattr(ReasonDialog, "ask", classmethod(lambda cls, *a: None))
    dialog.void_button.click()
    assert dialog.detail.info.state == "signed"
    monkeypatch.setattr(
        ReasonDialog, "ask", classmethod(lambda cls, *a: "Entered for the wrong patient.")
    )
    with qtbot.waitSignal(dialog.changed):
        dialog.void_button.click()
    assert dialog.detail.info.state == "voided"
    assert not dialog.void_button.isEnabled()
    events = [dialog.trail.item(r, 3).text() for r in range(dialog.trail.rowCount())]
    assert "consent.voided" in events and "consent.viewed" in events
    assert "Entered for the wrong patient." in dialog.summary.toPlainText()

    page.filter_bar.state.setCurrentIndex(page.filter_bar.state.findData("voided"))
    page.apply_filters()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.is_loading())
    assert page.model.record(0).id == record.id
    assert page.model.data(page.model.index(0, RegisterTableModel.COL_STATE)) == "Voided"
    page.leave()


def test_header_click_sorts_in_the_database(qtbot, app_session, clinic, sqlite_db):
    patient = patient_service.register(clinic["practitioner"], factories.draft())
    bulk_records(sqlite_db, patient.id, [clinic["users"]["practitioner"].id], 12)
    page = RegisterPage(_as(app_session, clinic, "manager"))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 12)
    page._header_clicked(RegisterTableModel.COL_TREATMENT)
    qtbot.waitUntil(lambda: page.model.rowCount() == 12 and not page.model.is_loading())
    assert page.model.filters.sort == "treatment_id" and not page.model.filters.descending
    page._header_clicked(RegisterTableModel.COL_TREATMENT)
    qtbot.waitUntil(lambda: page.model.rowCount() == 12 and page.model.filters.descending)
    treatments = [page.model.record(r).treatment_id for r in range(12)]
    assert treatments == sorted(treatments, reverse=True)
    page._header_clicked(RegisterTableModel.COL_PATIENT)  # not sortable: nothing changes
    assert page.model.filters.sort == "treatment_id"
    assert page.table.horizontalHeader().sortIndicatorSection() == RegisterTableModel.COL_TREATMENT
    page.leave()


def test_the_treating_practitioner_may_withdraw_reception_may_not_open(qtbot, app_session, clinic):
    record = sign_one(clinic)
    session = _as(app_session, clinic, "practitioner")
    dialog = RecordDialog(session, record.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    assert dialog.withdraw_button.isEnabled()
    session.set_user(clinic["users"]["reception"])
    refused = RecordDialog(session, record.id)
    qtbot.addWidget(refused)
    qtbot.waitUntil(lambda: refused.is_loaded)
    assert "may not" in refused.error.text() and not refused.void_button.isEnabled()


def test_export_from_the_register_page(qtbot, app_session, clinic, monkeypatch, tmp_path):
    sign_one(clinic, given='Renée "Rae"', family="O'Brien, Smith")
    page = RegisterPage(_as(app_session, clinic, "manager"))
    qtbot.addWidget(page)
    target = tmp_path / "register.csv"
    monkeypatch.setattr(register_page, "ask_save_path", lambda *a: target)
    page.csv_button.click()
    assert not page.csv_button.isEnabled()
    qtbot.waitUntil(lambda: not page.exporting.running and target.exists())
    qtbot.waitUntil(lambda: "Exported 1 record" in page.status.text())
    assert "O'Brien, Smith" in target.read_text(encoding="utf-8-sig")
    assert page.csv_button.isEnabled()


def test_an_export_can_be_cancelled(qtbot):
    from PySide6.QtWidgets import QWidget

    holder = QWidget()
    qtbot.addWidget(holder)
    panel = ExportPanel(holder)
    outcome: list[object] = []
    started = threading.Event()

    def work(progress, cancelled):
        progress(1, 10)
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise ExportCancelled("stop")

    panel.start("Exporting…", work, outcome.append, outcome.append)
    assert panel.running and panel.isVisibleTo(holder)
    started.wait(5)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome))
    assert isinstance(outcome[0], ExportCancelled) and not panel.running


# --- reception ------------------------------------------------------------------------


def test_reception_prints_reprints_and_hands_over(
    qtbot, app_session, clinic, monkeypatch, tmp_path
):
    record = sign_one(clinic, given="花子", family="山田")
    page = ReceptionPage(_as(app_session, clinic, "reception"))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.forms.rowCount() == 1 and page.visits.rowCount() == 1)
    assert not hasattr(page, "void_button")
    # Reception prints and previews; the whole form on screen is not for the desk.
    assert not page.open_button.isVisibleTo(page)
    assert page.print_button.text().replace("&", "") == "Print copy…"
    outputs = [tmp_path / "first.pdf", tmp_path / "again.pdf", tmp_path / "from-preview.pdf"]

    def printer_to_file(cls, parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(150)
        printer.setOutputFileName(str(outputs.pop(0)))
        return printer

    monkeypatch.setattr(ReceptionPage, "choose_printer", classmethod(printer_to_file))
    # Each print is logged off the GUI thread (the button is disabled until it is done);
    # then the form's row is read again.
    page.print_button.click()
    qtbot.waitUntil(lambda: page.forms.item(0).prints == 1)
    page.print_button.click()
    qtbot.waitUntil(lambda: page.forms.item(0).prints == 2)
    pages = len(PdfReader(tmp_path / "first.pdf").pages)
    assert pages >= 2 and len(PdfReader(tmp_path / "again.pdf").pages) == pages
    assert page.forms.item(0).prints == 2
    assert "Printed" in page.status.text()

    previews: list[int] = []

    def preview(cls, dialog):
        previews.append(dialog.preview.shown)
        return True  # print from the preview: to the printer dialog

    monkeypatch.setattr(ReceptionPage, "run_preview", classmethod(preview))
    page.preview_button.click()
    assert previews == [1]  # the identity and signature page only
    qtbot.waitUntil(lambda: page.forms.item(0).prints == 3)
    assert (tmp_path / "from-preview.pdf").exists() and page.forms.item(0).prints == 3
    page.handed_button.click()
    qtbot.waitUntil(lambda: page.forms.item(0).handed_over_at is not None)
    assert page.forms.item(0).handed_over_at is not None
    assert "handed to 花子 山田" in page.status.text()
    page.search.setText("山田")
    page.find_patients()
    qtbot.waitUntil(lambda: page.found.rowCount() == 1)
    page.found_table.selectRow(0)
    qtbot.waitUntil(lambda: "山田" in page.forms_title.text() and page.forms.rowCount() == 1)
    with pytest.raises(Exception, match="may not"):
        consents.add_event(page.session.ctx, record.id, "voided", "Reception tries to void.")
    page.leave()


# --- recall and dashboard -------------------------------------------------------------


def test_recall_page_searches_and_exports(qtbot, app_session, clinic, monkeypatch, tmp_path):
    sign_one(clinic, given="Søren", family="Kierkegård", lot="RX-118")
    page = RecallPage(_as(app_session, clinic, "manager"))
    qtbot.addWidget(page)
    page.search()
    assert "lot number" in page.error.text()
    qtbot.keyClicks(page.lot, "rx-118")
    qtbot.keyClick(page.lot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "1 patient" in page.status.text()
    target = tmp_path / "recall.csv"
    monkeypatch.setattr(recall_page, "ask_save_path", lambda *a: target)
    page.export_button.click()
    qtbot.waitUntil(lambda: target.exists() and not page.exporting.running)
    assert "Søren Kierkegård" in target.read_text(encoding="utf-8-sig")
    page.leave()


def test_dashboard_draws_both_charts(qtbot, app_session, clinic, sqlite_db):
    patient = patient_service.register(clinic["practitioner"], factories.draft())
    users = clinic["users"]
    bulk_records(sqlite_db, patient.id, [users["practitioner"].id, users["manager"].id], 40)
    page = DashboardPage(_as(app_session, clinic, "manager"))
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.refresh()
    qtbot.waitUntil(lambda: page.board is not None)
    months, series = month_series(page.board, {})
    assert len(months) == 12 and series and "consent" in page.status.text()
    assert len(page.rates.rows) == 2
    image = page.grab()
    assert not image.isNull()
    page.leave()
