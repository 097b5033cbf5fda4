"""ConsentTextView: reachedEnd only once every section has been on screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollBar
from pytestqt.qtbot import QtBot

from consult.ui.consent.text_view import ConsentTextView, consent_html
from tests.consent_reading import read_through

LONG_SECTIONS = [
    (
        f"Section {n}",
        "The treatment involves injections into the skin.\n\n"
        + "\n".join(f"- Possible effect {n}.{i}: redness or swelling" for i in range(6))
        + "\n\nYou may withdraw your consent at any time before the treatment.",
    )
    for n in range(1, 16)
]


@pytest.fixture
def view(qtbot: QtBot) -> ConsentTextView:
    widget = ConsentTextView()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_paging_down_step_by_step_reads_every_section(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS, title="Consent to treatment")
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    assert view.section_names() == [f"Section {n}" for n in range(1, 16)]
    qtbot.waitUntil(lambda: view.unread_sections() != view.section_names())
    assert not view.has_reached_end()
    assert "Section 15" in view.unread_sections()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert 0 < bar.value() < bar.maximum()
    assert not view.has_reached_end()
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        presses = read_through(qtbot, view)
    assert presses > 3
    assert view.unread_sections() == []
    assert not view.reading_bar.isVisible()

    # Once per text: scrolling back up and down again does not repeat it.
    with qtbot.assertNotEmitted(view.reachedEnd, wait=20):
        bar.setValue(0)
        bar.setValue(bar.maximum())
    assert view.has_reached_end()


def test_scrolling_line_by_line_reads_every_section(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS)
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.reachedEnd, timeout=2000):
        for _ in range(2000):
            if view.has_reached_end():
                break
            bar.triggerAction(QScrollBar.SliderAction.SliderSingleStepAdd)  # wheel, arrows
    assert view.unread_sections() == []


def test_ctrl_end_scrolls_but_the_sections_skipped_stay_unread(
    qtbot: QtBot, view: ConsentTextView
) -> None:
    view.set_sections(LONG_SECTIONS, title="Consent to treatment")
    view.setFocus()
    bar = view.verticalScrollBar()
    with qtbot.assertNotEmitted(view.reachedEnd, wait=50):
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    assert not view.has_reached_end()
    unread = view.unread_sections()
    assert "Section 2" in unread and "Section 8" in unread
    assert "Section 15" not in unread  # the end was on screen
    # The view says what is unread and offers to go there.
    assert view.reading_bar.isVisible()
    assert view.reading_bar.label.text().startswith("Not shown yet: Section ")
    assert "more" in view.reading_bar.label.text()
    assert "Not shown yet" in view.accessibleDescription()
    first = unread[0]
    qtbot.mouseClick(view.reading_bar.button, Qt.MouseButton.LeftButton)
    assert bar.value() < bar.maximum()
    qtbot.waitUntil(lambda: first not in view.unread_sections())
    # Reading on from there, page by page, reaches the end.
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        read_through(qtbot, view)
    assert not view.reading_bar.isVisible()
    assert view.accessibleDescription().startswith("Read the consent text")


def test_dragging_the_scroll_bar_to_the_bottom_does_not_count_what_it_passed(
    qtbot: QtBot, view: ConsentTextView
) -> None:
    view.set_sections(LONG_SECTIONS)
    bar = view.verticalScrollBar()
    with qtbot.assertNotEmitted(view.reachedEnd, wait=50):
        bar.setValue(bar.maximum() // 2)
        bar.setValue(bar.maximum())
    assert not view.has_reached_end()
    assert len(view.unread_sections()) > 5


def test_a_window_large_enough_to_show_everything_counts_everything(
    qtbot: QtBot, view: ConsentTextView
) -> None:
    view.set_sections(LONG_SECTIONS)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert not view.has_reached_end()
    with qtbot.waitSignal(view.reachedEnd, timeout=1000):
        view.resize(900, 20000)
    assert view.verticalScrollBar().maximum() == 0
    assert view.unread_sections() == []


def test_what_scrolls_by_while_the_view_is_hidden_is_not_counted(
    qtbot: QtBot, view: ConsentTextView
) -> None:
    view.set_sections(LONG_SECTIONS)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: "Section 1" not in view.unread_sections())
    view.hide()
    for value in range(0, bar.maximum() + 1, max(1, bar.pageStep() // 2)):
        bar.setValue(value)
    bar.setValue(bar.maximum())
    assert len(view.unread_sections()) == 14
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: "Section 15" not in view.unread_sections())
    assert not view.has_reached_end()
    assert "Section 8" in view.unread_sections()


def test_short_text_reaches_end_at_once(qtbot: QtBot, view: ConsentTextView) -> None:
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        view.set_sections([("Summary", "One short paragraph.")])
    assert view.verticalScrollBar().maximum() == 0
    assert view.has_reached_end()


def test_hidden_view_waits_until_shown(qtbot: QtBot) -> None:
    widget = ConsentTextView()
    qtbot.addWidget(widget)
    widget.set_sections([("Summary", "One short paragraph.")])
    assert not widget.has_reached_end()
    assert widget.unread_sections() == ["Summary"]
    with qtbot.waitSignal(widget.reachedEnd, timeout=500):
        widget.show()


def test_unread_sections_are_reported_as_they_change(qtbot: QtBot, view: ConsentTextView) -> None:
    reports: list[list[str]] = []
    view.unreadChanged.connect(reports.append)
    view.set_sections(LONG_SECTIONS)
    view.setFocus()
    read_through(qtbot, view)
    assert reports[-1] == []
    assert len(reports) >= 3
    assert all(len(later) <= len(earlier) for earlier, later in itertools.pairwise(reports))


def test_a_text_without_headings_is_one_section(qtbot: QtBot, view: ConsentTextView) -> None:
    view.setPlainText("\n\n".join(body for _heading, body in LONG_SECTIONS))
    assert view.section_names() == ["The text"]
    view.setFocus()
    with qtbot.assertNotEmitted(view.reachedEnd, wait=20):
        qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.unread_sections() == ["The text"]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        read_through(qtbot, view)


def test_new_text_resets(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS)
    view.setFocus()
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        read_through(qtbot, view)

    view.setPlainText("\n\n".join(body for _heading, body in LONG_SECTIONS))
    assert not view.has_reached_end()
    assert bar.value() == 0
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        read_through(qtbot, view)

    view.clear()
    assert not view.has_reached_end()


def test_empty_text_never_counts_as_read(qtbot: QtBot, view: ConsentTextView) -> None:
    with qtbot.assertNotEmitted(view.reachedEnd, wait=20):
        view.setHtml("")
    assert not view.has_reached_end()


def test_view_is_read_only_and_links_do_not_navigate(view: ConsentTextView) -> None:
    assert view.isReadOnly()
    assert not view.openLinks()
    assert view.accessibleName()


def test_consent_html_escapes_and_structures() -> None:
    text = consent_html(
        [("Risks <important>", "Bruising & swelling.\n\n- one\n- two")], title="Consent"
    )
    assert "<h1>Consent</h1>" in text
    assert "<h2>Risks &lt;important&gt;</h2>" in text
    assert "<p>Bruising &amp; swelling.</p>" in text
    assert "<ul><li>one</li><li>two</li></ul>" in text
