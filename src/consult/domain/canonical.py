"""Canonical JSON and the hashes computed over it.

Everything that is sealed or chained (consent records, audit entries) is hashed over the
same canonical form: UTF-8 JSON with sorted keys, no insignificant whitespace, and no
NaN or infinity. Two equal documents always give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a JSON-compatible value."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of a value, encoded as UTF-8."""
    return canonical_json(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of some bytes, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()
