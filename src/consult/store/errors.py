"""Errors the store and its services raise; the UI and the CLI turn them into messages."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error a service raises on purpose."""


class DatabaseInUseError(StoreError):
    """Another Consult process already has this home's embedded database open."""


class DatabaseVersionError(StoreError):
    """The database schema is newer than this program, or older and must be upgraded."""


class BadDatabaseURLError(StoreError):
    """The database URL cannot be used."""


class ConflictError(StoreError):
    """Someone else saved the record after it was read: nothing was overwritten."""


class NotFoundError(StoreError):
    """The record asked for does not exist."""


class ValidationError(StoreError):
    """Input was rejected; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PermissionDeniedError(StoreError):
    """The signed-in user's roles do not allow this action."""


class AccountChangedError(PermissionDeniedError):
    """The signed-in user's account changed since sign-in (deactivated, roles taken away,
    or a new password required): the app signs them out with this message."""


class AuthenticationError(StoreError):
    """The username or password is wrong, or the account cannot sign in now."""


class SealedRecordError(StoreError):
    """A signed consent record cannot be changed."""
