"""The desk's buttons quote the word a printed copy's watermark will carry, in the form's
language: a voided Japanese form is printed marked 無効, so its buttons say so; an English
one says VOID. The word is the very mark a print draws (``consents.copy_mark``)."""

# ruff: noqa: F811  (the fixtures imported from test_reception_print are parameters here)
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services import consents, reception
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.widgets.copy_mark_word import copy_mark_word
from tests.register_support import sign_one
from tests.test_reception_print import _find, clinic, desk, printed  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REASON = "Signed for the wrong treatment area; consent taken again."


def _printed_mark(sqlite_db: Database, consent_id: int) -> str:
    """The word a print of the record draws across its pages."""
    with sqlite_db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        return consents.copy_mark(session, row).word


def test_a_japanese_voided_form_is_offered_as_a_copy_marked_in_japanese(
    qtbot,
    desk,
    clinic,
    printed,
    sqlite_db,
    monkeypatch,
) -> None:
    record = sign_one(clinic, given="花子", family="山田", language="ja")
    consents.add_event(clinic["manager"], record.id, "voided", REASON)
    row = reception.form(clinic["manager"], record.id)
    assert row.language == "ja"
    assert copy_mark_word(row) == _printed_mark(sqlite_db, record.id) == "無効"
    _find(qtbot, desk, "山田")
    assert desk.print_button.text().replace("&", "") == "Print copy marked 無効…"
    assert desk.preview_button.text().replace("&", "") == "Preview copy marked 無効…"
    assert "marked 無効 on every page" in desk.form_state.text()
    # The preview still shows the copy, its print button quoting the same word.
    shown: list[tuple[int, bytes, str]] = []

    def look(cls, dialog) -> bool:
        shown.append((dialog.preview.shown, dialog.pdf, dialog.print_button.text()))
        return False

    monkeypatch.setattr(ReceptionPage, "run_preview", classmethod(look))
    desk.preview_button.click()
    ((count, pdf, button),) = shown
    assert count == 1 and button.replace("&", "") == "Print copy marked 無効…"
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    # And the print goes to the printer.
    desk.print_button.click()
    qtbot.waitUntil(lambda: len(printed) == 1)
    qtbot.waitUntil(lambda: desk.forms.item(0).prints == 1)
    assert "marked 無効" in desk.status.text()  # what was printed, in the paper's word


def test_an_english_voided_form_is_offered_as_a_copy_marked_void(
    qtbot,
    desk,
    clinic,
    sqlite_db,
) -> None:
    record = sign_one(clinic, given="Zoë", family="Lefèvre")
    consents.add_event(clinic["manager"], record.id, "voided", REASON)
    row = reception.form(clinic["manager"], record.id)
    assert row.language == "en"
    assert copy_mark_word(row) == _printed_mark(sqlite_db, record.id) == "VOID"
    _find(qtbot, desk, "Lefèvre")
    assert desk.print_button.text().replace("&", "") == "Print copy marked VOID…"
    assert desk.preview_button.text().replace("&", "") == "Preview copy marked VOID…"


def test_a_form_in_force_has_no_mark_word(clinic) -> None:
    record = sign_one(clinic, given="花子", family="山田", language="ja")
    assert copy_mark_word(reception.form(clinic["manager"], record.id)) is None
