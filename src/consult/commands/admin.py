"""Administrators' commands: ``verify`` (the database, or one signed form), ``backup``,
``restore`` and ``consent pdf``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands import actor, output
from consult.commands.app import open_for_use
from consult.commands.base import UsageError, record_argument
from consult.domain.states import ConsentState
from consult.store import backup, integrity
from consult.store.database import open_database

if TYPE_CHECKING:
    from consult.commands.base import Context


@contextlib.contextmanager
def _until_terminated() -> Iterator[None]:
    """SIGTERM / SIGHUP end the command through its ``finally`` blocks (the database is
    closed, the head seen recorded); the previous handlers are put back afterwards."""
    put_back = backup.install_termination_handler()
    try:
        yield
    finally:
        put_back()


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    if args.file is not None:
        # For start-up speed only: pyHanko is loaded to check a file, never for the rest.
        from consult.commands import verify_form

        return verify_form.run(args, ctx)
    if args.trust:
        raise UsageError("--trust applies to checking one form: consult verify FILE.pdf")
    with _until_terminated():
        return _verify_open(args, ctx)


def _verify_open(args: argparse.Namespace, ctx: Context) -> int:
    db = open_for_use(ctx)
    try:

        def progress(stage: str, done: int, total: int) -> None:
            if args.progress:
                print(f"{stage}: {done}/{total}", file=sys.stderr)

        anchors = db.anchors
        if args.anchor_dir and anchors is not None:
            anchors = replace(anchors, anchor_dir=Path(args.anchor_dir).expanduser())
        folder = ctx.dirs.backups if db.is_sqlite else None
        with db.session() as session:
            report = integrity.verify(session, folder, progress, anchors=anchors)
        print("\n".join(report.lines()))
        if report.ok and anchors is not None:
            # A head that holds is one more this workstation has seen.
            with db.session() as session:
                integrity.record_head(session, anchors)
        return 0 if report.ok else 1
    finally:
        db.close()


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    with _until_terminated():
        db = open_for_use(ctx)
        try:
            try:
                made = backup.take(db, ctx.dirs.backups, "manual")
            except backup.BackupError as exc:
                raise UsageError(str(exc)) from exc
            print(
                f"Backed up to {made.path} (checked: quick_check and audit chain hold; "
                f"sealed in {backup.manifest_path(made.path).name})."
            )
            return 0
        finally:
            db.close()


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    from consult import logs

    source = Path(args.file)
    if ctx.database_url:
        raise UsageError(
            "restore applies to the embedded database; a PostgreSQL server is restored "
            "with pg_restore, then `consult db restored` (see the README)"
        )
    logs.configure(ctx.dirs)
    # Opened as it is, even damaged: restoring over a damaged database is what restore is for.
    db = open_database(ctx.dirs, allow_damaged=True)
    try:
        try:
            kept = backup.restore(db, source, ctx.dirs.backups)
        except backup.BackupError as exc:
            raise UsageError(str(exc)) from exc
        if kept.reason == "damaged":
            print(
                f"Restored {source.name}. The database as it was could not be backed up "
                f"(damaged); it is kept, byte for byte, in {kept.path}."
            )
        else:
            print(f"Restored {source.name}. The database as it was is kept in {kept.path}.")
        return 0
    finally:
        db.close()


def _consent_pdf(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only: the form service brings ReportLab, which `verify`,
    # `backup` and `restore` never need.
    from consult.store.services import form_export

    to_stdout = args.output == "-"
    if not to_stdout:
        output.check(ctx, args.output, force=args.force)
    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            if to_stdout:

                def pipe(data: bytes) -> None:
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()

                form_export.export_form(
                    as_user, args.id, sealed=args.sealed, to=args.output, deliver=pipe
                )
                return 0
            with output.staged(ctx, args.output, force=args.force) as stage:

                def place(data: bytes) -> None:
                    with stage.path.open("xb") as file:
                        file.write(data)
                    stage.place(stage.path)

                form = form_export.export_form(
                    as_user, args.id, sealed=args.sealed, to=args.output, deliver=place
                )
    finally:
        db.close()
    what = {
        "sealed": "the sealed form, as signed",
        "copy": "a copy",
        ConsentState.VOIDED: "a copy marked VOID",
        ConsentState.WITHDRAWN: "a copy marked WITHDRAWN",
    }[form.written]
    print(f"Wrote {form.document_number} ({what}) to {args.output}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``verify``, ``backup``, ``restore`` and ``consent``."""
    verify = sub.add_parser(
        "verify",
        help="check the audit chain, every sealed record and every stored PDF, or one signed form",
        description="Without FILE: the database (the audit chain, every sealed record and "
        "every stored PDF). With FILE: that signed form on its own, without the database: "
        "its signature, its signer, the bytes it covers and the hash printed on it. "
        "Exit 0 when everything holds, 1 with the list of what failed.",
    )
    verify.add_argument(
        "file",
        nargs="?",
        metavar="FILE.pdf",
        help="a signed form (consult consent pdf --sealed writes one) to check on its own",
    )
    verify.add_argument(
        "--trust",
        action="append",
        metavar="CERT",
        help="with FILE: trust this signer's certificate too (PEM or DER; the clinic's, as "
        "`consult certificate export-public` writes it); the clinic's own is trusted on "
        "its workstations. May be repeated",
    )
    verify.add_argument("--progress", action="store_true", help="report progress on stderr")
    verify.add_argument(
        "--anchor-dir",
        metavar="DIR",
        help="also compare the log with the heads kept in DIR (the clinic's anchor "
        f"directory; default: ${integrity.ANCHOR_DIR_ENV})",
    )
    verify.set_defaults(func=_verify)
    take = sub.add_parser("backup", help="back up the embedded database now (checked, rotated)")
    take.set_defaults(func=_backup)
    restore = sub.add_parser(
        "restore", help="restore a checked backup (the current database is backed up first)"
    )
    restore.add_argument(
        "file", help="a backup file (consult-*.sqlite3, with its .manifest.json beside it)"
    )
    restore.set_defaults(func=_restore)
    consent = sub.add_parser("consent", help="signed consent forms")
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    pdf = consent_sub.add_parser(
        "pdf",
        help="write a signed consent form to a file, as a print would give it",
        description="Writes what a print gives: a copy dated today, or, for a voided or "
        "withdrawn consent, a copy with a VOID or WITHDRAWN watermark, its date and reason "
        "on every page. --sealed writes the stored PDF exactly as signed.",
    )
    pdf.add_argument(
        "--id", required=True, type=record_argument, help="the record id or document number"
    )
    pdf.add_argument("-o", "--output", required=True, help="the PDF file to write (- = stdout)")
    pdf.add_argument("--force", action="store_true", help="replace FILE if it exists")
    pdf.add_argument(
        "--sealed",
        action="store_true",
        help="the original, byte for byte, without any mark: the form signed by the clinic "
        "(what `consult verify FILE` checks)",
    )
    actor.add_user_option(pdf)
    pdf.set_defaults(func=_consent_pdf)
