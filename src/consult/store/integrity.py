"""``consult verify``: the audit chain, the heads seen, every sealed record, the register.

What is checked, on both engines unless said otherwise:

- **The chain**: every entry's HMAC and its link to the entry before; a missing start
  of the chain is named as such.
- **The heads seen (anchors)**: every workstation appends the chain's head (entry id and
  hash, with an HMAC so that it cannot be made up) to ``audit-anchors.jsonl`` in its
  config directory, every :data:`ANCHOR_EVERY` entries it appends and when it closes the
  database; the embedded database also to ``audit-checkpoints.jsonl`` beside its
  backups (and at every backup); and, if the clinic names an anchor directory
  (``CONSULT_ANCHOR_DIR``, for example a write-once share), one new file per head there.
  A log that no longer holds a head seen, or holds another entry under its id, has
  been cut back or rewritten. The log itself says which anchor files a workstation keeps
  (an ``audit.anchors_started`` entry), so a deleted anchor file is reported.
- **Sealed consent records**: the JSON and the PDF against their hashes and the hashes
  logged at signing (the JSON's hash recomputed in the canonical form its schema names:
  RFC 8785 from ``consult.consent/2``, Consult's first form for ``consult.consent/1``);
  every ``consent.signed`` entry has its record; the register's columns (patient,
  practitioner, date, treatment, outcome, overrides) agree with the sealed document and
  the signing entry; the treatment record (product, lot, route) agrees with the sealed
  document.
- **Signed forms**: a record's signed PDF (the sealed PDF signed by the clinic) against
  the hash and certificate logged at signing; the sealed PDF is an exact prefix of it;
  its signature verifies as ``consult verify FILE`` checks it, made with that
  certificate; the record embedded in it hashes to the record's SHA-256
  (:mod:`consult.proof.stored_form`). A signed PDF logged at signing and no longer
  stored is a warning, not a failure: the record and its sealed PDF still prove the
  consent, and downgrading the schema below 0007 removes the column on purpose.
- **Re-confirmations** (issue 21): each sealed like a consent and checked the same way,
  and for its link to the consent it re-confirms (the number and SHA-256 it names are
  the stored consent's); see :mod:`consult.store.reconfirmation_integrity`.
- **Consent events**: every withdrawal, void, print and hand-over is an audited entry
  and every audited one is still there; the register's state is derived from the
  audited events.
- **The treatment record** (issue 20): every sealed treatment chart's JSON against its
  SHA-256 (recomputed from its canonical form) and the hash logged at sign-off, its rows
  (points included) against the seal, its addenda's hash chain and their audit entries;
  every photo's SHA-256 against its bytes and the hash logged when it was added (a
  deleted photo's tombstone keeps its hash, which is still checked); see
  :mod:`consult.store.treatment_integrity`.
- **Users**: every user's roles, active flag and username are those of the last
  audited change for that user.
- **The database itself**: SQLite's ``PRAGMA quick_check``; on PostgreSQL the audit
  log's append-only trigger, and a warning when this login owns the tables or may
  change the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from consult.domain.canonical import canonical_bytes, sha256_hex
from consult.domain.consent_document import document_sha256
from consult.domain.knowledge_model import SEVERITY_RANK
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding
from consult.store import audit
from consult.store.consent_events import EVENT_KINDS, STATE_EVENTS, state_after
from consult.store.models import (
    AuditEntry,
    ConsentEvent,
    ConsentRecord,
    Product,
    ProductLot,
    TreatmentRecord,
    User,
    utcnow,
)
from consult.store.reconfirmation_integrity import check_reconfirmations
from consult.store.treatment_integrity import check_treatment_records

CHECKPOINT_FILE = "audit-checkpoints.jsonl"  # beside the embedded database's backups
ANCHOR_FILE = "audit-anchors.jsonl"  # in each workstation's config directory
ANCHOR_DIR_ENV = "CONSULT_ANCHOR_DIR"  # a clinic's anchor directory (a write-once share)
ANCHOR_DIR_GLOB = "audit-head-*.json"
ANCHORS_STARTED = "audit.anchors_started"
ANCHOR_EVERY = 100
ANCHORS_INFO = "consult_anchors"  # the session info key of the AnchorConfig

Progress = Callable[[str, int, int], None]  # (stage, done, total)

_log = logging.getLogger(__name__)
_USER_EVENTS = (
    "user.created",
    "user.updated",
    "user.deactivated",
    "user.reactivated",
    "user.password_reset",
    "user.password_changed",
    "signin",
)


@dataclass(frozen=True)
class AnchorConfig:
    """Where this workstation keeps the heads of the chain it has seen."""

    workstation: str
    config_dir: Path
    checkpoint_dir: Path | None = None  # the embedded database: its backups folder
    anchor_dir: Path | None = None  # the clinic's anchor directory, if it names one
    every: int = ANCHOR_EVERY

    @property
    def config_file(self) -> Path:
        """This workstation's own anchor file."""
        return self.config_dir / ANCHOR_FILE

    @property
    def checkpoint_file(self) -> Path | None:
        """The checkpoint file beside the backups (embedded database only)."""
        return self.checkpoint_dir / CHECKPOINT_FILE if self.checkpoint_dir else None

    def files(self) -> list[Path]:
        """The append-only files this workstation writes heads to."""
        found = [self.config_file]
        if self.checkpoint_file is not None:
            found.append(self.checkpoint_file)
        return found

    def marker(self) -> dict[str, Any]:
        """What the ``audit.anchors_started`` entry records about this workstation."""
        return {
            "workstation": self.workstation,
            "files": [str(path) for path in self.files()],
            "anchor_dir": str(self.anchor_dir) if self.anchor_dir else None,
        }


def anchor_dir_from_env() -> Path | None:
    """The clinic's anchor directory named by ``CONSULT_ANCHOR_DIR``, if any."""
    value = os.environ.get(ANCHOR_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


@dataclass
class IntegrityReport:
    """What ``consult verify`` found."""

    entries: int = 0
    records: int = 0
    charts: int = 0
    photos: int = 0
    reconfirmations: int = 0
    head: tuple[int, str] | None = None
    key_id: str = ""
    anchors: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if everything holds (warnings do not count)."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as text lines, for the CLI and the manager's integrity report (each
        a :class:`~consult.proof.wording.Finding` the interface can translate)."""
        head = (
            Finding(QT_TRANSLATE_NOOP("VerifyFindings", "entry %1, hash %2"), *self.head)
            if self.head
            else Finding(QT_TRANSLATE_NOOP("VerifyFindings", "empty"))
        )
        out: list[str] = [
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "Audit chain: %1 entries; head: %2; key %3"),
                self.entries,
                head,
                self.key_id,
            ),
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "Sealed consent records: %1"), self.records
            ),
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "Sealed treatment charts: %1; photos: %2"),
                self.charts,
                self.photos,
            ),
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "Sealed re-confirmations: %1"),
                self.reconfirmations,
            ),
        ]
        warning_line = QT_TRANSLATE_NOOP("VerifyFindings", "Warning: %1")
        out.extend(Finding(warning_line, warning) for warning in self.warnings)
        if self.ok:
            out.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "Everything holds: no entry or record has been changed."
                    )
                )
            )
        else:
            out.append(
                Finding(QT_TRANSLATE_NOOP("VerifyFindings", "%1 problem(s):"), len(self.problems))
            )
            problem_line = QT_TRANSLATE_NOOP("VerifyFindings", "  - %1")
            out.extend(Finding(problem_line, problem) for problem in self.problems)
        return out


# --- heads seen: checkpoints and anchors ------------------------------------------------


def _checkpoint_mac(key: bytes, point: dict[str, Any]) -> str:
    # The MAC covers every field (entry, hash, chain, the backup's name and SHA-256, and
    # whether the line marks a restore), so no field of a checkpoint can be changed or added.
    fields = {name: value for name, value in point.items() if name != "mac"}
    return hmac.new(key, b"checkpoint:" + canonical_bytes(fields), hashlib.sha256).hexdigest()


def _head_point(session: Session, **extra: Any) -> dict[str, Any] | None:
    head = audit.head(session)
    if head is None:
        return None
    point: dict[str, Any] = {
        "at": utcnow().isoformat(timespec="microseconds"),
        "entry_id": head[0],
        "hash": head[1],
        "chain": audit.chain_id(session) or "",
        "restores": audit.latest_restore(session),
        "workstation": audit.workstation_name(),
        **extra,
    }
    point["mac"] = _checkpoint_mac(audit.session_key(session), point)
    return point


def _line(point: dict[str, Any]) -> bytes:
    return (json.dumps(point, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _append_line(path: Path, data: bytes) -> None:
    """Append one line with one write (O_APPEND), flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]", "_", name) or "workstation"


def _write_new(folder: Path, point: dict[str, Any]) -> Path:
    """One new file per head, never changed afterwards (a write-once share allows that)."""
    stamp = re.sub(r"[^0-9]", "", str(point["at"]))[:20]
    name = f"audit-head-{_safe(str(point['workstation']))}-{stamp}-{point['entry_id']}.json"
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        os.write(fd, _line(point))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def write_checkpoint(
    session: Session, folder: Path, *, restored: str | None = None, **extra: Any
) -> dict[str, Any] | None:
    """Record the chain's head in ``folder``'s checkpoint file; returns the checkpoint.

    After a restore, ``restored`` names the backup restored (the log then legitimately
    ends earlier than heads seen before the restore; see :func:`verify`).
    """
    if restored is not None:
        extra["restored"] = restored
    point = _head_point(session, **extra)
    if point is None:
        return None
    _append_line(folder / CHECKPOINT_FILE, _line(point))
    return point


def record_head(session: Session, config: AnchorConfig, **extra: Any) -> list[str]:
    """Append the chain's head to every anchor file of ``config``; returns what failed.

    A failure to write one place (an anchor share out of reach, say) is returned and
    logged, never raised: the user's work is already saved.
    """
    point = _head_point(session, **extra)
    if point is None:
        return []
    failed: list[str] = []
    data = _line(point)
    for path in config.files():
        try:
            _append_line(path, data)
        except OSError as exc:
            failed.append(f"{path}: {exc}")
    if config.anchor_dir is not None:
        try:
            _write_new(config.anchor_dir, point)
        except OSError as exc:
            failed.append(f"{config.anchor_dir}: {exc}")
    for failure in failed:
        _log.warning("could not record the audit chain's head: %s", failure)
    return failed


def _markers(session: Session) -> list[AuditEntry]:
    return list(
        session.execute(
            select(AuditEntry).where(AuditEntry.event == ANCHORS_STARTED).order_by(AuditEntry.id)
        ).scalars()
    )


def ensure_marker(session: Session, config: AnchorConfig) -> bool:
    """Say in the log (once) which anchor files this workstation keeps; True if added.

    :func:`verify` then reports any of them that has gone missing.
    """
    wanted = config.marker()
    if any(entry.details == wanted for entry in _markers(session)):
        return False
    audit.append(
        session,
        audit.Actor(None, "system", config.workstation),
        ANCHORS_STARTED,
        details=wanted,
    )
    return True


def read_anchor_file(path: Path, key: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The genuine heads in one anchor or checkpoint file, and problems with other lines.

    A last line cut short (the machine stopped while it was written) is skipped.
    """
    points: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return points, problems
    except OSError as exc:
        unreadable = QT_TRANSLATE_NOOP("VerifyFindings", "the anchor file %1 cannot be read: %2")
        return points, [Finding(unreadable, path, exc)]
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line.decode("utf-8"))
            int(point["entry_id"])
            genuine = isinstance(point, dict) and hmac.compare_digest(
                _checkpoint_mac(key, point), str(point["mac"])
            )
        except (ValueError, KeyError, TypeError):
            genuine = False
        if genuine:
            point["_source"] = path.name
            points.append(point)
        elif number < len(lines):  # not the unfinished last line
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "checkpoint file %1 line %2 is not genuine"
                    ),
                    path.name,
                    number,
                )
            )
    return points, problems


def read_checkpoints(folder: Path, key: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The genuine checkpoints in ``folder``, and problems with any that are not."""
    return read_anchor_file(folder / CHECKPOINT_FILE, key)


def _parse_at(value: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _hashes(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for entry_id, digest in session.execute(
            select(AuditEntry.id, AuditEntry.hash).where(AuditEntry.id.in_(chunk))
        ).all():
            found[int(entry_id)] = str(digest)
    return found


def _compare_heads(session: Session, report: IntegrityReport, points: list[dict[str, Any]]) -> None:
    """Every head seen must still be in the log, unless a later restore discarded it."""
    log_chain = audit.chain_id(session)
    restores = session.execute(
        select(AuditEntry.id, AuditEntry.at, AuditEntry.hash)
        .where(AuditEntry.event.in_(audit.RESTORE_EVENTS))
        .order_by(AuditEntry.id)
    ).all()
    latest = restores[-1].hash if restores else ""
    restored_head: dict[int, int] = {}  # restore entry id -> the entry before it
    needed: list[dict[str, Any]] = []
    for point in points:
        chain = point.get("chain")
        if chain and log_chain and chain != log_chain:
            continue  # a head of another database's chain
        if point.get("restores", "") != latest:
            seen_at = _parse_at(point.get("at"))
            after = next((r for r in restores if seen_at is None or r.at > seen_at), None)
            if after is not None:
                if after.id not in restored_head:
                    before = session.execute(
                        select(func.max(AuditEntry.id)).where(AuditEntry.id < after.id)
                    ).scalar_one()
                    restored_head[after.id] = int(before or 0)
                if int(point["entry_id"]) > restored_head[after.id]:
                    continue  # seen before a restore that went back to an older backup
        needed.append(point)
    report.anchors = len(needed)
    hashes = _hashes(session, (int(p["entry_id"]) for p in needed))
    missing = [p for p in needed if int(p["entry_id"]) not in hashes]
    changed = [
        p
        for p in needed
        if int(p["entry_id"]) in hashes and hashes[int(p["entry_id"])] != p["hash"]
    ]
    end = report.head[0] if report.head else 0

    def seen(point: dict[str, Any]) -> str:
        return Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "checkpointed %1 by %2"),
            point.get("at"),
            point.get("workstation")
            or Finding(QT_TRANSLATE_NOOP("VerifyFindings", "this workstation")),
        )

    if missing:
        top = max(missing, key=lambda p: int(p["entry_id"]))
        gone = len({int(p["entry_id"]) for p in missing})
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "audit entry %1 (%2) is missing: the log has been cut back (it now ends at "
                    "entry %3; %4 head(s) seen are gone)",
                ),
                top["entry_id"],
                seen(top),
                end,
                gone,
            )
        )
    if changed:
        low = min(changed, key=lambda p: int(p["entry_id"]))
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "audit entry %1 (%2) has another hash than the one seen: the log's tail has "
                    "been rewritten",
                ),
                low["entry_id"],
                seen(low),
            )
        )


def _check_anchors(
    session: Session,
    report: IntegrityReport,
    key: bytes,
    checkpoint_folder: Path | None,
    config: AnchorConfig | None,
) -> None:
    files: list[Path] = []
    if checkpoint_folder is not None:
        files.append(checkpoint_folder / CHECKPOINT_FILE)
    if config is not None and config.config_file not in files:
        files.append(config.config_file)
    markers = _markers(session)
    anchor_dirs: list[Path] = []
    if config is not None and config.anchor_dir is not None:
        anchor_dirs.append(config.anchor_dir)
    for marker in markers:
        named = marker.details.get("anchor_dir")
        if named and Path(str(named)) not in anchor_dirs:
            anchor_dirs.append(Path(str(named)))
    points: list[dict[str, Any]] = []
    for path in files:
        found, problems = read_anchor_file(path, key)
        points.extend(found)
        report.problems.extend(problems)
    present: dict[Path, set[str]] = {}
    for folder in anchor_dirs:
        if not folder.is_dir():
            report.warnings.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "the anchor directory %1 cannot be read from here: the heads kept there "
                        "were not compared",
                    ),
                    folder,
                )
            )
            continue
        present[folder] = set()
        for path in sorted(folder.glob(ANCHOR_DIR_GLOB)):
            found, problems = read_anchor_file(path, key)
            points.extend(found)
            report.problems.extend(problems)
            present[folder].update(_safe(str(p.get("workstation", ""))) for p in found)
    # The files the log says are kept must still be there.
    mine = config.workstation if config is not None else audit.workstation_name()
    expected = {str(path) for path in files}
    reported: set[str] = set()
    for marker in markers:
        workstation = str(marker.details.get("workstation", ""))
        since = marker.at.isoformat(timespec="seconds")
        if workstation == mine:
            for name in marker.details.get("files", []):
                if name in expected and name not in reported and not Path(name).exists():
                    reported.add(name)
                    report.problems.append(
                        Finding(
                            QT_TRANSLATE_NOOP(
                                "VerifyFindings",
                                "the checkpoint file %1 is missing (this workstation has kept "
                                "the heads it saw there since %2, audit entry %3)",
                            ),
                            name,
                            since,
                            marker.id,
                        )
                    )
        named = marker.details.get("anchor_dir")
        share = Path(str(named)) if named else None
        if share is not None and share in present and _safe(workstation) not in present[share]:
            label = f"{share}:{workstation}"
            if label not in reported:
                reported.add(label)
                report.problems.append(
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings",
                            "the anchor directory %1 has no heads from %2, which has written "
                            "them there since %3 (audit entry %4)",
                        ),
                        share,
                        workstation,
                        since,
                        marker.id,
                    )
                )
    _compare_heads(session, report, points)


# --- the database itself ------------------------------------------------------------------


def _quick_check(session: Session, report: IntegrityReport) -> None:
    try:
        result = [str(row[0]) for row in session.execute(text("PRAGMA quick_check"))]
    except SQLAlchemyError as exc:
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "SQLite's quick_check cannot run: %1"),
                _reason(exc),
            )
        )
        return
    if result != ["ok"]:
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "SQLite's quick_check fails (%1 finding(s)): %2"
                ),
                len(result),
                "; ".join(result[:3]),
            )
        )


_PRIVILEGES = text(
    """
    SELECT r.rolname AS owner,
           current_user AS login,
           pg_has_role(current_user, c.relowner, 'MEMBER') AS can_be_owner,
           has_table_privilege(c.oid, 'UPDATE') AS can_update,
           has_table_privilege(c.oid, 'DELETE') AS can_delete,
           has_table_privilege(c.oid, 'TRUNCATE') AS can_truncate,
           has_table_privilege(c.oid, 'TRIGGER') AS can_trigger,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
           (SELECT t.tgenabled FROM pg_trigger t
             WHERE t.tgrelid = c.oid AND t.tgname = 'audit_entry_append_only') AS trigger
      FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
     WHERE c.oid = to_regclass('audit_entry')
    """
)


def login_privileges(session: Session) -> list[str]:
    """Warnings about what this PostgreSQL login could do to the audit log (none: [])."""
    row = session.execute(_PRIVILEGES).mappings().first()
    if row is None:
        return []
    login = row["login"]
    how = Finding(
        QT_TRANSLATE_NOOP(
            "VerifyFindings",
            "Connect the workstations as a login that owns nothing; the owner role only runs "
            "`consult db upgrade --grant-to LOGIN` (README: PostgreSQL set-up).",
        )
    )
    warnings: list[str] = []
    if row["superuser"]:
        warnings.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "this login (%1) is a superuser: it can change anything. %2"
                ),
                login,
                how,
            )
        )
    elif row["can_be_owner"]:
        warnings.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "this login (%1) owns the tables (owner %2): it could switch off the audit "
                    "log's trigger, replace its function or rebuild the table. %3",
                ),
                login,
                row["owner"],
                how,
            )
        )
    rights = [
        name
        for name, allowed in (
            ("UPDATE", row["can_update"]),
            ("DELETE", row["can_delete"]),
            ("TRUNCATE", row["can_truncate"]),
            ("CREATE TRIGGER", row["can_trigger"]),
        )
        if allowed
    ]
    if rights and not row["superuser"]:
        warnings.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "this login (%1) may %2 on the audit log (it should only SELECT and INSERT).",
                ),
                login,
                ", ".join(rights),
            )
        )
    return warnings


def _check_server(session: Session, report: IntegrityReport) -> None:
    row = session.execute(_PRIVILEGES).mappings().first()
    if row is None:
        return
    if row["trigger"] is None:
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the audit log's append-only trigger (audit_entry_append_only) has been "
                    "dropped",
                )
            )
        )
    elif row["trigger"] == "D":
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "the audit log's append-only trigger has been switched off"
                )
            )
        )
    report.warnings.extend(login_privileges(session))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text_ = str(orig if orig is not None else exc).strip().splitlines()
    return text_[0] if text_ else type(exc).__name__


# --- sealed records, events, treatment records ----------------------------------------------


def _expected_outcome(document: dict[str, Any]) -> str | None:
    """The screening outcome the sealed findings give (a signed form is never 'clarify')."""
    findings = document.get("findings")
    if not isinstance(findings, list):
        return None
    severities = [str(f.get("severity")) for f in findings if isinstance(f, dict)]
    if not severities:
        return "clear"
    if any(s not in SEVERITY_RANK for s in severities):
        return None
    return max(severities, key=lambda s: SEVERITY_RANK[s])


def _same_time(value: dt.datetime, sealed: Any) -> bool:
    moment = _parse_at(sealed)
    return moment is not None and value.astimezone(dt.UTC) == moment.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class _Signed:
    """What a ``consent.signed`` entry recorded (kept small: one per signed form)."""

    entry_id: int
    user_id: int | None
    username: str
    patient_id: int | None
    document_sha256: Any
    pdf_sha256: Any
    document_number: Any
    signed_pdf_sha256: Any = None
    """The signed PDF's SHA-256 (None: the form was sealed unsigned, or before signing)."""
    certificate_sha256: Any = None
    """The fingerprint of the clinic's certificate that signed it."""


@dataclass
class _Audited:
    """What the audit log says about consents and products."""

    signed: dict[str, _Signed] = field(default_factory=dict)
    events: dict[tuple[int, str], list[tuple[int | None, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    product_names: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    lots: dict[int, tuple[str, str]] = field(default_factory=dict)
    kinds: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))


def _read_audited(session: Session) -> _Audited:
    found = _Audited()
    events = (
        "consent.signed",
        *(f"consent.{kind}" for kind in EVENT_KINDS),
        "product.created",
        "product.updated",
        "lot.created",
    )
    rows = session.execute(
        select(
            AuditEntry.id,
            AuditEntry.event,
            AuditEntry.record_id,
            AuditEntry.user_id,
            AuditEntry.username,
            AuditEntry.patient_id,
            AuditEntry.details,
        )
        .where(AuditEntry.event.in_(events))
        .order_by(AuditEntry.id)
        .execution_options(yield_per=2000)
    )
    for entry_id, event, record_id, user_id, username, patient_id, details in rows:
        if event == "consent.signed":
            found.signed[record_id] = _Signed(
                entry_id,
                user_id,
                username,
                patient_id,
                details.get("document_sha256"),
                details.get("pdf_sha256"),
                details.get("document_number"),
                details.get("signed_pdf_sha256"),
                details.get("certificate_sha256"),
            )
        elif not record_id.isdigit():
            continue
        elif event.startswith("consent."):
            kind = event.removeprefix("consent.")
            reason = str(details.get("reason", "")) if kind in STATE_EVENTS else ""
            found.events[(int(record_id), kind)].append((user_id, reason))
            found.kinds[int(record_id)].add(kind)
        elif event.startswith("product."):
            found.product_names[int(record_id)].add(str(details.get("name", "")))
        else:  # lot.created
            found.lots[int(record_id)] = (
                str(details.get("lot", "")),
                str(details.get("expiry", "")),
            )
    return found


def _check_events(
    name: str,
    consent_id: int,
    state: str,
    events: dict[tuple[int, str], list[tuple[int | None, str]]],
    audited: _Audited,
    problems: list[str],
) -> None:
    for kind in EVENT_KINDS:
        stored = Counter(events.get((consent_id, kind), []))
        logged = Counter(audited.events.get((consent_id, kind), []))
        if stored == logged:
            continue
        extra = sum((stored - logged).values())
        gone = sum((logged - stored).values())
        label = kind.replace("_", " ")
        if extra:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: %2 '%3' event(s) that the audit log does not record (added "
                        "outside Consult)",
                    ),
                    name,
                    extra,
                    label,
                )
            )
        if gone:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: the audit log records it %2 (%3 event(s)), but the event is gone "
                        "from the record (deleted)",
                    ),
                    name,
                    label,
                    gone,
                )
            )
    expected = state_after(audited.kinds.get(consent_id, set()))
    if state != expected:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: shown as %2, but its audited events say %3"
                ),
                name,
                state,
                expected,
            )
        )


def _check_document_columns(
    name: str,
    row: ConsentRecord,
    document: dict[str, Any],
    logged: _Signed | None,
    problems: list[str],
) -> None:
    def differs(column: str, shown: Any, sealed: Any) -> None:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: the register's %2 (%3) differs from the sealed form (%4)"
                ),
                name,
                Finding(column),
                shown,
                sealed,
            )
        )

    patient = document.get("patient") or {}
    consultation = document.get("consultation") or {}
    treatment = document.get("treatment") or {}
    template = document.get("template") or {}
    if patient.get("id") != row.patient_id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: the sealed document is for another patient"
                ),
                name,
            )
        )
    if document.get("document_number") != row.document_number:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "document number"),
            row.document_number,
            document.get("document_number"),
        )
    if consultation.get("id") != row.consultation_id:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "consultation"),
            row.consultation_id,
            consultation.get("id"),
        )
    if treatment.get("id") != row.treatment_id:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "treatment"), row.treatment_id, treatment.get("id")
        )
    if template.get("version") != row.template_version:
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "template version"),
            row.template_version,
            template.get("version"),
        )
    if not _same_time(row.signed_at, document.get("signed_at")):
        differs(
            QT_TRANSLATE_NOOP("VerifyFindings", "date signed"),
            row.signed_at.isoformat(),
            document.get("signed_at"),
        )
    outcome = _expected_outcome(document)
    if outcome is not None and outcome != row.outcome:
        differs(QT_TRANSLATE_NOOP("VerifyFindings", "outcome"), row.outcome, outcome)
    overrides = document.get("overrides") or []
    justified = any(isinstance(o, dict) and o.get("kind") == "justified" for o in overrides)
    if justified != bool(row.has_overrides):
        differs(QT_TRANSLATE_NOOP("VerifyFindings", "overrides flag"), row.has_overrides, justified)
    if logged is not None and logged.user_id != row.practitioner_id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1: the register's practitioner (user %2) is not the one who signed it "
                    "(user %3, %4)",
                ),
                name,
                row.practitioner_id,
                logged.user_id,
                logged.username,
            )
        )


def _check_treatment(
    name: str,
    row: ConsentRecord,
    document: dict[str, Any],
    treatments: list[TreatmentRecord],
    lots: dict[int, ProductLot],
    products: dict[int, Product],
    audited: _Audited,
    problems: list[str],
) -> None:
    if len(treatments) != 1:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: it has %2 treatment records (one is written at signing)"
                ),
                name,
                len(treatments),
            )
        )
        if not treatments:
            return
    record = treatments[0]
    sealed = document.get("treatment") or {}
    sealed_product = sealed.get("product")
    where = Finding(QT_TRANSLATE_NOOP("VerifyFindings", "%1: its treatment record"), name)
    consent_record = QT_TRANSLATE_NOOP("VerifyFindings", "%1 gives %2 %3, the consent record %4")
    sealed_form = QT_TRANSLATE_NOOP("VerifyFindings", "%1 gives %2 %3, the sealed form %4")
    for column, shown, expected, against in (
        (QT_TRANSLATE_NOOP("VerifyFindings", "patient"), record.patient_id, row.patient_id,
         consent_record),
        (QT_TRANSLATE_NOOP("VerifyFindings", "practitioner"), record.practitioner_id,
         row.practitioner_id, consent_record),
        (QT_TRANSLATE_NOOP("VerifyFindings", "consultation"), record.consultation_id,
         row.consultation_id, consent_record),
        (QT_TRANSLATE_NOOP("VerifyFindings", "treatment"), record.treatment_id, sealed.get("id"),
         sealed_form),
        (QT_TRANSLATE_NOOP("VerifyFindings", "route"), record.route, sealed.get("route"),
         sealed_form),
    ):  # fmt: skip
        if shown != expected:
            problems.append(Finding(against, where, Finding(column), shown, expected))
    if not isinstance(sealed_product, dict):
        if record.product_id is not None or record.lot_id is not None:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP("VerifyFindings", "%1 names a product, the sealed form none"),
                    where,
                )
            )
        return
    lot = lots.get(record.lot_id) if record.lot_id is not None else None
    product = products.get(record.product_id) if record.product_id is not None else None
    if lot is None or product is None:
        problems.append(
            Finding(QT_TRANSLATE_NOOP("VerifyFindings", "%1 has lost its product or lot"), where)
        )
        return
    if lot.lot_number != sealed_product.get("lot") or lot.expiry_date.isoformat() != (
        sealed_product.get("expiry")
    ):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1 gives lot %2 (expiry %3), the sealed form lot %4 (expiry %5)",
                ),
                where,
                lot.lot_number,
                lot.expiry_date.isoformat(),
                sealed_product.get("lot"),
                sealed_product.get("expiry"),
            )
        )
    if lot.product_id != product.id:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1 gives product %2, but its lot is another product's"
                ),
                where,
                product.name,
            )
        )
    names = audited.product_names.get(product.id, set()) | {product.name}
    if sealed_product.get("name") not in names:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1 gives product %2, the sealed form %3"),
                where,
                product.name,
                sealed_product.get("name"),
            )
        )
    if record.source != sealed_product.get("source"):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1 gives source %2, the sealed form %3"),
                where,
                record.source,
                sealed_product.get("source"),
            )
        )


def _check_batch(
    session: Session,
    batch: list[ConsentRecord],
    audited: _Audited,
    lots: dict[int, ProductLot],
    products: dict[int, Product],
    report: IntegrityReport,
) -> None:
    ids = [row.id for row in batch]
    events: dict[tuple[int, str], list[tuple[int | None, str]]] = defaultdict(list)
    for consent_id, kind, user_id, reason in session.execute(
        select(
            ConsentEvent.consent_id, ConsentEvent.kind, ConsentEvent.user_id, ConsentEvent.reason
        ).where(ConsentEvent.consent_id.in_(ids))
    ).all():
        keep = reason if kind in STATE_EVENTS else ""
        events[(int(consent_id), str(kind))].append((user_id, keep or ""))
    treatments: dict[int, list[TreatmentRecord]] = defaultdict(list)
    for record in session.execute(
        select(TreatmentRecord).where(TreatmentRecord.consent_id.in_(ids))
    ).scalars():
        if record.consent_id is not None:
            treatments[record.consent_id].append(record)
    for row in batch:
        name = Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "consent %1 (record %2)"),
            row.document_number,
            row.id,
        )
        problems: list[str] = []
        try:
            loaded = json.loads(row.document_json)
            # In the canonical form the document's schema names (RFC 8785 from
            # consult.consent/2, Consult's first form before), so old records still verify.
            document_hash = document_sha256(loaded)
        except ValueError:
            loaded, document_hash = {}, ""
        document = loaded if isinstance(loaded, dict) else {}
        if (
            document_hash != row.document_sha256
            or sha256_hex(row.document_json.encode("utf-8")) != row.document_sha256
        ):
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "%1: its sealed JSON does not match its hash"
                    ),
                    name,
                )
            )
        if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "%1: its stored PDF does not match its hash"
                    ),
                    name,
                )
            )
        logged = audited.signed.get(str(row.id))
        if logged is None:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP("VerifyFindings", "%1: no signing entry in the audit log"),
                    name,
                )
            )
        else:
            if logged.document_sha256 != row.document_sha256:
                problems.append(
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings", "%1: JSON hash differs from the one logged at signing"
                        ),
                        name,
                    )
                )
            if logged.pdf_sha256 != row.pdf_sha256:
                problems.append(
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings", "%1: PDF differs from the one logged at signing"
                        ),
                        name,
                    )
                )
            if logged.document_number != row.document_number:
                problems.append(
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings", "%1: document number differs from the signing log"
                        ),
                        name,
                    )
                )
            if logged.patient_id != row.patient_id:
                problems.append(
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings",
                            "%1: signed for another patient according to the audit log",
                        ),
                        name,
                    )
                )
        _check_signed_form(name, row, logged, problems, report.warnings)
        _check_document_columns(name, row, document, logged, problems)
        _check_events(name, row.id, row.state, events, audited, problems)
        # The treatment record written at signing: a re-confirmation writes its own, in
        # its visit, against this consent (consult.store.reconfirmation_integrity).
        _check_treatment(
            name,
            row,
            document,
            [t for t in treatments.get(row.id, []) if t.consultation_id == row.consultation_id],
            lots,
            products,
            audited,
            problems,
        )
        report.problems.extend(problems)


def _check_signed_form(
    name: str,
    row: ConsentRecord,
    logged: _Signed | None,
    problems: list[str],
    warnings: list[str],
) -> None:
    """The record's signed PDF (see the module): against the signing entry, its sealed PDF
    and its record."""
    expected = logged.signed_pdf_sha256 if logged is not None else None
    if row.signed_pdf is None:
        if expected:
            warnings.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: its signed PDF, logged at signing, is no longer stored; its sealed "
                        "PDF still holds, but only the database vouches for it now",
                    ),
                    name,
                )
            )
        return
    # For start-up speed only: pyHanko is loaded when records are verified, never when a
    # database is opened or backed up (both import this module).
    from consult.proof.stored_form import signed_form_problems

    signed = bytes(row.signed_pdf)
    if logged is not None and expected != sha256_hex(signed):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: its signed PDF differs from the one logged at signing"
                )
                if expected
                else QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: it has a signed PDF, but none was logged at signing"
                ),
                name,
            )
        )
    named = QT_TRANSLATE_NOOP("VerifyFindings", "%1: %2")
    problems.extend(
        Finding(named, name, problem)
        for problem in signed_form_problems(
            signed,
            bytes(row.pdf),
            record_sha256=row.document_sha256,
            document_number=row.document_number,
            certificate_sha256=logged.certificate_sha256 if logged is not None else None,
        )
    )


def _check_records(session: Session, report: IntegrityReport, progress: Progress | None) -> None:
    audited = _read_audited(session)
    lots = {lot.id: lot for lot in session.execute(select(ProductLot)).scalars()}
    products = {product.id: product for product in session.execute(select(Product)).scalars()}
    for lot in lots.values():
        logged_lot = audited.lots.get(lot.id)
        if logged_lot is not None and logged_lot != (lot.lot_number, lot.expiry_date.isoformat()):
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "lot %1 reads %2 (expiry %3), but it was added as %4 (expiry %5)",
                    ),
                    lot.id,
                    lot.lot_number,
                    lot.expiry_date.isoformat(),
                    logged_lot[0],
                    logged_lot[1],
                )
            )
    total = int(session.execute(select(func.count()).select_from(ConsentRecord)).scalar_one())
    seen: set[str] = set()
    last_id = 0
    while True:  # in pages by id: the events and treatment records of each page at once
        batch = list(
            session.execute(
                select(ConsentRecord)
                .where(ConsentRecord.id > last_id)
                .order_by(ConsentRecord.id)
                .limit(200)
            ).scalars()
        )
        if not batch:
            break
        _check_batch(session, batch, audited, lots, products, report)
        last_id = batch[-1].id
        seen.update(str(row.id) for row in batch)
        report.records += len(batch)
        if progress is not None:
            progress("records", report.records, total)
    for record_id, signed in audited.signed.items():
        if record_id not in seen:
            number = signed.document_number or "?"
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: signed (audit entry %2), but the record is gone (deleted)",
                    ),
                    Finding(
                        QT_TRANSLATE_NOOP("VerifyFindings", "consent %1 (record %2)"),
                        number,
                        record_id,
                    ),
                    signed.entry_id,
                )
            )
    known = {int(cid) for cid in seen if cid.isdigit()}
    signed_ids = {int(r) for r in audited.signed if r.isdigit()}
    for consent_id in sorted({cid for (cid, _kind) in audited.events} - known - signed_ids):
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "consent record %1: the audit log records events for it, but neither the "
                    "record nor its signing entry is there",
                ),
                consent_id,
            )
        )


def _check_reconfirmations(
    session: Session, report: IntegrityReport, progress: Progress | None
) -> None:
    def step(done: int, total: int) -> None:
        if progress is not None:
            progress("re-confirmations", done, total)

    found = check_reconfirmations(session, step)
    report.reconfirmations = found.records
    report.problems.extend(found.problems)
    report.warnings.extend(found.warnings)


def _check_treatment_records(
    session: Session, report: IntegrityReport, progress: Progress | None
) -> None:
    def step(done: int, total: int) -> None:
        if progress is not None:
            progress("treatment charts", done, total)

    found = check_treatment_records(session, step)
    report.charts, report.photos = found.charts, found.photos
    report.problems.extend(found.problems)


# --- users -----------------------------------------------------------------------------------


def _check_users(session: Session, report: IntegrityReport) -> None:
    """Each user's roles, active flag and username are those of the last audited change."""
    state: dict[int, dict[str, Any]] = {}
    rows = session.execute(
        select(AuditEntry)
        .where(AuditEntry.event.in_(_USER_EVENTS), AuditEntry.record_type == "user")
        .order_by(AuditEntry.id)
    ).scalars()
    for entry in rows:
        if not entry.record_id.isdigit():
            continue
        user_id = int(entry.record_id)
        details = entry.details
        if entry.event == "user.created":
            state[user_id] = {
                "username": details.get("username"),
                "roles": frozenset(str(r) for r in details.get("roles", [])),
                "active": True,
                "entry": entry.id,
            }
            # Entries written since these were logged also pin the rest of the account.
            for key in ("qualification", "display_name", "password"):
                if key in details:
                    state[user_id][key] = details[key]
            continue
        if entry.event in ("user.password_reset", "user.password_changed", "signin"):
            if "password" in details:
                state.setdefault(user_id, {"entry": entry.id})["password"] = details["password"]
            continue
        known = state.setdefault(user_id, {"entry": entry.id})
        known["entry"] = entry.id
        if entry.event == "user.updated":
            after = details.get("after") or {}
            known["roles"] = frozenset(str(after.get("roles", "")).split())
            known["qualification"] = after.get("qualification")
            if "display_name" in after:
                known["display_name"] = after["display_name"]
        else:
            known["active"] = entry.event == "user.reactivated"
    for user in session.execute(select(User).order_by(User.id)).scalars():
        name = Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "user %1 (id %2)"), user.username, user.id
        )
        expected = state.get(user.id)
        if expected is None or "roles" not in expected:
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: was not created through Consult (no audited creation)",
                    ),
                    name,
                )
            )
            continue
        roles = frozenset(user.roles.split())
        if roles != expected["roles"]:
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: has the roles %2, but the last audited change (entry %3) gives %4",
                    ),
                    name,
                    " ".join(sorted(roles)) or Finding(QT_TRANSLATE_NOOP("VerifyFindings", "none")),
                    expected["entry"],
                    " ".join(sorted(expected["roles"])),
                )
            )
        if "active" in expected and bool(user.active) != expected["active"]:
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: is %2, but the last audited change (entry %3) says %4",
                    ),
                    name,
                    _active_word(bool(user.active)),
                    expected["entry"],
                    _active_word(bool(expected["active"])),
                )
            )
        if "qualification" in expected and user.qualification != expected["qualification"]:
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: has the qualification %2, but the last audited change gives %3",
                    ),
                    name,
                    user.qualification,
                    expected["qualification"],
                )
            )
        if "display_name" in expected and user.display_name != expected["display_name"]:
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "%1: is named %2, but the last audited change gives %3"
                    ),
                    name,
                    repr(user.display_name),
                    repr(expected["display_name"]),
                )
            )
        if "password" in expected and (
            audit.fingerprint(session, user.password_hash) != expected["password"]
        ):
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "%1: the stored password is not the one last set through Consult (it "
                        "was written into the database directly)",
                    ),
                    name,
                )
            )
        if expected.get("username") not in (None, user.username):
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings", "%1: was created as %2 (the username was changed)"
                    ),
                    name,
                    expected["username"],
                )
            )


def _active_word(active: bool) -> str:
    """A user's state as a finding says it: "active" or "deactivated"."""
    return Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "active")
        if active
        else QT_TRANSLATE_NOOP("VerifyFindings", "deactivated")
    )


# --- verify ------------------------------------------------------------------------------


def verify(
    session: Session,
    checkpoint_folder: Path | None,
    progress: Progress | None = None,
    *,
    anchors: AnchorConfig | None = None,
) -> IntegrityReport:
    """Check the database, the chain, the heads seen, the records, the events and the users.

    ``checkpoint_folder`` is the embedded database's backups folder (its checkpoint
    file); ``anchors`` defaults to the configuration the database was opened with.
    """
    report = IntegrityReport()
    key = audit.session_key(session)
    report.key_id = audit.key_id(key)
    config = anchors
    if config is None:
        found = session.info.get(ANCHORS_INFO)
        config = found if isinstance(found, AnchorConfig) else None
    stage = QT_TRANSLATE_NOOP("VerifyFindings", "the database")
    try:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            _quick_check(session, report)
        elif dialect == "postgresql":
            _check_server(session, report)
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the audit chain")
        chain_key = audit.chain_key_id(session)
        if chain_key not in (None, report.key_id):
            report.problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "the audit chain was started with another key (%1); this workstation "
                        "has %2",
                    ),
                    chain_key or Finding(QT_TRANSLATE_NOOP("VerifyFindings", "unknown")),
                    report.key_id,
                )
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
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the heads seen")
        _check_anchors(session, report, key, checkpoint_folder, config)
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the consent records")
        _check_records(session, report, progress)
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the re-confirmations")
        _check_reconfirmations(session, report, progress)
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the treatment records")
        _check_treatment_records(session, report, progress)
        stage = QT_TRANSLATE_NOOP("VerifyFindings", "the users")
        _check_users(session, report)
    except SQLAlchemyError as exc:
        report.problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1 cannot be read: %2"),
                Finding(stage),
                _reason(exc),
            )
        )
    return report
