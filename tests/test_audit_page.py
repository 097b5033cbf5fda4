"""The manager's audit log page: filters, paging, CSV export and the integrity check."""

from __future__ import annotations

import csv
import datetime as dt
import os

import pytest
from sqlalchemy import text

from consult.store import audit, integrity
from consult.store.database import Database
from consult.store.services import audit_log
from consult.store.services import patients as patient_service
from consult.store.services.audit_log import AuditFilter
from consult.store.services.context import ServiceContext
from consult.ui.manager.audit_model import AuditTableModel
from consult.ui.manager.audit_page import AuditPage
from consult.ui.shell.session import AppSession
from tests import factories
from tests.signin_support import wait_for_sign_in

SHOTS = os.environ.get("CONSULT_SHOTS")


@pytest.fixture
def clinic(sqlite_db: Database):
    ctx = ServiceContext(sqlite_db)
    staff = factories.staff(ctx)
    desk = ctx.signed_in(staff["reception"])
    zoe = patient_service.register(desk, factories.draft("Zoë", "Lefèvre"))
    ana = patient_service.register(desk, factories.draft("Ana", "Silva"))
    for _ in range(3):
        patient_service.get(desk, zoe.id)
    patient_service.get(ctx.signed_in(staff["practitioner"]), ana.id)
    return {"ctx": ctx, "staff": staff, "zoe": zoe, "ana": ana}


@pytest.fixture
def page(qtbot, sqlite_db, home, clinic) -> AuditPage:
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["staff"]["manager"])
    widget = AuditPage(session)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitSignal(widget.loaded):
        widget.activate()
    return widget


def _events(model: AuditTableModel) -> list[str]:
    return [model.entry(row).event for row in range(model.rowCount())]


def test_the_service_filters_in_the_database(clinic) -> None:
    boss = clinic["ctx"].signed_in(clinic["staff"]["manager"])
    desk_id = clinic["staff"]["reception"].id
    assert audit_log.count(boss, AuditFilter(user_id=desk_id, event="patient.viewed")) == 3
    assert audit_log.count(boss, AuditFilter(patient="lefe")) == 4  # created + 3 views
    assert audit_log.count(boss, AuditFilter(patient=str(clinic["ana"].id))) == 2
    assert audit_log.count(boss, AuditFilter(event="patient.")) == 6
    today = dt.datetime.now(dt.UTC).date()
    assert audit_log.count(boss, AuditFilter(since=today, until=today)) == audit_log.count(
        boss, AuditFilter()
    )
    assert audit_log.count(boss, AuditFilter(until=today - dt.timedelta(days=1))) == 0
    first = audit_log.page(boss, AuditFilter(), limit=3)
    second = audit_log.page(boss, AuditFilter(), before_id=first[-1].id, limit=3)
    assert [r.id for r in first + second] == sorted((r.id for r in first + second), reverse=True)
    assert len({r.id for r in first + second}) == 6


def test_the_page_filters_by_user_patient_event_and_date(qtbot, page, clinic) -> None:
    assert page.model.rowCount() == audit_log.count(
        clinic["ctx"].signed_in(clinic["staff"]["manager"]), page.current_filter()
    )
    page.user.setCurrentIndex(page.user.findData(clinic["staff"]["reception"].id))
    page.event_name.setCurrentText("patient.viewed")
    with qtbot.waitSignal(page.loaded):
        page.search_button.click()
    assert _events(page.model) == ["patient.viewed"] * 3
    assert {page.model.entry(r).patient_id for r in range(3)} == {clinic["zoe"].id}
    assert page.status.text() == "3 matching entries"
    page.user.setCurrentIndex(0)
    page.event_name.setCurrentText("Any event")
    page.patient.setText("Silva")
    with qtbot.waitSignal(page.loaded):
        page.search_button.click()
    assert _events(page.model) == ["patient.viewed", "patient.created"]
    page.patient.clear()
    page.since.setDate(page.since.date().addDays(-400))
    page.until.setDate(page.since.date().addDays(10))
    with qtbot.waitSignal(page.loaded):
        page.search_button.click()
    assert page.model.rowCount() == 0
    page.all_dates.setChecked(True)
    assert not page.since.isEnabled()
    with qtbot.waitSignal(page.loaded):
        page.search_button.click()
    assert page.model.rowCount() > 0
    if SHOTS:
        page.patient.setText("Zoë")
        with qtbot.waitSignal(page.loaded):
            page.search_button.click()
        page.grab().save(os.path.join(SHOTS, "audit-page.png"))


def test_pages_are_fetched_as_the_view_scrolls(qtbot, page, clinic, monkeypatch, qtmodeltester):
    with clinic["ctx"].unit_of_work() as session:
        for n in range(45):
            audit.append(session, audit.SYSTEM_ACTOR, "test.bulk", details={"n": n})
    monkeypatch.setattr(audit_log, "PAGE_SIZE", 20)
    page.all_dates.setChecked(True)
    page.event_name.setCurrentText("test.bulk")
    with qtbot.waitSignal(page.loaded):
        page.search()
    assert page.model.rowCount() == 20 and page.model.canFetchMore()
    assert "45 matching entries; 20 shown" in page.status.text()
    while page.model.canFetchMore():
        with qtbot.waitSignal(page.loaded):
            page.model.fetchMore()
    assert page.model.rowCount() == 45
    assert [page.model.entry(r).details["n"] for r in range(45)] == list(range(44, -1, -1))
    assert page.status.text() == "45 matching entries"
    qtmodeltester.check(page.model)


def test_export_writes_the_filtered_entries_as_csv(qtbot, page, clinic, tmp_path, monkeypatch):
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(AuditPage, "ask_export_path", classmethod(lambda cls, parent: target))
    page.event_name.setCurrentText("patient.")
    with qtbot.waitSignal(page.exported) as blocker:
        page.export_button.click()
    assert blocker.args == [6]
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["event"] for row in rows] == ["patient.created"] * 2 + ["patient.viewed"] * 4
    assert rows[0]["username"] == "desk" and rows[0]["patient_id"] == str(clinic["zoe"].id)
    boss = clinic["ctx"].signed_in(clinic["staff"]["manager"])
    (exported,) = audit_log.page(boss, AuditFilter(event="audit.exported"))
    assert exported.details["entries"] == 6 and exported.username == "boss"


def test_the_integrity_check_shows_what_consult_verify_prints(
    qtbot, page, clinic, sqlite_db, home
) -> None:
    with sqlite_db.session() as session:
        expected = integrity.verify(session, home.backups).lines()
        head = audit.head(session)
    assert head is not None
    with qtbot.waitSignal(page.checked, timeout=10_000) as blocker:
        page.check_button.click()
    assert blocker.args[0].ok
    assert page.report.toPlainText().splitlines() == expected
    assert f"head: entry {head[0]}, hash {head[1]}" in page.report.toPlainText()
    assert f"key {audit.key_id(sqlite_db.audit_key)}" in page.report.toPlainText()
    assert page.progress.text() == "Everything holds"
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET username = 'mallory' WHERE id = 3"))
    with qtbot.waitSignal(page.checked, timeout=10_000) as blocker:
        page.check_button.click()
    assert not blocker.args[0].ok
    assert "audit entry 3: its content does not match its hash" in page.report.toPlainText()
    assert page.progress.text() == "Problems found"
    boss = clinic["ctx"].signed_in(clinic["staff"]["manager"])
    checks = audit_log.page(boss, AuditFilter(event="integrity.checked"))
    assert [c.details["ok"] for c in checks] == [False, True]
    if SHOTS:
        page.grab().save(os.path.join(SHOTS, "audit-integrity.png"))


def test_the_audit_log_is_for_managers_only(qtbot, sqlite_db, home, clinic) -> None:
    from consult.ui.shell.main_window import MainWindow

    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    for username, visible in (("desk", False), ("doc", False), ("boss", True)):
        window.sign_in.username.setText(username)
        window.sign_in.password.setText(factories.PASSWORD)
        window.sign_in.button.click()
        wait_for_sign_in(window.sign_in)  # checked off the GUI thread
        tabs = window.workspace
        for key in ("users", "audit"):
            assert (tabs.page(key) is not None) is visible
        window.sign_out()
