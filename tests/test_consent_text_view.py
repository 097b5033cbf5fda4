"""ConsentTextView: reachedEnd only after the text has been scrolled to its end."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from consult.ui.consent_text_view import ConsentTextView, consent_html

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


def test_long_text_reaches_end_only_at_the_bottom(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS, title="Consent to treatment")
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    assert not view.has_reached_end()

    with qtbot.assertNotEmitted(view.reachedEnd, wait=20):
        bar.setValue(bar.maximum() // 2)
    assert not view.has_reached_end()

    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        bar.setValue(bar.maximum())
    assert view.has_reached_end()

    # Once per text: scrolling back up and down again does not repeat it.
    with qtbot.assertNotEmitted(view.reachedEnd, wait=20):
        bar.setValue(0)
        bar.setValue(bar.maximum())
    assert view.has_reached_end()


def test_keyboard_end_reaches_end(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS)
    view.setFocus()
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.has_reached_end()


def test_keyboard_page_down_reaches_end(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS)
    view.setFocus()
    bar = view.verticalScrollBar()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert 0 < bar.value() < bar.maximum()
    assert not view.has_reached_end()
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        for _ in range(200):
            if view.has_reached_end():
                break
            qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert bar.value() == bar.maximum()


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
    with qtbot.waitSignal(widget.reachedEnd, timeout=500):
        widget.show()


def test_new_text_resets(qtbot: QtBot, view: ConsentTextView) -> None:
    view.set_sections(LONG_SECTIONS)
    bar = view.verticalScrollBar()
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        bar.setValue(bar.maximum())

    view.setPlainText("\n\n".join(body for _heading, body in LONG_SECTIONS))
    assert not view.has_reached_end()
    assert bar.value() == 0
    with qtbot.waitSignal(view.reachedEnd, timeout=500):
        bar.setValue(bar.maximum())

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
