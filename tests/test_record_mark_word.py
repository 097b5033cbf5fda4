"""The consultation record's print buttons and the desk table's State tooltip quote the
word a printed copy's watermark will carry, in the form's language (as the desk's
buttons do: tests/test_reception_mark_word.py): a voided Japanese form is printed
marked 無効, an English one VOID."""

# ruff: noqa: F811  (the fixture imported from test_reception_print is a parameter here)
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.services import consents, consultations, patients, reception
from consult.ui.consultation.record import ConsultationRecordDialog
from consult.ui.desk.desk_tables import FormTableModel
from consult.ui.shell.session import AppSession
from consult.ui.widgets.form_copies import FormCopyPrinting
from tests.print_support import print_to_files
from tests.register_support import sign_one
from tests.test_reception_print import clinic  # noqa: F401  (fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")

REASON = "Signed for the wrong treatment area; consent taken again."


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bytes]:
    """The record dialog's prints go to a PDF file; the PDFs painted are kept."""
    return print_to_files(monkeypatch, tmp_path, ConsultationRecordDialog)


def _record(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any], consent_id: int
) -> ConsultationRecordDialog:
    """The record dialog of the consultation the consent was signed in, as the manager
    opens it, with its one form selected."""
    manager = clinic["manager"]
    form = consents.get(manager, consent_id)
    info = consultations.get(manager, form.consultation_id)
    person = patients.get(manager, form.patient_id)
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])
    dialog = ConsultationRecordDialog(session, info, person, "Dr Dana Doe")
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=20000)
    dialog.forms_table.selectRow(0)
    return dialog


def _tooltip(clinic: dict[str, Any], consent_id: int) -> str:
    model = FormTableModel({})
    model.set_rows([reception.form(clinic["manager"], consent_id)])
    tip = model.data(model.index(0, FormTableModel.COL_STATE), Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str)
    return tip


def test_a_voided_japanese_form_is_quoted_marked_in_japanese_everywhere(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    printed: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = sign_one(clinic, given="花子", family="山田", language="ja")
    consents.add_event(clinic["manager"], record.id, "voided", REASON)
    assert _tooltip(clinic, record.id) == "A copy printed now is marked 無効 on every page."
    dialog = _record(qtbot, sqlite_db, home, clinic, record.id)
    assert dialog.current() is not None and dialog.current().language == "ja"
    assert dialog.print_button.text().replace("&", "") == "Print copy marked 無効…"
    assert dialog.preview_button.text().replace("&", "") == "Preview copy marked 無効…"
    # The preview's print button quotes the same word.
    shown: list[str] = []

    def look(cls: type, preview: Any) -> bool:
        shown.append(preview.print_button.text())
        return False

    monkeypatch.setattr(FormCopyPrinting, "run_preview", classmethod(look))
    dialog.preview_button.click()
    assert [text.replace("&", "") for text in shown] == ["Print copy marked 無効…"]
    # What the message says was printed is the paper's word too.
    dialog.print_button.click()
    qtbot.waitUntil(lambda: len(printed) == 1)
    qtbot.waitUntil(lambda: "marked 無効" in dialog.output_status.text())


def test_a_voided_english_form_is_still_quoted_marked_void(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    record = sign_one(clinic)
    consents.add_event(clinic["manager"], record.id, "voided", REASON)
    assert _tooltip(clinic, record.id) == "A copy printed now is marked VOID on every page."
    dialog = _record(qtbot, sqlite_db, home, clinic, record.id)
    assert dialog.print_button.text().replace("&", "") == "Print copy marked VOID…"
    assert dialog.preview_button.text().replace("&", "") == "Preview copy marked VOID…"


def test_a_japanese_form_in_force_has_no_tooltip_and_plain_buttons(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    record = sign_one(clinic, given="花子", family="山田", language="ja")
    model = FormTableModel({})
    model.set_rows([reception.form(clinic["manager"], record.id)])
    index = model.index(0, FormTableModel.COL_STATE)
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) is None
    dialog = _record(qtbot, sqlite_db, home, clinic, record.id)
    assert dialog.print_button.text().replace("&", "") == "Print copy…"
