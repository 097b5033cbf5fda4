"""The append-only, hash-chained audit log.

:func:`append` is the only way an entry is written; nothing updates or deletes one. Each
entry's hash covers the previous entry's hash and the entry's own canonical JSON, so an
edited, removed, inserted or reordered entry breaks the chain from that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from consult.domain.canonical import canonical_bytes
from consult.store.models import AuditEntry, utcnow

GENESIS_HASH = "0" * 64
# An arbitrary constant: the PostgreSQL advisory lock that serialises appends.
_APPEND_LOCK_KEY = 0x436F6E73756C74  # "Consult"


def workstation_name() -> str:
    """This computer's name, recorded with every entry."""
    return socket.gethostname()


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """The fields of an entry that its hash covers."""
    return {
        "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "workstation": entry.workstation,
        "event": entry.event,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "patient_id": entry.patient_id,
        "details": entry.details,
    }


def chain_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The hash of one entry: SHA-256 over the previous hash and the canonical payload.

    This is the one place the chain is hashed.
    """
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(canonical_bytes(dict(payload)))
    return digest.hexdigest()


@dataclass(frozen=True)
class Actor:
    """Who does something, from where."""

    user_id: int | None
    username: str
    workstation: str


SYSTEM_ACTOR = Actor(user_id=None, username="system", workstation=workstation_name())


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Held until the transaction ends: appends from every workstation form one chain.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK_KEY})


def append(
    session: Session,
    actor: Actor,
    event: str,
    *,
    record_type: str = "",
    record_id: str | int = "",
    patient_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction."""
    _lock_chain(session)
    prev = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry = AuditEntry(
        at=utcnow(),
        user_id=actor.user_id,
        username=actor.username,
        workstation=actor.workstation,
        event=event,
        record_type=record_type,
        record_id=str(record_id),
        patient_id=patient_id,
        details=dict(details or {}),
        prev_hash=prev or GENESIS_HASH,
    )
    entry.hash = chain_hash(entry.prev_hash, entry_payload(entry))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """One place where the chain does not hold."""

    entry_id: int
    problem: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.problem}"


def iter_chain_problems(session: Session, batch: int = 5000) -> Iterator[ChainProblem]:
    """Walk the whole chain in order and yield every break found."""
    expected_prev = GENESIS_HASH
    rows = session.execute(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)
    ).scalars()
    for entry in rows:
        if entry.prev_hash != expected_prev:
            yield ChainProblem(
                entry.id,
                "does not follow the entry before it (removed, inserted or reordered entries)",
            )
        if chain_hash(entry.prev_hash, entry_payload(entry)) != entry.hash:
            yield ChainProblem(entry.id, "its content does not match its hash (edited)")
        expected_prev = entry.hash


def head(session: Session) -> tuple[int, str] | None:
    """The id and hash of the newest entry, or None for an empty log."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None
