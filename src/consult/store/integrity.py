"""``consult verify``: the audit chain, every sealed record and every stored PDF.

Also the chain checkpoints: the head of the chain (entry id and hash, with an HMAC so
it cannot be made up) is written beside every backup. A database whose chain no
longer reaches a checkpointed head has lost its tail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.store import audit
from consult.store.models import AuditEntry, ConsentEvent, ConsentRecord, utcnow

CHECKPOINT_FILE = "audit-checkpoints.jsonl"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IntegrityReport:
    """What ``consult verify`` found."""

    entries: int = 0
    records: int = 0
    head: tuple[int, str] | None = None
    key_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if everything holds."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines, for the CLI and the manager's integrity report."""
        head = f"entry {self.head[0]}, hash {self.head[1]}" if self.head else "empty"
        out = [
            f"Audit chain: {self.entries} entries; head: {head}; key {self.key_id}",
            f"Sealed consent records: {self.records}",
        ]
        if self.ok:
            out.append("Everything holds: no entry or record has been changed.")
        else:
            out.append(f"{len(self.problems)} problem(s):")
            out.extend(f"  - {problem}" for problem in self.problems)
        return out


def _checkpoint_mac(key: bytes, point: dict[str, Any]) -> str:
    # The MAC covers every field (entry, hash, the backup's name and SHA-256, and whether
    # the line marks a restore), so no field of a checkpoint can be changed or added.
    fields = {name: value for name, value in point.items() if name != "mac"}
    return hmac.new(key, b"checkpoint:" + canonical_bytes(fields), hashlib.sha256).hexdigest()


def write_checkpoint(
    session: Session, folder: Path, *, restored: str | None = None, **extra: Any
) -> dict[str, Any] | None:
    """Record the chain's head in ``folder``'s checkpoint file; returns the checkpoint.

    After a restore, ``restored`` names the backup restored: the log then legitimately
    ends earlier than the checkpoints taken before the restore, so :func:`verify` checks
    only the checkpoints written from this marker on.
    """
    head = audit.head(session)
    if head is None:
        return None
    key = audit.session_key(session)
    point: dict[str, Any] = {
        "at": utcnow().isoformat(timespec="seconds"),
        "entry_id": head[0],
        "hash": head[1],
        **extra,
    }
    if restored is not None:
        point["restored"] = restored
    point["mac"] = _checkpoint_mac(key, point)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / CHECKPOINT_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(point, sort_keys=True) + "\n")
    return point


def read_checkpoints(folder: Path, key: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The genuine checkpoints in ``folder``, and problems with any that are not."""
    path = folder / CHECKPOINT_FILE
    points: list[dict[str, Any]] = []
    problems: list[str] = []
    if not path.exists():
        return points, problems
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line)
            int(point["entry_id"])
            genuine = isinstance(point, dict) and hmac.compare_digest(
                _checkpoint_mac(key, point), str(point["mac"])
            )
        except (ValueError, KeyError, TypeError):
            genuine = False
        if genuine:
            points.append(point)
        else:
            problems.append(f"checkpoint file {path.name} line {number} is not genuine")
    return points, problems


def _check_records(session: Session, report: IntegrityReport, progress: Progress | None) -> None:
    signed: dict[str, dict[str, Any]] = {}
    for entry in session.execute(
        select(AuditEntry).where(AuditEntry.event == "consent.signed")
    ).scalars():
        signed[entry.record_id] = entry.details
    # The register's state column is a copy of the withdraw/void events: they must agree.
    expected_state: dict[int, str] = {}
    for consent_id, kind in session.execute(
        select(ConsentEvent.consent_id, ConsentEvent.kind).where(
            ConsentEvent.kind.in_(("withdrawn", "voided"))
        )
    ).all():
        if expected_state.get(consent_id) != "voided":
            expected_state[consent_id] = kind
    total = session.execute(select(func.count()).select_from(ConsentRecord)).scalar_one()
    rows = session.execute(
        select(ConsentRecord).order_by(ConsentRecord.id).execution_options(yield_per=200)
    ).scalars()
    for done, row in enumerate(rows, start=1):
        name = f"consent {row.document_number} (record {row.id})"
        report.records += 1
        try:
            document = json.loads(row.document_json)
            document_hash = sha256_hex(canonical_bytes(document))
        except ValueError:
            document, document_hash = {}, ""
        if (
            document_hash != row.document_sha256
            or sha256_hex(row.document_json.encode("utf-8")) != row.document_sha256
        ):
            report.problems.append(f"{name}: its sealed JSON does not match its hash")
        if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
            report.problems.append(f"{name}: its stored PDF does not match its hash")
        logged = signed.get(str(row.id))
        if logged is None:
            report.problems.append(f"{name}: no signing entry in the audit log")
        else:
            if logged.get("document_sha256") != row.document_sha256:
                report.problems.append(f"{name}: JSON hash differs from the one logged at signing")
            if logged.get("pdf_sha256") != row.pdf_sha256:
                report.problems.append(f"{name}: PDF differs from the one logged at signing")
            if logged.get("document_number") != row.document_number:
                report.problems.append(f"{name}: document number differs from the signing log")
        if row.state != expected_state.get(row.id, "signed"):
            report.problems.append(
                f"{name}: shown as {row.state}, but its events say "
                f"{expected_state.get(row.id, 'signed')}"
            )
        patient = document.get("patient", {}) if isinstance(document, dict) else {}
        if patient.get("id") != row.patient_id:
            report.problems.append(f"{name}: the sealed document is for another patient")
        if progress is not None and done % 50 == 0:
            progress("records", done, total)


def verify(
    session: Session, checkpoint_folder: Path | None, progress: Progress | None = None
) -> IntegrityReport:
    """Check the chain, the checkpoints, every sealed record and every stored PDF."""
    report = IntegrityReport()
    key = audit.session_key(session)
    report.key_id = audit.key_id(key)
    chain_key = audit.chain_key_id(session)
    if chain_key not in (None, report.key_id):
        report.problems.append(
            "the audit chain was started with another key "
            f"({chain_key or 'unknown'}); this workstation has {report.key_id}"
        )
    total = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    report.entries = int(total)
    report.head = audit.head(session)

    def chain_progress(done: int) -> None:
        if progress is not None:
            progress("audit chain", done, int(total))

    report.problems.extend(
        str(problem) for problem in audit.iter_chain_problems(session, progress=chain_progress)
    )
    if checkpoint_folder is not None:
        points, problems = read_checkpoints(checkpoint_folder, key)
        report.problems.extend(problems)
        markers = [index for index, point in enumerate(points) if "restored" in point]
        if markers:
            points = points[markers[-1] :]
        if points:
            latest = max(points, key=lambda p: int(p["entry_id"]))
            entry = session.get(AuditEntry, int(latest["entry_id"]))
            if entry is None or entry.hash != latest["hash"]:
                report.problems.append(
                    f"audit entry {latest['entry_id']} (checkpointed {latest['at']}) is missing "
                    "or changed: the log has been cut back or rewritten"
                )
    _check_records(session, report, progress)
    return report
