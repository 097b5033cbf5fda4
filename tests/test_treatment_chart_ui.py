"""The Treatment step: chart points on the face with the mouse, sign off, reopen
read-only, add an addendum; the lot changed with its reason; screenshots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from consult import paths
from consult.store.database import Database
from consult.store.services import treatment_records
from consult.store.services.context import ServiceContext
from consult.ui.shell.session import AppSession
from consult.ui.treatment.chart_panel import ChartPanel
from consult.ui.treatment.dialog import TreatmentDialog
from consult.ui.widgets.tasks import wait_for_writes
from tests.screen_support import out_dir, palette
from tests.treatment_support import Treated, point, treated

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture


def _session(db: Database, home: paths.Dirs, t: Treated, role: str = "practitioner") -> AppSession:
    session = AppSession(db, home)
    user = t.clinic[role].user
    assert user is not None
    session.set_user(user)
    return session


def _open(qtbot, session: AppSession, t: Treated, *, start: bool) -> TreatmentDialog:
    dialog = TreatmentDialog(session, t.consultation.id, t.patient, start=start)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    return dialog


def _click(qtbot, panel: ChartPanel, view: str, x: float, y: float) -> None:
    where = panel.face.view_position(view, x, y).toPoint()
    qtbot.mouseClick(panel.face.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where))


def _saved(qtbot, panel: ChartPanel) -> None:
    panel.save_now()
    wait_for_writes()
    qtbot.waitUntil(lambda: panel.writing == 0)


def test_chart_three_points_sign_off_reopen_read_only_and_add_an_addendum(
    qtbot, db: Database, home: paths.Dirs, ctx: ServiceContext, monkeypatch
) -> None:
    t = treated(ctx)
    session = _session(db, home, t)
    dialog = _open(qtbot, session, t, start=True)
    [panel] = dialog.panels
    assert panel.chart.charted and panel.face.isVisible()
    for (view, x, y), amount in zip(
        [("front", 0.40, 0.70), ("front", 0.60, 0.70), ("left", 0.30, 0.62)],
        ["0.3", "0.3", "0.5"],
        strict=True,
    ):
        _click(qtbot, panel, view, x, y)
        # The new point is selected, the cursor in its amount.
        assert panel.editor.amount.hasFocus()
        panel.editor.amount.selectAll()
        qtbot.keyClicks(panel.editor.amount, amount)
    assert [(p.view, p.amount, p.unit) for p in panel.model.points] == [
        ("front", Decimal("0.3"), "mL"),
        ("front", Decimal("0.3"), "mL"),
        ("left", Decimal("0.5"), "mL"),
    ]
    assert panel.model.rowCount() == 3 and len(panel.face.items_) == 3
    assert "1.1 mL (3 points)" in panel.totals.text()
    x, y = panel.face.items_[2].fractions()
    assert abs(x - 0.30) < 0.01 and abs(y - 0.62) < 0.01
    # Delete on the chart removes the selected point; a click puts it back.
    panel.face.setFocus()
    panel.face.select(2)
    qtbot.keyClick(panel.face, Qt.Key.Key_Delete)
    assert len(panel.model.points) == 2
    _click(qtbot, panel, "left", 0.30, 0.62)
    panel.editor.amount.selectAll()
    qtbot.keyClicks(panel.editor.amount, "0.5")
    qtbot.keyClicks(panel.areas, "Nasolabial folds, lips")
    _saved(qtbot, panel)
    stored = treatment_records.get(t.doc, panel.chart.id)
    assert [p.point.amount for p in stored.points] == [
        Decimal("0.3"),
        Decimal("0.3"),
        Decimal("0.5"),
    ]
    assert stored.areas == ("Nasolabial folds", "lips")

    monkeypatch.setattr(ChartPanel, "confirm_sign_off", classmethod(lambda cls, parent: True))
    qtbot.mouseClick(panel.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.chart.signed)
    assert not panel.sign_button.isVisible() and panel.addendum_button.isVisible()
    dialog.close()

    again = _open(qtbot, session, t, start=False)
    [reopened] = again.panels
    assert reopened.chart.signed and len(reopened.model.points) == 3
    assert len(reopened.face.items_) == 3
    # Read-only: a click places nothing, Delete removes nothing, the fields are locked.
    _click(qtbot, reopened, "front", 0.5, 0.3)
    reopened.face.setFocus()
    reopened.face.select(0)
    qtbot.keyClick(reopened.face, Qt.Key.Key_Delete)
    assert len(reopened.model.points) == 3
    assert not reopened.areas.isEnabled() and not reopened.lot.isEnabled()
    assert reopened.notes.isReadOnly() and not reopened.model.editable
    assert not reopened.sign_button.isVisible()
    assert not (reopened.model.flags(reopened.model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable)
    monkeypatch.setattr(
        ChartPanel,
        "ask_addendum",
        classmethod(lambda cls, parent: "Point 3 was 0.4 mL, not 0.5 mL."),
    )
    qtbot.mouseClick(reopened.addendum_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reopened.addenda.count() == 1)
    assert "Point 3 was 0.4 mL" in reopened.addenda.item(0).text()
    assert treatment_records.verify(t.doc, reopened.chart.id) == []
    assert [p.point.amount for p in treatment_records.get(t.doc, reopened.chart.id).points][
        2
    ] == Decimal("0.5")
    again.close()

    # The manager reads the chart; nothing in it can be changed.
    boss = _open(qtbot, _session(db, home, t, "manager"), t, start=False)
    [read] = boss.panels
    assert read.chart.signed and not read.addendum_button.isVisible()
    boss.close()


def test_the_lot_is_changed_to_another_lot_with_the_reason(
    qtbot, db: Database, home: paths.Dirs, ctx: ServiceContext
) -> None:
    t = treated(ctx)
    dialog = _open(qtbot, _session(db, home, t), t, start=True)
    [panel] = dialog.panels
    assert panel.lot.itemData(0) == t.planned_lot  # the planned lot first
    assert not panel.lot_reason.isVisible()
    panel.lot.setCurrentIndex(panel.lot.findData(t.other_lot))
    panel.lot.activated.emit(panel.lot.currentIndex())
    assert panel.lot_reason.isVisible()
    qtbot.keyClicks(panel.lot_reason, "Planned syringe dropped.")
    _saved(qtbot, panel)
    stored = treatment_records.get(t.doc, panel.chart.id)
    assert stored.lot_id == t.other_lot and stored.lot_reason == "Planned syringe dropped."
    dialog.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_the_chart_at_laptop_sizes(
    qtbot,
    sqlite_db: Database,
    home: paths.Dirs,
    tmp_path: Path,
    palette: str,
    width: int,
    height: int,
) -> None:
    from consult.store.services.context import ServiceContext as Context

    t = treated(Context(sqlite_db, workstation="test-workstation"))
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    treatment_records.save_draft(
        t.doc,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        areas=["Nasolabial folds", "Lips"],
        notes="Topical anaesthetic 20 minutes before.",
        points=[
            point("front", 0.40, 0.72, "0.3"),
            point("front", 0.60, 0.72, "0.3"),
            point("front", 0.45, 0.66, "0.2"),
            point("left", 0.28, 0.62, "0.5"),
            point("right", 0.72, 0.62, "0.5"),
        ],
    )
    dialog = TreatmentDialog(_session(sqlite_db, home, t), t.consultation.id, t.patient, start=True)
    qtbot.addWidget(dialog)
    dialog.setFixedSize(width, height)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    [panel] = dialog.panels
    panel.face.select(1)
    panel._select(1)
    QApplication.processEvents()
    out = out_dir(tmp_path)
    assert dialog.grab().save(str(out / f"treatment-chart-{width}x{height}-{palette}.png"))
    # Everything that matters is on screen: the chart large enough to click, the
    # buttons inside the window.
    assert panel.face.height() >= 150 and panel.face.width() >= 360
    for button in (panel.sign_button, panel.aftercare_print, panel.aftercare_save):
        right = button.mapTo(dialog, button.rect().topRight()).x()
        assert 0 <= right <= dialog.width()
    dialog.close()


def test_the_consultation_record_reopens_the_signed_chart_read_only(
    qtbot, sqlite_db: Database, home: paths.Dirs, tmp_path: Path
) -> None:
    from consult.store.services.context import ServiceContext as Context
    from consult.ui.consultation.record import ConsultationRecordDialog

    t = treated(Context(sqlite_db, workstation="test-workstation"))
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    chart = treatment_records.save_draft(
        t.doc, chart.id, chart.version, lot_id=chart.lot_id, points=[point("front", 0.5, 0.3, "4")]
    )
    treatment_records.sign_off(t.doc, chart.id, chart.version)
    treatment_records.add_addendum(t.doc, chart.id, "Reviewed at two weeks: settled.")
    record = ConsultationRecordDialog(_session(sqlite_db, home, t), t.consultation, t.patient)
    qtbot.addWidget(record)
    qtbot.waitUntil(lambda: record.is_loaded)
    assert not record.chart_button.isHidden()
    dialog = record.open_chart()
    qtbot.waitUntil(lambda: dialog.is_loaded)
    [panel] = dialog.panels
    assert panel.chart.signed and len(panel.model.points) == 1
    assert not panel.model.editable and not panel.face.editable
    assert panel.addenda.count() == 1 and "settled" in panel.addenda.item(0).text()
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    out = out_dir(tmp_path)
    assert dialog.grab().save(str(out / "treatment-chart-signed.png"))
    dialog.close()
    record.close()
    desk = ConsultationRecordDialog(
        _session(sqlite_db, home, t, "reception"), t.consultation, t.patient
    )
    qtbot.addWidget(desk)
    qtbot.waitUntil(lambda: desk.is_loaded)
    assert desk.chart_button.isHidden()  # reception sees nothing clinical
