"""Users: creating them, and signing in (argon2id, lockout after repeated failures)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.domain.roles import Qualification, Role, format_roles, parse_roles
from consult.store import audit, passwords
from consult.store.dto import UserInfo
from consult.store.errors import AuthenticationError, ValidationError
from consult.store.models import User, utcnow
from consult.store.services.context import ServiceContext

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
BAD_CREDENTIALS = "The username or password is not correct."


@dataclass(frozen=True)
class NewUser:
    """What is needed to create a user."""

    username: str
    display_name: str
    password: str
    roles: frozenset[Role]
    qualification: Qualification | None = None


def user_info(row: User) -> UserInfo:
    """The plain view of a user row."""
    return UserInfo(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=parse_roles(row.roles),
        qualification=row.qualification,
        active=row.active,
        must_change_password=row.must_change_password,
        version=row.version,
    )


def _create_user(session: Session, new: NewUser) -> UserInfo:
    username = new.username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "username", "use 2-64 lower-case letters, digits, dots, dashes or underscores"
        )
    if not new.display_name.strip():
        raise ValidationError("display_name", "the person's name is required")
    if not new.roles:
        raise ValidationError("roles", "choose at least one role")
    if Role.PRACTITIONER in new.roles and new.qualification is None:
        raise ValidationError("qualification", "a practitioner needs a professional qualification")
    passwords.check_new_password(new.password, username)
    taken = session.execute(
        select(func.count()).select_from(User).where(User.username == username)
    ).scalar_one()
    if taken:
        raise ValidationError("username", f"{username!r} is already taken")
    row = User(
        username=username,
        display_name=new.display_name.strip(),
        roles=format_roles(set(new.roles)),
        qualification=new.qualification.value if new.qualification else None,
        password_hash=passwords.hash_password(new.password),
        password_changed_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return user_info(row)


def create_user(ctx: ServiceContext, new: NewUser) -> UserInfo:
    """Create a user (managers)."""
    ctx.require("create users", Role.MANAGER)
    with ctx.unit_of_work() as session:
        info = _create_user(session, new)
        audit.append(
            session,
            ctx.actor,
            "user.created",
            record_type="user",
            record_id=info.id,
            details={"username": info.username, "roles": sorted(new.roles)},
        )
        return info


def list_users(ctx: ServiceContext) -> list[UserInfo]:
    """Every user, active or not (managers)."""
    ctx.require("see the list of users", Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(select(User).order_by(User.display_name)).scalars()
        return [user_info(row) for row in rows]


def count_users(ctx: ServiceContext) -> int:
    """How many users exist (no sign-in needed: the first run asks for the first one)."""
    with ctx.unit_of_work() as session:
        return int(session.execute(select(func.count()).select_from(User)).scalar_one())


def sign_in(ctx: ServiceContext, username: str, password: str) -> UserInfo:
    """Check the credentials and return the user, or raise :class:`AuthenticationError`.

    A wrong username and a wrong password get the same message. After
    :data:`MAX_FAILURES` failures in a row the account is locked for :data:`LOCKOUT`.
    """
    name = username.strip().lower()
    now = utcnow()
    with ctx.unit_of_work() as session:
        row = session.execute(
            select(User).where(User.username == name).with_for_update()
        ).scalar_one_or_none()
        actor = audit.Actor(row.id if row else None, name[:64], ctx.workstation)
        if row is None or not row.active:
            # Verify against a dummy hash anyway, so timing does not tell who exists.
            passwords.verify_password(_dummy_hash(), password)
            audit.append(session, actor, "signin.failed", details={"reason": "credentials"})
            error = AuthenticationError(BAD_CREDENTIALS)
        elif row.locked_until is not None and row.locked_until > now:
            audit.append(
                session,
                actor,
                "signin.failed",
                record_type="user",
                record_id=row.id,
                details={"reason": "locked"},
            )
            minutes = max(1, int((row.locked_until - now).total_seconds() // 60) + 1)
            error = AuthenticationError(
                f"This account is locked after {MAX_FAILURES} failed sign-ins. "
                f"Try again in {minutes} minutes, or ask a manager."
            )
        elif not passwords.verify_password(row.password_hash, password):
            row.failed_attempts += 1
            details: dict[str, object] = {"reason": "credentials", "failures": row.failed_attempts}
            if row.failed_attempts >= MAX_FAILURES:
                row.locked_until = now + LOCKOUT
                row.failed_attempts = 0
                details["locked_until"] = row.locked_until.isoformat()
            audit.append(
                session,
                actor,
                "signin.failed",
                record_type="user",
                record_id=row.id,
                details=details,
            )
            error = AuthenticationError(BAD_CREDENTIALS)
        else:
            row.failed_attempts = 0
            row.locked_until = None
            row.last_signin_at = now
            if passwords.needs_rehash(row.password_hash):
                row.password_hash = passwords.hash_password(password)
            session.flush()
            audit.append(session, actor, "signin", record_type="user", record_id=row.id)
            return user_info(row)
    # The failure is committed (logged, counted) before the caller hears of it.
    raise error


def sign_out(ctx: ServiceContext) -> None:
    """Record that the signed-in user signed out."""
    if ctx.user is None:
        return
    with ctx.unit_of_work() as session:
        audit.append(session, ctx.actor, "signout", record_type="user", record_id=ctx.user.id)


@functools.cache
def _dummy_hash() -> str:
    return passwords.hash_password("not a real password, only for timing")
