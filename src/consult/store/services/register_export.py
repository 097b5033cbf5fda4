"""Exporting the consent register, as CSV or a FHIR R4 bundle (managers, logged).

The register is read page by page, each page in its own short transaction (never the
whole register in memory, nor one transaction held open for minutes); a FHIR bundle
also carries each record's sealed document, PDF, state events and intake answers, the
treatment record (the signed-off chart, the photos that may be shown, the complications:
:mod:`consult.store.services.treatment_export_rows`), and names the clinic by its lasting
UUID. The app and the command line export through
:func:`export_register` alike: the same role check, the same audit entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from consult.documents import exports, fhir
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.roles import Role
from consult.store import audit
from consult.store.consent_events import STATE_EVENTS
from consult.store.dto import Cursor, ExportResult, RegisterFilters, RegisterRow
from consult.store.errors import ValidationError
from consult.store.models import Clinic, ConsentEvent, ConsentRecord, Consultation
from consult.store.services.consent_register import count_of, page_of
from consult.store.services.consents import original_of
from consult.store.services.context import ServiceContext
from consult.store.services.treatment_export_rows import (
    charts_of,
    complications_of,
    photo_ids_of,
    photos_of,
)

EXPORT_FORMATS = ("csv", "fhir")
_BATCH = 500
"""Register rows read per transaction."""
_FHIR_BATCH = 50
"""Records whose documents and PDFs are read at once for a FHIR bundle."""


def export_register(
    ctx: ServiceContext,
    filters: RegisterFilters,
    fmt: str,
    path: Path,
    *,
    treatment_names: Mapping[str, str] | None = None,
    kb: KnowledgeBase | None = None,
    progress: exports.Progress | None = None,
    cancelled: exports.Cancelled | None = None,
    place: exports.Place | None = None,
) -> ExportResult:
    """Export the register's records that ``filters`` select, as CSV or a FHIR R4 bundle.

    A FHIR bundle needs ``kb``, the knowledge base in force: the intake's Questionnaire and
    the types of its answers come from it. Reports ``progress(done, total)`` and stops
    with :class:`consult.documents.exports.ExportCancelled` when ``cancelled()`` turns true
    (no file is left behind). ``place``: for a caller that writes under a temporary name (the
    command line), called with the written file; it puts the file where it stays and
    returns that path. The export is logged under that name once it is there.
    """
    ctx.require("export consent records", Role.MANAGER)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("format", f"unknown export format {fmt!r}: use csv or fhir")
    filters.check()
    with ctx.unit_of_work() as session:
        total = count_of(session, filters, None)
    if fmt == "csv":
        written = exports.write_register_csv(
            _rows(ctx, filters),
            path,
            total=total,
            treatment_names=treatment_names,
            progress=progress,
            cancelled=cancelled,
        )
    else:
        if kb is None:
            raise ValueError("a FHIR export needs the knowledge base (kb)")
        written = fhir.write_fhir_bundle(
            _records(ctx, filters),
            path,
            clinic=_clinic(ctx),
            kb=kb,
            total=total,
            progress=progress,
            cancelled=cancelled,
        )
    final = place(path) if place is not None else path
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "consent.register_exported",
            details={
                "format": fmt,
                "records": written,
                "file": final.name,
                "filters": filters.describe(),
            },
        )
    return ExportResult(final, fmt, written)


def _clinic(ctx: ServiceContext) -> fhir.ClinicIdentity:
    """The clinic as a FHIR bundle names it: its lasting UUID, its name and address now."""
    with ctx.unit_of_work() as session:
        clinic = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one()
        return fhir.ClinicIdentity(clinic.uuid, clinic.name, clinic.address)


def _rows(ctx: ServiceContext, filters: RegisterFilters) -> Iterator[RegisterRow]:
    after: Cursor | None = None
    while True:
        with ctx.unit_of_work() as session:
            page = page_of(session, filters, after, _BATCH)
        yield from page.rows
        if page.cursor is None:
            return
        after = page.cursor


def _records(ctx: ServiceContext, filters: RegisterFilters) -> Iterator[fhir.ExportRecord]:
    batch: list[RegisterRow] = []
    handed: set[int] = set()  # the photos already written, each written once
    for row in _rows(ctx, filters):
        batch.append(row)
        if len(batch) >= _FHIR_BATCH:
            yield from _with_photos(ctx, _export_records(ctx, batch, handed))
            batch = []
    if batch:
        yield from _with_photos(ctx, _export_records(ctx, batch, handed))


def _with_photos(
    ctx: ServiceContext, records: list[tuple[fhir.ExportRecord, list[tuple[int, bool]]]]
) -> Iterator[fhir.ExportRecord]:
    """Each record with its photos' bytes, read for that record only."""
    for record, wanted in records:
        if not wanted:
            yield record
            continue
        with ctx.unit_of_work() as session:
            photos = photos_of(session, wanted)
        yield dataclasses.replace(record, photos=photos)


def _export_records(
    ctx: ServiceContext, rows: Sequence[RegisterRow], handed: set[int]
) -> list[tuple[fhir.ExportRecord, list[tuple[int, bool]]]]:
    ids = [r.id for r in rows]
    with ctx.unit_of_work() as session:
        records = {
            r.id: r
            for r in session.execute(
                select(ConsentRecord).where(ConsentRecord.id.in_(ids))
            ).scalars()
        }
        events: dict[int, list[tuple[str, str, dt.datetime]]] = {}
        for consent_id, kind, reason, at in session.execute(
            select(ConsentEvent.consent_id, ConsentEvent.kind, ConsentEvent.reason, ConsentEvent.at)
            .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind.in_(STATE_EVENTS))
            .order_by(ConsentEvent.id)
        ):
            events.setdefault(consent_id, []).append((kind, reason, at))
        # The intake answers as given: they cannot change once a consent is signed.
        answers: dict[int, dict[str, Any]] = {
            consultation_id: given
            for consultation_id, given in session.execute(
                select(Consultation.id, Consultation.answers).where(
                    Consultation.id.in_({r.consultation_id for r in records.values()})
                )
            )
        }
        in_order = [records[row.id] for row in rows]
        charts = charts_of(session, in_order)
        complications = complications_of(session, in_order)
        photo_ids = photo_ids_of(session, in_order, handed)
        out = []
        for row in rows:
            record = records[row.id]
            out.append(
                (
                    fhir.ExportRecord(
                        consent_id=record.id,
                        document=json.loads(record.document_json),
                        document_sha256=record.document_sha256,
                        pdf=original_of(record).data,
                        state=record.state,
                        practitioner_id=record.practitioner_id,
                        signed_at=record.signed_at,
                        state_events=tuple(events.get(record.id, [])),
                        answers=answers.get(record.consultation_id) or {},
                        treatment=charts.get(record.id),
                        complications=complications.get(record.id, ()),
                    ),
                    photo_ids.get(record.id, []),
                )
            )
        return out
