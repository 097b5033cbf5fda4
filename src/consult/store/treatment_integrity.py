"""``consult verify``'s walk through the treatment record (issue 20): sealed charts, their
addenda, photos.

- **Sealed treatment charts**: the sealed JSON against its SHA-256, recomputed from its
  canonical form (RFC 8785) as well as from the bytes kept, and against the hash logged
  by its ``treatment.signed`` entry; every ``treatment.signed`` entry still has its chart,
  signed; and the rows against the seal: the chart's patient, consent, treatment, route,
  day, product and lot, areas, notes and signer, and every injection point (place, lot,
  amount, unit, depth, technique), so that a point's amount changed in the database is
  found although the sealed JSON was left alone.
- **Addenda**: each one's hash over the seal, the previous link, its text, author and
  time (``consult.domain.treatment_chart.chain_problems``), and every addendum the audit
  log recorded is still there (removing the newest would otherwise leave a whole chain).
- **Photos**: each stored photo's SHA-256 against its bytes and against the hash logged
  when it was added (``photo.added``); a deleted photo is a tombstone without bytes,
  whose kept hash is still checked against the log; every photo logged as added still
  has its row.

Kept apart from :mod:`consult.store.integrity` (which calls it) so that each kind of
record has its checks in one small module; it returns what it found rather than writing
into the report, which that module owns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.domain import treatment_chart as rules
from consult.domain.canonical import jcs_bytes, sha256_hex
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding
from consult.store.models import (
    AuditEntry,
    InjectionPoint,
    Photo,
    Product,
    ProductLot,
    TreatmentAddendum,
    TreatmentChart,
    User,
)

__all__ = ["TreatmentFindings", "check_treatment_records"]

_log = logging.getLogger(__name__)

SIGNED_EVENT = "treatment.signed"
ADDENDUM_EVENT = "treatment.addendum"
PHOTO_EVENT = "photo.added"
CHART_SIGNED = "signed"
"""A signed-off chart's state, as the chart service writes it (read here without loading
that service, which the opening of a database need not import)."""
_PAGE = 100
"""Charts read per query; photos are read with their bytes a few at a time."""
_PHOTO_PAGE = 8


@dataclass
class TreatmentFindings:
    """What the walk found: how many sealed charts and photos, and what is wrong."""

    charts: int = 0
    photos: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class _Logged:
    """What the audit log says about charts and photos."""

    signed: dict[int, str] = field(default_factory=dict)  # chart id -> sealed hash
    addenda: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    photos: dict[int, str] = field(default_factory=dict)  # photo id -> hash at import


def _logged(session: Session) -> _Logged:
    found = _Logged()
    for event, record_id, details in session.execute(
        select(AuditEntry.event, AuditEntry.record_id, AuditEntry.details)
        .where(AuditEntry.event.in_((SIGNED_EVENT, ADDENDUM_EVENT, PHOTO_EVENT)))
        .order_by(AuditEntry.id)
    ).all():
        if not str(record_id).isdigit() or not isinstance(details, Mapping):
            continue
        key = int(record_id)
        if event == SIGNED_EVENT:
            found.signed[key] = str(details.get("document_sha256"))
        elif event == ADDENDUM_EVENT:
            found.addenda[key].add(str(details.get("sha256")))
        else:
            found.photos[key] = str(details.get("sha256"))
    return found


def _same_time(value: dt.datetime | None, sealed: object) -> bool:
    if value is None or not isinstance(sealed, str):
        return False
    try:
        moment = dt.datetime.fromisoformat(sealed)
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC) == moment.astimezone(dt.UTC)


class _Lookups:
    """Products, lots and usernames, read once for the whole walk."""

    def __init__(self, session: Session) -> None:
        self.products = {p.id: p for p in session.execute(select(Product)).scalars()}
        self.lots = {lot.id: lot for lot in session.execute(select(ProductLot)).scalars()}
        self.usernames = dict(session.execute(select(User.id, User.username)).all())

    def product(self, row: TreatmentChart) -> dict[str, Any] | None:
        product = self.products.get(row.product_id) if row.product_id is not None else None
        if product is None:
            return None
        lot = self.lots.get(row.lot_id) if row.lot_id is not None else None
        return {
            "name": product.name,
            "manufacturer": product.manufacturer,
            "lot": lot.lot_number if lot is not None else None,
            "expiry": lot.expiry_date.isoformat() if lot is not None else None,
        }

    def lot_number(self, lot_id: int | None) -> str | None:
        lot = self.lots.get(lot_id) if lot_id is not None else None
        return lot.lot_number if lot is not None else None


def _point(point: InjectionPoint, lookups: _Lookups) -> dict[str, Any]:
    """A point's row in the words the seal keeps it in."""
    return {
        "number": point.number,
        "view": point.view,
        "x": round(point.x, 4),
        "y": round(point.y, 4),
        "area": point.area,
        "lot": lookups.lot_number(point.lot_id),
        "amount": rules.amount_text(Decimal(point.amount)),
        "unit": point.unit,
        "depth": point.depth,
        "technique": point.technique,
    }


def _chart(chart_id: int) -> Finding:
    """What a finding about a chart calls it ("treatment chart 7", translated too)."""
    return Finding(QT_TRANSLATE_NOOP("VerifyFindings", "treatment chart %1"), chart_id)


def _photo(photo_id: int) -> Finding:
    """What a finding about a photo calls it ("photo 3")."""
    return Finding(QT_TRANSLATE_NOOP("VerifyFindings", "photo %1"), photo_id)


def _check_rows(
    name: Finding,
    row: TreatmentChart,
    document: Mapping[str, Any],
    points: list[InjectionPoint],
    lookups: _Lookups,
    problems: list[str],
) -> None:
    """The chart's rows against what was sealed, column by column."""
    differs = QT_TRANSLATE_NOOP("VerifyFindings", "%1: its %2 reads %3, the seal %4")
    for column, shown, sealed in (
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "patient"),
            row.patient_id,
            document.get("patient_id"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "consent"),
            row.consent_id,
            document.get("consent_id"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "consultation"),
            row.consultation_id,
            document.get("consultation_id"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "treatment"),
            row.treatment_id,
            document.get("treatment"),
        ),
        (QT_TRANSLATE_NOOP("VerifyFindings", "route"), row.route, document.get("route")),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "day of treatment"),
            row.treated_on.isoformat(),
            document.get("treated_on"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "product and lot"),
            lookups.product(row),
            document.get("product"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "reason for the lot"),
            row.lot_reason,
            document.get("lot_reason"),
        ),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "areas"),
            list(row.areas or ()),
            document.get("areas"),
        ),
        (QT_TRANSLATE_NOOP("VerifyFindings", "notes"), row.notes, document.get("notes")),
        (
            QT_TRANSLATE_NOOP("VerifyFindings", "signer"),
            row.signed_by,
            (document.get("signed_by") or {}).get("id"),
        ),
    ):
        if shown != sealed:
            problems.append(Finding(differs, name, Finding(column), repr(shown), repr(sealed)))
    if not _same_time(row.signed_at, document.get("signed_at")):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: its time of sign-off differs from the seal's"
                ),
                name,
            )
        )
    sealed_points = document.get("points")
    sealed_points = sealed_points if isinstance(sealed_points, list) else []
    if len(points) != len(sealed_points):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: it has %2 injection points, the seal %3"),
                name,
                len(points),
                len(sealed_points),
            )
        )
    point_differs = QT_TRANSLATE_NOOP(
        "VerifyFindings", "%1: injection point %2's %3 reads %4, the seal %5"
    )
    for point, sealed_point in zip(points, sealed_points, strict=False):
        shown_point = _point(point, lookups)
        for key, value in shown_point.items():
            sealed_value = sealed_point.get(key) if isinstance(sealed_point, Mapping) else None
            if value != sealed_value:
                problems.append(
                    Finding(point_differs, name, point.number, key, repr(value), repr(sealed_value))
                )


def _check_chart(
    row: TreatmentChart,
    points: list[InjectionPoint],
    addenda: list[TreatmentAddendum],
    logged: _Logged,
    lookups: _Lookups,
) -> list[str]:
    name = _chart(row.id)
    problems: list[str] = []
    raw = row.document_json or ""
    try:
        document = json.loads(raw)
    except ValueError:
        return [
            Finding(QT_TRANSLATE_NOOP("VerifyFindings", "%1: its sealed JSON is not JSON"), name)
        ]
    if not isinstance(document, dict):
        return [
            Finding(QT_TRANSLATE_NOOP("VerifyFindings", "%1: its sealed JSON is not a chart"), name)
        ]
    if (
        sha256_hex(raw.encode("utf-8")) != row.document_sha256
        or sha256_hex(jcs_bytes(document)) != row.document_sha256
    ):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: its sealed JSON does not match its hash"),
                name,
            )
        )
    if row.id not in logged.signed:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "%1: no sign-off entry in the audit log"), name
            )
        )
    elif logged.signed[row.id] != row.document_sha256:
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: its hash differs from the one logged at sign-off"
                ),
                name,
            )
        )
    _check_rows(name, row, document, points, lookups, problems)
    # The addenda's chain problems are the domain's English (consult.domain has no
    # translation marks): the chart's name is translated, the problem quoted as it is.
    chained = QT_TRANSLATE_NOOP("VerifyFindings", "%1: %2")
    problems.extend(
        Finding(chained, name, problem)
        for problem in rules.chain_problems(
            row.document_sha256 or "",
            [
                {
                    "text": a.text,
                    "user": lookups.usernames.get(a.user_id, ""),
                    "at": a.at.replace(microsecond=0).isoformat(),
                    "prev": a.prev_sha256,
                    "sha256": a.sha256,
                }
                for a in addenda
            ],
        )
    )
    kept = {a.sha256 for a in addenda}
    for missing in sorted(logged.addenda.get(row.id, set()) - kept):
        gone = QT_TRANSLATE_NOOP("VerifyFindings", "%1: an addendum logged (%2…) is gone (deleted)")
        problems.append(Finding(gone, name, missing[:12]))
    for extra in sorted(kept - logged.addenda.get(row.id, set())):
        foreign = QT_TRANSLATE_NOOP(
            "VerifyFindings", "%1: an addendum (%2…) was not written through Consult"
        )
        problems.append(Finding(foreign, name, extra[:12]))
    return problems


def _check_charts(session: Session, logged: _Logged, found: TreatmentFindings) -> None:
    lookups = _Lookups(session)
    seen: set[int] = set()
    last = 0
    while True:
        charts = list(
            session.execute(
                select(TreatmentChart)
                .where(TreatmentChart.id > last)
                .order_by(TreatmentChart.id)
                .limit(_PAGE)
            ).scalars()
        )
        if not charts:
            break
        last = charts[-1].id
        ids = [c.id for c in charts]
        points: dict[int, list[InjectionPoint]] = defaultdict(list)
        for point in session.execute(
            select(InjectionPoint)
            .where(InjectionPoint.chart_id.in_(ids))
            .order_by(InjectionPoint.chart_id, InjectionPoint.number)
        ).scalars():
            points[point.chart_id].append(point)
        addenda: dict[int, list[TreatmentAddendum]] = defaultdict(list)
        for addendum in session.execute(
            select(TreatmentAddendum)
            .where(TreatmentAddendum.chart_id.in_(ids))
            .order_by(TreatmentAddendum.id)
        ).scalars():
            addenda[addendum.chart_id].append(addendum)
        for row in charts:
            seen.add(row.id)
            if row.state != CHART_SIGNED:
                if row.id in logged.signed:
                    found.problems.append(
                        Finding(
                            QT_TRANSLATE_NOOP(
                                "VerifyFindings", "%1: signed off (audit log), but it reads %2"
                            ),
                            _chart(row.id),
                            repr(row.state),
                        )
                    )
                elif addenda.get(row.id):
                    found.problems.append(
                        Finding(
                            QT_TRANSLATE_NOOP("VerifyFindings", "%1: a draft with addenda"),
                            _chart(row.id),
                        )
                    )
                continue
            found.charts += 1
            found.problems.extend(
                _check_chart(row, points[row.id], addenda[row.id], logged, lookups)
            )
    for chart_id in sorted(set(logged.signed) - seen):
        found.problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: signed off (audit log), but the chart is gone (deleted)"
                ),
                _chart(chart_id),
            )
        )


def _check_photos(session: Session, logged: _Logged, found: TreatmentFindings) -> None:
    seen: set[int] = set()
    last = 0
    while True:  # a few at a time: the bytes of a page of photos, never all of them
        page = session.execute(
            select(Photo.id, Photo.sha256, Photo.data, Photo.deleted_at)
            .where(Photo.id > last)
            .order_by(Photo.id)
            .limit(_PHOTO_PAGE)
        ).all()
        if not page:
            break
        last = page[-1][0]
        for photo_id, digest, data, deleted_at in page:
            seen.add(photo_id)
            found.photos += 1
            name = _photo(photo_id)
            if logged.photos.get(photo_id) is None:
                unlogged = QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: not added through Consult (no audit entry)"
                )
                found.problems.append(Finding(unlogged, name))
            elif logged.photos[photo_id] != digest:
                relogged = QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: its SHA-256 differs from the one logged"
                )
                found.problems.append(Finding(relogged, name))
            if data is None:
                if deleted_at is None:
                    gone = QT_TRANSLATE_NOOP(
                        "VerifyFindings", "%1: its bytes are gone, but it was not deleted"
                    )
                    found.problems.append(Finding(gone, name))
                continue  # a tombstone: the hash is kept, there are no bytes to check
            if hashlib.sha256(bytes(data)).hexdigest() != digest:
                changed = QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1: its bytes do not match its SHA-256"
                )
                found.problems.append(Finding(changed, name))
    row_gone = QT_TRANSLATE_NOOP("VerifyFindings", "%1: added (audit log), but its row is gone")
    for photo_id in sorted(set(logged.photos) - seen):
        found.problems.append(Finding(row_gone, _photo(photo_id)))


def check_treatment_records(
    session: Session, progress: Callable[[int, int], None] | None = None
) -> TreatmentFindings:
    """Check every sealed treatment chart, its addenda and every photo (see the module)."""
    found = TreatmentFindings()
    logged = _logged(session)
    total = int(session.execute(select(func.count()).select_from(TreatmentChart)).scalar_one())
    _check_charts(session, logged, found)
    if progress is not None:
        progress(total, total)
    _check_photos(session, logged, found)
    if found.problems:
        _log.warning("the treatment record does not verify: %d problem(s)", len(found.problems))
    return found
