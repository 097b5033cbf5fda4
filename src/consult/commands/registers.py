"""The manager's registers on the command line: ``export consents`` and ``recall``.

Like ``consent pdf``, these run with nobody signed in: whoever can run them on this
workstation can read its database anyway. What they do is logged under the user
``cli``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult.store import audit

if TYPE_CHECKING:
    from consult.cli import Context

CLI_ACTOR_NAME = "cli"


def _date(text: str | None, option: str) -> dt.date | None:
    from consult.cli import UsageError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option}: not a date (use YYYY-MM-DD): {text!r}") from None


def _actor() -> audit.Actor:
    return audit.Actor(None, CLI_ACTOR_NAME, audit.workstation_name())


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import UsageError
    from consult.commands.app import open_for_use
    from consult.documents.exports import ExportCancelled
    from consult.knowledge.loader import load_knowledge
    from consult.store.errors import ValidationError
    from consult.store.services import register

    date_from = _date(args.date_from, "--from")
    date_to = _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise UsageError("--to is before --from")
    output = Path(args.output)
    if not output.parent.is_dir():
        raise UsageError(f"-o: no such folder: {output.parent}")
    names = {t.id: t.name for t in load_knowledge().treatments}

    def progress(done: int, total: int) -> None:
        if args.progress:
            print(f"exported {done}/{total}", file=sys.stderr)

    db = open_for_use(ctx)
    try:
        result = register.write_export(
            db,
            _actor(),
            register.RegisterFilters(date_from=date_from, date_to=date_to, descending=False),
            args.format,
            output,
            treatment_names=names,
            progress=progress,
        )
    except ValidationError as exc:
        raise UsageError(exc.message) from exc
    except (ExportCancelled, KeyboardInterrupt):  # pragma: no cover - interactive only
        print("consult: export cancelled; nothing written", file=sys.stderr)
        return 130
    finally:
        db.close()
    print(f"Exported {result.records} consent record(s) as {result.format} to {output}")
    return 0


def _recall(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import UsageError
    from consult.commands.app import open_for_use
    from consult.documents import exports
    from consult.store.errors import ValidationError
    from consult.store.services import register

    criteria = register.RecallCriteria(
        lot=args.lot or "",
        product=args.product or "",
        expiry_from=_date(args.expiry_from, "--expiry-from"),
        expiry_to=_date(args.expiry_to, "--expiry-to"),
    )
    db = open_for_use(ctx)
    try:
        rows = register.recall_as(db, _actor(), criteria)
    except ValidationError as exc:
        raise UsageError(exc.message) from exc
    finally:
        db.close()
    if args.csv:
        exports.write_recall_csv(rows, Path(args.csv))
    patients = len({r.patient_id for r in rows})
    print(f"{patients} patient(s), {len(rows)} treatment(s) with the lots searched for")
    for r in rows:
        contact = ", ".join(part for part in (r.phone, r.email) if part) or "no contact details"
        print(
            f"{r.patient_name} (born {r.date_of_birth.isoformat()}) | {contact} | "
            f"{r.product_name} lot {r.lot_number} (expires {r.expiry_date.isoformat()}) | "
            f"{r.treatment_id} on {r.treated_at.date().isoformat()} by {r.practitioner_name} | "
            f"{r.document_number or 'no consent'} {r.consent_state}".rstrip()
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` and ``recall``."""
    export = sub.add_parser("export", help="export records (managers' exports, logged)")
    what = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    consents = what.add_parser(
        "consents",
        help="the consent register as CSV or a FHIR R4 bundle",
        description="Every signed consent (signed, withdrawn and voided), oldest first. "
        "Dates are local calendar days; --to is included.",
    )
    consents.add_argument("--format", choices=("csv", "fhir"), default="csv")
    consents.add_argument("-o", "--output", required=True, metavar="FILE")
    consents.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD")
    consents.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD")
    consents.add_argument("--progress", action="store_true", help="report progress on stderr")
    consents.set_defaults(func=_export)
    recall = sub.add_parser(
        "recall",
        help="every patient treated with a product lot, with contact details",
        description="Search by lot number (exact, any case) and/or product name (part of "
        "it), or by an expiry window. The search is logged.",
    )
    recall.add_argument("--lot", help="the lot (batch) number")
    recall.add_argument("--product", metavar="NAME", help="the product's name, or part of it")
    recall.add_argument("--expiry-from", metavar="DATE", help="lots expiring on or after DATE")
    recall.add_argument("--expiry-to", metavar="DATE", help="lots expiring on or before DATE")
    recall.add_argument("--csv", metavar="FILE", help="also write the list as CSV")
    recall.set_defaults(func=_recall)
