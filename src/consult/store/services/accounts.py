"""A user's account as a plain view: what sign-in returns, and what the service context
reads again at every call to check that the user may still act (roles follow the user).

Kept apart from :mod:`consult.store.services.users` (which needs the service context) so
that the context can read accounts without importing the services it serves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from consult.domain.roles import parse_roles
from consult.store.dto import UserInfo
from consult.store.models import User


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


def account(session: Session, user_id: int) -> UserInfo | None:
    """The account of ``user_id`` as it is now (None if there is no such user)."""
    row = session.get(User, user_id)
    return None if row is None else user_info(row)
