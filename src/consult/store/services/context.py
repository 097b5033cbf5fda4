"""Who is acting, on which database: what every service call receives.

A kiosk station's context (``kiosk`` set: :mod:`consult.store.services.kiosk`) has no
user and no ordinary unit of work: every service but the kiosk's own refuses it, and the
refusal is audited, so the station reaches nothing but the intake handed to it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from consult.domain.roles import Role
from consult.store import audit
from consult.store.actions import action_words
from consult.store.database import Database
from consult.store.dto import UserInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    AccountChangedError,
    ErrorText,
    PermissionDeniedError,
    Term,
    either,
    listed,
)
from consult.store.services.accounts import account

KIOSK_REFUSAL = "a kiosk station reaches only the intake handed to it"


@dataclass(frozen=True)
class KioskScope:
    """A kiosk station signed in with its own secret (never a user)."""

    station_id: int
    name: str


@dataclass(frozen=True)
class ServiceContext:
    """The database, the signed-in user (if any) and this workstation's name.

    ``user`` is what was true at sign-in; every :meth:`require` reads the account again,
    so a manager's change (deactivation, roles, a new password required) takes effect at
    the user's next action. ``on_account_changed`` lets the app hear of it (and sign the
    user out); it is called with the message, on whatever thread made the call.
    """

    db: Database
    user: UserInfo | None = None
    workstation: str = field(default_factory=audit.workstation_name)
    on_account_changed: Callable[[str], None] | None = field(
        default=None, compare=False, repr=False
    )
    kiosk: KioskScope | None = None

    def signed_in(self, user: UserInfo | None) -> ServiceContext:
        """The same context with another user signed in (or none)."""
        return replace(self, user=user)

    @property
    def actor(self) -> audit.Actor:
        """The audit log's view of who is acting."""
        if self.kiosk is not None:
            return audit.Actor(None, f"kiosk:{self.kiosk.name}"[:64], self.workstation)
        if self.user is None:
            return audit.Actor(None, "", self.workstation)
        return audit.Actor(self.user.id, self.user.username, self.workstation)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction for one user action (refused, and audited, to a kiosk)."""
        if self.kiosk is not None:
            self._refuse("use the clinic's records", "a signed-in user", KIOSK_REFUSAL)
            raise PermissionDeniedError(f"A kiosk station may not do this: {KIOSK_REFUSAL}.")
        with self.db.session() as session:
            yield session

    def current_user(self) -> UserInfo | None:
        """The signed-in user's account as it is now (None if signed out or gone)."""
        if self.user is None:
            return None
        with self.unit_of_work() as session:
            return account(session, self.user.id)

    def _refuse(self, action: str, needed: str, reason: str = "") -> None:
        # The refusal is written to the audit log in its own transaction, so that it is
        # kept even though the action itself does nothing.
        details = {"action": action, "needs": needed}
        if reason:
            details["reason"] = reason
        with self.db.session() as session:
            audit.append(session, self.actor, "refused", details=details)

    def require(self, action: str, *roles: Role, password_change: bool = False) -> UserInfo:
        """The signed-in user's current account if it holds one of ``roles``; otherwise
        log and refuse.

        The account is read now, in its own transaction: a user deactivated, or whose
        roles were taken away, since sign-in is refused with :class:`AccountChangedError`
        (and the app is told); one who must change their password may do only that
        (``password_change``).
        """
        needed = " or ".join(role.value for role in roles)  # the audit log's words
        needs = either([Term("role", role.value) for role in roles])  # the refusal's
        doing = action_words(action)
        if self.user is None:
            self._refuse(action, needed)
            raise PermissionDeniedError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Sign in first: to %1 needs the %2 role."),
                    doing,
                    needs,
                )
            )
        current = self.current_user()
        changed: str | None = None
        if current is None or not current.active:
            changed = ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Your account has been deactivated. Ask a manager if this is a mistake.",
                )
            )
        elif current.must_change_password and not password_change:
            changed = ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "A new password is required for your account: sign in again to set it.",
                )
            )
        elif not current.has(*roles) and self.user.has(*roles):
            held = listed(
                [Term("role", role) for role in sorted(role.value for role in current.roles)]
            ) or ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "none"))
            changed = ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Your roles were changed (now: %1); you may no longer %2. Sign in again.",
                ),
                held,
                doing,
            )
        if changed is not None:
            self._refuse(action, needed, changed)
            if self.on_account_changed is not None:
                self.on_account_changed(changed)
            raise AccountChangedError(changed)
        assert current is not None
        if current.has(*roles):
            return current
        self._refuse(action, needed)
        raise PermissionDeniedError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "%1 may not %2: this needs the %3 role."),
                current.display_name,
                doing,
                needs,
            )
        )
