"""The append-only, hash-chained audit log.

:func:`append` is the only way an entry is written; nothing updates or deletes one. Each
entry's hash covers the previous entry's hash and the entry's own canonical JSON, so an
edited, removed, inserted or reordered entry breaks the chain from that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from consult.domain.canonical import canonical_bytes
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding
from consult.store.models import AuditEntry, utcnow

GENESIS_HASH = "0" * 64
AUDIT_KEY_INFO = "consult_audit_key"
# How many entries a session has appended (read by Database.session after the commit).
APPENDED_INFO = "consult_audit_appended"
CHAIN_STARTED = "audit.chain_started"
# Entries that mark a restored database: heads seen before one may legitimately be gone.
RESTORE_EVENTS = ("backup.restored", "database.restored")
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


def chain_hash(key: bytes, prev_hash: str, payload: Mapping[str, Any]) -> str:
    """The hash of one entry: HMAC-SHA-256, keyed with the clinic's audit key, over the
    previous entry's hash and this entry's canonical payload.

    This is the one place the chain is hashed. The key lives outside the database (see
    :mod:`consult.store.keys`), so whoever can write to the database still cannot forge
    a chain that verifies.
    """
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(prev_hash.encode("ascii"))
    mac.update(canonical_bytes(dict(payload)))
    return mac.hexdigest()


def key_id(key: bytes) -> str:
    """A fingerprint of the audit key that can be shown and stored without revealing it."""
    return hashlib.sha256(b"consult-audit-key-id:" + key).hexdigest()[:16]


def fingerprint(session: Session, secret: str) -> str:
    """A keyed fingerprint of a secret (a password hash) that may go into the log.

    Only holders of the audit key can make or check it: ``consult verify`` compares each
    user's stored password hash with the fingerprint of the last audited change, so a
    hash written straight into the database is found.
    """
    mac = hmac.new(session_key(session), b"consult-secret:" + secret.encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def session_key(session: Session) -> bytes:
    """The audit key that the session's database was opened with."""
    key = session.info.get(AUDIT_KEY_INFO)
    if not isinstance(key, bytes):
        raise RuntimeError("this session was not made by consult.store.database")
    if not key:
        raise RuntimeError("the database was opened without the audit key (schema commands only)")
    return key


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
    key = session_key(session)
    prev = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    if prev is None and event != CHAIN_STARTED:
        # The first entry names the key the chain is made with, so that a workstation
        # with another key is told at once instead of writing entries nobody can verify.
        prev = append(session, SYSTEM_ACTOR, CHAIN_STARTED, details={"key_id": key_id(key)}).hash
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
    entry.hash = chain_hash(key, entry.prev_hash, entry_payload(entry))
    session.add(entry)
    session.flush()
    session.info[APPENDED_INFO] = int(session.info.get(APPENDED_INFO, 0)) + 1
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """One place where the chain does not hold. ``problem`` and the string of it are
    :class:`~consult.proof.wording.Finding` objects: ``consult verify`` prints their English,
    the manager's Verify dialog and audit page say them in the manager's language
    (``str()`` of a ChainProblem is that Finding, so its callers keep it)."""

    entry_id: int
    problem: Finding

    def __str__(self) -> Finding:
        return Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "audit entry %1: %2"), self.entry_id, self.problem
        )


def iter_chain_problems(
    session: Session, batch: int = 5000, progress: Callable[[int], None] | None = None
) -> Iterator[ChainProblem]:
    """Walk the whole chain in order and yield every break found.

    ``progress`` is called with the number of entries checked so far, now and then.
    """
    key = session_key(session)
    expected_prev = GENESIS_HASH
    rows = session.execute(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)
    ).scalars()
    for checked, entry in enumerate(rows, start=1):
        if checked == 1 and (entry.prev_hash != GENESIS_HASH or entry.event != CHAIN_STARTED):
            # The first entry left is not the chain's start: entries were removed from
            # the beginning (or the log was made up). Named as such, not as a key problem.
            gone = Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "entry 1 missing")
                if entry.id > 1
                else QT_TRANSLATE_NOOP("VerifyFindings", "its first entry is missing")
            )
            start = QT_TRANSLATE_NOOP(
                "VerifyFindings", "the start of the chain is missing (%1 / chain starts at %2)"
            )
            yield ChainProblem(entry.id, Finding(start, gone, entry.id))
        elif entry.prev_hash != expected_prev:
            unfollowed = QT_TRANSLATE_NOOP(
                "VerifyFindings",
                "does not follow the entry before it (removed, inserted or reordered entries)",
            )
            yield ChainProblem(entry.id, Finding(unfollowed))
        if not hmac.compare_digest(
            chain_hash(key, entry.prev_hash, entry_payload(entry)), entry.hash
        ):
            changed = QT_TRANSLATE_NOOP(
                "VerifyFindings", "its content does not match its hash (edited or forged)"
            )
            yield ChainProblem(entry.id, Finding(changed))
        expected_prev = entry.hash
        if progress is not None and checked % batch == 0:
            progress(checked)


def head(session: Session) -> tuple[int, str] | None:
    """The id and hash of the newest entry, or None for an empty log."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _first_entry(session: Session) -> AuditEntry | None:
    return session.execute(select(AuditEntry).order_by(AuditEntry.id).limit(1)).scalar_one_or_none()


def chain_key_id(session: Session) -> str | None:
    """The key fingerprint the chain was started with, or None for an empty log.

    If the chain's first entry has been removed, the fingerprint it carried is gone: the
    first entry left is then checked with this session's key instead, and if its hash
    holds, the key is this one (``consult verify`` names the missing start of the
    chain). "" means the key cannot be told, or is another.
    """
    first = _first_entry(session)
    if first is None:
        return None
    if first.event == CHAIN_STARTED and first.prev_hash == GENESIS_HASH:
        value = first.details.get("key_id")
        return str(value) if value else ""
    key = session_key(session)
    if hmac.compare_digest(chain_hash(key, first.prev_hash, entry_payload(first)), first.hash):
        return key_id(key)
    return ""


def chain_id(session: Session) -> str | None:
    """Which chain this is: the hash of its first entry, or None if that entry is gone.

    Anchors (heads seen) carry it, so that heads seen on another database are told apart.
    """
    first = _first_entry(session)
    if first is None or first.event != CHAIN_STARTED or first.prev_hash != GENESIS_HASH:
        return None
    return first.hash


def latest_restore(session: Session) -> str:
    """The hash of the newest entry that marks a restore, or "" if there is none."""
    value = session.execute(
        select(AuditEntry.hash)
        .where(AuditEntry.event.in_(RESTORE_EVENTS))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return value or ""
