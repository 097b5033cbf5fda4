"""The audit key: the secret that keys the audit chain's HMAC, kept outside the database.

It lives in the config directory (``audit-chain.key``), readable only by its owner. On a
clinic with several workstations every workstation needs the same key file: copy it
from the first workstation (the README says how).

A key is made only for a database that has no audit log yet. A workstation without the
key file in front of a database that already has a log is refused (:class:`MissingKeyError`):
a new key would start entries that no other workstation, and no backup, can verify.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from consult.paths import Dirs
from consult.store.errors import StoreError

KEY_FILE = "audit-chain.key"
KEY_BYTES = 32


class AuditKeyError(StoreError):
    """The audit key is missing, unreadable or not the one the database was written with."""


class MissingKeyError(AuditKeyError):
    """The key file is missing while the database already has an audit log."""


def key_path(dirs: Dirs) -> Path:
    """Where the audit key is kept."""
    return dirs.config / KEY_FILE


def missing_key_message(dirs: Dirs, where: str) -> str:
    """The one message for a database with an audit log and no key on this workstation."""
    return (
        f"The audit key {key_path(dirs)} is missing, but {where} already has an audit log. "
        f"Copy {KEY_FILE} from the first workstation (or from the copy kept with the "
        "backups) into that place; nothing was opened and no new key was made."
    )


def load(dirs: Dirs) -> bytes:
    """Read the audit key; :class:`AuditKeyError` if it is missing or damaged."""
    path = key_path(dirs)
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError as exc:
        raise AuditKeyError(f"The audit key {path} does not exist.") from exc
    except (OSError, ValueError) as exc:
        raise AuditKeyError(f"The audit key {path} cannot be read: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise AuditKeyError(f"The audit key {path} is damaged (wrong length).")
    return key


def exists(dirs: Dirs) -> bool:
    """True if this workstation has a key file."""
    return key_path(dirs).exists()


def load_or_create(dirs: Dirs, *, create: bool = True) -> bytes:
    """Read the audit key, creating a new random one if there is none and ``create``.

    The caller decides whether creating is safe (:func:`consult.store.database.open_database`
    allows it only for a database without an audit log).
    """
    path = key_path(dirs)
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    return load(dirs)
