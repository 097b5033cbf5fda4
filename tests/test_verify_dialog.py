"""Manager > Verify a form…: the dialog checks a chosen or dropped PDF off the GUI thread
and says each check's result in plain words, with the signer: a good form verified, a
form whose embedded record was replaced not, a file that cannot be read refused."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest
import rfc8785
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from consult.documents.consent_pdf import render_consent_pdf
from consult.domain.consent_document import SCHEMA, seal
from consult.proof import identity
from consult.proof.signing import sign_form
from consult.store.services.context import ServiceContext
from consult.ui.manager import verify_dialog
from consult.ui.manager.verify_dialog import VerifyFormDialog
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from tests import factories
from tests.consent_samples import sample_doc
from tests.screening_support import shipped

CLINIC = "Harley Regenerative Clinic"


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A good signed form, one whose embedded record was replaced, and the clinic's
    config directory (its signing identity)."""
    folder = tmp_path_factory.mktemp("forms")
    config = folder / "config"
    config.mkdir()
    made, _ = identity.load_or_create(config, CLINIC)
    sealed = seal({**sample_doc(), "schema": SCHEMA})
    pdf = render_consent_pdf(
        sealed.document, sealed.sha256, labels=shipped(), record=sealed.canonical
    )
    signed = sign_form(
        pdf,
        document_number=str(sealed.document["document_number"]),
        record_sha256=sealed.sha256,
        identity=made,
        signer_name=CLINIC,
    ).data
    good = folder / "good.pdf"
    good.write_bytes(signed)
    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    stream = writer.root_object["/AF"][0].get_object()["/EF"]["/F"].get_object()
    record = json.loads(stream.get_data())
    record["patient"]["full_name"] = "Someone Else"
    stream.set_data(rfc8785.dumps(record))
    out = io.BytesIO()
    writer.write(out)
    tampered = folder / "tampered.PDF"
    tampered.write_bytes(out.getvalue())
    assert PdfReader(io.BytesIO(out.getvalue())).pages  # still a readable PDF
    return {"good": good, "tampered": tampered, "config": config}


@pytest.fixture
def dialog(qtbot, forms) -> VerifyFormDialog:
    widget = VerifyFormDialog(forms["config"])
    qtbot.addWidget(widget)
    return widget


def _check(qtbot, dialog: VerifyFormDialog, path: Path):
    with qtbot.waitSignal(dialog.checked, timeout=60_000) as blocker:
        dialog.verify(path)
        assert not dialog.choose_button.isEnabled()  # while it is checked
    return blocker.args[0]


def test_a_good_form_is_verified_in_plain_words(qtbot, dialog, forms, monkeypatch):
    threads: list[threading.Thread] = []
    real = verify_dialog.check_file

    def watched(path: Path, config: Path):
        threads.append(threading.current_thread())
        return real(path, config)

    monkeypatch.setattr(verify_dialog, "check_file", watched)
    report = _check(qtbot, dialog, forms["good"])
    assert threads and threads[0] is not threading.main_thread()  # off the GUI thread
    assert report.ok and dialog.report is report
    assert dialog.verdict.text().endswith(
        "✔ Verified: the clinic signed this form, and it is unchanged since.</span>"
    )
    assert dialog.signer.text() == f"Signed by: {CLINIC}"
    assert dialog.status.text() == "good.pdf: C-2026-000123"
    lines = dialog.result_lines()
    assert lines[0].startswith("Passed: The clinic's digital signature: intact")
    assert any(line.startswith("Passed: Who signed: Harley") for line in lines)
    assert any(line.startswith("Passed: The record inside the form: consent-") for line in lines)
    assert any(line.startswith("Passed: The pages show that record: ") for line in lines)
    assert any(line.startswith("Note: Time of signing: none (PAdES B-B)") for line in lines)
    shown = dialog.results.toPlainText()
    assert "✔ Passed — The record inside the form" in shown
    assert dialog.choose_button.isEnabled() and not dialog.error.isVisibleTo(dialog)


def test_a_form_with_its_record_replaced_is_not_verified(qtbot, dialog, forms):
    report = _check(qtbot, dialog, forms["tampered"])
    assert not report.ok and "embedded record" in report.failed
    verdict = dialog.verdict.text()
    assert "✘ Not verified: " in verdict and "The record inside the form" in verdict
    lines = dialog.result_lines()
    assert any(
        line.startswith("Failed: The record inside the form: consent-")
        and "not the record sealed" in line
        for line in lines
    )
    assert any(line.startswith("Failed: The pages show that record:") for line in lines)
    assert "✘ Failed — The record inside the form" in dialog.results.toPlainText()


def _drag(kind, dialog: VerifyFormDialog, urls: list[QUrl]):
    data = QMimeData()
    data.setUrls(urls)
    event = kind(
        QPointF(20, 20).toPoint() if kind is QDragEnterEvent else QPointF(20, 20),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(dialog, event)
    return event


# PySide marks QDragEnterEvent's one constructor deprecated; Qt has no other to make one.
@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent.*deprecated:DeprecationWarning")
def test_a_pdf_dropped_on_the_dialog_is_checked(qtbot, dialog, forms):
    other = forms["good"].with_suffix(".txt")
    assert not _drag(QDragEnterEvent, dialog, [QUrl.fromLocalFile(str(other))]).isAccepted()
    two = [QUrl.fromLocalFile(str(forms["good"]))] * 2
    assert not _drag(QDragEnterEvent, dialog, two).isAccepted()
    assert not _drag(QDragEnterEvent, dialog, [QUrl("https://example.org/form.pdf")]).isAccepted()
    url = QUrl.fromLocalFile(str(forms["tampered"]))  # .PDF in capitals: still a PDF
    assert _drag(QDragEnterEvent, dialog, [url]).isAccepted()
    with qtbot.waitSignal(dialog.checked, timeout=60_000) as blocker:
        assert _drag(QDropEvent, dialog, [url]).isAccepted()
    assert not blocker.args[0].ok
    assert dialog.status.text().startswith("tampered.PDF: ")


def test_a_chosen_file_is_checked_and_cancelling_checks_nothing(qtbot, dialog, forms, monkeypatch):
    monkeypatch.setattr(dialog, "ask_for_file", lambda: None)
    dialog.choose()
    assert dialog.report is None and dialog.status.text() == ""
    monkeypatch.setattr(dialog, "ask_for_file", lambda: forms["good"])
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.choose()
    assert dialog.report is not None and dialog.report.ok


def test_a_file_that_cannot_be_read_is_refused_with_the_reason(qtbot, dialog, tmp_path):
    missing = tmp_path / "missing.pdf"
    with qtbot.waitSignal(dialog.refused, timeout=30_000) as blocker:
        dialog.verify(missing)
    assert blocker.args[0] == "missing.pdf cannot be checked: No such file or directory"
    assert dialog.error.isVisibleTo(dialog) and "missing.pdf" in dialog.error.text()
    assert dialog.choose_button.isEnabled() and dialog.report is None
    # Not a PDF at all: checked, and nothing proved.
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    with qtbot.waitSignal(dialog.checked, timeout=30_000) as checked:
        dialog.verify(junk)
    assert checked.args[0].failed == ["file"]
    (line,) = dialog.result_lines()
    assert line.startswith("Failed: The file: not a readable PDF")
    assert "✘ Not verified: The file." in dialog.verdict.text()


def test_a_check_still_running_when_the_dialog_closes_is_not_shown(qtbot, forms):
    widget = VerifyFormDialog(forms["config"])
    qtbot.addWidget(widget)
    shown: list[object] = []
    widget.checked.connect(shown.append)
    widget.verify(forms["good"])
    assert not widget.choose_button.isEnabled()
    widget.verify(forms["tampered"])  # one at a time: ignored while the first runs
    widget.reject()
    assert QThreadPool.globalInstance().waitForDone(60_000)
    qtbot.wait(100)  # the result's delivery, queued to the GUI thread
    assert shown == [] and widget.report is None


def test_the_manager_menu_offers_verify_a_form_to_managers_only(
    qtbot, sqlite_db, home, monkeypatch
):
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    people = factories.staff(ServiceContext(sqlite_db, workstation="test-workstation"))
    menu = window.manager_menu
    assert not menu.menuAction().isVisible()  # nobody signed in
    window.session.set_user(people["practitioner"])
    assert not menu.menuAction().isVisible()
    window.session.set_user(people["manager"])
    assert menu.menuAction().isVisible()
    assert menu.title() == "Manager" and window.verify_action.text() == "&Verify a form…"
    assert menu.actions() == [window.verify_action]
    opened: list[tuple[Path, object]] = []
    monkeypatch.setattr(
        VerifyFormDialog,
        "run",
        classmethod(lambda cls, config, parent: opened.append((config, parent))),
    )
    window.verify_action.trigger()
    assert opened == [(home.config, window)]
