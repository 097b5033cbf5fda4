"""The audit chain's and the re-confirmations' findings are :class:`Finding` objects the
interface translates (their message ids and the phrases among their values), while
their English stays the words ``consult verify`` prints (tests/test_tamper.py and
tests/test_verify_reconfirmations.py check that English)."""

# ruff: noqa: F811  (the fixtures imported are parameters here)
from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from consult.store import audit
from consult.store.reconfirmation_integrity import check_reconfirmations
from tests.findings_support import assert_translatable, said_in_brackets
from tests.tamper_support import (  # noqa: F401  (fixtures)
    Built,
    Clinic,
    clinic,
    pg_template,
    sqlite_template,
    tamper,
)
from tests.test_verify_reconfirmations import TAMPERING, clinic_build  # noqa: F401


def _edit_and_cut(conn: Connection, built: Built) -> list[str]:
    conn.execute(text("UPDATE audit_entry SET username = 'mallory' WHERE id = 3"))
    conn.execute(text("DELETE FROM audit_entry WHERE id IN (1, 5)"))
    return []


def test_the_audit_chain_s_findings_are_translatable(qtbot, clinic: Clinic) -> None:
    tamper(clinic, _edit_and_cut, audit_log=True)
    db = clinic.open()
    try:
        with db.session() as session:
            problems = [str(problem) for problem in audit.iter_chain_problems(session)]
    finally:
        db.close()
    assert problems[:3] == [
        "audit entry 2: the start of the chain is missing (entry 1 missing / chain starts at 2)",
        "audit entry 3: its content does not match its hash (edited or forged)",
        "audit entry 6: does not follow the entry before it (removed, inserted or reordered"
        " entries)",
    ]
    assert_translatable(problems)
    assert said_in_brackets(problems[0]) == (
        "[audit entry 2: [the start of the chain is missing ([entry 1 missing] / chain starts"
        " at 2)]]"
    )


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_the_reconfirmations_findings_are_translatable(qtbot, clinic: Clinic, kind: str) -> None:
    expected = tamper(clinic, TAMPERING[kind])
    db = clinic.open()
    try:
        with db.session() as session:
            found = check_reconfirmations(session)
    finally:
        db.close()
    assert_translatable(found.problems)
    for fragment in expected:
        assert any(fragment in problem for problem in found.problems), (fragment, found.problems)
    # The record's name is a phrase translated in turn.
    assert all(said_in_brackets(p).startswith("[[re-confirmation ") for p in found.problems)
