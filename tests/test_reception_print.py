"""Reception at the desk, on a 1024-pixel screen: find a voided form, see its state, print
it, preview it. What goes to the printer is read back with pypdf."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult.store.database import Database
from consult.store.errors import PermissionDeniedError
from consult.store.models import ConsentEvent, ConsentRecord
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.desk.desk_tables import FormTableModel
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.patients.patient_table import PatientTableModel
from consult.ui.shell.session import AppSession
from tests.print_support import print_to_files
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one

# The page is shown (at its size) on the offscreen platform, which says this of windows.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REASON = "Signed for the wrong treatment area; consent taken again."


@pytest.fixture
def clinic(sqlite_db: Database):
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def desk(qtbot, sqlite_db: Database, home, clinic):
    """The reception page of a signed-in receptionist, 1024 pixels wide."""
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["reception"])
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    yield page
    page.leave()


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bytes]:
    """Prints go to PDF files instead of a printer; the PDF handed to the painter is kept."""
    return print_to_files(monkeypatch, tmp_path, ReceptionPage)


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _stored(sqlite_db: Database, consent_id: int) -> tuple[bytes, str]:
    with sqlite_db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        return bytes(row.pdf), row.pdf_sha256


def _find(qtbot, page: ReceptionPage, text: str) -> None:
    """Type part of the name, choose the patient found: their forms are listed."""
    page.search.setText(text)
    page.find_patients()
    qtbot.waitUntil(lambda: page.found.rowCount() == 1)
    page.found_table.selectRow(0)
    qtbot.waitUntil(lambda: page.forms.rowCount() == 1 and text in page.forms_title.text())


def _in_sight(table, column: int) -> bool:
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(column)
    return left >= 0 and left + header.sectionSize(column) <= table.viewport().width()


def test_reception_prints_a_voided_form_with_the_void_mark_on_every_page(
    qtbot, desk, clinic, printed, sqlite_db
) -> None:
    record = sign_one(clinic, given="Анна", family="Иванова")
    consents.add_event(clinic["manager"], record.id, "voided", REASON)
    stored_before = _stored(sqlite_db, record.id)
    _find(qtbot, desk, "Иванова")
    # The state is in sight before printing, and the buttons say what they will print.
    table = desk.forms_table
    assert desk.forms.data(desk.forms.index(0, FormTableModel.COL_STATE)) == "Voided"
    assert _in_sight(table, FormTableModel.COL_STATE)
    assert "is voided" in desk.form_state.text() and "marked VOID" in desk.form_state.text()
    assert desk.print_button.text().replace("&", "") == "Print copy marked VOID…"
    assert desk.preview_button.text().replace("&", "") == "Preview copy marked VOID…"
    assert not desk.open_button.isVisibleTo(desk)
    desk.print_button.click()
    qtbot.waitUntil(lambda: len(printed) == 1)  # the print is logged off the GUI thread
    (sent,) = printed
    pages = _pages(sent)
    with sqlite_db.session() as session:
        voided_at = session.execute(
            select(ConsentEvent.at).where(ConsentEvent.kind == "voided")
        ).scalar_one()
    local = voided_at.astimezone()
    stamp = f"VOID: this consent was voided on {local:%Y-%m-%d %H:%M} {local.tzname()}."
    assert len(pages) == len(_pages(stored_before[0])) >= 2
    for text in pages:
        assert stamp in text and f"Reason: {REASON}" in text
    qtbot.waitUntil(lambda: desk.forms.item(0).prints == 1)  # the row is read again
    assert "marked VOID" in desk.status.text() and desk.forms.item(0).prints == 1
    # The sealed form is as it was signed.
    assert _stored(sqlite_db, record.id) == stored_before
    assert hashlib.sha256(stored_before[0]).hexdigest() == record.pdf_sha256


def test_reception_previews_only_the_identity_and_signature_pages(
    qtbot, desk, clinic, printed, monkeypatch
) -> None:
    record = sign_one(clinic, given="Zoë", family="Lefèvre")
    consents.add_event(
        clinic["practitioner"], record.id, "withdrawn", "The patient changed her mind."
    )
    document = consents.document(clinic["manager"], record.id)
    _find(qtbot, desk, "Lefèvre")
    assert desk.preview_button.text().replace("&", "") == "Preview copy marked WITHDRAWN…"
    shown: list[tuple[int, bytes, str]] = []

    def look(cls, dialog) -> bool:
        shown.append((dialog.preview.shown, dialog.pdf, dialog.print_button.text()))
        return False

    monkeypatch.setattr(ReceptionPage, "run_preview", classmethod(look))
    desk.preview_button.click()
    ((count, pdf, button),) = shown
    (text,) = _pages(pdf)
    assert count == 1 and button.replace("&", "") == "Print copy marked WITHDRAWN…"
    assert "Zoë Lefèvre" in text and "consent given" in text and "consent taken" in text
    assert "WITHDRAWN: this consent was withdrawn on" in text
    for item in document["intake_summary"]:
        assert item["label"] not in text
    for section in document["template"]["sections"]:
        assert section["heading"] not in text
    assert not printed  # only looked: nothing printed
    # Nor can reception ask the service for the whole form on screen.
    with pytest.raises(PermissionDeniedError):
        consents.pdf(desk.session.ctx, record.id, purpose="viewed")


def test_every_column_fits_and_no_name_is_cut_short_at_1024_pixels(qtbot, desk, clinic) -> None:
    for given, family, treatment in (
        ("Oluwaseun", "Adébáyọ̀-Okonkwo", "hyaluronidase"),
        ("Αλέξανδρος", "Παπαδόπουλος", "ha_filler"),
    ):
        sign_one(clinic, treatment, given=given, family=family)
    desk.show_today()
    qtbot.waitUntil(lambda: desk.forms.rowCount() == 2)
    table = desk.forms_table
    for column in range(desk.forms.columnCount()):
        assert _in_sight(table, column), FormTableModel.HEADERS[column]
    header = table.horizontalHeader()
    for column in (FormTableModel.COL_PATIENT, FormTableModel.COL_STATE):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
    desk.search.setText("Adébáyọ̀")
    desk.find_patients()
    qtbot.waitUntil(lambda: desk.found.rowCount() == 1)
    found = desk.found_table
    assert _in_sight(found, PatientTableModel.COL_NAME)
    name_width = found.horizontalHeader().sectionSize(PatientTableModel.COL_NAME)
    assert name_width >= found.sizeHintForColumn(PatientTableModel.COL_NAME)


def test_a_manager_at_the_desk_may_open_the_whole_form(qtbot, sqlite_db, home, clinic) -> None:
    sign_one(clinic)
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    page.show()
    page.show_today()
    qtbot.waitUntil(lambda: page.forms.rowCount() == 1)
    assert page.open_button.isVisibleTo(page) and page.open_button.isEnabled()
    assert page.print_button.text().replace("&", "") == "Print copy…"
    page.leave()


def test_the_demo_clinic_keeps_a_voided_and_a_withdrawn_form(qtbot, sqlite_db, home) -> None:
    from consult.store.demo import DEMO_USERS, ensure_demo
    from consult.store.services import users

    assert ensure_demo(sqlite_db, patients=21)
    session = AppSession(sqlite_db, home)
    reception = next(u for u in DEMO_USERS if u.username == "reception")
    session.set_user(users.sign_in(session.ctx, reception.username, reception.password))
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    page.show_today()
    # Five consents, the treated patient's (issue 20: store/demo_treatment.py), and the
    # guardian's and the interpreter's forms (issue 21: store/demo_visits.py).
    qtbot.waitUntil(lambda: page.forms.rowCount() == 8)
    states = sorted(row.state for row in page.forms.rows())
    assert states == ["signed"] * 6 + ["voided", "withdrawn"]
    for state, word in (("voided", "VOID"), ("withdrawn", "WITHDRAWN")):
        page.forms_table.selectRow(page.forms.row_of(lambda row, s=state: row.state == s))
        assert page.print_button.text().replace("&", "") == f"Print copy marked {word}…"
    page.leave()
