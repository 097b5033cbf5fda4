"""The interface language kept on each user's account: stored, logged, the user's own
choice (never someone else's), and its column coming and going with migration 0008."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from consult.store import migrate
from consult.store.database import Database
from consult.store.errors import AccountChangedError, PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry, User
from consult.store.services import users
from consult.store.services.context import ServiceContext
from tests import factories
from tests.schema_support import newest_migration


@pytest.fixture
def staff(ctx: ServiceContext):
    return factories.staff(ctx)


def _language_events(ctx: ServiceContext, user_id: int) -> list[dict]:
    with ctx.unit_of_work() as session:
        return [
            dict(details)
            for details in session.execute(
                select(AuditEntry.details)
                .where(
                    AuditEntry.event == "user.language_changed",
                    AuditEntry.record_id == str(user_id),
                )
                .order_by(AuditEntry.id)
            ).scalars()
        ]


def test_each_user_keeps_their_own_language_and_the_change_is_logged(ctx, staff) -> None:
    doctor = ctx.signed_in(staff["practitioner"])
    desk = ctx.signed_in(staff["reception"])
    assert users.interface_language(doctor) is None  # the workstation's until chosen
    assert users.set_interface_language(doctor, "ja") == "ja"
    assert users.interface_language(doctor) == "ja"
    assert users.interface_language(desk) is None  # one user's choice is theirs alone
    assert users.set_interface_language(doctor, None) is None
    assert users.interface_language(doctor) is None
    assert _language_events(ctx, staff["practitioner"].id) == [
        {"before": None, "after": "ja"},
        {"before": "ja", "after": None},
    ]


@pytest.mark.parametrize("role", ["practitioner", "reception", "manager"])
def test_every_role_chooses_its_language(ctx, staff, role) -> None:
    user = ctx.signed_in(staff[role])
    users.set_interface_language(user, "ja")
    assert users.interface_language(user) == "ja"


def test_nobody_signed_in_chooses_nothing_and_the_refusal_is_logged(ctx, staff) -> None:
    with pytest.raises(PermissionDeniedError):
        users.set_interface_language(ctx, "ja")
    with pytest.raises(PermissionDeniedError):
        users.interface_language(ctx)
    with ctx.unit_of_work() as session:
        refused = session.execute(
            select(AuditEntry.details).where(AuditEntry.event == "refused")
        ).scalars()
        actions = [details["action"] for details in refused]
    assert actions == ["choose their interface language", "read their interface language"]


def test_a_tag_that_is_no_language_is_refused(ctx, staff) -> None:
    doctor = ctx.signed_in(staff["practitioner"])
    for bad in ("", "Japanese", "ja_JP", "j", "ja-", "<ja>"):
        with pytest.raises(ValidationError) as refused:
            users.set_interface_language(doctor, bad)
        assert refused.value.field == "language"
    assert users.interface_language(doctor) is None
    assert users.set_interface_language(doctor, "pt-BR") == "pt-BR"


def test_a_user_who_must_change_their_password_is_read_but_cannot_choose(ctx, staff) -> None:
    boss = ctx.signed_in(staff["manager"])
    desk = staff["reception"]
    users.set_interface_language(ctx.signed_in(desk), "ja")
    (current,) = [user for user in users.list_users(boss) if user.id == desk.id]
    users.reset_password(boss, desk.id, current.version, "Temporary-Pass-31")
    as_desk = ctx.signed_in(users.sign_in(ctx, "desk", "Temporary-Pass-31"))
    # Read at sign-in, before the new password is chosen (its dialog speaks the language).
    assert users.interface_language(as_desk) == "ja"
    with pytest.raises(AccountChangedError, match="new password is required"):
        users.set_interface_language(as_desk, None)
    assert users.interface_language(as_desk) == "ja"


def _columns(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        return {column["name"] for column in sa.inspect(connection).get_columns("app_user")}


def test_the_column_comes_and_goes_with_its_migration(db: Database, ctx, staff) -> None:
    users.set_interface_language(ctx.signed_in(staff["practitioner"]), "ja")
    assert "interface_language" in _columns(db)
    migrate.downgrade(db, "0007")
    assert "interface_language" not in _columns(db)
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision() == newest_migration()
    assert "interface_language" in _columns(db)
    with db.session() as session:
        # Everyone speaks the workstation's language again; every account is kept.
        rows = session.execute(select(User.username, User.interface_language)).all()
    assert sorted(rows) == [("boss", None), ("desk", None), ("doc", None)]
