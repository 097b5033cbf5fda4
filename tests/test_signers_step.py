"""The consent step's extra signers (issue 21), driven through the widgets: a
16-year-old's guardian signs with the mouse (required: the seal says so until they
have), an interpreter is offered when the patient reads another language than the
desk and not otherwise, and every signer's fields are reached with Tab."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from consult.domain.consent_signers import SignerRole
from consult.store.database import Database
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.models import ConsentRecord
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.step import ConsentStep
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from tests import factories
from tests.screen_support import out_dir, palette
from tests.test_consent_step import draw, fill, read_to_end, scribble, seal, show
from tests.test_consultation_wizard import make_session

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["palette"]  # the fixture

SIXTEEN = dt.date(2010, 6, 1)  # 16 on 2026-12-01
JUSTIFICATION = "Acne scarring; medical reason agreed with the GP and the mother present."


@pytest.fixture(autouse=True)
def no_waiting_question(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    prp = factories.product(ctx, people["manager"], "prp", "PRP kit", source="autologous")
    return {"ctx": ctx, "people": people, "prp": prp}


def ready(
    session: AppSession, clinic: dict[str, Any], **patient: object
) -> tuple[PatientInfo, ConsultationInfo]:
    """A PRP consultation screened, its findings decided, ready for consent."""
    kb = knowledge()
    person = factories.patient(clinic["ctx"], clinic["people"]["practitioner"], **patient)
    info = consultation_service.start(session.ctx, person.id)
    product = clinic["prp"]
    row = {"id": "prp", "route": kb.treatment("prp").routes[0], "product_id": product.id}
    info = consultation_service.save(
        session.ctx,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=[{**row, "lot_id": product.lots[0].id}],
        answers=factories.no_answers(treatments=["prp"]),
    )
    info = consultation_service.run_screening(session.ctx, info.id, info.version, kb)
    for review in consultation_service.reviews(info):
        for rule in review.unjustified:
            info = consultation_service.decide(
                session.ctx, info.id, info.version, treatment="prp", rule=rule,
                justification=JUSTIFICATION,
            )  # fmt: skip
        for rule in review.unacknowledged:
            info = consultation_service.decide(
                session.ctx, info.id, info.version, treatment="prp", rule=rule
            )
    assert [r.status for r in consultation_service.reviews(info)] == ["ready"]
    return person, info


def open_step(qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any], **patient: object):
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    person, info = ready(session, clinic, **patient)
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    step = dialog.step
    assert isinstance(step, ConsentStep)
    return step, session, person


def stored_document(session: AppSession, consent_id: int) -> dict[str, Any]:
    with session.ctx.unit_of_work() as db:
        row = db.get(ConsentRecord, consent_id)
        assert row is not None
        loaded: dict[str, Any] = json.loads(row.document_json)
        return loaded


def curve(shift: float = 0.0) -> list[tuple[float, float]]:
    return [(30 + 4 * i + shift, 60 - 22 * math.sin(i / 4)) for i in range(60)]


def test_a_minors_guardian_signs_with_the_mouse_and_cannot_be_skipped(
    qtbot, sqlite_db, home, clinic
) -> None:
    step, session, _person = open_step(qtbot, sqlite_db, home, clinic, date_of_birth=SIXTEEN)
    assert step.signers.isVisibleTo(step)
    assert list(step.signers.forms) == [SignerRole.GUARDIAN]
    guardian = step.signers.forms[SignerRole.GUARDIAN]
    assert guardian.include is None  # required: nothing to untick
    assert step.status.text() == "Still to sign: parent or guardian"
    read_to_end(qtbot, step)
    fill(step, initials="MY")
    for box in step.pads.values():
        box.pad.set_strokes(scribble())
    step.sign_button.click()
    assert step.info is None
    assert "to sign: parent or guardian" in step.message.text()
    assert guardian.error.text().endswith("Enter the signer's name.")
    assert QApplication.focusWidget() is guardian.name
    qtbot.keyClicks(guardian.name, "Ann Young")
    assert guardian.box.name() == "Ann Young"
    qtbot.keyClicks(guardian.relationship, "mother")
    draw(guardian.box.pad, curve())
    draw(guardian.box.pad, curve(8))
    assert guardian.box.pad.validate() is None
    assert guardian.box.date_time_text() != ""
    assert step.status.text() == ""
    strokes = guardian.box.pad.strokes()
    info = seal(qtbot, step)
    document = stored_document(session, info.id)
    (entry,) = document["signers"]
    assert (entry["role"], entry["name"], entry["relationship"]) == (
        "guardian",
        "Ann Young",
        "mother",
    )
    assert [[(p["x"], p["y"]) for p in s] for s in entry["strokes"]] == [
        [(p["x"], p["y"]) for p in s] for s in strokes
    ]


def test_the_signers_fields_are_reached_with_tab(qtbot, sqlite_db, home, clinic) -> None:
    step, _session, _person = open_step(qtbot, sqlite_db, home, clinic, date_of_birth=SIXTEEN)
    guardian = step.signers.forms[SignerRole.GUARDIAN]
    chain = [guardian.name, guardian.relationship, guardian.box.pad, step.sign_button]
    step.practitioner_box.pad.setFocus()
    qtbot.waitUntil(lambda: step.practitioner_box.pad.hasFocus() or not step.isActiveWindow())
    if not step.isActiveWindow():
        pytest.skip("the offscreen window did not take focus")
    for widget in chain:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget


def test_an_interpreter_is_offered_when_the_patient_reads_another_language(
    qtbot, sqlite_db, home, clinic
) -> None:
    step, session, _person = open_step(qtbot, sqlite_db, home, clinic, language="ja")
    assert list(step.signers.forms) == [SignerRole.INTERPRETER]
    interpreter = step.signers.forms[SignerRole.INTERPRETER]
    assert interpreter.include is not None and not interpreter.include.isChecked()
    assert not interpreter.name.isEnabled()
    assert step.status.text() == ""  # offered, not required
    interpreter.include.click()
    assert interpreter.name.isEnabled()
    assert step.status.text() == "Still to sign: interpreter"
    read_to_end(qtbot, step)
    fill(step, initials="MY")
    for box in step.pads.values():
        box.pad.set_strokes(scribble())
    qtbot.keyClicks(interpreter.name, "Ichiro Tsuyaku")
    draw(interpreter.box.pad, curve())
    info = seal(qtbot, step)
    (entry,) = stored_document(session, info.id)["signers"]
    assert entry["role"] == "interpreter" and entry["language"] == "ja"
    assert [s["language"] for s in entry["statement"]] == ["ja", "en"]


def test_no_interpreter_when_the_patient_reads_the_desks_language(
    qtbot, sqlite_db, home, clinic
) -> None:
    step, session, _person = open_step(qtbot, sqlite_db, home, clinic)
    assert step.signers.is_empty()
    assert not step.signers.isVisibleTo(step)
    read_to_end(qtbot, step)
    fill(step)
    for box in step.pads.values():
        box.pad.set_strokes(scribble())
    info = seal(qtbot, step)
    assert "signers" not in stored_document(session, info.id)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_the_signers_fit_the_step(
    qtbot, sqlite_db, home, clinic, palette: str, size: tuple[int, int], tmp_path: Path
) -> None:
    """A guardian and an interpreter under the two signatures: every signer's pad is
    reached by scrolling the step's body, and "Sign and seal" stays in sight."""
    step, _session, _person = open_step(
        qtbot, sqlite_db, home, clinic, date_of_birth=SIXTEEN, language="ja"
    )
    dialog = step.window()
    dialog.resize(*size)
    assert list(step.signers.forms) == [SignerRole.GUARDIAN, SignerRole.INTERPRETER]
    step.signers.forms[SignerRole.INTERPRETER].include.click()  # type: ignore[union-attr]
    out = out_dir(tmp_path)
    for signer in step.signers.forms.values():
        step.body.ensureWidgetVisible(signer.box.pad)
        qtbot.wait(20)
        name = f"signers-{size[0]}x{size[1]}-{palette}-{signer.role}.png"
        dialog.grab().save(str(out / name))
        assert signer.box.pad.visibleRegion().boundingRect().height() > 60
        assert signer.box.pad.width() >= 200
    assert step.sign_button.visibleRegion().boundingRect().height() >= step.sign_button.height()
