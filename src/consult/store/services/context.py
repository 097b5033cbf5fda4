"""Who is acting, on which database: what every service call receives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from consult.domain.roles import Role
from consult.store import audit
from consult.store.database import Database
from consult.store.dto import UserInfo
from consult.store.errors import PermissionDeniedError


@dataclass(frozen=True)
class ServiceContext:
    """The database, the signed-in user (if any) and this workstation's name."""

    db: Database
    user: UserInfo | None = None
    workstation: str = field(default_factory=audit.workstation_name)

    def signed_in(self, user: UserInfo | None) -> ServiceContext:
        """The same context with another user signed in (or none)."""
        return replace(self, user=user)

    @property
    def actor(self) -> audit.Actor:
        """The audit log's view of who is acting."""
        if self.user is None:
            return audit.Actor(None, "", self.workstation)
        return audit.Actor(self.user.id, self.user.username, self.workstation)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction for one user action."""
        with self.db.session() as session:
            yield session

    def require(self, action: str, *roles: Role) -> UserInfo:
        """The signed-in user if they hold one of ``roles``; otherwise log and refuse.

        The refusal is written to the audit log in its own transaction, so that it is
        kept even though the action itself does nothing.
        """
        user = self.user
        if user is not None and user.active and user.has(*roles):
            return user
        needed = " or ".join(role.value for role in roles)
        with self.unit_of_work() as session:
            audit.append(
                session,
                self.actor,
                "refused",
                details={"action": action, "needs": needed},
            )
        who = user.display_name if user else "Nobody"
        raise PermissionDeniedError(
            f"{who} may not {action}: this needs the {needed} role."
            if user
            else f"Sign in first: to {action} needs the {needed} role."
        )
