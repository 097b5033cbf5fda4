"""Roles follow the user: a manager's change takes effect at the signed-in user's next
action, on both engines (an attack found that the snapshot taken at sign-in ruled)."""

from __future__ import annotations

import pytest

from consult.domain.roles import Qualification, Role
from consult.store.errors import AccountChangedError, PermissionDeniedError
from consult.store.services import consultations, patients, users
from consult.store.services.context import ServiceContext
from consult.store.services.users import NewUser
from tests import factories


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict:
    people = factories.staff(ctx)
    heard: list[str] = []
    as_manager = ctx.signed_in(people["manager"])
    second = users.create_user(
        as_manager,
        NewUser("boss2", "Second Manager", factories.PASSWORD, frozenset({Role.MANAGER})),
    )
    nurse = users.create_user(
        as_manager,
        NewUser(
            "nurse",
            "Nora Nurse",
            factories.PASSWORD,
            frozenset({Role.PRACTITIONER}),
            Qualification.NURSE,
        ),
    )
    return {
        **people,
        "second": second,
        "nurse": nurse,
        "heard": heard,
        "ctx": ctx,
        "listening": lambda user: ServiceContext(ctx.db, user, on_account_changed=heard.append),
    }


def _version(ctx: ServiceContext, manager, user_id: int) -> int:
    return next(u for u in users.list_users(ctx.signed_in(manager)) if u.id == user_id).version


def test_a_deactivated_manager_loses_every_right_at_the_next_action(clinic) -> None:
    ctx = clinic["ctx"]
    stale = clinic["listening"](clinic["second"])  # signed in before the change
    assert users.list_users(stale)
    manager = clinic["manager"]
    second = clinic["second"]
    users.deactivate(ctx.signed_in(manager), second.id, _version(ctx, manager, second.id))
    with pytest.raises(AccountChangedError, match="deactivated"):
        users.list_users(stale)
    with pytest.raises(AccountChangedError):
        users.create_user(
            stale,
            NewUser("evil", "Evil Twin", factories.PASSWORD, frozenset({Role.MANAGER})),
        )
    assert len(clinic["heard"]) == 2 and "deactivated" in clinic["heard"][0]
    assert "evil" not in {u.username for u in users.list_users(ctx.signed_in(manager))}


def test_a_practitioner_demoted_to_reception_stops_reading_intakes(clinic) -> None:
    ctx, manager, nurse = clinic["ctx"], clinic["manager"], clinic["nurse"]
    stale = clinic["listening"](nurse)
    patient = patients.register(stale, factories.draft())
    info = consultations.start(stale, patient.id)
    assert consultations.get(stale, info.id).id == info.id
    users.update_user(
        ctx.signed_in(manager),
        nurse.id,
        _version(ctx, manager, nurse.id),
        roles=frozenset({Role.RECEPTION}),
        qualification=None,
        display_name="Nora Nurse",
    )
    with pytest.raises(AccountChangedError, match="Your roles were changed"):
        consultations.get(stale, info.id)
    assert clinic["heard"] and "reception" in clinic["heard"][0]
    # What reception may do still works for them.
    assert patients.recent(stale, limit=5)


def test_a_required_new_password_allows_only_changing_it(clinic) -> None:
    ctx, manager, doctor = clinic["ctx"], clinic["manager"], clinic["practitioner"]
    stale = clinic["listening"](doctor)
    users.reset_password(
        ctx.signed_in(manager),
        doctor.id,
        _version(ctx, manager, doctor.id),
        "Temporary-Harbour-93",
    )
    with pytest.raises(AccountChangedError, match="new password is required"):
        patients.recent(stale, limit=5)
    changed = users.change_own_password(stale, "Temporary-Harbour-93", "Velvet-Otter-Lantern-58")
    assert not changed.must_change_password
    assert patients.recent(stale, limit=5) is not None


def test_roles_never_held_are_an_ordinary_refusal(clinic) -> None:
    stale = clinic["listening"](clinic["reception"])
    with pytest.raises(PermissionDeniedError) as caught:
        users.list_users(stale)
    assert not isinstance(caught.value, AccountChangedError)
    assert clinic["heard"] == []
    with pytest.raises(PermissionDeniedError, match="Sign in first"):
        users.list_users(ServiceContext(clinic["ctx"].db))
