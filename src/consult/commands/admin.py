"""Administrators' commands: ``verify``, ``backup``, ``restore`` and ``consent pdf``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from consult.store import backup, integrity
from consult.store.database import Database
from consult.store.models import ConsentRecord

if TYPE_CHECKING:
    from consult.cli import Context


def _open(ctx: Context) -> Database:
    from consult.commands.app import open_for_use

    return open_for_use(ctx)


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    db = _open(ctx)
    try:

        def progress(stage: str, done: int, total: int) -> None:
            if args.progress:
                print(f"{stage}: {done}/{total}", file=sys.stderr)

        with db.session() as session:
            report = integrity.verify(session, ctx.dirs.backups, progress)
        print("\n".join(report.lines()))
        return 0 if report.ok else 1
    finally:
        db.close()


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import UsageError

    db = _open(ctx)
    try:
        try:
            made = backup.take(db, ctx.dirs.backups, "manual")
        except backup.BackupError as exc:
            raise UsageError(str(exc)) from exc
        print(f"Backed up to {made.path} (checked: quick_check and audit chain hold).")
        return 0
    finally:
        db.close()


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import UsageError

    source = Path(args.file)
    db = _open(ctx)
    try:
        try:
            safety = backup.restore(db, source, ctx.dirs.backups)
        except backup.BackupError as exc:
            raise UsageError(str(exc)) from exc
        print(f"Restored {source.name}. The database as it was is kept in {safety.path}.")
        return 0
    finally:
        db.close()


def _consent_pdf(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import UsageError
    from consult.store import audit

    db = _open(ctx)
    try:
        with db.session() as session:
            ident = str(args.id).strip()
            query = select(ConsentRecord).where(
                ConsentRecord.id == int(ident)
                if ident.isdigit()
                else ConsentRecord.document_number == ident
            )
            row = session.execute(query).scalar_one_or_none()
            if row is None:
                raise UsageError(f"no consent record {args.id}")
            data = bytes(row.pdf)
            audit.append(
                session,
                audit.Actor(None, "cli", audit.workstation_name()),
                "consent.exported",
                record_type="consent",
                record_id=row.id,
                patient_id=row.patient_id,
                details={"document_number": row.document_number, "to": args.output},
            )
        if args.output == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(args.output).write_bytes(data)
            print(f"Wrote {row.document_number} to {args.output}")
        return 0
    finally:
        db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``verify``, ``backup``, ``restore`` and ``consent``."""
    verify = sub.add_parser(
        "verify",
        help="check the audit chain, every sealed record and every stored PDF",
        description="Exit 0 when everything holds, 1 with the list of what failed.",
    )
    verify.add_argument("--progress", action="store_true", help="report progress on stderr")
    verify.set_defaults(func=_verify)
    take = sub.add_parser("backup", help="back up the embedded database now (checked, rotated)")
    take.set_defaults(func=_backup)
    restore = sub.add_parser(
        "restore", help="restore a checked backup (the current database is backed up first)"
    )
    restore.add_argument("file", help="a backup file (consult-*.sqlite3)")
    restore.set_defaults(func=_restore)
    consent = sub.add_parser("consent", help="signed consent forms")
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    pdf = consent_sub.add_parser("pdf", help="write a stored consent form to a file")
    pdf.add_argument("--id", required=True, help="the record id or document number")
    pdf.add_argument("-o", "--output", required=True, help="the PDF file to write (- = stdout)")
    pdf.set_defaults(func=_consent_pdf)
