"""Fixtures shared by the whole suite.

Every test gets its own home (no real profile is touched), Qt runs offscreen, and the
storage fixtures run each test on SQLite and on the PostgreSQL server named by
``CONSULT_TEST_PG_URL`` (each test in a fresh schema). Under CI a PostgreSQL test that
cannot connect fails; elsewhere it is skipped.

A database at the current schema is a copy of one migrated once per test process
(:mod:`tests.schema_support`), a password is hashed once per process
(:mod:`tests.password_support`); schemas and databases left on the server are dropped in
the background (:mod:`tests.server_support`). The files whose tests take minutes start
first (:func:`pytest_collection_modifyitems`). docs/testing.md says why.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_SCALE_FACTOR", "1")

import pytest

from consult import paths
from consult.store import passwords
from consult.store.database import Database, open_database
from consult.store.services.context import ServiceContext
from tests.password_support import RememberingHasher
from tests.schema_support import MigratedPostgres, MigratedSqlite, fresh_schema_url
from tests.server_support import finish_drops, postgres_url

# The files that take minutes, mostly waiting on other processes (the packaging smoke
# test builds and runs the bundle; the crash test starts and kills a signer again and
# again). Run in parallel (pytest-xdist, a file per worker at a time), the suite takes
# as long as its longest file if that one starts last: these start first, each on its
# own worker, and every other file follows in the order collected.
START_FIRST = ("tests/test_packaging.py", "tests/test_signing_crash.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the tests of :data:`START_FIRST` first, in that order (a stable sort)."""

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return START_FIRST.index(path) if path in START_FIRST else len(START_FIRST)

    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def _server_drops_finished() -> Iterator[None]:
    """At the end of the session, wait for the schemas and databases being dropped."""
    yield
    failures = finish_drops()
    assert not failures, f"could not clean up the test server: {failures}"


@pytest.fixture(scope="session", autouse=True)
def _passwords_hashed_once() -> Iterator[None]:
    """The app's password hasher, each hash and check worked out once per test process
    (:mod:`tests.password_support`: argon2id costs 30 ms a time, a thousand times a run)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "HASHER", RememberingHasher(passwords.HASHER))
        yield


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
    yield from fresh_schema_url(postgres_url())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request: pytest.FixtureRequest, home: paths.Dirs) -> str | None:
    """None for the embedded database of the test's home, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> MigratedSqlite:
    """An embedded database migrated once for this test process, to copy."""
    return MigratedSqlite(tmp_path_factory.mktemp("migrated-sqlite"))


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory: pytest.TempPathFactory) -> MigratedPostgres:
    """The migrations' statements, recorded once for this test process, to replay."""
    return MigratedPostgres(postgres_url(), tmp_path_factory.mktemp("migrated-postgres"))


def _close(database: Database) -> None:
    """Close a test's database once the background work its widgets started has ended
    (a page's query still waiting for a connection when the connections are released
    would wait out the pool's timeout, and hold up whatever waits for it)."""
    from consult.ui.widgets.tasks import wait_for_jobs

    if not wait_for_jobs(60_000):
        warnings.warn("background work was still running when the test ended", stacklevel=2)
    database.close()


@pytest.fixture
def empty_db(home: paths.Dirs, backend_url: str | None) -> Iterator[Database]:
    """An open database with no tables, on each backend."""
    db = open_database(home, backend_url)
    try:
        yield db
    finally:
        _close(db)


@pytest.fixture
def db(
    request: pytest.FixtureRequest, home: paths.Dirs, backend_url: str | None
) -> Iterator[Database]:
    """An open database at the current schema, on each backend."""
    if backend_url is None:
        request.getfixturevalue("migrated_sqlite").copy_to(home)
    else:
        request.getfixturevalue("migrated_postgres").replay(backend_url)
    database = open_database(home, backend_url)
    try:
        yield database
    finally:
        _close(database)


@pytest.fixture
def sqlite_db(home: paths.Dirs, migrated_sqlite: MigratedSqlite) -> Iterator[Database]:
    """The embedded database only, at the current schema."""
    migrated_sqlite.copy_to(home)
    database = open_database(home)
    try:
        yield database
    finally:
        _close(database)


@pytest.fixture
def ctx(db: Database) -> ServiceContext:
    """A service context with nobody signed in."""
    return ServiceContext(db, workstation="test-workstation")
