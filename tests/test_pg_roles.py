"""PostgreSQL with two roles: the owner, used only by ``consult db upgrade``, and the
workstations' login, which owns nothing and may only SELECT and INSERT on the audit log.

The clinic is built through the services as the workstations' login (so it can do all
the app does); here that login tries to get rid of the audit log's protection and fails,
and ``consult verify`` warns when it is run as the owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from consult import paths
from tests.tamper_support import (
    Clinic,
    app_role,
    app_url,
    build_pg_template,
    clone_pg,
    create_database,
    drop_database,
    owner_url,
    run_consult,
    verify_args,
)

pytestmark = pytest.mark.postgres

REFUSED = r"permission denied|must be owner"
FUNCTION = (
    "CREATE OR REPLACE FUNCTION {schema}consult_audit_append_only() RETURNS trigger AS "
    "$$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql"
)
ATTEMPTS = {
    "switch the trigger off": "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
    "switch every trigger off": "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
    "drop the trigger": "DROP TRIGGER audit_entry_append_only ON audit_entry",
    "replace the trigger's function": FUNCTION.format(schema=""),
    "replace it in its schema": FUNCTION.format(schema="public."),
    "delete an entry": "DELETE FROM audit_entry WHERE id = 3",
    "update an entry": "UPDATE audit_entry SET username = 'mallory' WHERE id = 3",
    "truncate the log": "TRUNCATE audit_entry",
    "rename the log": "ALTER TABLE audit_entry RENAME TO audit_entry_old",
    "drop the log": "DROP TABLE audit_entry",
    "rebuild it beside": "CREATE TABLE audit_entry_new (LIKE audit_entry INCLUDING ALL)",
    "change a sealed column": "UPDATE consent_record SET outcome = 'clear'",
    "delete a consent record": "DELETE FROM consent_record",
    "change a consent event": "UPDATE consent_event SET kind = 'printed'",
    "delete a consent event": "DELETE FROM consent_event",
    "change a treatment record": "UPDATE treatment_record SET lot_id = NULL",
}


@pytest.fixture(scope="module")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    yield from build_pg_template(tmp_path_factory.mktemp("pg-roles") / "home")


@pytest.fixture
def clinic(pg_template: Clinic, home: paths.Dirs) -> Iterator[Clinic]:
    assert home.home is not None
    yield from clone_pg(pg_template, home.home)


def test_the_workstations_login_cannot_undo_the_audit_logs_protection(clinic: Clinic) -> None:
    assert clinic.url is not None
    engine = create_engine(clinic.url)
    try:
        for attempt, statement in ATTEMPTS.items():
            with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
                conn.execute(text(statement))
                pytest.fail(f"{attempt}: allowed")
        with engine.connect() as conn:
            owner, trigger = conn.execute(
                text(
                    "SELECT pg_get_userbyid(c.relowner), t.tgenabled FROM pg_class c "
                    "JOIN pg_trigger t ON t.tgrelid = c.oid "
                    "WHERE c.relname = 'audit_entry' AND t.tgname = 'audit_entry_append_only'"
                )
            ).one()
            assert owner != app_role() and trigger == "O"
            # What it may do: read and add.
            assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() > 0
    finally:
        engine.dispose()


def test_verify_warns_when_run_as_the_owner(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert clinic.owner_url is not None
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0 and "Warning" not in out, out + err
    code, out, err = run_consult(monkeypatch, capsys, "--database-url", clinic.owner_url, "verify")
    assert code == 0, out + err  # a warning, not a finding
    assert "Warning: this login (consult_test) owns the tables" in out
    assert "may UPDATE, DELETE, TRUNCATE, CREATE TRIGGER on the audit log" in out


@pytest.mark.parametrize(
    ("statement", "finding"),
    [
        ("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only", "switched off"),
        ("DROP TRIGGER audit_entry_append_only ON audit_entry", "has been dropped"),
    ],
)
def test_the_owner_switching_the_trigger_off_is_a_finding(
    clinic: Clinic,
    statement: str,
    finding: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = clinic.owner_engine()
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 1, out + err
    assert "the audit log's append-only trigger" in out and finding in out


@pytest.fixture
def empty_database() -> Iterator[str]:
    app_url()  # skip early without the workstations' login
    name = f"consult_g_{uuid.uuid4().hex[:10]}"
    create_database(name)
    try:
        yield name
    finally:
        drop_database(name)


def test_db_upgrade_grants_the_workstations_login_its_rights(
    empty_database: str,
    home: paths.Dirs,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    owner, login = owner_url(empty_database), app_url(empty_database)
    code, out, err = run_consult(monkeypatch, capsys, "--database-url", owner, "db", "upgrade")
    assert code == 0, out + err
    assert "--grant-to LOGIN" in out  # the hint when no login is named
    code, out, err = run_consult(
        monkeypatch, capsys, "--database-url", owner, "db", "upgrade", "--grant-to", app_role()
    )
    assert code == 0, out + err
    assert "already up to date" in out
    assert "audit_entry: SELECT, INSERT\n" in out
    assert "consent_record: SELECT, INSERT, UPDATE (state)" in out
    code, out, err = run_consult(monkeypatch, capsys, "--database-url", login, "verify")
    assert code == 0 and "Warning" not in out, out + err
    for role, message in (
        ("consult_test", "owner"),
        ("nobody_at_all", "there is no role"),
        ("x; DROP TABLE audit_entry", "not a role name"),
    ):
        code, out, err = run_consult(
            monkeypatch, capsys, "--database-url", owner, "db", "upgrade", "--grant-to", role
        )
        assert code == 2 and message in err, out + err
    code, out, err = run_consult(monkeypatch, capsys, "db", "upgrade", "--grant-to", app_role())
    assert code == 2 and "PostgreSQL server only" in err
