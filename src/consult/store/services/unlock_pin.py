"""A practitioner's PIN to take patient mode back (docs/patient-mode.md).

Typing a long password at a desk the patient has just handed back, in front of them, is
slow and easily watched; a practitioner may set a PIN of 4 to 8 digits that takes
patient mode back as their password does. It is theirs alone: set, changed or removed
only by themselves with their current password (:func:`set_unlock_pin`,
:func:`clear_unlock_pin`), kept as an argon2id hash like a password
(``app_user.unlock_pin_hash``), and every change is audited (``user.unlock_pin_set``,
``user.unlock_pin_cleared``, ``user.unlock_pin_change_failed``), never the PIN.

:func:`take_back` checks what was typed at patient mode's unlock box: digits only (4 to
8 of them) are the PIN, anything else the password (``users.unlock``; a password is at
least :data:`~consult.store.passwords.MIN_LENGTH` characters, so the two never meet). A
wrong PIN is refused, audited (``unlock.failed``, reason ``pin``) and counted with the
wrong passwords towards the same lockout (:data:`~consult.store.services.users.MAX_FAILURES`
in a row lock the account for :data:`~consult.store.services.users.LOCKOUT`); a PIN is
refused while the account is locked, as a password is.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.domain.roles import Role
from consult.store import audit, passwords
from consult.store.dto import UserInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    AuthenticationError,
    ErrorText,
    StoreError,
    ValidationError,
)
from consult.store.models import User, utcnow
from consult.store.services import users
from consult.store.services.accounts import user_info
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

MIN_DIGITS = 4
MAX_DIGITS = 8
PIN_FORMAT = re.compile(rf"^[0-9]{{{MIN_DIGITS},{MAX_DIGITS}}}$")
"""What a PIN is: 4 to 8 digits (0-9), nothing else."""
NOT_A_PIN = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors", "A PIN is %1 to %2 digits (0-9): no letters, spaces or other signs."
    ),
    MIN_DIGITS,
    MAX_DIGITS,
)
GUESSABLE = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "This PIN is too easy to guess (one digit repeated, or digits in a row): choose another.",
    )
)
WRONG_PIN = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The PIN is not correct."))
WRONG_CURRENT = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "the current password is not correct"))
LOCKED = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "This account is locked after %1 failed attempts: another user may sign in, or ask "
        "a manager.",
    ),
    users.MAX_FAILURES,
)
_DIGITS = "0123456789"


def is_pin(text: str) -> bool:
    """Whether ``text`` has a PIN's form (4 to 8 digits)."""
    return PIN_FORMAT.match(text) is not None


def check_pin(pin: str) -> None:
    """Refuse (``ValidationError`` on the ``pin`` field) what is not a PIN, or a PIN
    anyone would try first: one digit repeated, or digits in a row up or down."""
    if not is_pin(pin):
        raise ValidationError("pin", NOT_A_PIN)
    if len(set(pin)) == 1 or pin in _DIGITS or pin in _DIGITS[::-1]:
        raise ValidationError("pin", GUESSABLE)


def has_unlock_pin(ctx: ServiceContext) -> bool:
    """Whether the signed-in practitioner has set a PIN."""
    user = ctx.require("see whether they have a PIN for patient mode", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = session.get(User, user.id)
        return row is not None and row.unlock_pin_hash is not None


def _change(ctx: ServiceContext, current: str, pin: str | None) -> None:
    user = ctx.require("set a PIN to take patient mode back", Role.PRACTITIONER)
    if pin is not None:
        check_pin(pin)
    error: StoreError | None = None
    with ctx.unit_of_work() as session:
        row = session.execute(select(User).where(User.id == user.id).with_for_update()).scalar_one()
        if not passwords.verify_password(row.password_hash, current):
            audit.append(
                session,
                ctx.actor,
                "user.unlock_pin_change_failed",
                record_type="user",
                record_id=row.id,
                details={"reason": "current password"},
            )
            error = ValidationError("current", WRONG_CURRENT)
        else:
            had = row.unlock_pin_hash is not None
            row.unlock_pin_hash = passwords.hash_password(pin) if pin is not None else None
            audit.append(
                session,
                ctx.actor,
                "user.unlock_pin_set" if pin is not None else "user.unlock_pin_cleared",
                record_type="user",
                record_id=row.id,
                details={"had_a_pin": had},
            )
            _log.info("user %s %s their PIN", row.id, "set" if pin is not None else "removed")
    if error is not None:  # the failed attempt is committed (audited) first
        raise error


def set_unlock_pin(ctx: ServiceContext, current: str, pin: str) -> None:
    """Set (or change) the signed-in practitioner's PIN, their current password given;
    audited without the PIN. A PIN of another form is refused (:func:`check_pin`)."""
    _change(ctx, current, pin)


def clear_unlock_pin(ctx: ServiceContext, current: str) -> None:
    """Remove the signed-in practitioner's PIN (their current password given): the
    password alone takes patient mode back again; audited."""
    _change(ctx, current, None)


def _pin_refusal(
    session: Session, ctx: ServiceContext, row: User, pin_hash: str, pin: str
) -> AuthenticationError | None:
    """Check ``pin`` for the locked row ``row`` as ``users.unlock`` checks a password:
    None when it is right (the failures reset), else the refusal (logged, counted)."""
    now = utcnow()
    if row.locked_until is not None and row.locked_until > now:
        passwords.verify_password(pin_hash, pin)  # the same time as a wrong PIN
        audit.append(
            session,
            ctx.actor,
            "unlock.failed",
            record_type="user",
            record_id=row.id,
            details={"reason": "locked", "with": "pin"},
        )
        return AuthenticationError(LOCKED)
    if not passwords.verify_password(pin_hash, pin):
        details = users.count_failure(row, now, "pin")
        audit.append(
            session,
            ctx.actor,
            "unlock.failed",
            record_type="user",
            record_id=row.id,
            details=details,
        )
        return AuthenticationError(WRONG_PIN)
    row.failed_attempts = 0
    session.flush()
    audit.append(
        session, ctx.actor, "unlock", record_type="user", record_id=row.id, details={"with": "pin"}
    )
    return None


def take_back(ctx: ServiceContext, secret: str) -> UserInfo:
    """Take patient mode back with the signed-in practitioner's PIN or password: a PIN's form
    is checked as the PIN (when one is set), anything else as the password
    (``users.unlock``). A wrong PIN is logged and counts towards the lockout, as a wrong
    password does; raises :class:`AuthenticationError`."""
    user = ctx.require("take patient mode back", Role.PRACTITIONER)
    if not is_pin(secret):
        return users.unlock(ctx, secret)
    refusal: AuthenticationError | None = None
    with ctx.unit_of_work() as session:
        row = session.execute(select(User).where(User.id == user.id).with_for_update()).scalar_one()
        if row.unlock_pin_hash is not None:
            refusal = _pin_refusal(session, ctx, row, row.unlock_pin_hash, secret)
            if refusal is None:
                return user_info(row)
    if refusal is None:  # no PIN set: the digits are a (wrong) password, counted as one
        return users.unlock(ctx, secret)
    # The failed attempt is committed (logged, counted) before the caller hears of it.
    raise refusal
