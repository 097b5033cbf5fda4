"""The manager's registers on the command line: ``export consents`` and ``recall``.

They act as a Consult user (``--as USER``, :mod:`consult.commands.actor`) through the
same services as the app: a manager's role is needed, and what they do is logged under
that user's name. Their files are written by :mod:`consult.commands.output` (never over
an existing file without ``--force``, never into Consult's own folders, atomically, mode
0600), and an export is logged only once its file is in place.

The services, the knowledge base and the exporters are imported in the handlers, not
above: ``consult export --help`` and ``consult recall --help`` build this module's
parsers and need none of them (start-up speed only; nothing here imports this module).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from consult.commands import actor, output
from consult.commands.base import UsageError, date_argument, show

if TYPE_CHECKING:
    from consult.commands.base import Context
    from consult.store.dto import RecallRow


def _output_name(name: str, option: str) -> str:
    if name == "-":
        raise UsageError(f"{option} -: exports are written to a file, not to standard output")
    return name


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from consult.commands.app import open_for_use
    from consult.commands.screening import knowledge_cache
    from consult.documents.exports import ExportCancelled
    from consult.knowledge.loader import load_knowledge
    from consult.store.dto import RegisterFilters
    from consult.store.errors import ValidationError
    from consult.store.services import register_export

    filters = RegisterFilters(date_from=args.date_from, date_to=args.date_to, descending=False)
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError("--to is before --from")
    name = _output_name(args.output, "-o")
    output.check(ctx, name, force=args.force)
    try:
        filters.check()
    except ValidationError as exc:
        raise UsageError(exc.message) from exc
    # Treatment names, and a FHIR bundle's questionnaire: the shipped knowledge base, from
    # its cache when unchanged.
    kb = load_knowledge(cache_dir=knowledge_cache(ctx.dirs))
    names = {t.id: kb.label("treatment", t.id) for t in kb.treatments}

    def progress(done: int, total: int) -> None:
        if args.progress:
            print(f"exported {done}/{total}", file=sys.stderr)

    db = open_for_use(ctx)
    try:
        with (
            actor.signed_in(db, args) as as_user,
            output.staged(ctx, name, force=args.force) as stage,
        ):
            result = register_export.export_register(
                as_user,
                filters,
                args.format,
                stage.path,
                treatment_names=names,
                kb=kb,
                progress=progress,
                place=stage.place,
            )
    except (ExportCancelled, KeyboardInterrupt):  # pragma: no cover - interactive only
        print("consult: export cancelled; nothing written", file=sys.stderr)
        return 130
    finally:
        db.close()
    print(f"Exported {result.records} consent record(s) as {args.format} to {show(name)}")
    return 0


def _recall(args: argparse.Namespace, ctx: Context) -> int:
    from consult.commands.app import open_for_use
    from consult.store.dto import RecallCriteria
    from consult.store.errors import ValidationError
    from consult.store.services import recall as recall_service

    criteria = RecallCriteria(
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
        with actor.signed_in(db, args) as as_user:
            found = recall_service.search(as_user, criteria)
            rows = list(found.rows)
            if csv_name is not None:
                with output.staged(ctx, csv_name, force=args.force, option="--csv") as stage:
                    recall_service.export_recall(
                        as_user, criteria, rows, stage.path, place=stage.place
                    )
    finally:
        db.close()
    patients = len({r.patient_id for r in rows})
    print(f"{patients} patient(s), {len(rows)} treatment(s) with the lots searched for")
    for r in rows:
        print(_recall_line(r))
    if found.left_out:
        print(
            f"{len(found.left_out)} treatment(s) left out: consent withdrawn or voided ("
            + ", ".join(f"{r.document_number} {r.consent_state}" for r in found.left_out)
            + ")"
        )
    return 0


def _recall_line(r: RecallRow) -> str:
    """One patient's treatment with the lot: who, how to reach them, what, where, how much."""
    contact = ", ".join(part for part in (r.phone, r.email) if part) or "no contact details"
    day = (r.treated_on or r.treated_at.date()).isoformat()
    where = ", ".join(r.areas) or "areas not recorded"
    dose = " + ".join(f"{amount} {unit}" for amount, unit in r.doses) or "dose not charted"
    source = "charted" if r.charted else "planned lot: no treatment charted"
    return (
        f"{r.patient_name} (born {r.date_of_birth.isoformat()}) | {contact} | "
        f"{r.product_name} lot {r.lot_number} (expires {r.expiry_date.isoformat()}) | "
        f"{r.treatment_id} on {day} by {r.practitioner_name} | {where} | {dose} | {source} | "
        f"{r.document_number or 'no consent'} {r.consent_state}".rstrip()
    )


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
    actor.add_user_option(consents)
    consents.set_defaults(func=_export)
    recall = sub.add_parser(
        "recall",
        help="every patient treated with a product lot, with contact details",
        description="Search by lot number (exact, any case) and/or product name (part of "
        "it), or by an expiry window. The lot actually used is read from the treatment "
        "chart (where and how much); a treatment never charted counts with its planned "
        "lot, and says so. Withdrawn and voided consents are left out, in a note. The "
        "search is logged.",
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
        "--csv",
        metavar="FILE",
        help="also write the list as CSV, with the areas and the dose in units and in mL "
        "(readable by you only; logged)",
    )
    recall.add_argument("--force", action="store_true", help="replace the --csv file if it exists")
    actor.add_user_option(recall)
    recall.set_defaults(func=_recall)
