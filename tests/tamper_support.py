"""A small signed clinic, built once per test module and copied for each test, on SQLite
and on PostgreSQL, for the tamper, anchor, role and backup tests.

SQLite: the whole home (database, audit key, anchor and checkpoint files) is built once
and copied into each test's home. PostgreSQL: the clinic is built in a template database
(schema by the owner role, data through the services as the workstations' login) and each
test gets ``CREATE DATABASE … TEMPLATE`` of it, with a copy of the home's config.

A module whose tests tamper with the clinic and run ``consult verify`` imports the
fixtures :func:`clinic_build`, :func:`sqlite_template`, :func:`pg_template` and
:func:`clinic` (each of its tests runs on both engines); one that builds more defines its
own ``clinic_build`` instead of importing it. Its tests change the database with
:func:`tamper` and check what verify says with :func:`verify_finds`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from consult import cli, logs, paths
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.models import TreatmentRecord
from consult.store.services import consents
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services.consents import ConsentInfo
from consult.store.services.context import ServiceContext
from tests import security_support
from tests.server_support import drop_database_later, in_ci, postgres_url

APP_ENV = "CONSULT_TEST_PG_APP_URL"
DEFAULT_APP_URL = (
    "postgresql+psycopg://consult_test_app:consult_test_app@localhost:5432/consult_test"
)


@dataclass
class Built:
    """The clinic as built: a signed form, a signed then voided one, and the log's head."""

    consents: list[ConsentInfo]  # [signed, printed and handed over; signed then voided]
    users: dict[str, int]  # user id by role
    other_lot: int  # another lot of the first form's product
    head: int = 0  # the newest entry once the database was closed (a head seen)
    target: int = 0  # an entry in the middle of the log


def build_clinic(db: Database) -> Built:
    """Staff, two patients with a signed form each, one voided, a print and a hand-over."""
    ctx = ServiceContext(db)
    clinic = security_support.contexts(ctx)
    _, _, first = security_support.signed_consent(clinic, given="Zoë", family="Lefèvre")
    patient, _, second = security_support.signed_consent(clinic, given="Ana", family="Silva")
    consents.add_event(clinic["manager"], second.id, "voided", "Signed for the wrong patient")
    consents.pdf(clinic["reception"], first.id, purpose="printed")
    consents.add_event(clinic["reception"], first.id, "handed_over")
    with db.session() as session:
        product_id = session.execute(
            select(TreatmentRecord.product_id).where(TreatmentRecord.consent_id == first.id)
        ).scalar_one()
    assert product_id is not None
    other = product_service.add_lot(
        clinic["manager"],
        product_id,
        lot_number="LOT-OTHER",
        expiry_date=dt.date.today() + dt.timedelta(days=200),
        supplier="Supplier Ltd",
        supplier_accreditation="GMP certificate",
    )
    for _ in range(3):
        patient_service.get(clinic["reception"], patient.id)
    users = {role: c.user.id for role, c in clinic.items() if c.user is not None}
    return Built([first, second], users, other.id)


def _finish(built: Built, engine: Engine) -> Built:
    with engine.connect() as conn:
        built.head = int(conn.execute(text("SELECT max(id) FROM audit_entry")).scalar_one())
    built.target = built.head - 6
    return built


@dataclass
class Clinic:
    """A built clinic: its home, its database URLs (None: embedded) and what was built."""

    home: Path
    built: Built
    url: str | None = None  # the workstations' login (PostgreSQL)
    owner_url: str | None = None  # the tables' owner (PostgreSQL)
    database: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def dirs(self) -> paths.Dirs:
        return paths.for_home(self.home)

    def owner_engine(self) -> Engine:
        """A connection for the attacker: the file itself, or the tables' owner."""
        if self.owner_url is None:
            return create_engine(f"sqlite:///{self.dirs.database_file}")
        return create_engine(self.owner_url)

    def open(self) -> Database:
        return open_database(self.dirs, self.url)


def build_sqlite_home(root: Path, build: Callable[[Database], Built] = build_clinic) -> Clinic:
    dirs = paths.for_home(root).ensure()
    db = open_database(dirs)
    try:
        migrate.upgrade(db)
        built = build(db)
    finally:
        db.close()
    engine = create_engine(f"sqlite:///{dirs.database_file}")
    try:
        _finish(built, engine)
    finally:
        engine.dispose()
    return Clinic(root, built)


def copy_home(source: Path, target: Path) -> None:
    """Copy a built home over a test's (fresh) home."""
    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.lock"))


# --- PostgreSQL -----------------------------------------------------------------------------


def app_url(database: str | None = None) -> str:
    """The workstations' login (owns nothing); skips (fails in CI) if it cannot connect."""
    postgres_url()  # the server itself: skip or fail first
    url = make_url(os.environ.get(APP_ENV) or DEFAULT_APP_URL)
    if database is not None:
        url = url.set(database=database)
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        message = f"the workstations' test login cannot connect ({exc}); see .ci/run"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url.render_as_string(hide_password=False)


def app_role() -> str:
    return str(make_url(os.environ.get(APP_ENV) or DEFAULT_APP_URL).username)


def owner_url(database: str) -> str:
    return make_url(postgres_url()).set(database=database).render_as_string(hide_password=False)


def _server() -> Engine:
    return create_engine(postgres_url(), isolation_level="AUTOCOMMIT")


def create_database(name: str, template: str | None = None) -> None:
    engine = _server()
    try:
        with engine.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    finally:
        engine.dispose()


def drop_database(name: str) -> None:
    """Drop a database no test uses any more, in the background (a drop makes the server
    take a checkpoint: a second or more, which the next test need not wait for)."""
    drop_database_later(name)


def build_pg_template(
    root: Path, build: Callable[[Database], Built] = build_clinic
) -> Iterator[Clinic]:
    """Build the clinic in a template database; dropped when the generator ends."""
    app_url()  # skip early without the workstations' login
    name = f"consult_tpl_{uuid.uuid4().hex[:10]}"
    create_database(name)
    try:
        dirs = paths.for_home(root).ensure()
        db = open_database(dirs, owner_url(name))
        try:
            migrate.upgrade(db)
            migrate.grant_to(db, app_role())
        finally:
            db.close()
        db = open_database(dirs, app_url(name))
        try:
            built = build(db)
        finally:
            db.close()
        engine = create_engine(owner_url(name))
        try:
            _finish(built, engine)
        finally:
            engine.dispose()
        yield Clinic(root, built, app_url(name), owner_url(name), name)
    finally:
        drop_database(name)


def clone_pg(template: Clinic, home: Path) -> Iterator[Clinic]:
    """A database copied from the template, with a copy of the template home's config."""
    assert template.database is not None
    name = f"consult_k_{uuid.uuid4().hex[:10]}"
    create_database(name, template.database)
    try:
        copy_home(template.home, home)
        yield Clinic(home, template.built, app_url(name), owner_url(name), name)
    finally:
        drop_database(name)


# --- the command line, in this process --------------------------------------------------------


def run_consult(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """``consult ARGS`` in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(logs, "configure", lambda *_a, **_k: None)
    capsys.readouterr()
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def verify_args(clinic: Clinic, *extra: str) -> list[str]:
    """The arguments of ``consult verify`` for a clinic (its server URL if any)."""
    url = ["--database-url", clinic.url] if clinic.url else []
    return [*url, "verify", *extra]


# --- the fixtures of a module whose tests tamper, on both engines ------------------------------

Tampering = Callable[[Connection, Built], list[str]]
"""A change made as the attacker: what ``consult verify`` must then say, in fragments."""


@pytest.fixture(scope="module")
def clinic_build() -> Callable[[Database], Built]:
    """What the module's clinic is built with: a module that needs more overrides it."""
    return build_clinic


@pytest.fixture(scope="module")
def sqlite_template(
    tmp_path_factory: pytest.TempPathFactory, clinic_build: Callable[[Database], Built]
) -> Clinic:
    return build_sqlite_home(tmp_path_factory.mktemp("sqlite-clinic") / "home", clinic_build)


@pytest.fixture(scope="module")
def pg_template(
    tmp_path_factory: pytest.TempPathFactory, clinic_build: Callable[[Database], Built]
) -> Iterator[Clinic]:
    yield from build_pg_template(tmp_path_factory.mktemp("pg-clinic") / "home", clinic_build)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def clinic(request: pytest.FixtureRequest, home: paths.Dirs) -> Iterator[Clinic]:
    """A copy of the built clinic in this test's home (and its own database)."""
    assert home.home is not None
    if request.param == "sqlite":
        template: Clinic = request.getfixturevalue("sqlite_template")
        copy_home(template.home, home.home)
        yield Clinic(home.home, template.built)
    else:
        yield from clone_pg(request.getfixturevalue("pg_template"), home.home)


def tamper(clinic: Clinic, change: Tampering, *, audit_log: bool = False) -> list[str]:
    """Make ``change`` as the attacker (the file itself, or the tables' owner), in one
    transaction; what verify must then say. ``audit_log``: the change touches the audit
    log, so on PostgreSQL the owner switches its append-only trigger off around it."""
    engine = clinic.owner_engine()
    try:
        with engine.begin() as conn:
            server = audit_log and conn.dialect.name == "postgresql"
            if server:
                conn.execute(
                    text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
                )
            expected = change(conn, clinic.built)
            if server:
                conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only"))
    finally:
        engine.dispose()
    return expected


def verify_finds(
    clinic: Clinic,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    expected: list[str],
) -> str:
    """Run ``consult verify`` on the tampered clinic: it must exit 1, not say that
    everything holds, and say each of ``expected``. Its output, for more checks."""
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 1, out + err
    assert "Everything holds" not in out
    for fragment in expected:
        assert fragment in out, (fragment, out)
    return out
