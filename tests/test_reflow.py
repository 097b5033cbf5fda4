"""Wrapping choices and the column layout remember the heights they measured (a layout
asks for them many times while the intake first shows: issue 16), and measure again
whenever what they depend on changes: the words, the font, the items shown."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from consult.ui.widgets import reflow
from consult.ui.widgets.reflow import ColumnFlowLayout, WrapCheckBox, WrapRadioButton

LONG = "Inflammatory bowel disease (Crohn's disease, ulcerative colitis) " * 2


def test_a_choice_measures_once_per_width_and_words(qtbot, monkeypatch) -> None:
    box = WrapCheckBox(LONG)
    qtbot.addWidget(box)
    measured: list[int] = []
    measure = reflow._height_for_width

    def counting(button, kind, width):
        measured.append(width)
        return measure(button, kind, width)

    monkeypatch.setattr(reflow, "_height_for_width", counting)
    first = box.heightForWidth(200)
    assert box.heightForWidth(200) == first and measured == [200]
    assert box.heightForWidth(400) < first  # wider: fewer lines
    box.setText(LONG * 2)  # other words: measured again
    assert box.heightForWidth(200) > first
    assert measured == [200, 400, 200]


def test_a_new_font_is_measured_again(qtbot) -> None:
    box = WrapRadioButton(LONG)
    qtbot.addWidget(box)
    before = box.heightForWidth(200)
    font = QFont(box.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    box.setFont(font)
    assert box.heightForWidth(200) > before


def _flow(qtbot, count: int) -> tuple[QWidget, ColumnFlowLayout, list[WrapCheckBox]]:
    host = QWidget()
    qtbot.addWidget(host)
    flow = ColumnFlowLayout(host, max_columns=3, min_column=180)
    boxes = [WrapCheckBox(f"{n}: {LONG}", host) for n in range(count)]
    for box in boxes:
        flow.addWidget(box)
    return host, flow, boxes


def test_the_layout_measures_again_when_its_items_change(qtbot) -> None:
    host, flow, boxes = _flow(qtbot, 4)
    host.show()
    four = flow.heightForWidth(300)  # one column at this width
    assert flow.heightForWidth(300) == four
    boxes[3].hide()
    three = flow.heightForWidth(300)
    assert three < four
    boxes[3].show()
    assert flow.heightForWidth(300) == four
    added = WrapCheckBox(LONG, host)
    flow.addWidget(added)
    added.show()  # a child added to a shown window is shown by hand
    assert flow.heightForWidth(300) > four
    boxes[0].setText(LONG * 3)  # longer words in one item: its row grows
    assert flow.heightForWidth(300) > four


def test_the_remembered_heights_stay_few(qtbot) -> None:
    _host, flow, boxes = _flow(qtbot, 2)
    for width in range(200, 200 + 3 * reflow._REMEMBERED_HEIGHTS):
        flow.heightForWidth(width)
        boxes[0].heightForWidth(width)
    assert len(flow._heights) <= reflow._REMEMBERED_HEIGHTS
    assert len(boxes[0]._heights()) <= reflow._REMEMBERED_HEIGHTS
