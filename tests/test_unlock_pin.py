"""A practitioner's PIN to take patient mode back: set through the dialog (the current
password asked, letters refused with a clear message, an easy PIN refused), argon2-hashed
and audited without the PIN; patient mode taken back with it; a wrong PIN refused,
logged and counted with wrong passwords towards the same lockout; the password still
works, and removing the PIN makes digits a password again. Pictures of the dialog and
of the unlock box at desk sizes, light and dark, go to ``$CONSULT_SCREENSHOTS`` (else the
test's temporary directory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from consult.store.database import Database
from consult.store.errors import AuthenticationError, PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry, User
from consult.store.services import unlock_pin, users
from consult.store.services.context import ServiceContext
from consult.ui.shell.change_password import ChangePasswordDialog
from consult.ui.shell.unlock_pin_dialog import UnlockPinDialog
from tests import factories
from tests.test_consultation_wizard import clinic
from tests.test_patient_mode import click_section, hand_over
from tests.test_patient_mode_screens import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["clinic", "palette"]  # the fixtures
PIN = "2580"


def _events(db: Database, name: str) -> list[AuditEntry]:
    with db.session() as session:
        return list(
            session.execute(
                select(AuditEntry).where(AuditEntry.event == name).order_by(AuditEntry.id)
            ).scalars()
        )


def _row(db: Database, user_id: int) -> User:
    with db.session() as session:
        row = session.get(User, user_id)
        assert row is not None
        session.expunge(row)
        return row


def _doctor(clinic: dict[str, Any]) -> ServiceContext:
    ctx: ServiceContext = clinic["ctx"]
    return ctx.signed_in(clinic["people"]["practitioner"])


def _set_through_the_dialog(qtbot, ctx: ServiceContext, pin: str, repeat: str | None = None):
    dialog = UnlockPinDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.current.setText(factories.PASSWORD)
    dialog.pin.setText(pin)
    dialog.repeat.setText(pin if repeat is None else repeat)
    dialog.save_button.click()
    return dialog


def test_the_pin_is_set_through_the_dialog(qtbot, sqlite_db: Database, clinic) -> None:
    doc = _doctor(clinic)
    # Offered to a practitioner from the change-password dialog, not while a new
    # password is required, nor to reception.
    offered = ChangePasswordDialog(doc, clinic["people"]["practitioner"], False)
    qtbot.addWidget(offered)
    assert offered.pin_button is not None
    forced = ChangePasswordDialog(doc, clinic["people"]["practitioner"], True)
    qtbot.addWidget(forced)
    assert forced.pin_button is None
    desk = ChangePasswordDialog(doc, clinic["people"]["reception"], False)
    qtbot.addWidget(desk)
    assert desk.pin_button is None

    # Letters: refused at the PIN's field, saying what a PIN is.
    letters = _set_through_the_dialog(qtbot, doc, "abcd")
    assert letters.result() == 0 and not letters.changed
    message = letters.form.errors["pin"].text()
    assert "4 to 8 digits" in message and "no letters" in message
    assert letters.form.errors["pin"].isVisibleTo(letters)
    assert not unlock_pin.has_unlock_pin(doc)
    # Too short, too easy, or the two differ: refused too.
    short = _set_through_the_dialog(qtbot, doc, "258")
    assert "digits" in short.form.errors["pin"].text()
    easy = _set_through_the_dialog(qtbot, doc, "1234")
    assert "easy to guess" in easy.form.errors["pin"].text()
    differ = _set_through_the_dialog(qtbot, doc, PIN, "2581")
    assert "differ" in differ.form.errors["repeat"].text()
    # The current password is asked (a wrong one refused and audited).
    wrong = UnlockPinDialog(doc)
    qtbot.addWidget(wrong)
    wrong.current.setText("not-my-password")
    wrong.pin.setText(PIN)
    wrong.repeat.setText(PIN)
    wrong.save_button.click()
    assert "current password" in wrong.form.errors["current"].text()
    assert len(_events(sqlite_db, "user.unlock_pin_change_failed")) == 1
    assert not unlock_pin.has_unlock_pin(doc)

    done = _set_through_the_dialog(qtbot, doc, PIN)
    assert done.changed and done.result() == 1
    assert unlock_pin.has_unlock_pin(doc)
    row = _row(sqlite_db, clinic["people"]["practitioner"].id)
    assert row.unlock_pin_hash is not None and row.unlock_pin_hash.startswith("$argon2id$")
    assert PIN not in row.unlock_pin_hash
    [entry] = _events(sqlite_db, "user.unlock_pin_set")
    assert entry.user_id == row.id and PIN not in str(entry.details)
    # The dialog opened again says there is one, and removes it.
    again = UnlockPinDialog(doc)
    qtbot.addWidget(again)
    assert again.remove_button.isEnabled()
    again.current.setText(factories.PASSWORD)
    again.remove_button.click()
    assert again.changed and not unlock_pin.has_unlock_pin(doc)
    assert len(_events(sqlite_db, "user.unlock_pin_cleared")) == 1


def test_patient_mode_is_taken_back_with_the_pin(qtbot, sqlite_db, home, clinic) -> None:
    unlock_pin.set_unlock_pin(_doctor(clinic), factories.PASSWORD, PIN)
    wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    click_section(handover)
    handover.panel.take_back_button.click()
    box = handover.panel.unlock
    assert "password or PIN" in box.prompt.text()
    # A wrong PIN: refused, said so, logged and counted.
    box.password.setText("9999")
    box.submit()
    qtbot.waitUntil(lambda: box.error.isVisible())
    assert "PIN is not correct" in box.error.text()
    assert handover.active and handover.panel.isVisible()
    doctor_id = clinic["people"]["practitioner"].id
    assert _row(sqlite_db, doctor_id).failed_attempts == 1
    [failed] = _events(sqlite_db, "unlock.failed")
    assert failed.details["reason"] == "pin" and failed.details["failures"] == 1
    assert "9999" not in str(failed.details)
    # The right PIN takes it back.
    with qtbot.waitSignal(handover.returned, timeout=10_000):
        box.password.setText(PIN)
        box.submit()
    assert wizard.handover is None and not handover.panel.isVisible()
    assert _row(sqlite_db, doctor_id).failed_attempts == 0
    assert any(e.details.get("with") == "pin" for e in _events(sqlite_db, "unlock"))
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)


def test_wrong_pins_and_passwords_share_the_lockout(sqlite_db: Database, clinic) -> None:
    doc = _doctor(clinic)
    unlock_pin.set_unlock_pin(doc, factories.PASSWORD, PIN)
    doctor_id = clinic["people"]["practitioner"].id
    # The password still works, and a PIN anyone can read off the form is refused.
    assert unlock_pin.take_back(doc, factories.PASSWORD).id == doctor_id
    with pytest.raises(ValidationError, match="digits"):
        unlock_pin.set_unlock_pin(doc, factories.PASSWORD, "25 80")
    # Wrong PINs and wrong passwords, one count: the last of them locks the account.
    for attempt in range(users.MAX_FAILURES - 1):
        wrong = "1357" if attempt % 2 == 0 else "not-the-password-at-all"
        with pytest.raises(AuthenticationError):
            unlock_pin.take_back(doc, wrong)
        assert _row(sqlite_db, doctor_id).failed_attempts == attempt + 1
    with pytest.raises(AuthenticationError):
        unlock_pin.take_back(doc, "1357")
    row = _row(sqlite_db, doctor_id)
    assert row.locked_until is not None and row.failed_attempts == 0
    assert "locked_until" in _events(sqlite_db, "unlock.failed")[-1].details
    # Locked: the right PIN is refused too (and said why), as the password is.
    with pytest.raises(AuthenticationError, match="locked"):
        unlock_pin.take_back(doc, PIN)
    with pytest.raises(AuthenticationError, match="locked"):
        unlock_pin.take_back(doc, factories.PASSWORD)


def test_without_a_pin_digits_are_a_wrong_password(sqlite_db: Database, clinic) -> None:
    doc = _doctor(clinic)
    with pytest.raises(AuthenticationError, match="password is not correct"):
        unlock_pin.take_back(doc, PIN)
    assert _row(sqlite_db, clinic["people"]["practitioner"].id).failed_attempts == 1
    # Reception has no patient mode to take back, nor a PIN.
    desk = clinic["ctx"].signed_in(clinic["people"]["reception"])
    with pytest.raises(PermissionDeniedError):
        unlock_pin.set_unlock_pin(desk, factories.PASSWORD, PIN)


def test_pictures_of_the_pin_dialog_and_the_unlock_box(
    qtbot, sqlite_db, home, clinic, tmp_path: Path, palette: str
) -> None:
    folder = out_dir(tmp_path)
    dialog = _set_through_the_dialog(qtbot, _doctor(clinic), "abcd")
    dialog.show()
    QApplication.processEvents()
    assert dialog.grab().save(str(folder / f"unlock-pin-dialog-refused-{palette}.png"))
    _wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    handover.panel.take_back_button.click()
    window = handover.panel.window()
    for width, height in ((1366, 768), (1024, 700)):
        window.resize(width, height)
        QApplication.processEvents()
        assert window.grab().save(str(folder / f"unlock-pin-desk-{width}x{height}-{palette}.png"))
    handover.panel.unlock.password.setText(factories.PASSWORD)
    with qtbot.waitSignal(handover.returned, timeout=10_000):
        handover.panel.unlock.submit()
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)
