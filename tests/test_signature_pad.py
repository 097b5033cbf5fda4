"""SignaturePad and SignatureBox: capture, history, validation, devices, keyboard."""

from __future__ import annotations

import json
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator, Sequence
from datetime import datetime

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from consult.ui.consent.signature_pad import SignatureBox, SignaturePad

Pt = tuple[float, float]


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(480, 160)
    widget.show()
    qtbot.waitExposed(widget)
    # A deterministic clock: every reading is 10 ms after the previous one.
    ticks: Iterator[int] = iter(range(1000, 10**9, 10))
    widget._clock = lambda: next(ticks)
    return widget


def _mouse(widget: SignaturePad, kind: QEvent.Type, pos: Pt, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    local = QPointF(*pos)
    event = QMouseEvent(
        kind,
        local,
        QPointF(widget.mapToGlobal(local)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def draw(widget: SignaturePad, points: Sequence[Pt]) -> None:
    """One mouse stroke: press at the first point, move through the rest, release."""
    left = Qt.MouseButton.LeftButton
    _mouse(widget, QEvent.Type.MouseButtonPress, points[0], left)
    for pos in points[1:]:
        _mouse(widget, QEvent.Type.MouseMove, pos, left)
    _mouse(widget, QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def signature_curve() -> list[Pt]:
    """A looping, signature-like curve about 300 x 60 px."""
    return [
        (60 + 2.5 * i + 12 * math.sin(i / 4), 80 - 30 * math.sin(i / 6) + 8 * math.cos(i / 2))
        for i in range(120)
    ]


def test_mouse_stroke_is_recorded_with_timing_and_pressure(pad: SignaturePad) -> None:
    changes: list[None] = []
    pad.changed.connect(lambda: changes.append(None))

    draw(pad, [(10.04, 20.06), (30, 40), (50.55, 60)])

    assert pad.strokes() == [
        [
            {"x": 10.0, "y": 20.1, "t": 0, "p": 0.5},
            {"x": 30.0, "y": 40.0, "t": 10, "p": 0.5},
            {"x": 50.5, "y": 60.0, "t": 20, "p": 0.5},
        ]
    ]
    assert len(changes) == 1
    assert not pad.is_empty()
    assert pad.canvas_size() == (480, 160)
    json.dumps(pad.signature_data())  # plain data


def test_time_counts_from_the_first_point_of_the_signature(pad: SignaturePad) -> None:
    draw(pad, [(10, 10), (20, 20)])
    draw(pad, [(30, 30), (40, 40)])

    times = [pt["t"] for stroke in pad.strokes() for pt in stroke]
    assert times[0] == 0
    assert times == sorted(times)
    assert all(isinstance(t, int) for t in times)


def test_qtest_mouse_helpers_draw_too(qtbot: QtBot, pad: SignaturePad) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPointF(20, 20).toPoint())
    qtbot.mouseMove(pad, QPointF(60, 40).toPoint())
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPointF(100, 50).toPoint())

    [stroke] = pad.strokes()
    assert (stroke[0]["x"], stroke[0]["y"]) == (20.0, 20.0)
    assert (stroke[-1]["x"], stroke[-1]["y"]) == (100.0, 50.0)


def test_points_outside_the_pad_are_clamped_to_it(pad: SignaturePad) -> None:
    draw(pad, [(10, 10), (600, -40)])

    assert pad.strokes()[0][-1] == {"x": 480.0, "y": 0.0, "t": 10, "p": 0.5}


def test_right_button_does_not_draw(pad: SignaturePad) -> None:
    local = QPointF(10, 10)
    event = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        local,
        QPointF(pad.mapToGlobal(local)),
        Qt.MouseButton.RightButton,
        Qt.MouseButton.RightButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(pad, event)
    assert pad.is_empty()


def test_undo_redo_clear(pad: SignaturePad) -> None:
    draw(pad, [(10, 10), (20, 20)])
    draw(pad, [(30, 30), (40, 40)])
    first, second = pad.strokes()
    assert pad.can_undo() and not pad.can_redo()

    pad.undo()
    assert pad.strokes() == [first]
    assert pad.can_redo()

    pad.redo()
    assert pad.strokes() == [first, second]
    assert not pad.can_redo()

    pad.undo()
    pad.undo()
    assert pad.is_empty()
    pad.undo()  # nothing left: a no-op
    assert pad.is_empty()

    pad.redo()
    assert pad.strokes() == [first]

    # A new stroke forgets what could be redone.
    draw(pad, [(50, 50), (60, 60)])
    assert not pad.can_redo()

    pad.clear()
    assert pad.is_empty()
    assert not pad.can_undo() and not pad.can_redo()


def test_clear_cannot_be_undone(pad: SignaturePad) -> None:
    draw(pad, [(10, 10), (20, 20)])
    pad.clear()
    pad.undo()
    pad.redo()
    assert pad.is_empty()


def test_keyboard_shortcuts(qtbot: QtBot, pad: SignaturePad) -> None:
    pad.setFocus()
    draw(pad, [(10, 10), (20, 20)])
    draw(pad, [(30, 30), (40, 40)])
    first, _second = pad.strokes()

    qtbot.keyClick(pad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pad.strokes() == [first]
    qtbot.keyClick(
        pad,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(pad.strokes()) == 2
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.strokes() == [first]
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty()


def test_changed_is_emitted_for_every_change(qtbot: QtBot, pad: SignaturePad) -> None:
    with qtbot.waitSignal(pad.changed, timeout=100):
        draw(pad, [(10, 10), (20, 20)])
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.undo()
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.redo()
    with qtbot.waitSignal(pad.changed, timeout=100):
        pad.clear()
    with qtbot.assertNotEmitted(pad.changed):
        pad.clear()  # already empty


def test_validate_refuses_an_empty_pad(pad: SignaturePad) -> None:
    assert pad.validate()


def test_validate_refuses_a_dot(pad: SignaturePad) -> None:
    draw(pad, [(100, 80)])
    assert len(pad.strokes()) == 1
    assert pad.validate()


def test_validate_refuses_a_short_line(pad: SignaturePad) -> None:
    draw(pad, [(100 + i, 80 + i / 2) for i in range(0, 20, 2)])
    assert pad.validate()


def test_validate_refuses_a_flat_swipe(pad: SignaturePad) -> None:
    draw(pad, [(50 + 30 * i, 80) for i in range(10)])
    assert pad.validate()


def test_validate_accepts_a_signature(pad: SignaturePad) -> None:
    draw(pad, signature_curve())
    draw(pad, [(330, 50), (345, 56), (360, 62)])  # a flourish
    assert pad.validate() is None


def test_disabled_pad_ignores_input(qtbot: QtBot, pad: SignaturePad) -> None:
    pad.set_disabled_hint("Scroll to the end of the consent text to sign")
    pad.setEnabled(False)

    with qtbot.assertNotEmitted(pad.changed):
        draw(pad, signature_curve())
    assert pad.is_empty()
    assert pad.accessibleDescription() == "Scroll to the end of the consent text to sign"

    pad.setEnabled(True)
    draw(pad, signature_curve())
    assert not pad.is_empty()


def test_disabling_mid_stroke_drops_the_stroke(pad: SignaturePad) -> None:
    left = Qt.MouseButton.LeftButton
    _mouse(pad, QEvent.Type.MouseButtonPress, (10, 10), left)
    _mouse(pad, QEvent.Type.MouseMove, (50, 50), left)
    pad.setEnabled(False)
    pad.setEnabled(True)
    _mouse(pad, QEvent.Type.MouseButtonRelease, (60, 60), Qt.MouseButton.NoButton)
    assert pad.is_empty()


def _tablet_device(*, pressure: bool) -> QPointingDevice:
    caps = QInputDevice.Capability.Position
    if pressure:
        caps |= QInputDevice.Capability.Pressure
    return QPointingDevice(
        "test stylus",
        4242 if pressure else 4243,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        caps,
        1,
        3,
    )


def _tablet(
    widget: SignaturePad,
    device: QPointingDevice,
    kind: QEvent.Type,
    pos: Pt,
    pressure: float,
) -> bool:
    down = kind != QEvent.Type.TabletRelease
    local = QPointF(*pos)
    event = QTabletEvent(
        kind,
        device,
        local,
        QPointF(widget.mapToGlobal(local)),
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.NoButton if kind == QEvent.Type.TabletMove else Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_tablet_pressure_is_recorded(pad: SignaturePad) -> None:
    device = _tablet_device(pressure=True)
    assert _tablet(pad, device, QEvent.Type.TabletPress, (10, 10), 0.2)
    _tablet(pad, device, QEvent.Type.TabletMove, (20, 15), 0.65)
    _tablet(pad, device, QEvent.Type.TabletMove, (30, 20), 1.0)
    _tablet(pad, device, QEvent.Type.TabletRelease, (30, 20), 0.0)

    assert pad.strokes() == [
        [
            {"x": 10.0, "y": 10.0, "t": 0, "p": 0.2},
            {"x": 20.0, "y": 15.0, "t": 10, "p": 0.65},
            {"x": 30.0, "y": 20.0, "t": 20, "p": 1.0},
        ]
    ]


def test_tablet_without_pressure_records_the_default(pad: SignaturePad) -> None:
    device = _tablet_device(pressure=False)
    _tablet(pad, device, QEvent.Type.TabletPress, (10, 10), 1.0)
    _tablet(pad, device, QEvent.Type.TabletMove, (20, 15), 1.0)
    _tablet(pad, device, QEvent.Type.TabletRelease, (20, 15), 0.0)

    assert {pt["p"] for pt in pad.strokes()[0]} == {0.5}


def test_tablet_hover_does_not_draw(pad: SignaturePad) -> None:
    device = _tablet_device(pressure=True)
    _tablet(pad, device, QEvent.Type.TabletMove, (20, 15), 0.0)
    assert pad.is_empty()


def test_touch_draws_with_the_first_finger_only(pad: SignaturePad) -> None:
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(10, 10), pad).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(30, 20), pad).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(50, 25), pad).press(
        1, QPoint(200, 90), pad
    ).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(60, 25), pad).move(
        1, QPoint(220, 99), pad
    ).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(60, 30), pad).stationary(1).commit()
    QTest.touchEvent(pad, device).move(1, QPoint(240, 110), pad).commit()
    QTest.touchEvent(pad, device).release(1, QPoint(240, 110), pad).commit()

    [stroke] = pad.strokes()  # no second stroke, and no mouse echo of the touch
    assert [(pt["x"], pt["y"]) for pt in stroke] == [
        (10.0, 10.0),
        (30.0, 20.0),
        (50.0, 25.0),
        (60.0, 25.0),
        (60.0, 30.0),
    ]
    assert {pt["p"] for pt in stroke} == {0.5}


def test_set_strokes_round_trip_and_validation(pad: SignaturePad) -> None:
    draw(pad, signature_curve())
    data = pad.signature_data()

    other = SignaturePad()
    other.set_signature_data(json.loads(json.dumps(data)))
    assert other.strokes() == data["strokes"]
    assert other.canvas_size() == (480, 160)
    assert not other.can_redo()

    with pytest.raises(ValueError):
        other.set_strokes([[{"x": "left", "y": 1}]])
    assert other.strokes() == data["strokes"]  # unchanged on error


def test_canvas_is_kept_and_scaled_when_resized(qtbot: QtBot, pad: SignaturePad) -> None:
    draw(pad, [(10, 10), (470, 150)])
    pad.resize(960, 320)
    qtbot.waitUntil(lambda: pad.width() == 960)
    assert pad.canvas_size() == (480, 160)

    # Input is mapped back into the canvas the strokes were recorded on.
    draw(pad, [(480, 160), (960, 320)])
    assert pad.strokes()[-1][0]["x"] == pytest.approx(240.0)
    assert pad.strokes()[-1][-1]["x"] == pytest.approx(480.0)

    pad.clear()
    assert pad.canvas_size() == (960, 320)


def test_size_hints(pad: SignaturePad) -> None:
    assert (pad.sizeHint().width(), pad.sizeHint().height()) == (480, 160)
    assert (pad.minimumSizeHint().width(), pad.minimumSizeHint().height()) == (320, 120)
    assert pad.accessibleName()
    assert pad.accessibleDescription()


def test_paints_without_errors(pad: SignaturePad) -> None:
    draw(pad, signature_curve())
    image = pad.grab().toImage()
    assert not image.isNull()
    pad.setEnabled(False)
    assert not pad.grab().toImage().isNull()


# ----------------------------------------------------------------- SignatureBox
@pytest.fixture
def box(qtbot: QtBot) -> SignatureBox:
    widget = SignatureBox(meaning="Consent given", name="Zoë Ångström", role="Patient")
    qtbot.addWidget(widget)
    widget.resize(520, 240)
    return widget


def test_box_shows_caption(box: SignatureBox) -> None:
    box.set_date_time(datetime(2025, 3, 14, 9, 26))
    assert box.meaning() == "Consent given"
    assert box.name() == "Zoë Ångström"
    assert box.role() == "Patient"
    assert "2025" in box.date_time_text() or "25" in box.date_time_text()
    box.set_date_time("14 March 2025, 09:26")
    assert box.date_time_text() == "14 March 2025, 09:26"
    assert "Zoë Ångström" in box.pad.accessibleName()


def test_box_buttons_follow_the_pad(box: SignatureBox) -> None:
    undo, redo, clear = box._undo_button, box._redo_button, box._clear_button
    for button in (undo, redo, clear):
        assert "&" in button.text()
        assert button.accessibleName()
    assert not undo.isEnabled() and not redo.isEnabled() and not clear.isEnabled()

    draw(box.pad, signature_curve())
    assert undo.isEnabled() and clear.isEnabled() and not redo.isEnabled()

    undo.click()
    assert box.pad.is_empty()
    assert redo.isEnabled() and not undo.isEnabled()

    redo.click()
    assert not box.pad.is_empty()

    box.pad.setEnabled(False)
    assert not undo.isEnabled() and not clear.isEnabled()
    box.pad.setEnabled(True)
    assert undo.isEnabled()

    clear.click()
    assert box.pad.is_empty()
    assert not clear.isEnabled()
