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
        """The report as text lines, for the CLI and the manager's integrity report."""
        head = f"entry {self.head[0]}, hash {self.head[1]}" if self.head else "empty"
        out = [
            f"Audit chain: {self.entries} entries; head: {head}; key {self.key_id}",
            f"Sealed consent records: {self.records}",
            f"Sealed treatment charts: {self.charts}; photos: {self.photos}",
            f"Sealed re-confirmations: {self.reconfirmations}",
        ]
        out.extend(f"Warning: {warning}" for warning in self.warnings)
        if self.ok:
            out.append("Everything holds: no entry or record has been changed.")
        else:
            out.append(f"{len(self.problems)} problem(s):")
            out.extend(f"  - {problem}" for problem in self.problems)
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
        return points, [f"the anchor file {path} cannot be read: {exc}"]
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
            problems.append(f"checkpoint file {path.name} line {number} is not genuine")
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
        return f"checkpointed {point.get('at')} by {point.get('workstation') or 'this workstation'}"

    if missing:
        top = max(missing, key=lambda p: int(p["entry_id"]))
        gone = len({int(p["entry_id"]) for p in missing})
        report.problems.append(
            f"audit entry {top['entry_id']} ({seen(top)}) is missing: the log has been cut "
            f"back (it now ends at entry {end}; {gone} head(s) seen are gone)"
        )
    if changed:
        low = min(changed, key=lambda p: int(p["entry_id"]))
        report.problems.append(
            f"audit entry {low['entry_id']} ({seen(low)}) has another hash than the one "
            "seen: the log's tail has been rewritten"
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
                f"the anchor directory {folder} cannot be read from here: the heads kept "
                "there were not compared"
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
                        f"the checkpoint file {name} is missing (this workstation has kept "
                        f"the heads it saw there since {since}, audit entry {marker.id})"
                    )
        named = marker.details.get("anchor_dir")
        share = Path(str(named)) if named else None
        if share is not None and share in present and _safe(workstation) not in present[share]:
            label = f"{share}:{workstation}"
            if label not in reported:
                reported.add(label)
                report.problems.append(
                    f"the anchor directory {share} has no heads from {workstation}, "
                    f"which has written them there since {since} (audit entry {marker.id})"
                )
    _compare_heads(session, report, points)


# --- the database itself ------------------------------------------------------------------


def _quick_check(session: Session, report: IntegrityReport) -> None:
    try:
        result = [str(row[0]) for row in session.execute(text("PRAGMA quick_check"))]
    except SQLAlchemyError as exc:
        report.problems.append(f"SQLite's quick_check cannot run: {_reason(exc)}")
        return
    if result != ["ok"]:
        report.problems.append(
            f"SQLite's quick_check fails ({len(result)} finding(s)): " + "; ".join(result[:3])
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
    how = (
        "Connect the workstations as a login that owns nothing; the owner role only runs "
        "`consult db upgrade --grant-to LOGIN` (README: PostgreSQL set-up)."
    )
    warnings: list[str] = []
    if row["superuser"]:
        warnings.append(f"this login ({login}) is a superuser: it can change anything. {how}")
    elif row["can_be_owner"]:
        warnings.append(
            f"this login ({login}) owns the tables (owner {row['owner']}): it could switch "
            f"off the audit log's trigger, replace its function or rebuild the table. {how}"
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
            f"this login ({login}) may {', '.join(rights)} on the audit log "
            "(it should only SELECT and INSERT)."
        )
    return warnings


def _check_server(session: Session, report: IntegrityReport) -> None:
    row = session.execute(_PRIVILEGES).mappings().first()
    if row is None:
        return
    if row["trigger"] is None:
        report.problems.append(
            "the audit log's append-only trigger (audit_entry_append_only) has been dropped"
        )
    elif row["trigger"] == "D":
        report.problems.append("the audit log's append-only trigger has been switched off")
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
                f"{name}: {extra} '{label}' event(s) that the audit log does not record "
                "(added outside Consult)"
            )
        if gone:
            problems.append(
                f"{name}: the audit log records it {label} ({gone} event(s)), but the "
                "event is gone from the record (deleted)"
            )
    expected = state_after(audited.kinds.get(consent_id, set()))
    if state != expected:
        problems.append(f"{name}: shown as {state}, but its audited events say {expected}")


def _check_document_columns(
    name: str,
    row: ConsentRecord,
    document: dict[str, Any],
    logged: _Signed | None,
    problems: list[str],
) -> None:
    def differs(column: str, shown: Any, sealed: Any) -> None:
        problems.append(
            f"{name}: the register's {column} ({shown}) differs from the sealed form ({sealed})"
        )

    patient = document.get("patient") or {}
    consultation = document.get("consultation") or {}
    treatment = document.get("treatment") or {}
    template = document.get("template") or {}
    if patient.get("id") != row.patient_id:
        problems.append(f"{name}: the sealed document is for another patient")
    if document.get("document_number") != row.document_number:
        differs("document number", row.document_number, document.get("document_number"))
    if consultation.get("id") != row.consultation_id:
        differs("consultation", row.consultation_id, consultation.get("id"))
    if treatment.get("id") != row.treatment_id:
        differs("treatment", row.treatment_id, treatment.get("id"))
    if template.get("version") != row.template_version:
        differs("template version", row.template_version, template.get("version"))
    if not _same_time(row.signed_at, document.get("signed_at")):
        differs("date signed", row.signed_at.isoformat(), document.get("signed_at"))
    outcome = _expected_outcome(document)
    if outcome is not None and outcome != row.outcome:
        differs("outcome", row.outcome, outcome)
    overrides = document.get("overrides") or []
    justified = any(isinstance(o, dict) and o.get("kind") == "justified" for o in overrides)
    if justified != bool(row.has_overrides):
        differs("overrides flag", row.has_overrides, justified)
    if logged is not None and logged.user_id != row.practitioner_id:
        problems.append(
            f"{name}: the register's practitioner (user {row.practitioner_id}) is not the one "
            f"who signed it (user {logged.user_id}, {logged.username})"
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
            f"{name}: it has {len(treatments)} treatment records (one is written at signing)"
        )
        if not treatments:
            return
    record = treatments[0]
    sealed = document.get("treatment") or {}
    sealed_product = sealed.get("product")
    where = f"{name}: its treatment record"
    for column, shown, expected, other in (
        ("patient", record.patient_id, row.patient_id, "the consent record"),
        ("practitioner", record.practitioner_id, row.practitioner_id, "the consent record"),
        ("consultation", record.consultation_id, row.consultation_id, "the consent record"),
        ("treatment", record.treatment_id, sealed.get("id"), "the sealed form"),
        ("route", record.route, sealed.get("route"), "the sealed form"),
    ):
        if shown != expected:
            problems.append(f"{where} gives {column} {shown}, {other} {expected}")
    if not isinstance(sealed_product, dict):
        if record.product_id is not None or record.lot_id is not None:
            problems.append(f"{where} names a product, the sealed form none")
        return
    lot = lots.get(record.lot_id) if record.lot_id is not None else None
    product = products.get(record.product_id) if record.product_id is not None else None
    if lot is None or product is None:
        problems.append(f"{where} has lost its product or lot")
        return
    if lot.lot_number != sealed_product.get("lot") or lot.expiry_date.isoformat() != (
        sealed_product.get("expiry")
    ):
        problems.append(
            f"{where} gives lot {lot.lot_number} (expiry {lot.expiry_date.isoformat()}), "
            f"the sealed form lot {sealed_product.get('lot')} "
            f"(expiry {sealed_product.get('expiry')})"
        )
    if lot.product_id != product.id:
        problems.append(f"{where} gives product {product.name}, but its lot is another product's")
    names = audited.product_names.get(product.id, set()) | {product.name}
    if sealed_product.get("name") not in names:
        problems.append(
            f"{where} gives product {product.name}, the sealed form {sealed_product.get('name')}"
        )
    if record.source != sealed_product.get("source"):
        problems.append(
            f"{where} gives source {record.source}, the sealed form {sealed_product.get('source')}"
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
        name = f"consent {row.document_number} (record {row.id})"
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
            problems.append(f"{name}: its sealed JSON does not match its hash")
        if sha256_hex(bytes(row.pdf)) != row.pdf_sha256:
            problems.append(f"{name}: its stored PDF does not match its hash")
        logged = audited.signed.get(str(row.id))
        if logged is None:
            problems.append(f"{name}: no signing entry in the audit log")
        else:
            if logged.document_sha256 != row.document_sha256:
                problems.append(f"{name}: JSON hash differs from the one logged at signing")
            if logged.pdf_sha256 != row.pdf_sha256:
                problems.append(f"{name}: PDF differs from the one logged at signing")
            if logged.document_number != row.document_number:
                problems.append(f"{name}: document number differs from the signing log")
            if logged.patient_id != row.patient_id:
                problems.append(f"{name}: signed for another patient according to the audit log")
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
                f"{name}: its signed PDF, logged at signing, is no longer stored; its "
                "sealed PDF still holds, but only the database vouches for it now"
            )
        return
    # For start-up speed only: pyHanko is loaded when records are verified, never when a
    # database is opened or backed up (both import this module).
    from consult.proof.stored_form import signed_form_problems

    signed = bytes(row.signed_pdf)
    if logged is not None and expected != sha256_hex(signed):
        problems.append(
            f"{name}: its signed PDF differs from the one logged at signing"
            if expected
            else f"{name}: it has a signed PDF, but none was logged at signing"
        )
    problems.extend(
        f"{name}: {problem}"
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
                f"lot {lot.id} reads {lot.lot_number} (expiry {lot.expiry_date.isoformat()}), "
                f"but it was added as {logged_lot[0]} (expiry {logged_lot[1]})"
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
                f"consent {number} (record {record_id}): signed (audit entry {signed.entry_id}), "
                "but the record is gone (deleted)"
            )
    known = {int(cid) for cid in seen if cid.isdigit()}
    signed_ids = {int(r) for r in audited.signed if r.isdigit()}
    for consent_id in sorted({cid for (cid, _kind) in audited.events} - known - signed_ids):
        report.problems.append(
            f"consent record {consent_id}: the audit log records events for it, but neither "
            "the record nor its signing entry is there"
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
        name = f"user {user.username} (id {user.id})"
        expected = state.get(user.id)
        if expected is None or "roles" not in expected:
            report.problems.append(f"{name}: was not created through Consult (no audited creation)")
            continue
        roles = frozenset(user.roles.split())
        if roles != expected["roles"]:
            report.problems.append(
                f"{name}: has the roles {' '.join(sorted(roles)) or 'none'}, but the last audited "
                f"change (entry {expected['entry']}) gives {' '.join(sorted(expected['roles']))}"
            )
        if "active" in expected and bool(user.active) != expected["active"]:
            report.problems.append(
                f"{name}: is {'active' if user.active else 'deactivated'}, but the last audited "
                f"change (entry {expected['entry']}) says "
                f"{'active' if expected['active'] else 'deactivated'}"
            )
        if "qualification" in expected and user.qualification != expected["qualification"]:
            report.problems.append(
                f"{name}: has the qualification {user.qualification}, but the last audited "
                f"change gives {expected['qualification']}"
            )
        if "display_name" in expected and user.display_name != expected["display_name"]:
            report.problems.append(
                f"{name}: is named {user.display_name!r}, but the last audited change "
                f"gives {expected['display_name']!r}"
            )
        if "password" in expected and (
            audit.fingerprint(session, user.password_hash) != expected["password"]
        ):
            report.problems.append(
                f"{name}: the stored password is not the one last set through Consult "
                "(it was written into the database directly)"
            )
        if expected.get("username") not in (None, user.username):
            report.problems.append(
                f"{name}: was created as {expected['username']} (the username was changed)"
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
    stage = "the database"
    try:
        dialect = session.get_bind().dialect.name
        if dialect == "sqlite":
            _quick_check(session, report)
        elif dialect == "postgresql":
            _check_server(session, report)
        stage = "the audit chain"
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
        stage = "the heads seen"
        _check_anchors(session, report, key, checkpoint_folder, config)
        stage = "the consent records"
        _check_records(session, report, progress)
        stage = "the re-confirmations"
        _check_reconfirmations(session, report, progress)
        stage = "the treatment records"
        _check_treatment_records(session, report, progress)
        stage = "the users"
        _check_users(session, report)
    except SQLAlchemyError as exc:
        report.problems.append(f"{stage} cannot be read: {_reason(exc)}")
    return report
