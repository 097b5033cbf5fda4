"""User administration by managers, one's own password, the lock, and password hashes."""

from __future__ import annotations

import os

import pytest
from argon2 import PasswordHasher, Type
from PySide6.QtCore import Qt
from sqlalchemy import select

from consult.domain.roles import Qualification, Role
from consult.store import passwords
from consult.store.errors import (
    AuthenticationError,
    ConflictError,
    PermissionDeniedError,
    ValidationError,
)
from consult.store.models import AuditEntry, User
from consult.store.services import users
from consult.store.services.context import ServiceContext
from tests import factories
from tests.signin_support import wait_for_sign_in

NEW_PASSWORD = "Blue-Lagoon-Sunset-7"
SHOTS = os.environ.get("CONSULT_SHOTS")
# Shown dialogs (to see the strength under the field) on the offscreen platform.
shown_dialog = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def staff(ctx: ServiceContext):
    return factories.staff(ctx)


def _events(ctx: ServiceContext, user_id: int) -> list[str]:
    with ctx.unit_of_work() as session:
        return list(
            session.execute(
                select(AuditEntry.event)
                .where(AuditEntry.record_type == "user", AuditEntry.record_id == str(user_id))
                .order_by(AuditEntry.id)
            ).scalars()
        )


def test_a_manager_changes_roles_and_qualification_with_version_check(ctx, staff) -> None:
    boss = ctx.signed_in(staff["manager"])
    desk = staff["reception"]
    with pytest.raises(ValidationError, match="qualification"):
        users.update_user(
            boss, desk.id, desk.version, roles=frozenset({Role.PRACTITIONER}), qualification=None
        )
    changed = users.update_user(
        boss,
        desk.id,
        desk.version,
        roles=frozenset({Role.PRACTITIONER, Role.RECEPTION}),
        qualification=Qualification.NURSE,
    )
    assert changed.roles == {Role.PRACTITIONER, Role.RECEPTION}
    assert changed.qualification == "nurse" and changed.version == desk.version + 1
    with pytest.raises(ConflictError, match="changed elsewhere"):
        users.update_user(
            boss, desk.id, desk.version, roles=frozenset({Role.RECEPTION}), qualification=None
        )
    assert "user.updated" in _events(ctx, desk.id)
    with ctx.unit_of_work() as session:
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.event == "user.updated")
        ).scalar_one()
        assert entry.details["before"]["roles"] == "reception"
        assert entry.details["after"]["roles"] == "practitioner reception"


def test_the_last_manager_keeps_the_role_and_cannot_be_deactivated(ctx, staff) -> None:
    boss = ctx.signed_in(staff["manager"])
    me = staff["manager"]
    with pytest.raises(ValidationError, match="at least one active manager"):
        users.update_user(
            boss, me.id, me.version, roles=frozenset({Role.RECEPTION}), qualification=None
        )
    with pytest.raises(ValidationError, match="your own account"):
        users.deactivate(boss, me.id, me.version)


def test_deactivated_users_cannot_sign_in_and_are_never_deleted(ctx, staff) -> None:
    boss = ctx.signed_in(staff["manager"])
    doc = staff["practitioner"]
    off = users.deactivate(boss, doc.id, doc.version)
    assert not off.active
    with pytest.raises(AuthenticationError):
        users.sign_in(ctx, "doc", factories.PASSWORD)
    assert any(u.id == doc.id and not u.active for u in users.list_users(boss))
    on = users.reactivate(boss, doc.id, off.version)
    assert on.active
    assert users.sign_in(ctx, "doc", factories.PASSWORD).id == doc.id
    assert _events(ctx, doc.id)[-3:] == ["user.deactivated", "user.reactivated", "signin"]


def test_a_reset_password_must_be_changed_at_the_next_sign_in(ctx, staff) -> None:
    boss = ctx.signed_in(staff["manager"])
    desk = staff["reception"]
    with pytest.raises(ValidationError, match="at least 12"):
        users.reset_password(boss, desk.id, desk.version, "short")
    users.reset_password(boss, desk.id, desk.version, "Temporary-Pass-31")
    with pytest.raises(AuthenticationError):
        users.sign_in(ctx, "desk", factories.PASSWORD)
    signed = users.sign_in(ctx, "desk", "Temporary-Pass-31")
    assert signed.must_change_password
    as_desk = ctx.signed_in(signed)
    for bad, match in (
        ("desk-desk-desk-1", "username"),
        ("password1234", "too easy to guess. This is a very common password."),
        ("Temporary-Pass-31", "different"),
    ):
        with pytest.raises(ValidationError, match=match):
            users.change_own_password(as_desk, "Temporary-Pass-31", bad)
    with pytest.raises(ValidationError, match="current password"):
        users.change_own_password(as_desk, "wrong-current-pw", NEW_PASSWORD)
    changed = users.change_own_password(as_desk, "Temporary-Pass-31", NEW_PASSWORD)
    assert not changed.must_change_password
    assert not users.sign_in(ctx, "desk", NEW_PASSWORD).must_change_password
    events = _events(ctx, desk.id)
    for event in ("user.password_reset", "user.password_change_failed", "user.password_changed"):
        assert event in events


def test_a_reset_lifts_a_lockout(ctx, staff) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            users.sign_in(ctx, "doc", "not the password")
    with pytest.raises(AuthenticationError, match="locked"):
        users.sign_in(ctx, "doc", factories.PASSWORD)
    boss = ctx.signed_in(staff["manager"])
    doc = next(u for u in users.list_users(boss) if u.username == "doc")
    users.reset_password(boss, doc.id, doc.version, "Temporary-Pass-31")
    assert users.sign_in(ctx, "doc", "Temporary-Pass-31").must_change_password


def test_others_cannot_administer_users(ctx, staff) -> None:
    desk = staff["reception"]
    for role in ("practitioner", "reception"):
        as_other = ctx.signed_in(staff[role])
        with pytest.raises(PermissionDeniedError):
            users.update_user(
                as_other, desk.id, desk.version, roles=frozenset({Role.MANAGER}), qualification=None
            )
        with pytest.raises(PermissionDeniedError):
            users.reset_password(as_other, desk.id, desk.version, "Temporary-Pass-31")
        with pytest.raises(PermissionDeniedError):
            users.deactivate(as_other, desk.id, desk.version)


def test_unlock_needs_the_users_own_password_and_counts_failures(ctx, staff) -> None:
    doc = ctx.signed_in(staff["practitioner"])
    users.lock(doc)
    with pytest.raises(AuthenticationError, match="not correct"):
        users.unlock(doc, "not my password")
    assert users.unlock(doc, factories.PASSWORD).id == staff["practitioner"].id
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            users.unlock(doc, "still not it!")
    with pytest.raises(AuthenticationError, match="locked"):
        users.unlock(doc, factories.PASSWORD)
    events = _events(ctx, staff["practitioner"].id)
    assert events[events.index("lock") :][:3] == ["lock", "unlock.failed", "unlock"]


def test_hashes_are_argon2id_19mib_2_iterations() -> None:
    stored = passwords.hash_password("Correct-Horse-42")
    assert stored.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in stored


def test_a_weaker_hash_is_upgraded_at_the_next_sign_in(ctx, staff) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID)
    old_hash = weak.hash(factories.PASSWORD)
    assert passwords.needs_rehash(old_hash)
    with ctx.unit_of_work() as session:
        row = session.execute(select(User).where(User.username == "doc")).scalar_one()
        row.password_hash = old_hash
    users.sign_in(ctx, "doc", factories.PASSWORD)
    with ctx.unit_of_work() as session:
        new_hash = session.execute(
            select(User.password_hash).where(User.username == "doc")
        ).scalar_one()
    assert new_hash != old_hash and "m=19456,t=2,p=1" in new_hash
    assert not passwords.needs_rehash(new_hash)
    assert passwords.verify_password(new_hash, factories.PASSWORD)


# The Users tab and the change-password dialog ------------------------------------------


@pytest.fixture
def users_page(qtbot, sqlite_db, home):
    from consult.ui.manager.users_page import UsersPage
    from consult.ui.shell.session import AppSession

    staff = factories.staff(ServiceContext(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["manager"])
    page = UsersPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def _save(qtbot, dialog) -> None:
    """Save, and wait for the save (a write off the GUI thread) to end."""
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving())


def _click_save(qtbot, dialog) -> None:
    """Click Save, and wait for the save (a write off the GUI thread) to end."""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.is_saving())


def _select(page, username: str) -> None:
    row = next(r for r in range(page.model.rowCount()) if page.model.user(r).username == username)
    page.table.selectRow(row)


def test_the_users_page_adds_edits_resets_and_deactivates(
    qtbot, users_page, monkeypatch, qtmodeltester
) -> None:
    from consult.ui.manager.user_dialogs import ResetPasswordDialog, UserDialog
    from consult.ui.manager.users_page import UsersPage

    page = users_page
    assert page.model.rowCount() == 3
    qtmodeltester.check(page.model)

    def add(cls, session, user, parent):
        dialog = cls(session, user, parent)
        dialog.display_name.setText("Nora Nurse")
        dialog.username.setText("nora")
        dialog.role_boxes[Role.PRACTITIONER].setChecked(True)
        dialog.password.setText(NEW_PASSWORD)
        dialog.repeat.setText(NEW_PASSWORD)
        _save(qtbot, dialog)
        assert "qualification" in dialog.form.errors["qualification"].text()
        dialog.qualification.setCurrentIndex(
            dialog.qualification.findData(Qualification.NURSE.value)
        )
        _save(qtbot, dialog)
        return dialog.result_user

    monkeypatch.setattr(UserDialog, "ask", classmethod(add))
    with qtbot.waitSignal(page.loaded):
        page.add_button.click()
    assert page.current() is not None and page.current().username == "nora"

    def edit(cls, session, user, parent):
        dialog = cls(session, user, parent)
        assert not dialog.username.isEnabled()
        dialog.role_boxes[Role.RECEPTION].setChecked(True)
        _save(qtbot, dialog)
        return dialog.result_user

    monkeypatch.setattr(UserDialog, "ask", classmethod(edit))
    with qtbot.waitSignal(page.loaded):
        page.edit_button.click()
    assert page.current().roles == {Role.PRACTITIONER, Role.RECEPTION}

    def reset(cls, session, user, parent):
        dialog = cls(session, user, parent)
        dialog.password.setText("Temporary-Pass-31")
        dialog.repeat.setText("Temporary-Pass-31")
        _save(qtbot, dialog)
        return dialog.result_user

    monkeypatch.setattr(ResetPasswordDialog, "ask", classmethod(reset))
    with qtbot.waitSignal(page.loaded):
        page.reset_button.click()
    assert page.current().must_change_password
    status = page.model.index(page.table.currentIndex().row(), page.model.COL_STATUS)
    assert page.model.data(status) == "Active: must change password"

    monkeypatch.setattr(UsersPage, "confirm", classmethod(lambda cls, parent, question: True))
    with qtbot.waitSignal(page.loaded):
        page.active_button.click()
    assert not page.current().active
    assert page.active_button.text() == "Re&activate"
    _select(page, "boss")
    page.active_button.click()
    qtbot.waitUntil(lambda: "your own account" in page.error.text())  # refused by the write
    if SHOTS:
        page.grab().save(f"{SHOTS}/users-page.png")


def test_the_idle_lock_setting_is_saved_and_logged(qtbot, users_page) -> None:
    from consult.store.services import clinic as clinic_service

    users_page.idle_minutes.setValue(4)
    users_page.save_settings_button.click()
    qtbot.waitUntil(lambda: "4 minutes" in users_page.status.text())  # saved off the GUI thread
    assert clinic_service.idle_lock_minutes(users_page.session.ctx) == 4
    assert "4 minutes" in users_page.status.text()


def _sign_in(window, username: str, password: str) -> None:
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(password)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread


def test_a_reset_password_is_changed_at_sign_in(qtbot, sqlite_db, home, monkeypatch) -> None:
    from consult.ui.shell.change_password import ChangePasswordDialog
    from consult.ui.shell.main_window import MainWindow
    from consult.ui.shell.session import AppSession

    ctx = ServiceContext(sqlite_db)
    staff = factories.staff(ctx)
    desk = staff["reception"]
    users.reset_password(
        ctx.signed_in(staff["manager"]), desk.id, desk.version, "Temporary-Pass-31"
    )
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    monkeypatch.setattr(ChangePasswordDialog, "ask", classmethod(lambda *args: None))
    _sign_in(window, "desk", "Temporary-Pass-31")
    assert window.stack.currentWidget() is window.sign_in
    assert window.session.user is None

    def change(cls, as_user, user, forced, parent):
        dialog = cls(as_user, user, forced, parent)
        assert forced
        dialog.current.setText("Temporary-Pass-31")
        dialog.new.setText(NEW_PASSWORD)
        dialog.repeat.setText(NEW_PASSWORD + "x")
        dialog.save()
        assert "differ" in dialog.form.errors["repeat"].text()
        dialog.repeat.setText(NEW_PASSWORD)
        dialog.save()
        if SHOTS:
            dialog.grab().save(f"{SHOTS}/change-password.png")
        return dialog.result_user

    monkeypatch.setattr(ChangePasswordDialog, "ask", classmethod(change))
    _sign_in(window, "desk", "Temporary-Pass-31")
    assert window.stack.currentWidget() is window.workspace
    assert window.session.user is not None and not window.session.user.must_change_password
    assert users.sign_in(ctx, "desk", NEW_PASSWORD).id == desk.id
    with ctx.unit_of_work() as session:
        events = list(session.execute(select(AuditEntry.event).order_by(AuditEntry.id)).scalars())
    tail = events[events.index("user.password_reset") :]
    assert tail[:4] == ["user.password_reset", "signin", "signout", "signin"]
    assert "user.password_changed" in tail


# Password strength (zxcvbn) -------------------------------------------------------------

WEAK = {
    "Welcome123456": "This is similar to a commonly used password.",
    "qwertyuiop123": "This is a very common password.",
    "clinicclinic1": 'Repeats like "abcabcabc" are only slightly harder to guess than "abc".',
}


@pytest.mark.parametrize(("weak", "warning"), WEAK.items())
def test_the_services_refuse_a_weak_password_with_zxcvbns_feedback(
    ctx, staff, weak, warning
) -> None:
    boss = ctx.signed_in(staff["manager"])
    desk = staff["reception"]
    attempts = (
        lambda: users.create_user(
            boss, users.NewUser("newbie", "New Person", weak, frozenset({Role.RECEPTION}))
        ),
        lambda: users.reset_password(boss, desk.id, desk.version, weak),
        lambda: users.change_own_password(ctx.signed_in(desk), factories.PASSWORD, weak),
    )
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.field == "password"
        assert refused.value.message.startswith("is too easy to guess. " + warning)
        assert "Add another word or two." in refused.value.message


def test_names_of_the_person_and_of_the_clinic_count_as_easy_to_guess(ctx) -> None:
    from consult.store.services import clinic as clinic_service

    # Hard to guess for a stranger, easy for someone who knows the clinic or the person.
    assert passwords.assess("Harbourside2026").acceptable
    assert passwords.assess("chidinmaokonkwo").acceptable
    with pytest.raises(ValidationError, match="too easy to guess"):
        clinic_service.set_up_clinic(
            ctx,
            name="Harbourside Aesthetics",
            address="",
            jurisdiction="GB",
            regenerative_medicine_plan=None,
            manager=users.NewUser(
                "boss", "Beatrice Boss", "Harbourside2026", frozenset({Role.MANAGER})
            ),
        )
    _, boss = clinic_service.set_up_clinic(
        ctx,
        name="Harbourside Aesthetics",
        address="",
        jurisdiction="GB",
        regenerative_medicine_plan=None,
        manager=users.NewUser(
            "boss", "Beatrice Boss", factories.PASSWORD, frozenset({Role.MANAGER})
        ),
    )
    with pytest.raises(ValidationError, match="too easy to guess"):
        users.create_user(
            ctx.signed_in(boss),
            users.NewUser(
                "frontdesk", "Chidinma Okonkwo", "chidinmaokonkwo", frozenset({Role.RECEPTION})
            ),
        )


def test_the_length_and_username_rules_stay() -> None:
    assert passwords.assess("Short-7").problem == "must be at least 12 characters long"
    assert passwords.assess("Zebra-Quartz-desk-9", "desk").problem == (
        "must not contain the username"
    )
    long = "Lantern-Otter-Mosaic-91 " * 10  # longer than zxcvbn reads: judged on its start
    assert passwords.assess(long).acceptable
    assert passwords.assess("").problem


def test_the_demo_clinics_passwords_pass_the_rule() -> None:
    from consult.store.demo import DEMO_USERS

    for user in DEMO_USERS:
        strength = passwords.assess(
            user.password, user.username, (user.display_name, "Harley Lane Aesthetics (demo)")
        )
        assert strength.acceptable and strength.score >= passwords.MIN_SCORE, user.username


@shown_dialog
def test_adding_a_user_shows_the_strength_and_refuses_a_weak_password(qtbot, users_page) -> None:
    from consult.ui.manager.user_dialogs import UserDialog

    dialog = UserDialog(users_page.session, None, users_page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.display_name, "Nora Nurse")
    qtbot.keyClicks(dialog.username, "nora")
    dialog.role_boxes[Role.RECEPTION].setChecked(True)
    assert dialog.strength is not None and dialog.strength.text() == ""
    qtbot.keyClicks(dialog.password, "qwertyuiop123")
    qtbot.keyClicks(dialog.repeat, "qwertyuiop123")
    assert dialog.strength.isVisible()
    assert dialog.strength.accessibleName() == "Password strength"
    assert dialog.strength.text().startswith("Strength: Weak. Not accepted: the password is")
    assert "This is a very common password." in dialog.strength.text()
    assert "too easy to guess" in dialog.save_button.toolTip()
    _click_save(qtbot, dialog)
    assert dialog.result_user is None
    error = dialog.form.errors["password"]
    assert error.isVisible() and "This is a very common password." in error.text()
    assert "nora" not in [u.username for u in users.list_users(users_page.session.ctx)]
    # As the password grows stronger the feedback follows, and it is accepted.
    for field in (dialog.password, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, NEW_PASSWORD)
    assert dialog.strength.text().startswith(("Strength: Strong.", "Strength: Very strong."))
    assert dialog.save_button.toolTip() == ""
    _click_save(qtbot, dialog)
    assert dialog.result_user is not None and dialog.result_user.username == "nora"


@shown_dialog
def test_resetting_a_password_shows_the_strength_and_refuses_a_weak_one(qtbot, users_page) -> None:
    from consult.ui.manager.user_dialogs import ResetPasswordDialog

    _select(users_page, "desk")
    dialog = ResetPasswordDialog(users_page.session, users_page.current(), users_page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.password, "Welcome123456")
    qtbot.keyClicks(dialog.repeat, "Welcome123456")
    assert "This is similar to a commonly used password." in dialog.strength.text()
    _save(qtbot, dialog)
    assert dialog.result_user is None
    assert "too easy to guess" in dialog.form.errors["password"].text()


@shown_dialog
def test_changing_ones_password_shows_the_strength_and_refuses_a_weak_one(
    qtbot, sqlite_db, home
) -> None:
    from consult.ui.shell.change_password import ChangePasswordDialog

    ctx = ServiceContext(sqlite_db)
    desk = factories.staff(ctx)["reception"]
    as_desk = ctx.signed_in(desk)
    dialog = ChangePasswordDialog(as_desk, desk, False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.current, factories.PASSWORD)
    qtbot.keyClicks(dialog.new, "clinicclinic1")
    qtbot.keyClicks(dialog.repeat, "clinicclinic1")
    assert dialog.strength.isVisible()
    assert dialog.strength.text().startswith("Strength: Weak. Not accepted")
    assert 'Repeats like "abcabcabc"' in dialog.strength.text()
    assert "too easy to guess" in dialog.save_button.toolTip()
    assert "too easy to guess" in dialog.save_button.accessibleDescription()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_user is None
    error = dialog.form.errors["password"]
    assert error.isVisible() and 'Repeats like "abcabcabc"' in error.text()
    assert users.sign_in(ctx, "desk", factories.PASSWORD).id == desk.id  # unchanged
    for field in (dialog.new, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, NEW_PASSWORD)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_user is not None
    assert users.sign_in(ctx, "desk", NEW_PASSWORD).id == desk.id


def test_a_locked_account_and_an_unknown_user_get_the_same_answer(ctx, staff) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationError):
            users.sign_in(ctx, "doc", "not the password")
    with pytest.raises(AuthenticationError) as locked:
        users.sign_in(ctx, "doc", factories.PASSWORD)
    with pytest.raises(AuthenticationError) as unknown:
        users.sign_in(ctx, "nobody-here", factories.PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        users.sign_in(ctx, "desk", "not the password")
    assert str(locked.value) == str(unknown.value) == str(wrong.value)
    assert "locked" in str(locked.value)  # what to do is said to everyone
