"""Patient mode at tablet sizes, light and dark: every answer and button large enough to
touch, nothing wider than the screen, and pictures to look at (issue 19's "done when").

The pictures go to ``$CONSULT_SCREENSHOTS`` when it is set (else the test's own temporary
directory): patient-mode-<language>-<width>x<height>-<palette>.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget

from consult.ui.patient_mode.answer_buttons import TOUCH_PX, ChoiceButton
from consult.ui.patient_mode.intake_view import WORDS, PatientIntakeView
from consult.ui.patient_mode.patient_window import PatientWindow
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.knowledge import knowledge
from tests.screen_support import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["palette"]  # the fixture

SIZES = ((1280, 800), (800, 1280))


def within(widget: QWidget, window: QWidget) -> bool:
    """Whether ``widget`` lies inside the window's width."""
    left = widget.mapTo(window, widget.rect().topLeft()).x()
    return left >= 0 and left + widget.width() <= window.width()


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_patient_mode_fits_a_tablet(
    qtbot, tmp_path: Path, palette: str, language: str, width: int, height: int
) -> None:
    kb = knowledge()
    view = PatientIntakeView(
        kb, PatientWords(kb, language), "female", ["ha_filler"], {"pregnant": "unsure"}
    )
    window = PatientWindow(view, view.words, view.title.text())
    window.released = True  # a picture, not patient mode: the test may close it
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    # The first section (yes / no / not sure, one chosen), then a list of several choices.
    sections = view.sections()
    page = view.pages[sections[0]]
    assert view.where.text().startswith("Section 1 of") or language != "en"
    QApplication.processEvents()
    name = f"patient-mode-{language}-{width}x{height}-{palette}"
    assert window.grab().save(str(out_dir(tmp_path) / f"{name}-first.png"))
    view.go_to(sections[1])
    view.next()
    page = view.pages[view.current_section() or ""]
    assert view.where.text().startswith("Section 3 of") or language != "en"
    QApplication.processEvents()
    shown = [b for b in page.findChildren(ChoiceButton) if b.isVisible()]
    assert shown
    for button in shown:
        assert button.height() >= TOUCH_PX >= 44, button.text()
        assert within(button, window), button.text()
    for button in (view.back_button, view.next_button, view.practitioner_button):
        assert button.height() >= 44 and within(button, window)
    assert not page.horizontalScrollBar().isVisible()
    image = window.grab()
    assert image.width() == width and image.height() == height
    assert image.save(str(out_dir(tmp_path) / f"{name}.png"))
    # The confirmation, with the questions left, at the same size.
    view.ask_finished()
    QApplication.processEvents()
    for button in view.confirm_page.findChildren(QPushButton):
        if button.isVisible():
            assert within(button, window)
    assert not any(
        area.horizontalScrollBar().isVisible() for area in view.findChildren(QScrollArea)
    )
    assert window.grab().save(str(out_dir(tmp_path) / f"{name}-finish.png"))
    # "Are you still there?", then the end.
    window.prompt.cover()
    QApplication.processEvents()
    assert window.prompt.here_button.height() >= 44 and within(window.prompt.here_button, window)
    assert window.grab().save(str(out_dir(tmp_path) / f"{name}-still-there.png"))
    window.prompt.hide()
    view.show_done(WORDS["hand_back"])
    QApplication.processEvents()
    assert window.grab().save(str(out_dir(tmp_path) / f"{name}-done.png"))
