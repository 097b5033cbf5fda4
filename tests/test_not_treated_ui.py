"""A consultation that ends blocked, through the wizard (issue 21): the summary's "Not
treated: letter for the patient…" records the outcome and shows the patient's letter, in
the patient's language, to print, save or open; the wizard closes with the consultation.
Screenshots at 1366x768 and 1024x700, light and dark (``CONSULT_SCREENSHOTS``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.services import consultations as consultation_service
from consult.store.services import outcomes
from consult.store.services.context import ServiceContext
from consult.ui.consultation.not_treated import NotTreatedDialog
from consult.ui.consultation.wizard import ConsultationWizard
from tests import factories
from tests.screen_support import out_dir, palette
from tests.test_consultation_wizard import (
    make_session,
    reopen,
    screened_draft,
    settle,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture

NOTE = "We will gladly see you again after your baby is born."


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff and a filler with a lot (as tests/test_consultation_wizard.py's clinic)."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    filler = factories.product(ctx, people["manager"], "ha_filler", "Volbella")
    return {"ctx": ctx, "people": people, "products": {"ha_filler": filler}}


def blocked_at_summary(
    qtbot: Any,
    db: Database,
    home: Any,
    clinic: dict[str, Any],
    language: str,
    answers: dict[str, object] | None = None,
) -> tuple[ConsultationWizard, Any]:
    doctor = clinic["people"]["practitioner"]
    session = make_session(db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor, family="Sato", language=language)
    info = screened_draft(
        clinic, session, person, **({"pregnant": "yes"} if answers is None else answers)
    )
    wizard = reopen(qtbot, session, person, info.id)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitExposed(wizard)
    settle(qtbot, wizard)
    if wizard.page != "summary":
        wizard.next_button.click()
        settle(qtbot, wizard)
    assert wizard.page == "summary"
    return wizard, session


def open_dialog(qtbot: Any, wizard: ConsultationWizard) -> NotTreatedDialog:
    button = wizard.summary_page.not_treated_button
    assert button.isVisibleTo(wizard) and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(wizard, "not_treated_dialog", None) is not None)
    dialog = wizard.not_treated_dialog
    assert dialog is not None
    return dialog


def test_the_button_records_the_outcome_and_gives_the_letter(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any], tmp_path: Path, monkeypatch
) -> None:
    wizard, session = blocked_at_summary(qtbot, sqlite_db, home, clinic, "ja")
    consultation_id = wizard.info.id
    dialog = open_dialog(qtbot, wizard)
    assert "日本語" in dialog.language_note.text()
    assert "Pregnant or breastfeeding" in dialog.findings.text()
    qtbot.keyClicks(dialog.reason, NOTE)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.pages.currentIndex() == 1 and dialog.record_button.isHidden()
    outcome = outcomes.for_consultation(session.ctx, consultation_id)
    assert outcome is not None and outcome.closed and outcome.language == "ja"
    assert outcome.reason == NOTE
    assert outcome.treatments[0].findings == ("filler-pregnant-breastfeeding",)
    assert consultation_service.get(session.ctx, consultation_id).status == "abandoned"
    target = tmp_path / "letter.pdf"
    monkeypatch.setattr(
        NotTreatedDialog, "choose_file", classmethod(lambda cls, parent, suggested: str(target))
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes() == dialog.pdf
    text = pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    assert "本日のご相談について" in text and "今後について" in text and NOTE in text
    with qtbot.waitSignal(wizard.closed) as closed:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert closed.args == [consultation_id]


def test_the_practitioner_may_decide_not_to_treat_with_a_reason(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    wizard, session = blocked_at_summary(qtbot, sqlite_db, home, clinic, "en", answers={})
    assert wizard.summary_page.ready == ["ha_filler"] and wizard.summary_page.blocked == []
    dialog = open_dialog(qtbot, wizard)
    assert not dialog.findings.isVisibleTo(dialog)
    assert not dialog.record_button.isEnabled()  # nothing chosen yet
    qtbot.mouseClick(dialog.declined["ha_filler"], Qt.MouseButton.LeftButton)
    assert dialog.record_button.isEnabled()
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)  # no note: refused
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20000)
    assert "Say why" in dialog.message.text() and dialog.pdf is None
    qtbot.keyClicks(dialog.reason, "Unrealistic expectations; we agreed to talk again.")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    outcome = outcomes.for_consultation(session.ctx, wizard.info.id)
    assert outcome is not None and outcome.reason_kind == outcomes.PRACTITIONER_DECISION
    assert [t.treatment for t in outcome.treatments] == ["ha_filler"]
    with qtbot.waitSignal(wizard.closed):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_a_refused_record_says_why_and_keeps_the_dialog(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    wizard, session = blocked_at_summary(qtbot, sqlite_db, home, clinic, "en")
    dialog = open_dialog(qtbot, wizard)
    # Recorded meanwhile on another workstation: the version the dialog holds is old.
    info = wizard.info
    outcomes.record_not_treated(
        session.ctx, info.id, info.version, treatments=["ha_filler"], reason="", kb=wizard.kb
    )
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20000)
    assert "another workstation" in dialog.message.text() or "already" in dialog.message.text()
    assert dialog.pages.currentIndex() == 0 and dialog.pdf is None
    dialog.reject()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_screenshots(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    tmp_path: Path,
    palette: str,
    size: tuple[int, int],
) -> None:
    wizard, _session = blocked_at_summary(qtbot, sqlite_db, home, clinic, "ja")
    wizard.resize(*size)
    name = f"not-treated-{palette}-{size[0]}x{size[1]}"
    assert wizard.grab().save(str(out_dir(tmp_path) / f"{name}-summary.png"))
    dialog = open_dialog(qtbot, wizard)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.reason, NOTE)
    assert dialog.grab().save(str(out_dir(tmp_path) / f"{name}-record.png"))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.grab().save(str(out_dir(tmp_path) / f"{name}-letter.png"))
    dialog.reject()
