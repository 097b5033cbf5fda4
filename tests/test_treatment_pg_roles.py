"""On PostgreSQL the workstations' login may replace a draft chart's points and add
addenda, but never change or delete an addendum (docs/treatment-record.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from consult import paths
from tests.tamper_support import Clinic, build_pg_template, clone_pg

pytestmark = pytest.mark.postgres

REFUSED = r"permission denied"
ATTEMPTS = {
    "change an addendum": "UPDATE treatment_addendum SET text = 'nothing happened'",
    "delete an addendum": "DELETE FROM treatment_addendum",
}
ALLOWED = {
    "replace a draft's points": "DELETE FROM injection_point WHERE chart_id = -1",
    "read the charts": "SELECT count(*) FROM treatment_chart",
    "read the addenda": "SELECT count(*) FROM treatment_addendum",
}


@pytest.fixture(scope="module")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    yield from build_pg_template(tmp_path_factory.mktemp("pg-treatment") / "home")


@pytest.fixture
def clinic(pg_template: Clinic, home: paths.Dirs) -> Iterator[Clinic]:
    assert home.home is not None
    yield from clone_pg(pg_template, home.home)


def test_the_workstations_login_adds_addenda_and_never_changes_them(clinic: Clinic) -> None:
    assert clinic.url is not None
    engine = create_engine(clinic.url)
    try:
        for attempt, statement in ATTEMPTS.items():
            with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
                conn.execute(text(statement))
                pytest.fail(f"{attempt}: allowed")
        for what, statement in ALLOWED.items():
            try:
                with engine.begin() as conn:
                    conn.execute(text(statement))
            except DBAPIError as exc:
                pytest.fail(f"{what}: refused ({exc})")
    finally:
        engine.dispose()
