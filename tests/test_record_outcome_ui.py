"""A finished consultation's record shows its recorded outcome (issue 21): what was not
given and why, who decided and when, each rule's next step, in the reader's interface
language; the patient's letter prints again (and previews) the same, in the patient's
language, each time logged. A consultation with no outcome shows none; reception reads
no outcome. Screenshots at 1366x768 and 1024x700, light and dark (``CONSULT_SCREENSHOTS``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from consult.store.database import Database
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.models import AuditEntry
from consult.store.services import consultations as consultation_service
from consult.store.services import outcomes
from consult.store.services.context import ServiceContext
from consult.ui.consultation.outcome_panel import OutcomePanel
from consult.ui.consultation.record import ConsultationRecordDialog
from consult.ui.shell import language
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.form_copies import FormPreviewDialog
from tests import factories, security_support
from tests.print_support import print_to_files
from tests.screen_support import out_dir, palette
from tests.test_consultation_wizard import make_session, screened_draft
from tests.test_language_ui import built, translations  # noqa: F401  (fixtures)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture

NOTE = "We will gladly see you again after your baby is born."
PRINTED = "consultation.letter_printed"


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff and a filler with a lot (as tests/test_not_treated_ui.py's clinic)."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    filler = factories.product(ctx, people["manager"], "ha_filler", "Volbella")
    return {"ctx": ctx, "people": people, "products": {"ha_filler": filler}}


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[bytes]:
    """Prints go to PDF files instead of a printer; the PDFs painted are kept."""
    return print_to_files(monkeypatch, tmp_path, OutcomePanel)


def blocked(
    clinic: dict[str, Any], session: AppSession, patient_language: str, note: str = NOTE
) -> tuple[PatientInfo, ConsultationInfo]:
    """A pregnant patient's filler, blocked; the outcome and letter recorded (as the
    Not treated dialog records them), which closes the consultation."""
    doctor = clinic["people"]["practitioner"]
    person = factories.patient(clinic["ctx"], doctor, family="Sato", language=patient_language)
    info = screened_draft(clinic, session, person, pregnant="yes")
    outcomes.record_not_treated(
        session.ctx, info.id, info.version, treatments=["ha_filler"], reason=note, kb=knowledge()
    )
    return person, consultation_service.get(session.ctx, info.id)


def open_record(
    qtbot: Any, session: AppSession, person: PatientInfo, info: ConsultationInfo
) -> ConsultationRecordDialog:
    dialog = ConsultationRecordDialog(session, info, person, "Dr Dana Doe")
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded, timeout=20000)
    return dialog


def letter_prints(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).where(AuditEntry.event == PRINTED)).scalar_one())


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


def test_a_blocked_consultation_shows_its_outcome_and_prints_the_letter_again(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any], printed: list[bytes]
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = blocked(clinic, session, "ja")
    assert info.status == "abandoned"
    before = letter_prints(sqlite_db)
    dialog = open_record(qtbot, session, person, info)
    panel = dialog.outcome_panel
    assert panel.isVisible() and dialog.error.text() == ""
    assert panel.title.text() == "Not treated: blocked by the screening"
    text = panel.text.text()
    # In the reader's (English) interface: the treatment, why, who and when, next step.
    assert "<b>Hyaluronic acid dermal filler</b>: blocked by an absolute contraindication" in text
    assert "Pregnant or breastfeeding. Contraindicated in the product IFUs." in text
    assert "Recorded by Dr Dana Doe on " in text and "日本語" in text
    assert (
        "Next step: You are welcome to come back to talk about this treatment once you are "
        "no longer pregnant or breastfeeding." in text
    )
    assert "Note for the patient: “" + NOTE + "”" in text
    # The wizard's button to record an outcome is not offered on a record.
    assert not dialog.summary.not_treated_button.isVisibleTo(dialog)
    assert dialog.forms_label.text() == "No consent form was signed in this consultation."
    assert letter_prints(sqlite_db) == before  # reading the record prints nothing
    # Print it again: the same letter, in the patient's language, logged.
    assert panel.print_button.isVisible() and panel.print_button.isEnabled()
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=20000)
    assert printed[0] == outcomes.letter_pdf(session.ctx, info.id)  # the same bytes
    letter = pdf_text(printed[0])
    assert "本日のご相談について" in letter and "今後について" in letter and NOTE in letter
    assert "妊娠・授乳の期間が終わりましたら" in "".join(letter.split())
    qtbot.waitUntil(lambda: dialog.output_status.text() != "")
    assert dialog.output_status.text() == "Printed the letter again (1 page(s))."
    assert letter_prints(sqlite_db) == before + 2  # the print, and the check above


def test_the_letter_previews_and_prints_from_the_preview(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    printed: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = blocked(clinic, session, "ja")
    dialog = open_record(qtbot, session, person, info)
    before = letter_prints(sqlite_db)
    shown: list[tuple[str, str, bytes]] = []

    def run_preview(cls: type, preview: FormPreviewDialog) -> bool:
        shown.append((preview.windowTitle(), preview.print_button.text(), preview.pdf))
        return len(shown) == 1  # print from the first preview; close the second

    monkeypatch.setattr(OutcomePanel, "run_preview", classmethod(run_preview))
    panel = dialog.outcome_panel
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=20000)
    [(title, button, pdf)] = shown
    assert title == f"Preview — Letter of consultation {info.id}"
    assert button == "Print the &letter again…"
    assert "本日のご相談について" in pdf_text(pdf) and printed[0] == pdf
    assert letter_prints(sqlite_db) == before + 2  # the preview and the print, each logged
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    assert len(printed) == 1 and letter_prints(sqlite_db) == before + 3


def test_the_outcome_reads_in_the_readers_language(
    qtbot: Any,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    tmp_path: Path,
    translations: Path,  # noqa: F811  (the fixture)
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = blocked(clinic, session, "en")
    assert language.apply_language("ja") == "ja"
    dialog = open_record(qtbot, session, person, info)
    text = dialog.outcome_panel.text.text()
    # The knowledge base's words in Japanese, though the patient's letter is English.
    assert "妊娠中または授乳中。製品の添付文書（IFU）で禁忌。" in text
    assert "妊娠・授乳の期間が終わりましたら、改めてこの治療についてご相談ください。" in text
    assert "You are welcome" not in text and NOTE in text
    dialog.resize(1024, 700)
    qtbot.wait(50)
    assert dialog.grab().save(str(out_dir(tmp_path) / "record-outcome-ja-1024x700.png"))


def test_the_practitioners_decision_is_shown_as_such(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    doctor = clinic["people"]["practitioner"]
    person = factories.patient(clinic["ctx"], doctor, family="Brown")
    info = screened_draft(clinic, session, person)
    outcomes.record_not_treated(
        session.ctx,
        info.id,
        info.version,
        treatments=["ha_filler"],
        reason="Unrealistic expectations; we agreed to talk again.",
        kb=knowledge(),
    )
    dialog = open_record(qtbot, session, person, consultation_service.get(session.ctx, info.id))
    panel = dialog.outcome_panel
    assert panel.title.text() == "Not treated: the practitioner's decision"
    assert "not given (the practitioner's decision)" in panel.text.text()
    assert "Unrealistic expectations" in panel.text.text()
    # Nothing forbade it, yet it did not go on to consent: the summary does not say it did.
    summary = dialog.summary.text.text()
    assert "Could go on to consent" in summary and "Went on to consent" not in summary


def test_a_consultation_without_an_outcome_shows_none(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    doctor = clinic["people"]["practitioner"]
    person = factories.patient(clinic["ctx"], doctor, family="Clear")
    info = screened_draft(clinic, session, person)
    info = consultation_service.abandon(
        session.ctx, info.id, info.version, "She decided against it."
    )
    assert outcomes.for_consultation(session.ctx, info.id) is None
    dialog = open_record(qtbot, session, person, info)
    assert not dialog.outcome_panel.isVisibleTo(dialog)
    assert not dialog.outcome_panel.print_button.isVisibleTo(dialog)
    assert dialog.outcome_panel.text.text() == ""


def test_a_manager_reads_the_outcome_and_reception_does_not(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any], printed: list[bytes]
) -> None:
    doctor_session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = blocked(clinic, doctor_session, "ja")
    manager = make_session(sqlite_db, home, clinic["people"]["manager"])
    dialog = open_record(qtbot, manager, person, info)
    assert dialog.outcome_panel.isVisible()
    qtbot.mouseClick(dialog.outcome_panel.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=20000)
    dialog.reject()
    # Reception never reads health answers: were the record opened at the desk, it would
    # show no outcome and ask for none.
    desk = make_session(sqlite_db, home, clinic["people"]["reception"])
    before = letter_prints(sqlite_db)
    dialog = open_record(qtbot, desk, person, info)
    assert not dialog.outcome_panel.isVisibleTo(dialog)
    assert dialog.outcome_panel.outcome is None and dialog.outcome_panel.text.text() == ""
    assert letter_prints(sqlite_db) == before


def declined_and_consented(
    sqlite_db: Database, home: Any
) -> tuple[AppSession, PatientInfo, ConsultationInfo]:
    """Two treatments planned, nothing against either: the practitioner declines the
    toxin (the outcome recorded, the consultation left open), the filler is signed, which
    ends the consultation."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    roles = {role: ctx.signed_in(user) for role, user in people.items()}
    doc, kb = roles["practitioner"], knowledge()
    person = factories.patient(ctx, people["practitioner"], family="Mixed")
    planned = []
    for treatment in ("ha_filler", "botulinum_toxin"):
        product_id, lot_id = factories.product_with_lot(roles["manager"], treatment)
        planned.append(
            {
                "id": treatment,
                "route": kb.treatment(treatment).routes[0],
                "product_id": product_id,
                "lot_id": lot_id,
            }
        )
    info = consultation_service.start(doc, person.id)
    info = consultation_service.save(
        doc,
        info.id,
        info.version,
        kb,
        step="intake",
        treatments=planned,
        answers=factories.no_answers(treatments=["ha_filler", "botulinum_toxin"]),
    )
    info = consultation_service.run_screening(doc, info.id, info.version, kb)
    outcome = outcomes.record_not_treated(
        doc,
        info.id,
        info.version,
        treatments=["botulinum_toxin"],
        reason="Only the filler today; we will talk about the toxin in spring.",
        kb=kb,
    )
    assert not outcome.closed
    security_support.sign(roles, consultation_service.get(doc, info.id))
    # Signed last: the signing ends the consultation (every treatment settled), consented.
    info = consultation_service.get(doc, info.id)
    session = make_session(sqlite_db, home, people["practitioner"])
    return session, person, info


def test_a_consultation_partly_consented_shows_its_outcome_and_its_form(
    qtbot: Any, sqlite_db: Database, home: Any, tmp_path: Path
) -> None:
    session, person, info = declined_and_consented(sqlite_db, home)
    assert info.status == "consented"
    dialog = open_record(qtbot, session, person, info)
    panel = dialog.outcome_panel
    assert panel.isVisible() and dialog.forms.rowCount() == 1
    assert panel.title.text() == "Not treated: the practitioner's decision"
    assert "<b>Botulinum toxin" in panel.text.text()
    assert "Hyaluronic acid dermal filler" not in panel.text.text()
    assert dialog.print_button.isVisible() and panel.print_button.isVisible()
    summary = dialog.summary.text.text()
    assert "Could go on to consent" in summary and "Went on to consent" not in summary
    for size in ((1366, 768), (1024, 700)):
        dialog.resize(*size)
        qtbot.wait(50)
        name = f"record-outcome-consented-{size[0]}x{size[1]}.png"
        assert dialog.grab().save(str(out_dir(tmp_path) / name))


# Screenshots --------------------------------------------------------------------------


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
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = blocked(clinic, session, "ja")
    dialog = open_record(qtbot, session, person, info)
    dialog.resize(*size)
    qtbot.wait(50)
    panel = dialog.outcome_panel
    assert panel.isVisible() and panel.print_button.isVisible()
    # Everything fits: the buttons are inside the dialog, not pushed off its bottom.
    for button in (panel.print_button, panel.preview_button):
        bottom = button.mapTo(dialog, button.rect().bottomLeft()).y()
        assert bottom < dialog.height()
    name = f"record-outcome-{palette}-{size[0]}x{size[1]}.png"
    assert dialog.grab().save(str(out_dir(tmp_path) / name))
