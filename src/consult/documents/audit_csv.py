"""The audit log as CSV (the manager's export), written with the csv module."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

COLUMNS = (
    "id",
    "at",
    "username",
    "user_id",
    "workstation",
    "event",
    "record_type",
    "record_id",
    "patient_id",
    "details",
    "hash",
)


def write_rows(stream: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    """Write a header and one line per entry; returns the number of entries written.

    Each row is a mapping with the keys of :data:`COLUMNS`; ``details`` is written as
    compact JSON. Cells that a spreadsheet would run as a formula are prefixed with ``'``.
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column)
            if column == "details":
                text = json.dumps(value or {}, ensure_ascii=False, sort_keys=True)
            else:
                text = "" if value is None else str(value)
            if text[:1] in ("=", "+", "-", "@") and column not in ("at",):
                text = "'" + text
            cells.append(text)
        writer.writerow(cells)
        count += 1
    return count
