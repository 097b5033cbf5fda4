"""The manager's registers on the command line: ``export consents`` and ``recall``.

Like ``consent pdf``, these run with nobody signed in: whoever can run them on this
workstation can read its database anyway. What they do is logged under the user
``cli``. Their files are written by :mod:`consult.commands.output` (never over an
existing file without ``--force``, never into Consult's own folders, atomically, mode
0600), and an export is logged only once its file is in place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands.base import UsageError, date_argument, show
from consult.store import audit

if TYPE_CHECKING:
    from consult.commands.base import Context
    from consult.documents.exports import ExportRecord
    from consult.store.database import Database
    from consult.store.services.register import RegisterFilters

CLI_ACTOR_NAME = "cli"


def _actor() -> audit.Actor:
    return audit.Actor(None, CLI_ACTOR_NAME, audit.workstation_name())


def _output_name(name: str, option: str) -> str:
    if name == "-":
        raise UsageError(f"{option} -: exports are written to a file, not to standard output")
    return name


def _write_register(
    db: Database,
    filters: RegisterFilters,
    fmt: str,
    path: Path,
    names: Mapping[str, str],
    progress: Callable[[int, int], None],
) -> int:
    """Write the register to ``path`` (no audit entry: the caller writes it once the file
    is in place); returns the number of records.

    What :func:`consult.store.services.register.write_export` writes, without its audit
    entry, which that function appends before the file has its final name.
    """
    from consult.documents import exports
    from consult.store.services import register

    with db.session() as session:
        total = register._count(session, filters, None)
    rows = register._iter_register(db, filters)
    if fmt == "csv":
        return exports.write_register_csv(
            rows, path, total=total, treatment_names=names, progress=progress
        )

    def records() -> Iterator[ExportRecord]:
        batch: list[register.RegisterRow] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 50:
                yield from register._export_records(db, batch)
                batch = []
        if batch:
            yield from register._export_records(db, batch)

    return exports.write_fhir_bundle(records(), path, total=total, progress=progress)


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from consult.commands import output
    from consult.commands.app import open_for_use
    from consult.documents.exports import ExportCancelled
    from consult.knowledge.loader import load_knowledge
    from consult.store.errors import ValidationError
    from consult.store.services import register

    date_from: dt.date | None = args.date_from
    date_to: dt.date | None = args.date_to
    if date_from and date_to and date_from > date_to:
        raise UsageError("--to is before --from")
    name = _output_name(args.output, "-o")
    output.check(ctx, name, force=args.force)
    filters = register.RegisterFilters(date_from=date_from, date_to=date_to, descending=False)
    try:
        filters.check()
    except ValidationError as exc:
        raise UsageError(exc.message) from exc
    from consult.commands.screening import knowledge_cache

    # Treatment names only: the shipped knowledge base, from its cache when unchanged.
    names = {t.id: t.name for t in load_knowledge(cache_dir=knowledge_cache(ctx.dirs)).treatments}

    def progress(done: int, total: int) -> None:
        if args.progress:
            print(f"exported {done}/{total}", file=sys.stderr)

    written: list[int] = []
    db = open_for_use(ctx)
    try:

        def write(path: Path) -> int:
            written.append(_write_register(db, filters, args.format, path, names, progress))
            return written[-1]

        def audited(path: Path) -> None:
            with db.session() as session:
                audit.append(
                    session,
                    _actor(),
                    "consent.register_exported",
                    details={
                        "format": args.format,
                        "records": written[-1],
                        "file": path.name,
                        "filters": filters.describe(),
                    },
                )

        records = output.write_with(ctx, name, write, force=args.force, after=audited)
    except (ExportCancelled, KeyboardInterrupt):  # pragma: no cover - interactive only
        print("consult: export cancelled; nothing written", file=sys.stderr)
        return 130
    finally:
        db.close()
    print(f"Exported {records} consent record(s) as {args.format} to {show(name)}")
    return 0


def _recall(args: argparse.Namespace, ctx: Context) -> int:
    from consult.commands import output
    from consult.commands.app import open_for_use
    from consult.documents import exports
    from consult.store.errors import ValidationError
    from consult.store.services import register

    criteria = register.RecallCriteria(
        lot=args.lot or "",
        product=args.product or "",
        expiry_from=args.expiry_from,
        expiry_to=args.expiry_to,
    )
    try:
        criteria.check()
    except ValidationError as exc:
        raise UsageError(exc.message) from exc
    csv_name = _output_name(args.csv, "--csv") if args.csv is not None else None
    if csv_name is not None:
        output.check(ctx, csv_name, force=args.force, option="--csv")
    db = open_for_use(ctx)
    try:
        try:
            rows = register.recall_as(db, _actor(), criteria)
        except ValidationError as exc:
            raise UsageError(exc.message) from exc
        if csv_name is not None:

            def audited(path: Path) -> None:
                with db.session() as session:
                    audit.append(
                        session,
                        _actor(),
                        "recall.exported",
                        details={**criteria.describe(), "rows": len(rows), "file": path.name},
                    )

            from consult.domain.phones import region_for_jurisdiction
            from consult.store.services.clinic import get_clinic
            from consult.store.services.context import ServiceContext

            clinic = get_clinic(ServiceContext(db))
            region = region_for_jurisdiction(clinic.jurisdiction if clinic else None)
            output.write_with(
                ctx,
                csv_name,
                lambda path: exports.write_recall_csv(rows, path, phone_region=region),
                force=args.force,
                after=audited,
                option="--csv",
            )
    finally:
        db.close()
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
        "Dates are local calendar days; --to is included. The file is readable by you "
        "only; an existing file is replaced only with --force.",
    )
    consents.add_argument("--format", choices=("csv", "fhir"), default="csv")
    consents.add_argument("-o", "--output", required=True, metavar="FILE")
    consents.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (default: refuse)"
    )
    consents.add_argument(
        "--from", dest="date_from", metavar="DATE", type=date_argument, help="YYYY-MM-DD"
    )
    consents.add_argument(
        "--to", dest="date_to", metavar="DATE", type=date_argument, help="YYYY-MM-DD"
    )
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
    recall.add_argument(
        "--expiry-from", metavar="DATE", type=date_argument, help="lots expiring on or after DATE"
    )
    recall.add_argument(
        "--expiry-to", metavar="DATE", type=date_argument, help="lots expiring on or before DATE"
    )
    recall.add_argument(
        "--csv", metavar="FILE", help="also write the list as CSV (readable by you only; logged)"
    )
    recall.add_argument("--force", action="store_true", help="replace the --csv file if it exists")
    recall.set_defaults(func=_recall)
