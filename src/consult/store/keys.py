"""The audit key: the secret that keys the audit chain's HMAC, kept outside the database.

It lives in the config directory (``audit-chain.key``), readable only by its owner. On a
clinic with several workstations every workstation needs the same key file: copy it
from the first workstation (the README says how).
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


def key_path(dirs: Dirs) -> Path:
    """Where the audit key is kept."""
    return dirs.config / KEY_FILE


def load_or_create(dirs: Dirs) -> bytes:
    """Read the audit key, creating a new random one on first use."""
    path = key_path(dirs)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise AuditKeyError(f"The audit key {path} cannot be read: {exc}") from exc
    if len(key) != KEY_BYTES:
        raise AuditKeyError(f"The audit key {path} is damaged (wrong length).")
    return key
