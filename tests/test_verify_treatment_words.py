"""The treatment record's findings are :class:`Finding` objects the interface translates
(their message ids and the phrases among their values: the chart's or photo's name, the
column), while their English stays the words ``consult verify`` prints
(tests/test_verify_treatment.py checks that English)."""

# ruff: noqa: F811  (the fixtures imported are parameters here)
from __future__ import annotations

import pytest

from consult.store.treatment_integrity import check_treatment_records
from tests.findings_support import assert_translatable, said_in_brackets
from tests.tamper_support import Clinic
from tests.test_verify_treatment import (  # noqa: F401  (fixtures)
    TAMPERING,
    clinic,
    pg_template,
    sqlite_template,
)


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_the_treatment_record_s_findings_are_translatable(qtbot, clinic: Clinic, kind: str) -> None:
    engine = clinic.owner_engine()
    try:
        with engine.begin() as conn:
            expected = TAMPERING[kind](conn, clinic.extra)
    finally:
        engine.dispose()
    db = clinic.open()
    try:
        with db.session() as session:
            found = check_treatment_records(session)
    finally:
        db.close()
    assert_translatable(found.problems)
    for fragment in expected:
        assert any(fragment in problem for problem in found.problems), (fragment, found.problems)
    assert all(
        said_in_brackets(p).startswith(("[[treatment chart ", "[[photo ")) for p in found.problems
    )
    if kind == "change a point's amount":
        assert (
            f"[[treatment chart {clinic.extra['chart']}]: injection point 2's amount reads "
            "'9.5', the seal '2.5']" in [said_in_brackets(p) for p in found.problems]
        )
