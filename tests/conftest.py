"""Fixtures shared by the whole suite.

Every test gets its own home (no real profile is touched), Qt runs offscreen, and the
storage fixtures run each test on SQLite and on the PostgreSQL server named by
``CONSULT_TEST_PG_URL`` (each test in a fresh schema). Under CI a PostgreSQL test that
cannot connect fails; elsewhere it is skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consult import paths
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.services.context import ServiceContext

PG_ENV = "CONSULT_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://consult_test:consult_test@localhost:5432/consult_test"


def in_ci() -> bool:
    """True when running in CI, where nothing may be skipped for want of a server."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_url() -> str:
    """The test server's URL; skips (or fails, in CI) if it cannot be reached."""
    url = os.environ.get(PG_ENV) or DEFAULT_PG_URL
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        message = f"PostgreSQL test server not reachable at {make_url(url)!r}: {exc}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> paths.Dirs:
    """A fresh home for every test, also named by CONSULT_HOME for subprocesses."""
    root = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(root))
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    return paths.for_home(root).ensure()


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty PostgreSQL schema (dropped afterwards)."""
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest, home: paths.Dirs) -> str | None:
    """None for the embedded database of the test's home, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def empty_db(home: paths.Dirs, backend_url: str | None) -> Iterator[Database]:
    """An open database with no tables, on each backend."""
    db = open_database(home, backend_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """An open database at the current schema, on each backend."""
    migrate.upgrade(empty_db)
    return empty_db


@pytest.fixture
def sqlite_db(home: paths.Dirs) -> Iterator[Database]:
    """The embedded database only, at the current schema."""
    database = open_database(home)
    migrate.upgrade(database)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def ctx(db: Database) -> ServiceContext:
    """A service context with nobody signed in."""
    return ServiceContext(db, workstation="test-workstation")
