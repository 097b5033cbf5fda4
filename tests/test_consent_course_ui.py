"""The consent step's course of treatments (issue 21): offered where the template allows
a course, its numbers starting at the template's maximum, sealed into the record when
ticked, refused by the service beyond the template (the refusal shown under the box),
and absent where the template allows none. Screens at 1366x768 and 1024x700, light and
dark."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services.context import ServiceContext
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.step import ConsentStep
from consult.ui.consent.templates import consent_templates
from tests import factories
from tests.test_consent_step import fill, read_to_end, ready_consultation, seal, show, sign_both
from tests.test_consultation_wizard import make_session
from tests.test_dark_and_focus import dark_palette, fusion  # noqa: F401 - a fixture

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SHOTS = os.environ.get("CONSULT_SCREENSHOTS")
"""A folder to save the screens to (unset: none are saved)."""


@pytest.fixture(autouse=True)
def no_waiting_question(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    manager = people["manager"]
    products = {
        "microneedling": factories.product(ctx, manager, "microneedling", "Dermapen tips"),
        "ha_filler": factories.product(ctx, manager, "ha_filler", "Volbella"),
    }
    return {"ctx": ctx, "people": people, "products": products}


def _step(qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any], treatment: str):
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_consultation(session, clinic, (treatment,))
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    show(qtbot, dialog)
    step = dialog.step
    assert isinstance(step, ConsentStep)
    return dialog, session, step


def _sealed_record(session, consent_id: int) -> dict[str, Any]:
    with session.ctx.unit_of_work() as db:
        row = db.get(ConsentRecord, consent_id)
        assert row is not None
        return dict(json.loads(row.document_json))


def test_a_course_is_offered_at_the_templates_maximum_and_sealed(
    qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    _dialog, session, step = _step(qtbot, sqlite_db, home, clinic, "microneedling")
    limit = consent_templates()["microneedling"].course
    assert limit is not None and step.course is not None
    box = step.course
    assert box.isVisibleTo(step) and not box.planned.isChecked()
    assert (box.sessions.value(), box.weeks.value()) == (limit.max_sessions, limit.max_weeks)
    assert not box.sessions.isEnabled()
    assert box.sessions.maximum() == limit.max_sessions
    qtbot.mouseClick(box.planned, Qt.MouseButton.LeftButton)
    assert box.sessions.isEnabled() and box.weeks.isEnabled()
    box.sessions.setValue(4)
    box.weeks.setValue(12)
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    info = seal(qtbot, step)
    assert _sealed_record(session, info.id)["course"] == {"sessions": 4, "weeks": 12}


def test_a_single_treatment_seals_no_course(
    qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    _dialog, session, step = _step(qtbot, sqlite_db, home, clinic, "microneedling")
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    info = seal(qtbot, step)
    assert "course" not in _sealed_record(session, info.id)


def test_the_services_refusal_is_shown_under_the_box(
    qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any], monkeypatch
) -> None:
    _dialog, _session, step = _step(qtbot, sqlite_db, home, clinic, "microneedling")
    assert step.course is not None
    step.course.planned.setChecked(True)
    # A plan the service refuses (as it would one the template no longer allows).
    monkeypatch.setattr(step.course, "plan", lambda: {"sessions": 99, "weeks": 12})
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    step.sign_button.click()
    qtbot.waitUntil(lambda: not step.busy and step.course.error.isVisible(), timeout=20_000)
    assert "sessions" in step.course.error.text()
    assert step.info is None


def test_no_course_where_the_template_allows_none(
    qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    assert consent_templates()["ha_filler"].course is None
    _dialog, _session, step = _step(qtbot, sqlite_db, home, clinic, "ha_filler")
    assert step.course is None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_course_box_on_screen(
    qtbot, request, sqlite_db: Database, home: Any, clinic: dict[str, Any], scheme: str
) -> None:
    app = request.getfixturevalue("fusion")
    if scheme == "dark":
        app.setPalette(dark_palette())
    dialog, _session, step = _step(qtbot, sqlite_db, home, clinic, "microneedling")
    assert step.course is not None
    step.course.planned.setChecked(True)
    for size in ((1024, 700), (1366, 768)):
        dialog.resize(*size)
        qtbot.wait(50)
        step.side.ensureWidgetVisible(step.course)
        qtbot.wait(20)
        # Every part of the box fits the side panel's width: nothing is cut off.
        assert step.course.weeks.geometry().right() <= step.course.width()
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            dialog.grab().save(str(Path(SHOTS) / f"course-{size[0]}-{scheme}.png"))
