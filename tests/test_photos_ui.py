"""The photo timeline on the patient's page (issue 20): import through the file dialog
(stripped, grouped by day and area), the comparison and its opacity slider, withdrawal
hiding every photo, the manager's photos past retention, and pictures to look at.

The pictures go to ``$CONSULT_SCREENSHOTS`` when it is set (else the test's own temporary
directory): photos-<what>-<width>x<height>-<palette>.png.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.domain.photos import PhotoArea, PhotoKind
from consult.store.database import Database
from consult.store.models import AuditEntry, Photo
from consult.store.photo_images import prepare_photo
from consult.store.services import clinic, photos
from consult.store.services.context import ServiceContext
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.patients.patient_page import PatientPage
from consult.ui.photos.comparison import ComparisonDialog
from consult.ui.photos.retention import RetentionDialog
from consult.ui.photos.timeline import PhotoTimeline, groups
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import wait_for_writes
from tests import photo_support, security_support
from tests.screen_support import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["palette"]  # the fixture


@pytest.fixture
def clinic_ctxs(sqlite_db: Database) -> dict[str, ServiceContext]:
    return security_support.contexts(ServiceContext(sqlite_db))


def _page(qtbot: Any, db: Database, home: Any, ctx: ServiceContext) -> PatientPage:
    session = AppSession(db, home)
    assert ctx.user is not None
    session.set_user(ctx.user)
    page = PatientPage(session)
    qtbot.addWidget(page)
    return page


def _show(qtbot: Any, page: PatientPage, patient: Any) -> None:
    with qtbot.waitSignal(page.photos.loaded, timeout=30000):
        page.set_patient(patient)


def _files(tmp_path: Path) -> list[Path]:
    """Three photo files as a camera folder holds them, and one that is not a photo."""
    paths = []
    for n, colour in enumerate(((200, 120, 100), (190, 130, 110), (180, 140, 120))):
        path = tmp_path / f"IMG_{n:04d}.JPG"
        path.write_bytes(photo_support.jpeg_with_gps((320, 240), colour))
        paths.append(path)
    note = tmp_path / "notes.txt"
    note.write_text("not a photo", encoding="utf-8")
    return [*paths, note]


def test_import_from_the_file_dialog_strips_and_groups(
    qtbot, sqlite_db, home, clinic_ctxs, tmp_path, monkeypatch
) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["practitioner"])
    _show(qtbot, page, patient)
    timeline = page.photos
    assert timeline.isVisibleTo(page)
    assert timeline.consultation.currentData() == info.id
    assert timeline.import_button.isEnabled()
    chosen = _files(tmp_path)
    monkeypatch.setattr(PhotoTimeline, "choose_files", lambda self: chosen)
    progress: list[int] = []
    timeline.progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(timeline.imported, timeout=30000) as done:
        timeline.import_button.click()
        dialog = timeline.import_dialog  # what the files show, asked once they are chosen
        assert dialog is not None and dialog.isVisible()
        dialog.area.setCurrentIndex(dialog.area.findData(PhotoArea.CHEEKS.value))
        dialog.kind.setCurrentIndex(dialog.kind.findData(PhotoKind.BEFORE.value))
        dialog.import_button.click()
        assert timeline.progress.isVisibleTo(page)  # four files: progress is shown
        assert timeline.progress.maximum() == 4
    stored, problems = done.args
    assert stored == 3
    assert len(problems) == 1 and "notes.txt" in problems[0] and "not a picture" in problems[0]
    assert "notes.txt" in timeline.error.text()
    qtbot.waitUntil(lambda: len(timeline.thumbnail_buttons) == 3, timeout=30000)
    assert progress[-1] == 4
    assert not timeline.progress.isVisibleTo(page)
    with sqlite_db.session() as session:
        rows = session.query(Photo).all()
        assert len(rows) == 3
        for row in rows:
            assert row.area == "cheeks" and row.kind == "before"
            assert b"Exif" not in bytes(row.data or b"")
    [(caption, members)] = groups(timeline.shown.photos if timeline.shown else ())
    assert caption.endswith("· Cheeks") and len(members) == 3
    button = timeline.thumbnail_buttons[0]
    assert button.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert button.accessibleName().startswith("Cheeks, Before, ")
    assert timeline.status.text() == "3 photo(s)"


def test_import_is_refused_without_photograph_consent(qtbot, sqlite_db, home, clinic_ctxs) -> None:
    patient, _info, _consent = photo_support.consented(clinic_ctxs, photographs=False)
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["practitioner"])
    _show(qtbot, page, patient)
    timeline = page.photos
    assert timeline.consultation.count() == 0
    assert not timeline.import_button.isEnabled()
    assert "not consented to photographs" in timeline.status.text()


def test_reception_sees_no_photos(qtbot, sqlite_db, home, clinic_ctxs) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    _add(clinic_ctxs, info.id)
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["reception"])
    page.set_patient(patient)
    assert not page.photos.isVisibleTo(page)
    assert page.photos.thumbnail_buttons == []


def _add(
    clinic_ctxs: dict[str, ServiceContext],
    consultation_id: int,
    colour: tuple[int, int, int] = (200, 120, 100),
    *,
    taken: str = photo_support.TAKEN,
    kind: PhotoKind = PhotoKind.BEFORE,
    area: PhotoArea = PhotoArea.LIPS,
) -> photos.PhotoInfo:
    data = photo_support.jpeg_with_gps((480, 360), colour, taken=taken)
    return photos.add_photo(
        clinic_ctxs["practitioner"], consultation_id, prepare_photo(data), area=area, kind=kind
    )


def test_the_comparison_slider_lays_the_later_photo_over_the_earlier(
    qtbot, sqlite_db, home, clinic_ctxs, monkeypatch
) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    before = _add(clinic_ctxs, info.id, (200, 60, 60), taken="2026:10:01 09:00:00")
    after = _add(
        clinic_ctxs, info.id, (60, 60, 200), taken="2026:11:20 09:00:00", kind=PhotoKind.AFTER
    )
    _add(clinic_ctxs, info.id, (60, 200, 60), area=PhotoArea.CHIN)
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["practitioner"])
    _show(qtbot, page, patient)
    timeline = page.photos
    assert len(timeline.thumbnail_buttons) == 3
    first_lips = next(b for b in timeline.thumbnail_buttons if b.property("photo_id") == before.id)
    first_lips.setFocus()
    qtbot.keyClick(first_lips, Qt.Key.Key_Space)  # keyboard: Space on a thumbnail
    dialog = timeline.comparison
    assert isinstance(dialog, ComparisonDialog) and dialog.isVisible()
    dialog.resize(900, 600)
    assert dialog.area.currentData() == PhotoArea.LIPS
    assert dialog.area.count() == 2  # lips and chin
    assert dialog.chosen() == (before.id, after.id)
    qtbot.waitUntil(dialog.is_ready, timeout=30000)
    dialog.views.setCurrentIndex(1)
    canvas = dialog.overlay
    qtbot.waitExposed(canvas)

    def centre_colour() -> tuple[int, int, int]:
        picture = canvas.grab().toImage()
        colour = picture.pixelColor(picture.width() // 2, picture.height() // 2)
        return colour.red(), colour.green(), colour.blue()

    dialog.opacity.setFocus()
    dialog.opacity.setValue(0)
    red, _g, blue = centre_colour()
    assert red > 150 and blue < 110  # only the earlier (red) photo
    qtbot.keyClick(dialog.opacity, Qt.Key.Key_End)  # keyboard: the later one in full
    assert dialog.opacity.value() == 100
    assert dialog.opacity_value.text() == "100 %"
    red, _g, blue = centre_colour()
    assert blue > 150 and red < 110
    dialog.opacity.setValue(50)
    red, _g, blue = centre_colour()
    assert 90 < red < 170 and 90 < blue < 170  # half and half
    assert canvas.opacity == pytest.approx(0.5)
    with sqlite_db.session() as session:
        viewed = session.query(AuditEntry).filter(AuditEntry.event == "photo.viewed").count()
    assert viewed == 2  # each full photo read once, logged


def test_withdrawal_hides_every_photo_from_the_timeline(
    qtbot, sqlite_db, home, clinic_ctxs, monkeypatch
) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    _add(clinic_ctxs, info.id)
    _add(clinic_ctxs, info.id, kind=PhotoKind.AFTER)
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["practitioner"])
    _show(qtbot, page, patient)
    timeline = page.photos
    assert len(timeline.thumbnail_buttons) == 2
    assert timeline.withdraw_button.isEnabled()
    monkeypatch.setattr(
        ReasonDialog, "ask", classmethod(lambda cls, *a: "The patient asked on the phone")
    )
    with qtbot.waitSignal(timeline.loaded, timeout=30000):
        timeline.withdraw_button.click()
    assert timeline.thumbnail_buttons == []
    assert timeline.shown is not None and timeline.shown.photos == ()
    assert "withdrawn" in timeline.consultation.currentText()
    assert not timeline.withdraw_button.isEnabled()
    assert not timeline.import_button.isEnabled()
    assert not timeline.compare_button.isEnabled()
    # A manager's view of the same patient shows none either.
    boss_page = _page(qtbot, sqlite_db, home, clinic_ctxs["manager"])
    _show(qtbot, boss_page, patient)
    assert boss_page.photos.thumbnail_buttons == []


def test_a_manager_deletes_a_photo_past_retention(
    qtbot, sqlite_db, home, clinic_ctxs, monkeypatch
) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    added = _add(clinic_ctxs, info.id)
    photos.withdraw_consent(clinic_ctxs["practitioner"], info.id, "The patient wrote to us")
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["manager"])
    _show(qtbot, page, patient)
    assert page.photos.retention_button.isVisibleTo(page)
    dialog = RetentionDialog(page.session)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.text() == "0 photo(s) past retention", timeout=30000)
    assert dialog.days.value() == clinic.PHOTO_RETENTION_DEFAULT_DAYS
    dialog.days.setValue(0)
    with qtbot.waitSignal(dialog.loaded, timeout=30000):
        dialog.save_button.click()
    assert dialog.model.rowCount() == 1
    assert dialog.model.item(0).id == added.id
    assert dialog.delete_button.isEnabled()
    monkeypatch.setattr(RetentionDialog, "confirm_delete", lambda self, photo: True)
    with qtbot.waitSignal(dialog.deleted, timeout=30000):
        dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=30000)
    wait_for_writes()
    with sqlite_db.session() as session:
        row = session.get(Photo, added.id)
        assert row is not None and row.data is None and row.sha256 == added.sha256


# --- pictures to look at ----------------------------------------------------------------

SIZES = ((1366, 768), (1024, 700))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_pictures_of_the_timeline_and_the_comparison(
    qtbot, sqlite_db, home, clinic_ctxs, tmp_path, monkeypatch, palette, width, height
) -> None:
    patient, info, _consent = photo_support.consented(clinic_ctxs)
    start = dt.date(2026, 9, 1)
    for n, (area, kind) in enumerate(
        (
            (PhotoArea.LIPS, PhotoKind.BEFORE),
            (PhotoArea.LIPS, PhotoKind.AFTER),
            (PhotoArea.NASOLABIAL, PhotoKind.BEFORE),
            (PhotoArea.LIPS, PhotoKind.PROGRESS),
            (PhotoArea.NASOLABIAL, PhotoKind.AFTER),
        )
    ):
        day = start + dt.timedelta(days=14 * (n // 2))
        _add(
            clinic_ctxs,
            info.id,
            (200 - 25 * n, 130 + 10 * n, 110 + 15 * n),
            taken=day.strftime("%Y:%m:%d 10:00:00"),
            kind=kind,
            area=area,
        )
    page = _page(qtbot, sqlite_db, home, clinic_ctxs["practitioner"])
    page.resize(width, height - 60)  # the tab's share of the window
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=30000):
        _show(qtbot, page, patient)
    qtbot.wait(100)  # the layout settles (the combo's new width)
    timeline = page.photos
    assert len(timeline.thumbnail_buttons) == 5
    for button in timeline.thumbnail_buttons:
        assert button.width() >= 96 and button.height() >= 96
    out = out_dir(tmp_path)
    page.grab().save(str(out / f"photos-timeline-{width}x{height}-{palette}.png"))
    timeline.thumbnail_buttons[-1].click()
    dialog = timeline.comparison
    assert isinstance(dialog, ComparisonDialog)
    dialog.resize(min(1100, width - 40), min(720, height - 60))
    qtbot.waitUntil(dialog.is_ready, timeout=30000)
    dialog.grab().save(str(out / f"photos-compare-{width}x{height}-{palette}.png"))
    dialog.views.setCurrentIndex(1)
    dialog.opacity.setValue(40)
    dialog.grab().save(str(out / f"photos-overlay-{width}x{height}-{palette}.png"))
