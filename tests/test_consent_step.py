"""The consent step, driven through its widgets, checked against the sealed records."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)
from sqlalchemy import select

from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.store.database import Database
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.models import AuditEntry, ConsentEvent, ConsentRecord
from consult.store.services import consents
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.sealed_panel import SealedPanel
from consult.ui.consent.step import ConsentStep
from consult.ui.consent.templates import consent_templates, view_body
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from tests import factories
from tests.consent_reading import read_through
from tests.test_consultation_wizard import (
    answer_all,
    click_next,
    make_session,
    plan,
    signed_in_window,
)

# Showing a top-level window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture(autouse=True)
def no_waiting_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing with entries asks first; here the answer is "discard" unless a test says so."""
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff and one product with a lot in date for each treatment used here."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    manager = people["manager"]
    products = {
        "exosome": factories.product(ctx, manager, "exosome", "ExoGlow", source="synthetic"),
        "ha_filler": factories.product(ctx, manager, "ha_filler", "Volbella"),
    }
    return {"ctx": ctx, "people": people, "products": products}


def ready_consultation(
    session: AppSession, clinic: dict[str, Any], treatments: tuple[str, ...] = ("ha_filler",)
) -> tuple[PatientInfo, ConsultationInfo]:
    """A screened consultation whose treatments are all ready for consent (via services)."""
    kb = knowledge()
    person = factories.patient(clinic["ctx"], clinic["people"]["practitioner"])
    info = consultation_service.start(session.ctx, person.id)
    rows = [
        {
            "id": treatment,
            "route": kb.treatment(treatment).routes[0],
            "product_id": clinic["products"][treatment].id,
            "lot_id": clinic["products"][treatment].lots[0].id,
        }
        for treatment in treatments
    ]
    info = consultation_service.save(
        session.ctx,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=rows,
        answers=factories.no_answers(),
    )
    info = consultation_service.run_screening(session.ctx, info.id, info.version, kb)
    assert [r.status for r in consultation_service.reviews(info)] == ["ready"] * len(treatments)
    return person, info


@pytest.fixture
def consent(qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any]):
    """A consent dialog on screen for a one-treatment consultation (ha_filler)."""
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = ready_consultation(session, clinic)
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    return dialog, session, person, info


def show(qtbot, dialog: ConsentDialog) -> None:
    dialog.resize(1280, 800)
    dialog.show()
    qtbot.waitExposed(dialog)
    wait_loaded(qtbot, dialog)


def wait_loaded(qtbot, dialog: ConsentDialog) -> None:
    """Wait until the dialog has read what to show next (off the GUI thread) and shows it."""
    qtbot.waitUntil(lambda: not dialog.loading)


def scribble(width: int = 400, height: int = 140) -> list[list[dict[str, float]]]:
    """A looping, signature-like line."""
    return [
        [
            {
                "x": 30 + i * (width - 60) / 59 + 10 * math.cos(i / 3),
                "y": height / 2 + 25 * math.sin(i / 3),
                "t": i * 15,
                "p": 0.5,
            }
            for i in range(60)
        ]
    ]


def draw(widget: QWidget, points: list[tuple[float, float]]) -> None:
    """One mouse stroke on ``widget``: press, move through the points, release."""
    left = Qt.MouseButton.LeftButton
    for index, (x, y) in enumerate(points):
        kind = QEvent.Type.MouseButtonPress if index == 0 else QEvent.Type.MouseMove
        local = QPointF(x, y)
        event = QMouseEvent(
            kind,
            local,
            QPointF(widget.mapToGlobal(local)),
            left if index == 0 else Qt.MouseButton.NoButton,
            left,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)
    local = QPointF(*points[-1])
    release = QMouseEvent(
        QEvent.Type.MouseButtonRelease,
        local,
        QPointF(widget.mapToGlobal(local)),
        left,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, release)


def read_to_end(qtbot, step: ConsentStep) -> None:
    # Page by page, as a person reads: a jump to the end leaves what it skips unread.
    read_through(qtbot, step.text_view)
    qtbot.waitUntil(step.patient_box.pad.isEnabled)


def fill(step: ConsentStep, initials: str = "ZL", photographs: bool = True) -> None:
    """Initial every section and answer both questions (data processing: yes)."""
    for edit in step.initials.values():
        edit.setText(initials)
    for key, group in step.choices.items():
        wanted = photographs if key == "photographs" else True
        next(b for b in group.buttons() if b.property("value") is wanted).click()


def sign_both(step: ConsentStep) -> None:
    for box in step.pads.values():
        box.pad.set_strokes(scribble())


def seal(qtbot, step: ConsentStep) -> consents.ConsentInfo:
    with qtbot.waitSignal(step.sealed, timeout=20000) as signal:
        step.sign_button.click()
    info: consents.ConsentInfo = signal.args[0]
    assert step.info == info
    return info


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def audit_events(session: AppSession) -> list[str]:
    with session.ctx.unit_of_work() as db:
        return list(db.execute(select(AuditEntry.event).order_by(AuditEntry.id)).scalars())


# --- reading and signing ---------------------------------------------------------------


def test_the_patient_pad_stays_disabled_until_the_text_is_read_to_the_end(qtbot, consent) -> None:
    dialog, _session, person, _info = consent
    step = dialog.step
    assert step is not None
    pad = step.patient_box.pad
    assert not pad.isEnabled()
    assert "Scroll to the end" in pad.disabled_hint()
    assert step.practitioner_box.pad.isEnabled()
    assert step.patient_box.name() == person.full_name
    assert step.patient_box.meaning() == "Consent given"
    assert step.practitioner_box.name() == "Dr Dana Doe"
    assert step.practitioner_box.role() == "Practitioner, Doctor"
    assert step.practitioner_box.meaning() == "Consent taken"
    # Strokes offered to a disabled pad are not recorded.
    draw(pad, [(40 + 4 * i, 60 + 20 * math.sin(i / 3)) for i in range(60)])
    assert pad.is_empty()
    bar = step.text_view.verticalScrollBar()
    assert bar.maximum() > 0, "the consent text should need scrolling at 1280x800"
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(20)
    assert not pad.isEnabled()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(pad.isEnabled)
    assert pad.disabled_hint() == ""
    assert "whole text" in step.read_hint.text()


def test_every_section_has_an_initials_field_and_the_choices_have_no_default(consent) -> None:
    dialog, _session, _person, info = consent
    step = dialog.step
    assert step is not None
    text = consents.consent_text(dialog.session.ctx, info.id, "ha_filler", consent_templates())
    assert list(step.initials) == [s.id for s in text.sections]
    for section in text.sections:
        assert step.initials[section.id].accessibleName() == f"Initials for {section.heading}"
    assert set(step.choices) == {"photographs", "data_processing"}
    for group in step.choices.values():
        assert group.checkedButton() is None
        assert [b.property("value") for b in group.buttons()] == [True, False]
    kinds = (QLineEdit, QRadioButton, QPushButton)
    unnamed = [w for kind in kinds for w in step.findChildren(kind) if not w.accessibleName()]
    assert unnamed == []
    # The rendered text is what the view shows, numbered like the initials list.
    shown = step.text_view.toPlainText()
    for number, section in enumerate(text.sections, 1):
        assert f"{number}. {section.heading}" in shown


def test_an_empty_or_trivial_signature_is_refused_with_a_message(qtbot, consent) -> None:
    dialog, session, person, _info = consent
    step = dialog.step
    assert step is not None
    read_to_end(qtbot, step)
    fill(step)
    step.sign_button.click()
    assert step.patient_error.text() == "⚠ Please sign in the box."
    assert step.practitioner_error.text() == "⚠ Please sign in the box."
    assert "2 signature(s) missing" in step.message.text()
    assert QApplication.focusWidget() is step.patient_box.pad
    assert not step.busy and step.info is None
    # A dot is refused by the pad...
    step.patient_box.pad.set_strokes([[{"x": 50, "y": 50, "t": 0}, {"x": 52, "y": 51, "t": 10}]])
    step.practitioner_box.pad.set_strokes(scribble())
    step.sign_button.click()
    assert "dot or a short line" in step.patient_error.text()
    assert step.practitioner_error.text() == ""
    # ...and by the service, whose refusal is shown next to the pad too.
    step.patient_box.pad.validate = lambda: None  # type: ignore[method-assign]
    step.sign_button.click()
    qtbot.waitUntil(lambda: not step.busy and bool(step.patient_error.text()))
    assert "too small to be a signature" in step.patient_error.text()
    assert step.info is None
    assert consents.for_patient(session.ctx, person.id) == []


def test_missing_initials_and_choices_are_shown_next_to_the_field(qtbot, consent) -> None:
    dialog, session, person, _info = consent
    step = dialog.step
    assert step is not None
    dialog.activateWindow()
    step.sign_button.click()
    assert "read the text to its end" in step.message.text()
    assert "Read the consent text" in step.patient_error.text()
    assert all(e.text() == "⚠ Initials needed." for e in step.initials_errors.values())
    assert all(e.text() == "⚠ Choose yes or no." for e in step.choice_errors.values())
    read_to_end(qtbot, step)
    assert step.patient_error.text() == ""
    fill(step)
    first = next(iter(step.initials))
    step.initials[first].clear()
    step.choices["photographs"].setExclusive(False)
    for button in step.choices["photographs"].buttons():
        button.setChecked(False)
    step.choices["photographs"].setExclusive(True)
    sign_both(step)
    step.sign_button.click()
    assert step.initials_errors[first].text() == "⚠ Initials needed."
    others = [e for key, e in step.initials_errors.items() if key != first]
    assert all(not e.isVisibleTo(step) for e in others)
    assert step.choice_errors["photographs"].text() == "⚠ Choose yes or no."
    assert not step.choice_errors["data_processing"].isVisibleTo(step)
    assert "1 section(s) to initial" in step.message.text()
    assert "1 question(s) to answer yes or no" in step.message.text()
    assert step.info is None
    # Putting them right clears the messages.
    step.initials[first].setText("ZL")
    step.choices["photographs"].buttons()[1].click()
    assert not step.initials_errors[first].isVisibleTo(step)
    assert not step.message.isVisibleTo(step)
    info = seal(qtbot, step)
    document = consents.document(session.ctx, info.id)
    assert document["choices"] == {"photographs": False, "data_processing": True}
    assert consents.for_patient(session.ctx, person.id)[0].id == info.id


def test_signing_with_mouse_strokes_seals_the_record(qtbot, consent) -> None:
    dialog, session, person, info = consent
    step = dialog.step
    assert step is not None
    read_to_end(qtbot, step)
    fill(step, initials="ZL")
    pad = step.patient_box.pad
    curve = [(40 + 4.5 * i + 10 * math.sin(i / 4), 70 - 25 * math.sin(i / 5)) for i in range(70)]
    draw(pad, curve)
    assert pad.validate() is None
    assert step.patient_box.date_time_text() != ""
    step.practitioner_box.pad.set_strokes(scribble())
    strokes = pad.strokes()
    record = seal(qtbot, step)
    panel = step.sealed_panel
    assert step.stack.currentWidget() is panel
    assert record.document_number in panel.sealed_details.text()
    assert record.document_sha256[:12] in panel.sealed_details.text()
    qtbot.waitUntil(lambda: panel.preview.shown >= 1)  # read (and logged) off the GUI thread
    # The stored record is what was entered, sealed under its hash.
    [stored] = consents.for_patient(session.ctx, person.id)
    assert stored.id == record.id and stored.consultation_id == info.id
    with session.ctx.unit_of_work() as db:
        row = db.get(ConsentRecord, record.id)
        assert row is not None
        document = json.loads(row.document_json)
        assert sha256_hex(canonical_bytes(document)) == row.document_sha256
    patient_sig, practitioner_sig = document["signatures"]
    assert patient_sig["name"] == person.full_name and patient_sig["role"] == "patient"
    assert practitioner_sig["name"] == "Dr Dana Doe"
    assert practitioner_sig["qualification"] == "doctor"
    assert [[(p["x"], p["y"]) for p in s] for s in patient_sig["strokes"]] == [
        [(p["x"], p["y"]) for p in s] for s in strokes
    ]
    assert all(s["initials"] == "ZL" for s in document["template"]["sections"])
    assert document["choices"] == {"photographs": True, "data_processing": True}
    text = pdf_text(consents.pdf(session.ctx, record.id))
    assert person.full_name in text
    assert record.document_number in text
    # Done closes the dialog; the consultation is consented.
    assert panel.continue_button.text() == "&Done"
    panel.continue_button.click()
    assert not dialog.isVisible()
    assert dialog.all_signed
    assert consultation_service.get(session.ctx, info.id).status == "consented"


def test_a_full_consultation_from_the_wizard_ends_in_a_sealed_record(
    qtbot, sqlite_db, home, clinic
) -> None:
    person = factories.patient(clinic["ctx"], clinic["people"]["practitioner"], given="Ελένη")
    window = signed_in_window(qtbot, sqlite_db, home)
    window.resize(1280, 800)
    tabs = window.workspace.clinical
    tabs.show_patient(person)
    qtbot.waitUntil(lambda: tabs.patient_page.status.text() == "0 consultation(s)")
    tabs.patient_page.start_button.click()
    qtbot.waitUntil(lambda: tabs.consultation.wizard is not None)  # started off the GUI thread
    wizard = tabs.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.page == "summary" and wizard.summary_page.ready == ["ha_filler"]
    wizard.consent_button.click()
    dialog = tabs.consent_dialog
    assert dialog is not None and dialog.isVisible()
    wait_loaded(qtbot, dialog)
    assert dialog.patient == person
    step = dialog.step
    assert step is not None
    assert step.position_label.text() == "Treatment 1 of 1"
    read_to_end(qtbot, step)
    fill(step, initials="ΕΠ")
    sign_both(step)
    record = seal(qtbot, step)
    step.sealed_panel.continue_button.click()
    assert not dialog.isVisible()
    assert tabs.consent_dialog is None
    # The consultation is consented: the wizard closes (in the next turn of the event
    # loop), the Treatment step opens, and once it closes the patient's page shows it.
    qtbot.waitUntil(lambda: tabs.consultation.wizard is None)
    qtbot.waitUntil(lambda: tabs.treatment_dialog is not None)
    assert tabs.tabs.currentWidget() is not tabs.patient_page
    treatment = tabs.treatment_dialog
    assert treatment is not None
    qtbot.waitUntil(lambda: treatment.is_loaded)
    treatment.close()
    qtbot.waitUntil(lambda: tabs.treatment_dialog is None)
    assert tabs.tabs.currentWidget() is tabs.patient_page
    ctx = window.session.ctx
    [stored] = consents.for_patient(ctx, person.id)
    assert stored.document_number == record.document_number
    assert stored.treatment_id == "ha_filler" and stored.state == "signed"
    assert consultation_service.get(ctx, wizard.info.id).status == "consented"
    with ctx.unit_of_work() as db:
        row = db.get(ConsentRecord, stored.id)
        assert row is not None
        assert sha256_hex(canonical_bytes(json.loads(row.document_json))) == stored.document_sha256
    text = pdf_text(consents.pdf(ctx, stored.id))
    assert person.full_name in text
    assert stored.document_number in text
    assert "consent.signed" in audit_events(window.session)
    window.close()


def test_two_ready_treatments_are_signed_one_after_the_other(
    qtbot, sqlite_db, home, clinic
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = ready_consultation(session, clinic, ("ha_filler", "exosome"))
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    first = dialog.step
    assert first is not None
    assert first.text.treatment_id == "ha_filler"
    assert first.position_label.text() == "Treatment 1 of 2"
    assert first.sealed_panel.continue_button.text() == "&Next treatment: Exosome therapy"
    read_to_end(qtbot, first)
    fill(first)
    sign_both(first)
    one = seal(qtbot, first)
    assert not dialog.all_signed
    assert consultation_service.get(session.ctx, info.id).status != "consented"
    first.sealed_panel.continue_button.click()
    wait_loaded(qtbot, dialog)
    second = dialog.step
    assert second is not None and second is not first
    assert second.text.treatment_id == "exosome"
    assert second.position_label.text() == "Treatment 2 of 2"
    assert not second.patient_box.pad.isEnabled()  # read this text too
    read_to_end(qtbot, second)
    fill(second, photographs=False)
    sign_both(second)
    two = seal(qtbot, second)
    second.sealed_panel.continue_button.click()
    assert not dialog.isVisible() and dialog.all_signed
    assert [c.document_number for c in consents.for_patient(session.ctx, person.id)] == sorted(
        [one.document_number, two.document_number], reverse=True
    )
    assert one.document_number.endswith("-1") and two.document_number.endswith("-2")
    assert consents.document(session.ctx, two.id)["choices"]["photographs"] is False
    assert consultation_service.get(session.ctx, info.id).status == "consented"
    # Opening the step again finds nothing left to sign.
    again = ConsentDialog(session, info.id)
    qtbot.addWidget(again)
    wait_loaded(qtbot, again)
    assert again.step is None
    assert "is signed" in again.notice_text.text()


def test_a_partly_signed_consultation_resumes_at_the_next_treatment(
    qtbot, sqlite_db, home, clinic
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_consultation(session, clinic, ("ha_filler", "exosome"))
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    assert dialog.step is not None
    read_to_end(qtbot, dialog.step)
    fill(dialog.step)
    sign_both(dialog.step)
    seal(qtbot, dialog.step)
    dialog.reject()  # sealed: nothing to lose, no question asked
    assert not dialog.isVisible() and not dialog.all_signed
    again = ConsentDialog(session, info.id)
    qtbot.addWidget(again)
    wait_loaded(qtbot, again)
    assert again.step is not None
    assert again.step.text.treatment_id == "exosome"
    assert again.step.position_label.text() == "Treatment 1 of 1"


# --- after sealing: print, preview, save ------------------------------------------------


@pytest.fixture
def sealed(qtbot, consent):
    dialog, session, _person, _info = consent
    step = dialog.step
    assert step is not None
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    record = seal(qtbot, step)
    return step.sealed_panel, session, record


def test_save_pdf_writes_the_stored_bytes_exactly(
    qtbot, sealed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, session, record = sealed
    target = tmp_path / "out" / "form"
    target.parent.mkdir()
    asked: list[str] = []

    def fake_save(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    panel.save_button.click()
    assert asked == [f"{record.document_number}.pdf"]
    written = target.with_name("form.pdf")
    # Saved off the GUI thread: the status says so once the file is written.
    qtbot.waitUntil(lambda: str(written) in panel.output_status.text())
    assert written.read_bytes() == consents.pdf(session.ctx, record.id)
    assert not list(target.parent.glob("*.part"))
    assert "consent.exported" in audit_events(session)
    # Cancelling the file dialog writes nothing (and starts nothing to wait for).
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    panel.save_button.click()
    assert panel.save_button.isEnabled()
    assert audit_events(session).count("consent.exported") == 1


def test_printing_prints_a_dated_copy_of_the_stored_form_and_is_logged(
    qtbot, sealed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, session, record = sealed
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(72)
    monkeypatch.setattr(SealedPanel, "choose_printer", classmethod(lambda cls, parent: printer))
    painted: list[bytes] = []
    real_paint = pdf_pages.paint_pdf

    def spy(pdf: bytes, target: QPrinter) -> int:
        painted.append(pdf)
        return real_paint(pdf, target)

    monkeypatch.setattr(pdf_pages, "paint_pdf", spy)
    panel.print_button.click()
    qtbot.waitUntil(lambda: bool(painted))  # the copy is fetched (and logged) off the GUI thread
    with session.ctx.unit_of_work() as db:
        row = db.get(ConsentRecord, record.id)
        assert row is not None
        stored = bytes(row.pdf)  # the sealed form, of which a print is a copy
    (copy,) = painted
    # A copy of the stored pages, each marked "COPY" with today's date; the record unchanged.
    copied = [page.extract_text() for page in PdfReader(io.BytesIO(copy)).pages]
    originals = [page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages]
    assert len(copied) == len(originals)
    today = dt.datetime.now().astimezone().date().isoformat()
    for page, original in zip(copied, originals, strict=True):
        assert f"COPY of the signed form, printed {today}." in page
        assert " ".join(original.split()) in " ".join(page.split())
    assert hashlib.sha256(stored).hexdigest() == record.pdf_sha256
    pages = len(originals)
    assert len(PdfReader(str(out)).pages) == pages
    assert (
        f"Printed a copy of {record.document_number} ({pages} page(s))"
        in panel.output_status.text()
    )
    with session.ctx.unit_of_work() as db:
        kinds = list(
            db.execute(
                select(ConsentEvent.kind).where(ConsentEvent.consent_id == record.id)
            ).scalars()
        )
    assert kinds == ["printed"]
    # A cancelled print dialog prints nothing and logs nothing.
    monkeypatch.setattr(SealedPanel, "choose_printer", classmethod(lambda cls, parent: None))
    panel.print_button.click()
    assert panel.print_button.isEnabled()  # nothing started
    assert len(painted) == 1
    assert audit_events(session).count("consent.printed") == 1


def test_print_preview_shows_the_copy_a_print_gives_and_logs_a_print(
    qtbot, sealed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, session, record = sealed
    out = tmp_path / "preview.pdf"

    def run_preview(cls, dialog: QPrintPreviewDialog) -> bool:
        target = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        target.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target.setOutputFileName(str(out))
        dialog.paintRequested.emit(target)
        return True

    monkeypatch.setattr(SealedPanel, "run_preview", classmethod(run_preview))
    panel.preview_button.click()
    # The preview and then the print are logged off the GUI thread: the status says when.
    qtbot.waitUntil(lambda: "Printed a copy of" in panel.output_status.text())
    stored = consents.pdf(session.ctx, record.id)
    assert len(PdfReader(str(out)).pages) == len(PdfReader(io.BytesIO(stored)).pages)
    assert audit_events(session).count("consent.printed") == 1
    monkeypatch.setattr(SealedPanel, "run_preview", classmethod(lambda cls, dialog: False))
    panel.preview_button.click()
    qtbot.waitUntil(lambda: audit_events(session).count("consent.previewed") == 2)
    qtbot.waitUntil(panel.preview_button.isEnabled)  # the preview has ended
    assert audit_events(session).count("consent.printed") == 1


# --- closing ---------------------------------------------------------------------------


def test_closing_with_entries_asks_first(qtbot, consent, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    asked: list[bool] = []
    monkeypatch.setattr(
        ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: asked.append(True))
    )
    step.initials[next(iter(step.initials))].setText("ZL")
    qtbot.keyClick(step.initials[next(iter(step.initials))], Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()  # the answer was "no" (None)
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))
    step.close_button.click()
    assert not dialog.isVisible()


def test_the_practitioner_cannot_close_while_sealing(qtbot, consent) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    with qtbot.waitSignal(step.sealed, timeout=20000):
        step.sign_button.click()
        assert step.busy and step.busy_bar.isVisibleTo(step)
        assert not step.sign_button.isEnabled() and not step.close_button.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        dialog.close()
        assert dialog.isVisible()
    assert not step.busy
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_idle_lock_closes_the_step_without_asking(
    qtbot, consent, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog, session, person, _info = consent
    step = dialog.step
    assert step is not None

    def never(cls, parent) -> bool:
        raise AssertionError("no question may wait on an unattended screen")

    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(never))
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    step.sign_button.click()
    assert step.busy
    dialog.reject()  # what the idle lock does to every open dialog
    assert not dialog.isVisible()
    # The sealing that was under way finished first, and its record is complete.
    assert dialog.all_signed and [c.id for c in dialog.signed] == [
        c.id for c in consents.for_patient(session.ctx, person.id)
    ]


def test_view_body_groups_list_items() -> None:
    text = "Intro line.\n• first\n• second\nAfter the list.\n• third"
    assert view_body(text) == "Intro line.\n\n• first\n• second\n\nAfter the list.\n\n• third"


def test_signature_times_are_local_and_follow_the_last_stroke(qtbot, consent) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    box = step.practitioner_box
    box.pad.set_strokes(scribble())
    when = step.signed_at["practitioner"]
    assert when is not None and when.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 60
    box.pad.clear()
    assert step.signed_at["practitioner"] is None and box.date_time_text() == ""


def test_the_form_can_be_filled_with_the_keyboard(qtbot, consent) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    assert QApplication.focusWidget() is step.text_view
    read_through(qtbot, step.text_view)  # Page Down to the end
    qtbot.waitUntil(step.patient_box.pad.isEnabled)
    qtbot.keyClick(step.text_view, Qt.Key.Key_Tab)
    edits = list(step.initials.values())
    assert QApplication.focusWidget() is edits[0]
    for edit in edits:
        qtbot.keyClicks(edit, "ZL")
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # on to the next section, never sealing
    assert all(edit.text() == "ZL" for edit in edits)
    assert QApplication.focusWidget() is edits[-1] and step.info is None
    qtbot.keyClick(edits[-1], Qt.Key.Key_Tab)
    first_radio = step.choices["photographs"].buttons()[0]
    assert QApplication.focusWidget() is first_radio
