"""The treatment chart's rules: what is charted point by point, what a point may say, the
totals per product, and the seal of a signed-off chart and its addenda.

Pure: no database, no Qt. The service (:mod:`consult.store.services.treatment_records`)
applies these rules to the rows; the chart view shows the same vocabulary. See
docs/treatment-record.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from consult.domain.canonical import jcs_bytes, sha256_hex

SCHEMA = "consult.treatment/1"
"""The schema a signed-off chart's document declares (sealed with RFC 8785)."""

VIEWS = ("front", "left", "right")
"""The face diagrams a point is placed on: from the front and the two profiles."""

UNITS = ("units", "mL")
"""Toxins are dosed in units; fillers and the rest in millilitres."""

DEPTHS = ("intradermal", "subcutaneous", "supraperiosteal", "intramuscular")
TECHNIQUES = (
    "bolus",
    "linear_threading",
    "fanning",
    "cross_hatching",
    "microdroplet",
    "cannula",
)

CHARTED_ROUTES = frozenset({"intradermal", "injection", "intramuscular"})
"""The routes charted point by point: every injection. A topical serum, microneedling, a
peel, a laser or a drip has treated areas and notes but no points."""

MAX_AMOUNT = Decimal("1000")
"""More than any single injection holds (a toxin vial is 100 or 300 units): a typing slip."""


def is_charted(route: str) -> bool:
    """Whether a treatment given by ``route`` is charted point by point on the face."""
    return route in CHARTED_ROUTES


def default_unit(treatment_id: str) -> str:
    """The unit a point of this treatment is dosed in: units for a toxin, mL otherwise."""
    return "units" if treatment_id == "botulinum_toxin" else "mL"


def default_depth(treatment_id: str, route: str) -> str:
    """The usual depth, offered for a new point (the practitioner changes it as needed)."""
    if treatment_id == "botulinum_toxin" or route == "intramuscular":
        return "intramuscular"
    if route == "intradermal" or treatment_id in {"exosome", "prp", "stem_cell_supernatant"}:
        return "intradermal"
    return "subcutaneous"


def default_technique(treatment_id: str) -> str:
    """The usual technique, offered for a new point."""
    return (
        "microdroplet" if treatment_id in {"exosome", "prp", "stem_cell_supernatant"} else "bolus"
    )


@dataclass(frozen=True)
class ChartPoint:
    """One injection as the practitioner charts it (the service numbers them in order).

    ``product_id`` and ``lot_id`` are None for "the chart's product and lot".
    """

    view: str
    x: float
    y: float
    amount: Decimal
    unit: str
    depth: str = ""
    technique: str = ""
    area: str = ""
    product_id: int | None = None
    lot_id: int | None = None


def parse_amount(text: str) -> Decimal | None:
    """An amount typed by the practitioner ("0.1", "4", "2,5"); None if it is not one."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def amount_text(amount: Decimal) -> str:
    """An amount as written on the chart and sealed: no exponent, no trailing zeros."""
    text = format(amount.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def point_problem(point: ChartPoint) -> str | None:
    """Why a point cannot be charted (one sentence), or None if it can."""
    if point.view not in VIEWS:
        return f"A point must be on the front or a profile, not {point.view!r}."
    if not (0.0 <= point.x <= 1.0 and 0.0 <= point.y <= 1.0):
        return "A point must lie on the diagram."
    if point.unit not in UNITS:
        return f"The amount's unit must be units or mL, not {point.unit!r}."
    if not point.amount.is_finite() or point.amount <= 0:
        return "Each point needs an amount greater than zero."
    if point.amount > MAX_AMOUNT or point.amount.as_tuple().exponent < -3:  # type: ignore[operator]
        return f"{amount_text(point.amount)} {point.unit} is not an amount a point can hold."
    if point.depth and point.depth not in DEPTHS:
        return f"Unknown depth {point.depth!r}."
    if point.technique and point.technique not in TECHNIQUES:
        return f"Unknown technique {point.technique!r}."
    if len(point.area) > 64:
        return "A point's area is at most 64 characters."
    return None


@dataclass(frozen=True)
class Total:
    """How much of one product (in one unit) the chart's points add up to."""

    product_id: int | None
    unit: str
    amount: Decimal
    points: int


def totals(points: Iterable[ChartPoint]) -> tuple[Total, ...]:
    """The totals per product and unit, in the order the products were first charted."""
    sums: dict[tuple[int | None, str], tuple[Decimal, int]] = {}
    for point in points:
        key = (point.product_id, point.unit)
        amount, count = sums.get(key, (Decimal(0), 0))
        sums[key] = (amount + point.amount, count + 1)
    return tuple(
        Total(product_id, unit, amount, count)
        for (product_id, unit), (amount, count) in sums.items()
    )


def seal_chart(document: Mapping[str, Any]) -> tuple[bytes, str]:
    """A chart document's RFC 8785 bytes and their SHA-256, as kept at sign-off."""
    if document.get("schema") != SCHEMA:
        raise ValueError(f"a treatment chart document must declare schema {SCHEMA!r}")
    raw = jcs_bytes(dict(document))
    return raw, sha256_hex(raw)


def addendum_sha256(*, chart_sha256: str, prev_sha256: str, text: str, user: str, at: str) -> str:
    """An addendum's hash: over the seal, the previous link, its text, author and time.

    Chained so that an addendum removed, reordered or changed is found: the first one's
    ``prev_sha256`` is the seal itself.
    """
    return sha256_hex(
        jcs_bytes(
            {"chart": chart_sha256, "prev": prev_sha256, "text": text, "user": user, "at": at}
        )
    )


def chain_problems(chart_sha256: str, addenda: Sequence[Mapping[str, str]]) -> list[str]:
    """What is wrong with a chart's chain of addenda (each: text, user, at, prev, sha256)."""
    problems: list[str] = []
    prev = chart_sha256
    for number, addendum in enumerate(addenda, start=1):
        if addendum["prev"] != prev:
            problems.append(f"addendum {number} does not follow the one before it")
        expected = addendum_sha256(
            chart_sha256=chart_sha256,
            prev_sha256=addendum["prev"],
            text=addendum["text"],
            user=addendum["user"],
            at=addendum["at"],
        )
        if expected != addendum["sha256"]:
            problems.append(f"addendum {number} was changed after it was written")
        prev = addendum["sha256"]
    return problems
