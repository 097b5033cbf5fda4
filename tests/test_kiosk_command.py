"""``consult kiosk`` on the command line (issue 19): its help, its refusal on an embedded
database (exit 2, saying why and what to use instead), and a station registered by a
manager on the clinic's PostgreSQL server, its secret kept for this account only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from consult import paths
from consult.commands import kiosk as kiosk_command
from consult.store.database import Database
from consult.store.services import kiosk
from consult.store.services.context import ServiceContext
from tests import factories

ON_SERVER = pytest.mark.parametrize(
    "backend_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def consult(*args: str, stdin: str = "", env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        check=False,
    )


def test_kiosk_help_documents_the_station() -> None:
    done = consult("kiosk", "--help")
    assert done.returncode == 0, done.stderr
    for words in ("locked-down tablet station", "--register NAME", "PostgreSQL", "exit 2"):
        assert words in " ".join(done.stdout.split()), words
    listing = " ".join(consult("--help").stdout.split())
    assert "kiosk" in listing and "patients answer their intake" in listing


@pytest.mark.parametrize("argv", [["kiosk"], ["kiosk", "--register", "Tablet A", "--as", "boss"]])
def test_kiosk_refuses_an_embedded_database(home: paths.Dirs, argv: list[str]) -> None:
    done = consult(*argv)
    assert done.returncode == 2
    assert "a kiosk station needs the clinic's PostgreSQL server" in done.stderr
    assert "second screen" in done.stderr
    assert not (home.config / kiosk_command.CREDENTIAL_FILE).exists()


@ON_SERVER
def test_a_manager_registers_the_station_here(
    db: Database, ctx: ServiceContext, home: paths.Dirs, backend_url: str
) -> None:
    factories.staff(ctx)
    env = {"CONSULT_DATABASE_URL": backend_url}
    unregistered = consult("kiosk", env=env)
    assert unregistered.returncode == 2
    assert "not a kiosk station yet" in unregistered.stderr
    refused = consult(
        "kiosk", "--register", "Tablet A", "--as", "doc", stdin=factories.PASSWORD, env=env
    )
    assert refused.returncode != 0 and "manager" in refused.stderr
    done = consult(
        "kiosk", "--register", "Tablet A", "--as", "boss", stdin=factories.PASSWORD + "\n", env=env
    )
    assert done.returncode == 0, done.stderr
    path = home.config / kiosk_command.CREDENTIAL_FILE
    assert str(path) in done.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    name, secret = kiosk_command.load_credential(path)
    assert name == "Tablet A" and secret not in done.stdout
    station = kiosk.sign_in_station(ctx, name, secret)
    assert station.kiosk is not None and station.kiosk.name == "Tablet A"
