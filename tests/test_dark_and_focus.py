"""Readable in a dark colour scheme, and the keyboard focus always in sight.

With a dark palette (Fusion, as a desktop switched to dark gives it), every coloured
text (errors, severities, statuses, notices, "sealed") is rendered and its contrast with
what is behind it measured; labels that only use the palette are checked to differ from
their background; switching the scheme while the app runs recolours them. Every button,
radio button and check box that Tab reaches shows that it has the focus, in light and in
dark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QScrollArea,
    QWidget,
)

from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.widgets import tones
from consult.ui.widgets.basics import ErrorLabel
from tests.test_consultation_wizard import answer_all, clinic, open_wizard, plan, show_active

__all__ = ["clinic"]  # the fixture, used by name

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#2a2a2a",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#3a3a3a",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    QPalette.ColorRole.ToolTipBase: "#3a3a3a",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.Link: "#8ab4f8",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


@pytest.fixture
def fusion() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), app.palette()
    app.setStyle("Fusion")
    yield app
    app.setStyle(style)
    app.setPalette(palette)


@pytest.fixture
def dark(fusion: QApplication) -> QApplication:
    fusion.setPalette(dark_palette())
    assert tones.is_dark()
    return fusion


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rendered(widget: QWidget) -> QImage:
    """The widget as it is seen: cut out of its whole window, so that what is painted
    behind it (a styled frame, a notice) is there too."""
    window = widget.window()
    corner = widget.mapTo(window, QPoint(0, 0))
    return window.grab(QRect(corner, widget.size())).toImage()


def text_contrast(widget: QWidget) -> float:
    """The contrast between the commonest colour (the background) and the colour that
    stands out most from it (the text's core pixels)."""
    image = rendered(widget)
    counts: Counter[int] = Counter(
        image.pixel(x, y) for x in range(image.width()) for y in range(image.height())
    )
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(background, QColor.fromRgb(pixel)) for pixel in counts)


def coloured_labels(root: QWidget) -> list[QLabel]:
    """Visible labels with a colour of their own (from a style sheet)."""
    return [
        label
        for label in root.findChildren(QLabel)
        if label.isVisibleTo(root.window()) and label.text() and "color" in label.styleSheet()
    ]


def wizard_with_findings(qtbot, sqlite_db, home, clinic: dict[str, Any]) -> ConsultationWizard:
    wizard, _session, _person = open_wizard(qtbot, sqlite_db, home, clinic)
    wizard.resize(1024, 700)
    show_active(qtbot, wizard)
    plan(wizard, "ha_filler", clinic)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)  # saved off the GUI thread
    answer_all(
        wizard,
        {
            "anticoagulants": ["warfarin"],
            "keloid_history": "yes",
            "recent_dental_or_vaccine": "yes",
        },
    )
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert wizard.page == "screening"
    return wizard


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_coloured_words_are_readable_in_light_and_dark(
    qtbot, sqlite_db, home, clinic, fusion, scheme
) -> None:
    if scheme == "dark":
        fusion.setPalette(dark_palette())
    wizard = wizard_with_findings(qtbot, sqlite_db, home, clinic)
    wizard._notify("The screening rules have changed since this consultation was screened.")
    wizard.message.show_error("Decide on every finding first.")
    qtbot.wait(10)
    labels = coloured_labels(wizard)
    kinds = {label.text() for label in labels}
    assert "Needs your decision on the findings below" in kinds
    assert "Relative contraindication" in kinds and "Caution" in kinds
    assert any(text.startswith("ℹ The screening rules") for text in kinds)
    assert any(text.startswith("⚠ Decide") for text in kinds)
    for label in labels:
        assert text_contrast(label) >= 4.5, (scheme, label.text(), label.styleSheet())
    # A question to clarify: its frame and background change, its words stay readable.
    wizard.clarify(["keloid_history"])
    question = wizard.intake_page.questions["keloid_history"]
    assert question.highlighted
    qtbot.wait(10)
    assert text_contrast(question.label) >= 4.5
    assert text_contrast(question.error) >= 4.5


def test_switching_to_dark_while_running_recolours_the_words(qtbot, fusion) -> None:
    fusion.setPalette(QApplication.style().standardPalette())
    assert not tones.is_dark()
    label = ErrorLabel()
    qtbot.addWidget(label)
    label.show_error("The two passwords differ.")
    assert tones.TONES["error"][0] in label.styleSheet()
    fusion.setPalette(dark_palette())
    qtbot.waitUntil(lambda: tones.TONES["error"][1] in label.styleSheet())
    label.show()
    assert text_contrast(label) >= 4.5


def test_every_tone_reads_on_the_window_and_the_lists(fusion) -> None:
    for palette in (QApplication.style().standardPalette(), dark_palette()):
        for name in ("error", "warning", "info", "question", "ok", "muted", "note"):
            colour = tones.qtone(name, palette)
            behind = {
                "note": tones.qtone("note_bg", palette),
            }.get(name)
            grounds = (
                [behind]
                if behind is not None
                else [
                    palette.color(QPalette.ColorRole.Window),
                    palette.color(QPalette.ColorRole.Base),
                ]
            )
            for ground in grounds:
                assert contrast(colour, ground) >= 4.5, (name, tones.is_dark(palette))
        # Notices: their words on their own backgrounds.
        assert contrast(tones.qtone("info", palette), tones.qtone("info_bg", palette)) >= 4.5
        text = palette.color(QPalette.ColorRole.WindowText)
        assert contrast(text, tones.qtone("question_bg", palette)) >= 4.5


@pytest.mark.usefixtures("dark")
def test_no_label_is_written_in_its_background_colour(qtbot, sqlite_db, home, clinic) -> None:
    wizard = wizard_with_findings(qtbot, sqlite_db, home, clinic)
    checked = 0
    for page in (wizard, wizard.intake_page, wizard.screening_page):
        for label in page.findChildren(QLabel):
            if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
                continue
            palette = label.palette()
            text = palette.color(label.foregroundRole())
            ground = palette.color(label.backgroundRole())
            assert text != ground, label.text()
            assert contrast(text, ground) >= 3.0, label.text()
            checked += 1
    assert checked > 20


def focus_shows(widget: QAbstractButton) -> bool:
    """Whether the widget looks different with the keyboard focus than without."""
    window = widget.window()
    parent = widget.parentWidget()
    while parent is not None:  # in sight, as Tab would scroll it
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()
    widget.clearFocus()
    QApplication.processEvents()
    without = rendered(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    QApplication.processEvents()
    with_focus = rendered(widget)
    return with_focus != without


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_button_tab_reaches_shows_its_focus(
    qtbot, sqlite_db, home, clinic, fusion, scheme
) -> None:
    if scheme == "dark":
        fusion.setPalette(dark_palette())
    wizard = wizard_with_findings(qtbot, sqlite_db, home, clinic)
    # The screening page's buttons, then the intake's (a question highlighted too).
    pages: list[QWidget] = [wizard.screening_page]
    seen = 0
    for page in pages:
        for button in page.findChildren(QAbstractButton):
            if button.isVisibleTo(wizard) and button.focusPolicy() & Qt.FocusPolicy.TabFocus:
                assert focus_shows(button), (scheme, button.text())
                seen += 1
    for button in (wizard.back_button, wizard.next_button, wizard.close_button):
        assert focus_shows(button), button.text()
    wizard.clarify(["keloid_history"])
    intake = wizard.intake_page
    for question_id in ("keloid_history", "anticoagulants", "pregnant"):
        stop = intake.questions[question_id].tab_stop()
        assert isinstance(stop, QAbstractButton)
        intake.focus_question(question_id)
        assert focus_shows(stop), (scheme, question_id)
        seen += 1
    assert seen >= 5


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_consent_steps_buttons_show_their_focus_and_its_words_read(
    qtbot, sqlite_db, home, fusion, scheme
) -> None:
    from consult.store.services.context import ServiceContext
    from consult.ui.consent.dialog import ConsentDialog
    from tests import factories
    from tests.consent_reading import read_through
    from tests.test_consent_step import ready_consultation
    from tests.test_consultation_wizard import make_session

    if scheme == "dark":
        fusion.setPalette(dark_palette())
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    product = factories.product(ctx, people["manager"], "ha_filler", "Volbella")
    clinic = {"ctx": ctx, "people": people, "products": {"ha_filler": product}}
    session = make_session(sqlite_db, home, people["practitioner"])
    _person, info = ready_consultation(session, clinic)
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 700)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.loading)  # what to sign is read off the GUI thread
    step = dialog.step
    assert step is not None
    buttons = [
        b
        for b in dialog.findChildren(QAbstractButton)
        if b.isVisibleTo(dialog) and b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    assert step.sign_button in buttons and step.close_button in buttons
    for button in buttons:
        assert focus_shows(button), (scheme, button.text())
    read_through(qtbot, step.text_view)
    assert "whole text" in step.read_hint.text()  # in the "done" tone
    assert text_contrast(step.read_hint) >= 4.5
