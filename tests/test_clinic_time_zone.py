"""The clinic's time zone (issue 18): a setting (``time_zone``, an IANA name) a manager
chooses in the app (Users tab) or with ``consult clinic set time_zone ZONE|auto``,
validated by the clinic service; empty, the workstation's zone. Dates and times as the
form's language writes them (domain/local_dates.py)."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult import paths
from consult.domain import clinic_zone
from consult.domain.local_dates import format_date, format_date_text, format_moment, zone_name
from consult.store.database import Database, open_database
from consult.store.dto import UserInfo
from consult.store.errors import ValidationError
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services.context import ServiceContext
from consult.ui.manager.users_page import UsersPage
from consult.ui.shell.session import AppSession
from tests import factories, security_support

MOMENT = datetime(2026, 11, 30, 15, 5, tzinfo=UTC)


def test_dates_and_times_the_languages_way() -> None:
    assert format_date(date(2026, 12, 1), "ja") == "2026年12月1日"
    assert format_date(date(2026, 12, 1), "en") == "2026-12-01"
    assert format_date(date(2026, 12, 1), "el") == "2026-12-01"  # no format of its own
    assert format_date_text("1990-04-02", "ja") == "1990年4月2日"
    assert format_date_text("1990-04-02", "en") == "1990-04-02"
    assert format_date_text("2027-08", "ja") == "2027-08"  # not a date: as given
    # The next day in Tokyo, named; the same moment in London.
    assert format_moment(MOMENT, ZoneInfo("Asia/Tokyo"), "ja") == "2026年12月1日 00:05 JST"
    assert format_moment(MOMENT, ZoneInfo("Europe/London"), "en") == "2026-11-30 15:05 GMT"
    india = timezone(timedelta(hours=5, minutes=30))
    assert zone_name(MOMENT.astimezone(india)) == "UTC+05:30"


def test_the_setting_names_an_iana_zone_or_none() -> None:
    assert clinic_zone.check_time_zone_setting(" Asia/Tokyo ") == "Asia/Tokyo"
    assert clinic_zone.check_time_zone_setting(None) == ""
    assert clinic_zone.check_time_zone_setting("") == ""
    for bad in ("Mars/Olympus_Mons", "../etc/passwd", 9):
        with pytest.raises(ValueError):
            clinic_zone.check_time_zone_setting(bad)
    assert clinic_zone.clinic_zone("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
    assert clinic_zone.clinic_zone("") is None  # the workstation's
    assert clinic_zone.clinic_zone("Mars/Olympus_Mons") is None  # written by hand: ignored


@pytest.fixture
def staff(sqlite_db: Database) -> dict[str, UserInfo]:
    return factories.staff(ServiceContext(sqlite_db))


def test_the_service_checks_and_logs_the_zone(sqlite_db: Database, staff) -> None:
    ctx = ServiceContext(sqlite_db).signed_in(staff["manager"])
    clinic = clinic_service.get_clinic(ctx)
    assert clinic is not None
    with pytest.raises(ValidationError) as refused:
        clinic_service.update_settings(ctx, clinic.version, {"time_zone": "Tokyo"})
    assert "not a time zone" in refused.value.message
    clinic_service.update_settings(ctx, clinic.version, {"time_zone": "Asia/Tokyo"})
    assert clinic_service.settings(ctx)["time_zone"] == "Asia/Tokyo"
    with sqlite_db.session() as session:
        logged = session.execute(
            select(AuditEntry).where(AuditEntry.event == "settings.changed")
        ).scalar_one()
        assert logged.details["after"] == {"time_zone": "Asia/Tokyo"}


def _form_text(db: Database, staff: dict[str, UserInfo], family: str) -> str:
    """The text of a form sealed now through the consent service, for a new patient."""
    ctx = ServiceContext(db, workstation="test-workstation")
    clinic = {role: ctx.signed_in(user) for role, user in staff.items()}
    _, _, consent = security_support.signed_consent(clinic, family=family)
    with db.session() as session:
        row = session.get(ConsentRecord, consent.id)
        assert row is not None
        pdf = bytes(row.pdf)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_next_form_prints_its_times_in_the_clinics_zone(sqlite_db: Database, staff) -> None:
    ctx = ServiceContext(sqlite_db).signed_in(staff["manager"])
    clinic = clinic_service.get_clinic(ctx)
    assert clinic is not None
    for zone, name in (("Asia/Tokyo", "JST"), ("America/Los_Angeles", "PST")):
        clinic = clinic_service.update_settings(ctx, clinic.version, {"time_zone": zone})
        text = _form_text(sqlite_db, staff, f"Silva {name}")
        assert re.search(rf"signed \d{{4}}-\d\d-\d\d \d\d:\d\d {name}\b", text), text[:400]
        assert " UTC" not in text


def test_a_manager_chooses_the_zone_in_the_app(qtbot, sqlite_db, home, staff) -> None:
    session = AppSession(sqlite_db, home)
    session.set_user(staff["manager"])
    page = UsersPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    box = page.form_time_zone
    assert box.currentIndex() == 0 and box.itemText(0).startswith("This computer's time zone (")
    assert box.setting() == ""
    box.setCurrentIndex(box.findData("Asia/Tokyo"))
    page.save_settings_button.click()
    qtbot.waitUntil(lambda: "Saved" in page.status.text())  # saved off the GUI thread
    assert clinic_service.settings(session.ctx)["time_zone"] == "Asia/Tokyo"
    box.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert box.setting() == "Asia/Tokyo"  # reopened, the page shows the choice


def _consult(*args: str, password: str = factories.PASSWORD) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` in a process of its own (the test's home), the password on stdin."""
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextlib.contextmanager
def _opened(home: paths.Dirs) -> Iterator[Database]:
    db = open_database(home)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def closed_clinic(home: paths.Dirs, migrated_sqlite) -> dict[str, UserInfo]:
    """A clinic in Great Britain in the test home's database, closed again."""
    migrated_sqlite.copy_to(home)
    with _opened(home) as db:
        return factories.staff(ServiceContext(db))


def _zone_setting(home: paths.Dirs) -> object:
    with _opened(home) as db:
        return clinic_service.settings(ServiceContext(db)).get("time_zone")


def test_the_command_line_sets_the_zone(home, closed_clinic) -> None:
    done = _consult("clinic", "set", "time_zone", "Asia/Tokyo", "--as", "boss")
    assert done.returncode == 0, done.stderr
    assert "printed in the clinic's time zone, Asia/Tokyo." in done.stdout
    assert _zone_setting(home) == "Asia/Tokyo"
    shown = _consult("clinic", "show", "--as", "boss")
    assert shown.returncode == 0, shown.stderr
    assert "time_zone = 'Asia/Tokyo'" in shown.stdout

    unknown = _consult("clinic", "set", "time_zone", "Tokyo", "--as", "boss")
    assert unknown.returncode != 0
    assert "'Tokyo' is not a time zone" in unknown.stdout + unknown.stderr
    assert _zone_setting(home) == "Asia/Tokyo"

    done = _consult("clinic", "set", "time_zone", "auto", "--as", "boss")
    assert done.returncode == 0, done.stderr
    assert "the time zone of the computer they are signed on" in done.stdout
    assert _zone_setting(home) == ""

    refused = _consult("clinic", "set", "time_zone", "Asia/Tokyo", "--as", "desk")
    assert refused.returncode != 0
    assert _zone_setting(home) == ""
