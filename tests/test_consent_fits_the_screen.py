"""The consent dialog on a 1366x768 laptop, a 1024x700 screen and an 800x600 one, in English and in
Japanese, for a patient who reads her consent in Japanese: it opens no wider than the
screen and nothing in it scrolls sideways (Japanese has no spaces to wrap at: a caption
that did not wrap once made the step wider than the dialog). Screenshots, light and
dark, are written to ``CONSULT_SCREENSHOTS`` when it is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from consult.store.database import Database
from consult.store.services.context import ServiceContext
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.step import ConsentStep
from consult.ui.shell.language import apply_language
from consult.ui.widgets import geometry
from tests import factories
from tests.screen_support import out_dir, palette
from tests.test_consent_step import fill, read_to_end, seal, sign_both
from tests.test_consultation_wizard import make_session
from tests.test_language_ui import built, translations  # noqa: F401  (fixtures)
from tests.test_signers_step import ready

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["palette"]  # the fixture

SCREENS = {
    "1366x768": QRect(0, 0, 1366, 738),  # less a 30-pixel task bar
    "1024x700": QRect(0, 0, 1024, 700),
    # 800 wide, as the offscreen platform's screen: where the Japanese screenshots
    # (tests/test_japanese_screens.py) showed the step scrolled sideways.
    "800x600": QRect(0, 0, 800, 600),
}


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    prp = factories.product(ctx, people["manager"], "prp", "PRP kit", source="autologous")
    return {"ctx": ctx, "people": people, "prp": prp}


def open_consent(qtbot, db: Database, home: Any, clinic: dict[str, Any]) -> ConsentDialog:
    """Hanako Yamada's consent, which she reads in Japanese, opened as the clinical flow
    opens it: sized by the screen it is on."""
    session = make_session(db, home, clinic["people"]["practitioner"])
    _person, info = ready(session, clinic, given="花子", family="山田", language="ja")
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: isinstance(dialog.step, ConsentStep) and not dialog.loading)
    return dialog


@pytest.mark.parametrize("screen", sorted(SCREENS))
@pytest.mark.parametrize("desk", ["en", "ja"])
def test_the_consent_dialog_fits_and_never_scrolls_sideways(
    qtbot,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    translations,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    palette: str,
    desk: str,
    screen: str,
    tmp_path: Path,
) -> None:
    available = SCREENS[screen]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: available)
    assert apply_language(desk) == desk
    dialog = open_consent(qtbot, sqlite_db, home, clinic)
    step = dialog.step
    assert isinstance(step, ConsentStep)
    assert step.text.language == "ja"
    if desk == "ja":
        assert dialog.windowTitle().startswith("同意")
        assert step.practitioner_box.meaning() == "同意を取得しました（施術者）"
    # The patient reads another language than the desk: the interpreter is offered.
    assert step.signers.isVisibleTo(step) == (desk != "ja")

    # It opens no larger than the screen, with room for its frame.
    assert dialog.width() <= available.width() - geometry.FRAME.width()
    assert dialog.height() <= available.height() - geometry.FRAME.height()
    assert dialog.minimumSizeHint().width() <= dialog.width()
    qtbot.wait(50)  # the layout settles

    # Nothing scrolls sideways: the step's body, the initials beside the text.
    bar = step.body.horizontalScrollBar()
    assert not bar.isVisible() and bar.maximum() == 0
    assert step.body.widget().minimumSizeHint().width() <= step.body.viewport().width()
    assert step.side.widget().width() <= step.side.viewport().width()
    for edit in step.initials.values():  # the initials are never cut off at the right
        corner = edit.mapTo(step.side.viewport(), edit.rect().topRight())
        assert corner.x() < step.side.viewport().width()
    # The line under the text is never drawn over it.
    hint, text = step.read_hint, step.text_view
    assert hint.height() >= hint.heightForWidth(hint.width())
    assert hint.geometry().top() >= text.geometry().bottom()
    # "Sign and seal" and "Close" are in sight.
    for button in (step.sign_button, step.close_button):
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert button.isVisible() and dialog.rect().contains(corner)

    out = out_dir(tmp_path)
    dialog.grab().save(str(out / f"consent-fits-{desk}-{screen}-{palette}.png"))
    dialog.discard()


@pytest.mark.parametrize("desk", ["en", "ja"])
def test_sealing_never_widens_the_dialog_past_a_small_screen(
    qtbot,
    sqlite_db: Database,
    home: Any,
    clinic: dict[str, Any],
    translations,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    desk: str,
    tmp_path: Path,
) -> None:
    """ "Sealing the record and rendering the PDF…" beside the buttons once made the
    dialog wider than an 800-pixel screen, and it stayed so with the sealed record."""
    available = SCREENS["800x600"]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: available)
    assert apply_language(desk) == desk
    dialog = open_consent(qtbot, sqlite_db, home, clinic)
    step = dialog.step
    assert isinstance(step, ConsentStep)
    width = dialog.width()
    assert width <= available.width() - geometry.FRAME.width()
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    seal(qtbot, step)
    qtbot.wait(50)  # the layout settles
    assert dialog.width() == width
    assert dialog.minimumSizeHint().width() <= width
    assert step.stack.currentWidget() is step.sealed_panel
    out = out_dir(tmp_path)
    dialog.grab().save(str(out / f"consent-sealed-{desk}-800x600.png"))
    dialog.discard()
