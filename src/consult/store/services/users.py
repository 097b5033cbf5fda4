"""Users: creating them, and signing in (argon2id, lockout after repeated failures)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.domain.roles import Qualification, Role, format_roles, parse_roles
from consult.store import audit, passwords
from consult.store.dto import UserInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    AuthenticationError,
    ConflictError,
    ErrorText,
    NotFoundError,
    StoreError,
    ValidationError,
)
from consult.store.models import Clinic, User, utcnow
from consult.store.services.accounts import user_info
from consult.store.services.context import ServiceContext

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)


def count_failure(row: User, now: dt.datetime, reason: str) -> dict[str, object]:
    """Count a wrong password or PIN against the account ``row`` (the one count both
    share): at :data:`MAX_FAILURES` it is locked for :data:`LOCKOUT` and counting starts
    again. Returns the failed attempt's audit details."""
    row.failed_attempts += 1
    details: dict[str, object] = {"reason": reason, "failures": row.failed_attempts}
    if row.failed_attempts >= MAX_FAILURES:
        row.locked_until = now + LOCKOUT
        row.failed_attempts = 0
        details["locked_until"] = row.locked_until.isoformat()
    return details


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
BAD_CREDENTIALS = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "The username or password is not correct. (After %1 failed sign-ins in a row an "
        "account is locked for %2 minutes; a manager can unlock it sooner.)",
    ),
    MAX_FAILURES,
    LOCKOUT.seconds // 60,
)
"""The one answer to a wrong username, a wrong password and a locked account alike, so
that sign-in does not tell anyone which usernames exist."""

_NAME_REQUIRED = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "the person's name is required"))
_ONE_ROLE = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "choose at least one role"))
_QUALIFICATION_NEEDED = ErrorText(
    QT_TRANSLATE_NOOP("StoreErrors", "a practitioner needs a professional qualification")
)


@dataclass(frozen=True)
class NewUser:
    """What is needed to create a user."""

    username: str
    display_name: str
    password: str
    roles: frozenset[Role]
    qualification: Qualification | None = None


def password_hash_of(session: Session, user_id: int) -> str:
    """A user's stored password hash (for the audit entry's fingerprint of it), read in
    the caller's transaction."""
    row = session.get(User, user_id)
    assert row is not None
    return row.password_hash


def _clinic_name(session: Session) -> str | None:
    """The clinic's name (a password containing it is easy to guess)."""
    return session.execute(select(Clinic.name).order_by(Clinic.id).limit(1)).scalar_one_or_none()


def add_user(session: Session, new: NewUser) -> UserInfo:
    """Check and add a user in the caller's transaction (``create_user`` and the first
    run's manager); the caller has checked the role and writes the audit entry."""
    username = new.username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            "username",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "use 2-64 lower-case letters, digits, dots, dashes or underscores",
                )
            ),
        )
    if not new.display_name.strip():
        raise ValidationError("display_name", _NAME_REQUIRED)
    if not new.roles:
        raise ValidationError("roles", _ONE_ROLE)
    if Role.PRACTITIONER in new.roles and new.qualification is None:
        raise ValidationError("qualification", _QUALIFICATION_NEEDED)
    passwords.check_new_password(new.password, username, (new.display_name, _clinic_name(session)))
    taken = session.execute(
        select(func.count()).select_from(User).where(User.username == username)
    ).scalar_one()
    if taken:
        raise ValidationError(
            "username",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1 is already taken"), repr(username)),
        )
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
        info = add_user(session, new)
        audit.append(
            session,
            ctx.actor,
            "user.created",
            record_type="user",
            record_id=info.id,
            details={
                "username": info.username,
                "display_name": info.display_name,
                "roles": sorted(new.roles),
                "qualification": info.qualification,
                "password": audit.fingerprint(session, password_hash_of(session, info.id)),
            },
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
            passwords.verify_password(_dummy_hash(), password)  # the same time as above
            audit.append(
                session,
                actor,
                "signin.failed",
                record_type="user",
                record_id=row.id,
                details={"reason": "locked"},
            )
            error = AuthenticationError(BAD_CREDENTIALS)
        elif not passwords.verify_password(row.password_hash, password):
            details = count_failure(row, now, "credentials")
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
            signin_details: dict[str, object] = {}
            if passwords.needs_rehash(row.password_hash):
                row.password_hash = passwords.hash_password(password)
                signin_details["password"] = audit.fingerprint(session, row.password_hash)
            session.flush()
            audit.append(
                session,
                actor,
                "signin",
                record_type="user",
                record_id=row.id,
                details=signin_details or None,
            )
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


# User administration (managers), one's own password, and the idle lock ------------------

_ANY_ROLE = (Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)
_USER_CONFLICT = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors", "This user was changed elsewhere: nothing was overwritten, reopen the list."
    )
)


def _user_row(session: Session, user_id: int, expected_version: int | None) -> User:
    row = session.get(User, user_id)
    if row is None:
        raise NotFoundError(
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "User %1 does not exist."), user_id)
        )
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(_USER_CONFLICT)
    return row


def _other_active_managers(session: Session, user_id: int) -> int:
    rows = session.execute(select(User.roles).where(User.active, User.id != user_id)).scalars()
    return sum(1 for roles in rows if Role.MANAGER in parse_roles(roles))


def update_user(
    ctx: ServiceContext,
    user_id: int,
    expected_version: int,
    *,
    roles: frozenset[Role],
    qualification: Qualification | None,
    display_name: str | None = None,
) -> UserInfo:
    """Change a user's roles, qualification and name (managers; optimistic version).

    The clinic always keeps one active manager: the last one cannot lose the role.
    """
    ctx.require("change users' roles", Role.MANAGER)
    if not roles:
        raise ValidationError("roles", _ONE_ROLE)
    if Role.PRACTITIONER in roles and qualification is None:
        raise ValidationError("qualification", _QUALIFICATION_NEEDED)
    if display_name is not None and not display_name.strip():
        raise ValidationError("display_name", _NAME_REQUIRED)
    try:
        with ctx.unit_of_work() as session:
            row = _user_row(session, user_id, expected_version)
            before = {
                "roles": row.roles,
                "qualification": row.qualification,
                "display_name": row.display_name,
            }
            if (
                Role.MANAGER in parse_roles(row.roles)
                and Role.MANAGER not in roles
                and row.active
                and not _other_active_managers(session, row.id)
            ):
                raise ValidationError(
                    "roles",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "the clinic needs at least one active manager"
                        )
                    ),
                )
            row.roles = format_roles(set(roles))
            row.qualification = qualification.value if qualification else None
            if display_name is not None:
                row.display_name = display_name.strip()
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "user.updated",
                record_type="user",
                record_id=row.id,
                details={
                    "username": row.username,
                    "before": before,
                    "after": {
                        "roles": row.roles,
                        "qualification": row.qualification,
                        "display_name": row.display_name,
                    },
                },
            )
            return user_info(row)
    except StaleDataError as exc:
        raise ConflictError(_USER_CONFLICT) from exc


def reset_password(
    ctx: ServiceContext, user_id: int, expected_version: int, temporary_password: str
) -> UserInfo:
    """Give a user a temporary password they must change at their next sign-in (managers).

    Also lifts a lockout after failed sign-ins.
    """
    ctx.require("reset passwords", Role.MANAGER)
    try:
        with ctx.unit_of_work() as session:
            row = _user_row(session, user_id, expected_version)
            passwords.check_new_password(
                temporary_password, row.username, (row.display_name, _clinic_name(session))
            )
            row.password_hash = passwords.hash_password(temporary_password)
            row.must_change_password = True
            row.failed_attempts = 0
            row.locked_until = None
            row.password_changed_at = utcnow()
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "user.password_reset",
                record_type="user",
                record_id=row.id,
                details={
                    "username": row.username,
                    "password": audit.fingerprint(session, row.password_hash),
                },
            )
            return user_info(row)
    except StaleDataError as exc:
        raise ConflictError(_USER_CONFLICT) from exc


def _set_active(ctx: ServiceContext, user_id: int, expected_version: int, active: bool) -> UserInfo:
    manager = ctx.require("deactivate users" if not active else "reactivate users", Role.MANAGER)
    try:
        with ctx.unit_of_work() as session:
            row = _user_row(session, user_id, expected_version)
            if not active:
                if row.id == manager.id:
                    raise ValidationError(
                        "user",
                        ErrorText(
                            QT_TRANSLATE_NOOP(
                                "StoreErrors", "you cannot deactivate your own account"
                            )
                        ),
                    )
                if Role.MANAGER in parse_roles(row.roles) and not _other_active_managers(
                    session, row.id
                ):
                    raise ValidationError(
                        "user",
                        ErrorText(
                            QT_TRANSLATE_NOOP(
                                "StoreErrors", "the clinic needs at least one active manager"
                            )
                        ),
                    )
            row.active = active
            if active:
                row.failed_attempts, row.locked_until = 0, None
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "user.reactivated" if active else "user.deactivated",
                record_type="user",
                record_id=row.id,
                details={"username": row.username},
            )
            return user_info(row)
    except StaleDataError as exc:
        raise ConflictError(_USER_CONFLICT) from exc


def deactivate(ctx: ServiceContext, user_id: int, expected_version: int) -> UserInfo:
    """Stop a user from signing in (managers). Users are never deleted: their signatures
    and audit entries stay attributable."""
    return _set_active(ctx, user_id, expected_version, False)


def reactivate(ctx: ServiceContext, user_id: int, expected_version: int) -> UserInfo:
    """Let a deactivated user sign in again (managers)."""
    return _set_active(ctx, user_id, expected_version, True)


def change_own_password(ctx: ServiceContext, current: str, new: str) -> UserInfo:
    """The signed-in user changes their password (the current one is asked again)."""
    user = ctx.require("change their password", *_ANY_ROLE, password_change=True)
    with ctx.unit_of_work() as session:
        row = _user_row(session, user.id, None)
        if not passwords.verify_password(row.password_hash, current):
            audit.append(
                session,
                ctx.actor,
                "user.password_change_failed",
                record_type="user",
                record_id=row.id,
                details={"reason": "current password"},
            )
            error: StoreError = ValidationError("current", "the current password is not correct")
        elif new == current:
            error = ValidationError("password", "choose a password different from the current one")
        else:
            passwords.check_new_password(
                new, row.username, (row.display_name, _clinic_name(session))
            )
            row.password_hash = passwords.hash_password(new)
            row.must_change_password = False
            row.password_changed_at = utcnow()
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "user.password_changed",
                record_type="user",
                record_id=row.id,
                details={"password": audit.fingerprint(session, row.password_hash)},
            )
            return user_info(row)
    # The failed attempt is committed (logged) before the caller hears of it.
    raise error


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def interface_language(ctx: ServiceContext) -> str | None:
    """The language the signed-in user chose for their interface (a tag such as "ja"),
    or None: the workstation's. Read at sign-in, to show the user's pages in it."""
    user = ctx.require("read their interface language", *_ANY_ROLE, password_change=True)
    with ctx.unit_of_work() as session:
        return _user_row(session, user.id, None).interface_language


def set_interface_language(ctx: ServiceContext, language: str | None) -> str | None:
    """The signed-in user chooses the language of their interface (None: the
    workstation's). Their own setting, like their password: logged, never a manager's."""
    user = ctx.require("choose their interface language", *_ANY_ROLE)
    if language is not None and not _LANGUAGE_TAG.match(language):
        raise ValidationError("language", f"{language!r} is not a language tag such as ja")
    with ctx.unit_of_work() as session:
        row = _user_row(session, user.id, None)
        before = row.interface_language
        row.interface_language = language
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "user.language_changed",
            record_type="user",
            record_id=row.id,
            details={"before": before, "after": language},
        )
        return language


def lock(ctx: ServiceContext, reason: str = "idle") -> None:
    """Record that the screen was locked with the user still signed in."""
    if ctx.user is None:
        return
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "lock",
            record_type="user",
            record_id=ctx.user.id,
            details={"reason": reason},
        )


def unlock(ctx: ServiceContext, password: str) -> UserInfo:
    """Unlock the screen with the signed-in user's password.

    A wrong password is logged and counts towards the lockout, as at sign-in; raises
    :class:`AuthenticationError`.
    """
    user = ctx.require("unlock the screen", *_ANY_ROLE)
    now = utcnow()
    with ctx.unit_of_work() as session:
        row = session.execute(
            select(User).where(User.id == user.id).with_for_update()
        ).scalar_one_or_none()
        if row is None or not row.active:
            audit.append(session, ctx.actor, "unlock.failed", details={"reason": "inactive"})
            error = AuthenticationError(BAD_CREDENTIALS)
        elif row.locked_until is not None and row.locked_until > now:
            passwords.verify_password(_dummy_hash(), password)  # the same time as above
            audit.append(
                session,
                ctx.actor,
                "unlock.failed",
                record_type="user",
                record_id=row.id,
                details={"reason": "locked"},
            )
            error = AuthenticationError(
                ErrorText(
                    QT_TRANSLATE_NOOP(
                        "StoreErrors",
                        "This account is locked after %1 failed attempts: "
                        "another user may sign in, or ask a manager.",
                    ),
                    MAX_FAILURES,
                )
            )
        elif not passwords.verify_password(row.password_hash, password):
            details = count_failure(row, now, "credentials")
            audit.append(
                session,
                ctx.actor,
                "unlock.failed",
                record_type="user",
                record_id=row.id,
                details=details,
            )
            error = AuthenticationError(
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The password is not correct."))
            )
        else:
            row.failed_attempts = 0
            session.flush()
            audit.append(session, ctx.actor, "unlock", record_type="user", record_id=row.id)
            return user_info(row)
    raise error
