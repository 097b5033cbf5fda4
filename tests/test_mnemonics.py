"""No Alt key means two things: every top-level page, step and dialog is walked, for each
role, and no two visible buttons, labels, tabs or menus in one window share a mnemonic.

Standard dialog buttons are counted as GNOME and KDE name them ("&Save", "&Cancel"),
where they claim a letter too.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QWidget,
)

from consult.store.database import Database
from consult.store.services import consents
from consult.store.services import consultation_overview as overview
from consult.store.services import consultations as consultation_service
from consult.store.services import products as product_service
from consult.store.services.context import ServiceContext
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.manager.product_dialogs import LotDialog, ProductDialog
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.manager.record_dialog import RecordDialog
from consult.ui.manager.user_dialogs import ResetPasswordDialog, UserDialog
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.shell.change_password import ChangePasswordDialog
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import mnemonic
from consult.ui.widgets.form_copies import FormPreviewDialog
from tests import factories
from tests.consent_reading import read_through
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one
from tests.signin_support import wait_for_sign_in
from tests.test_consent_step import fill, sign_both
from tests.test_consultation_wizard import answer_all, plan

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

# How the desktops' platform themes name the standard buttons.
DESKTOP_BUTTONS = {
    QDialogButtonBox.StandardButton.Ok: "&OK",
    QDialogButtonBox.StandardButton.Save: "&Save",
    QDialogButtonBox.StandardButton.Cancel: "&Cancel",
    QDialogButtonBox.StandardButton.Close: "&Close",
    QDialogButtonBox.StandardButton.Discard: "&Discard",
    QDialogButtonBox.StandardButton.Apply: "&Apply",
    QDialogButtonBox.StandardButton.Yes: "&Yes",
    QDialogButtonBox.StandardButton.No: "&No",
}


def claims(window: QWidget) -> dict[str, list[str]]:
    """Every mnemonic letter the visible widgets of ``window`` claim, and by whom."""
    found: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        key = mnemonic(text or "")
        if key is not None:
            found.setdefault(key, []).append(f"{what} {text!r}")

    for widget in [window, *window.findChildren(QWidget)]:
        if widget.window() is not window or not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton):
            box = widget.parentWidget()
            text = widget.text()
            if isinstance(box, QDialogButtonBox):
                standard = box.standardButton(widget)
                text = DESKTOP_BUTTONS.get(standard, text)
            add(text, type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "label")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    add(widget.tabText(index), "tab")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.isVisible():
                    add(action.text(), "menu")
    return found


def clashes(window: QWidget) -> dict[str, list[str]]:
    return {key: who for key, who in claims(window).items() if len(who) > 1}


class Walk:
    """What was seen, window by window; every clash is reported at once at the end."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen = 0

    def check(self, where: str, window: QWidget) -> None:
        QCoreApplication.processEvents()
        self.seen += 1
        for key, who in clashes(window).items():
            self.problems.append(f"{where}: Alt+{key.upper()} is {' and '.join(who)}")

    def tabs(self, where: str, window: MainWindow) -> None:
        workspace = window.workspace
        for index in range(workspace.count()):
            if workspace.isTabVisible(index):
                workspace.setCurrentIndex(index)
                self.check(f"{where}, tab {workspace.tabText(index)!r}", window)

    def dialog(self, where: str, dialog: QDialog) -> None:
        dialog.show()
        self.check(where, dialog)
        dialog.reject()
        dialog.deleteLater()


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


def window_for(qtbot, db: Database, home, username: str) -> MainWindow:
    window = MainWindow(AppSession(db, home))
    qtbot.addWidget(window)
    window.show()
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace)
    return window


def test_the_first_run_and_sign_in_pages(qtbot, sqlite_db: Database, home) -> None:
    walk = Walk()
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    window.show()
    walk.check("first run", window)
    factories.staff(ServiceContext(sqlite_db))
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    window.show()
    walk.check("sign in", window)
    window.sign_in.username.setText("doc")
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    window.idle_lock.lock()
    walk.check("locked screen", window)
    assert walk.problems == []


def test_every_page_and_step_of_a_practitioner(
    qtbot, sqlite_db: Database, home, clinic, monkeypatch
) -> None:
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))
    walk = Walk()
    signed = sign_one(clinic)  # a consented consultation today
    window = window_for(qtbot, sqlite_db, home, "doc")
    clinical = window.workspace.clinical
    walk.tabs("practitioner", window)
    patient = factories.patient(clinic["practitioner"], clinic["users"]["practitioner"])
    clinical.show_patient(patient)
    qtbot.waitUntil(lambda: clinical.patient_page.status.text() != "Loading…")
    walk.tabs("practitioner with a patient open", window)

    # The wizard, step by step: two treatments, findings to decide.
    clinical.patient_page.start_consultation()
    qtbot.waitUntil(lambda: clinical.consultation.wizard is not None)  # started off the GUI thread
    wizard = clinical.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    made = {p.treatment_id: p for p in product_service.list_products(clinic["practitioner"])}
    plan(wizard, "ha_filler", {"products": made})
    walk.check("wizard: treatments (one)", window)
    wizard.treatments_page.add_button.click()
    walk.check("wizard: treatments (two rows)", window)
    wizard.treatments_page.remove_row(wizard.treatments_page.rows[1])
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)  # saved off the GUI thread
    walk.check("wizard: intake", window)
    answer_all(
        wizard,
        {
            "anticoagulants": ["warfarin"],
            "keloid_history": "yes",
            "recent_dental_or_vaccine": "yes",
        },
    )
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.page == "screening"
    assert sum(len(box.findings) for box in wizard.screening_page.boxes) >= 2
    walk.check("wizard: screening with findings", window)
    # Each decision is stored off the GUI thread, and the findings are shown again after it.
    for _ in range(20):  # a refused decision would leave it pending: the summary check fails
        pending = [f for b in wizard.screening_page.boxes for f in b.findings if f.pending]
        if not pending:
            break
        finding = pending[0]
        if finding.justification is not None:
            finding.justification.setPlainText(
                "INR checked today at 2.1; cannula, firm pressure afterwards."
            )
        finding.button.click()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: not wizard.busy)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.page == "summary"
    walk.check("wizard: summary", window)

    # The consent step, before and after sealing.
    dialog = clinical.open_consent(wizard.info.id)
    qtbot.waitUntil(lambda: not dialog.loading)  # what to sign is read off the GUI thread
    step = dialog.step
    assert step is not None
    walk.check("consent: signing", dialog)
    read_through(qtbot, step.text_view)
    fill(step)
    sign_both(step)
    step.sign_button.click()
    qtbot.waitUntil(lambda: step.info is not None, timeout=20000)
    walk.check("consent: sealed", dialog)
    dialog.discard()

    # A finished consultation, read-only.
    info = consultation_service.get(clinic["practitioner"], signed.consultation_id)
    row = next(r for r in overview.today(clinic["practitioner"]) if r.consultation.id == info.id)
    clinical.open_record(row)
    qtbot.waitUntil(lambda: clinical.record_dialog is not None)  # read off the GUI thread
    record = clinical.record_dialog
    assert record is not None
    qtbot.waitUntil(lambda: record.is_loaded)  # its forms read off the GUI thread
    walk.check("consultation record", record)
    record.reject()
    assert walk.problems == [], "\n".join(walk.problems)
    assert walk.seen >= 12


@pytest.mark.parametrize("username", ["desk", "boss"])
def test_every_page_of_reception_and_of_a_manager(
    qtbot, sqlite_db: Database, home, clinic, username: str
) -> None:
    walk = Walk()
    sign_one(clinic)
    window = window_for(qtbot, sqlite_db, home, username)
    walk.tabs(username, window)
    patient = factories.patient(clinic["practitioner"], clinic["users"]["practitioner"])
    window.workspace.clinical.show_patient(patient)
    walk.tabs(f"{username} with a patient open", window)
    assert walk.problems == [], "\n".join(walk.problems)


def test_every_dialog(qtbot, sqlite_db: Database, home, clinic) -> None:
    walk = Walk()
    signed = sign_one(clinic)
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])
    patient = factories.patient(clinic["practitioner"], clinic["users"]["practitioner"])
    product = product_service.list_products(clinic["manager"])[0]
    parent = QWidget()
    qtbot.addWidget(parent)
    walk.dialog("register a patient", PatientDialog(session, None, parent))
    walk.dialog("edit a patient", PatientDialog(session, patient, parent))
    walk.dialog(
        "change password",
        ChangePasswordDialog(session.ctx, clinic["users"]["manager"], False, parent),
    )
    walk.dialog(
        "forced password change",
        ChangePasswordDialog(session.ctx, clinic["users"]["manager"], True, parent),
    )
    walk.dialog("add a product", ProductDialog(session, None, parent))
    walk.dialog("edit a product", ProductDialog(session, product, parent))
    walk.dialog("add a lot", LotDialog(session, product, parent))
    walk.dialog("add a user", UserDialog(session, None, parent))
    walk.dialog("edit a user", UserDialog(session, clinic["users"]["practitioner"], parent))
    walk.dialog(
        "reset a password", ResetPasswordDialog(session, clinic["users"]["practitioner"], parent)
    )
    walk.dialog("reason", ReasonDialog("Void", "Why?", parent))
    record = RecordDialog(session, signed.id, parent)
    record.show()
    qtbot.waitUntil(lambda: record.is_loaded)  # read off the GUI thread
    for index in range(record.tabs.count()):
        record.tabs.setCurrentIndex(index)
        walk.check(f"register record, tab {record.tabs.tabText(index)!r}", record)
    record.reject()
    pdf = consents.print_preview(session.ctx, signed.id, kb=knowledge())
    walk.dialog("print preview", FormPreviewDialog(pdf, "C-1", "Print cop&y…", whole=True))
    assert walk.problems == [], "\n".join(walk.problems)
    assert QApplication.instance() is not None


def test_the_walk_sees_a_clash(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QPushButton("&Sign", window))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save, window)
    layout.addWidget(buttons)
    hidden = QPushButton("&Hidden", window)
    layout.addWidget(QPushButton("&History", window))
    hidden.hide()
    window.show()
    assert set(clashes(window)) == {"s"}  # the hidden button claims nothing
    assert mnemonic("Fish && &Chips") == "c"
    assert mnemonic("No mnemonic && here") is None
