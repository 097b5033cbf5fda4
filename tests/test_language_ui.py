"""The interface in Japanese, driven through the real window: the translators installed
for a user who chose Japanese (tabs, menus, table headers, state words, Qt's own
buttons), File > Language… storing the choice and rebuilding the pages in it, the
workstation's language again after sign-out, the lock page following the language, and
a consultation started and moved on in Japanese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from consult.store.database import Database
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.shell import language
from consult.ui.shell.language import apply_language, current_language, reset_language
from consult.ui.shell.language_dialog import LanguageDialog
from consult.ui.shell.main_window import MainWindow
from consult.ui.widgets.words import state_text
from tests import factories
from tests.signin_support import open_window, sign_in
from tests.test_consultation_wizard import click_answer, click_next, plan

ROOT = Path(__file__).resolve().parents[1]

shown_window = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .qm files, built from the committed .ts as CI and the bundle build them."""
    out = tmp_path_factory.mktemp("translations")
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "build", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture
def translations(built: Path, qapp):
    """The app reads the built files; whatever a test installs is removed afterwards
    (the next test in this process starts in English, on the workstation's locale)."""
    language.use_translations_dir(built)
    try:
        yield built
    finally:
        reset_language()
        language.use_translations_dir(None)


@pytest.fixture
def staff(sqlite_db: Database) -> dict[str, Any]:
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    return {"ctx": ctx, **people}


def _sign_in(window: MainWindow, username: str) -> None:
    sign_in(window, username)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace


def _tab_texts(window: MainWindow) -> list[str]:
    tabs = window.workspace
    return [tabs.tabText(index) for index in range(tabs.count())]


def test_a_user_who_chose_japanese_signs_in_to_a_japanese_interface(
    qtbot, sqlite_db, home, staff, translations
) -> None:
    user_service.set_interface_language(staff["ctx"].signed_in(staff["practitioner"]), "ja")
    window = open_window(qtbot, sqlite_db, home)
    assert window.sign_in.button.text() == "&Sign in"  # the workstation's English till then
    _sign_in(window, "doc")
    assert current_language() == "ja"
    # The tabs and pages are built in Japanese; the window's own texts follow its event.
    assert _tab_texts(window) == ["本日(&T)", "患者(&P)", "患者記録(&R)", "カウンセリング(&C)"]
    qtbot.waitUntil(lambda: window.file_menu.title() == "ファイル(&F)")
    assert window.language_action.text() == "言語(&G)…"
    assert window.user_status.text() == "Dr Dana Doe (施術者)"
    patients = window.workspace.patients
    headers = [
        patients.model.headerData(column, Qt.Orientation.Horizontal)
        for column in range(patients.model.columnCount())
    ]
    assert headers == ["氏名", "生年月日", "出生時の性別", "電話番号"]
    assert state_text("signed") == "署名済み" and state_text("voided") == "無効"
    # Qt's own words: the standard buttons of a dialog.
    dialog = LanguageDialog(window.session.ctx, "ja", window)
    qtbot.addWidget(dialog)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text() == "キャンセル"
    assert dialog.options["ja"].isChecked()
    # Signing out: the sign-in page speaks the workstation's language again.
    window.sign_out()
    assert current_language() == "en"
    qtbot.waitUntil(lambda: window.file_menu.title() == "&File")
    assert window.sign_in.button.text() == "&Sign in"
    assert state_text("signed") == "Signed"


def test_a_user_who_chose_nothing_sees_the_workstations_language(
    qtbot, sqlite_db, home, staff, translations
) -> None:
    window = open_window(qtbot, sqlite_db, home)
    _sign_in(window, "desk")
    assert current_language() == "en"
    assert _tab_texts(window) == ["&Patients", "Patient &record", "Recept&ion"]


@shown_window
def test_file_language_stores_the_choice_and_rebuilds_the_pages_in_it(
    qtbot, sqlite_db, home, staff, translations
) -> None:
    window = open_window(qtbot, sqlite_db, home)
    window.show()
    _sign_in(window, "desk")
    reception = window.workspace.page("reception")

    def choose(option: str | None) -> None:
        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, LanguageDialog)
            dialog.options[option].click()
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            assert ok is not None
            ok.click()  # saved off the GUI thread; the dialog closes once it is stored

        QTimer.singleShot(0, answer)
        window.language_action.trigger()

    choose("ja")
    assert user_service.interface_language(window.session.ctx) == "ja"
    assert current_language() == "ja"
    assert _tab_texts(window) == ["患者(&P)", "患者記録(&R)", "受付(&I)"]
    assert window.workspace.page("reception") is not reception  # built anew, in Japanese
    qtbot.waitUntil(lambda: window.file_menu.title() == "ファイル(&F)")
    # The dialog offers each language in its own words, whatever the interface speaks.
    dialog = LanguageDialog(window.session.ctx, "ja", window)
    qtbot.addWidget(dialog)
    assert [button.text() for button in dialog.options.values()] == [
        "この端末の言語（English）(&W)",
        "English",
        "日本語",
    ]
    choose(None)
    assert user_service.interface_language(window.session.ctx) is None
    assert current_language() == "en"
    assert _tab_texts(window) == ["&Patients", "Patient &record", "Recept&ion"]
    # The next sign-in of the same user starts in the language kept on the account.
    choose("ja")
    window.sign_out()
    assert current_language() == "en"
    _sign_in(window, "desk")
    assert current_language() == "ja"


def test_the_lock_page_speaks_the_signed_in_users_language(
    qtbot, sqlite_db, home, staff, translations
) -> None:
    user_service.set_interface_language(staff["ctx"].signed_in(staff["reception"]), "ja")
    window = open_window(qtbot, sqlite_db, home)
    _sign_in(window, "desk")
    window.idle_lock.lock()
    page = window.idle_lock.page
    qtbot.waitUntil(lambda: page.title.text() == "Consult はロックされています")
    assert page.unlock_button.text() == "ロック解除(&U)"
    assert page.message.text().startswith("Rita Desk さんがログインしたままです。")
    window.idle_lock.unlock(factories.PASSWORD)
    qtbot.waitUntil(lambda: not window.idle_lock.checking)  # checked off the GUI thread
    assert not window.idle_lock.locked
    window.sign_out()
    qtbot.waitUntil(lambda: page.title.text() == "Consult is locked")


def test_a_language_whose_files_are_missing_falls_back_to_english(
    qtbot, tmp_path, caplog, translations
) -> None:
    language.use_translations_dir(tmp_path)
    assert apply_language("ja") == "en"
    assert current_language() == "en"
    assert "the ja interface is not available" in caplog.text


def test_the_workstations_language_is_the_first_offered_of_the_systems(monkeypatch) -> None:
    for preferred, expected in (
        (["ja-JP", "ja"], "ja"),
        (["de-DE", "ja-Jpan-JP"], "ja"),
        (["fr-FR", "fr"], "en"),
        (["C"], "en"),
    ):
        system = SimpleNamespace(uiLanguages=lambda preferred=preferred: preferred)
        monkeypatch.setattr(language, "QLocale", SimpleNamespace(system=lambda s=system: s))
        assert language.system_language() == expected


def test_a_translated_interface_writes_dates_its_way_and_english_keeps_the_workstations(
    translations,
) -> None:
    before = QLocale().name()
    apply_language("ja")
    assert QLocale().language() == QLocale.Language.Japanese
    assert language.interface_locale().createSeparatedList(["日本", "韓国"]) == "日本、韓国"
    apply_language("en")
    assert QLocale().name() == before
    assert language.interface_locale().createSeparatedList(["Japan", "South Korea"]) == (
        "Japan and South Korea"
    )


def test_a_script_the_system_cannot_draw_gets_the_shipped_font(monkeypatch) -> None:
    added: list[str] = []
    monkeypatch.setattr(language.QFontDatabase, "families", lambda *_args: [])
    monkeypatch.setattr(
        language.QFontDatabase, "addApplicationFont", lambda path: added.append(path) or 0
    )
    registered = language.register_missing_fonts()
    # Japanese and Chinese from the one CJK font, Korean from its own.
    assert [path.name for path in registered] == ["DroidSansFallbackFull.ttf", "NanumSquareR.ttf"]
    assert added == [str(path) for path in registered]


@shown_window
def test_a_consultation_runs_in_japanese(qtbot, sqlite_db, home, staff, translations) -> None:
    ctx, doctor = staff["ctx"], staff["practitioner"]
    user_service.set_interface_language(ctx.signed_in(doctor), "ja")
    clinic = {
        "products": {"ha_filler": factories.product(ctx, staff["manager"], "ha_filler", "Volbella")}
    }
    person = factories.patient(ctx, doctor)
    window = open_window(qtbot, sqlite_db, home)
    window.show()
    _sign_in(window, "doc")
    tabs = window.workspace.clinical
    assert tabs is not None
    tabs.show_patient(person)
    qtbot.waitUntil(lambda: tabs.patient_page.status.text() == "カウンセリング 0 件")
    assert tabs.patient_page.start_button.text() == "カウンセリングを開始(&S)"
    tabs.patient_page.start_button.click()
    qtbot.waitUntil(lambda: tabs.consultation.wizard is not None)
    wizard = tabs.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    assert wizard.next_button.text() == "次へ(&N)"
    assert wizard.treatments_page.rows[0].title.text() == "施術 1"
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    assert wizard.page == "intake"
    pregnant = wizard.intake_page.questions["pregnant"]
    assert pregnant.group is not None
    # The patient reads English; the Japanese desk's word is beside each answer.
    assert [button.text() for button in pregnant.group.buttons()][:2] == [
        "Yes (はい)",
        "No (いいえ)",
    ]
    click_answer(pregnant, "no")
    wizard.next_button.click()
    qtbot.waitUntil(lambda: not wizard.busy)
    assert "回答が必要です" in wizard.message.text()  # the rest of the intake is still to do


@shown_window
def test_a_japanese_desk_writes_dates_names_and_the_status_bar_in_japanese(
    qtbot, sqlite_db, home, staff, translations
) -> None:
    """Pages made at sign-in follow the language's formats (the window was made in the
    workstation's locale before anyone signed in), and the knowledge base's names
    (sex at birth, treatments) are the Japanese ones."""
    factories.patient(staff["ctx"], staff["reception"])
    user_service.set_interface_language(staff["ctx"].signed_in(staff["practitioner"]), "ja")
    window = open_window(qtbot, sqlite_db, home)
    with qtbot.waitExposed(window):
        window.show()
    assert window.database_status.text().startswith("Embedded database: ")
    _sign_in(window, "doc")
    today = window.workspace.pages["today"]
    qtbot.waitUntil(lambda: "年" in today.title.text() and "月" in today.title.text())
    assert window.locale().language() == QLocale.Language.Japanese
    assert window.database_status.text().startswith("埋め込みデータベース: ")
    patients = window.workspace.patients
    qtbot.waitUntil(lambda: patients.model.rowCount() == 1, timeout=10000)
    sex = patients.model.index(0, patients.model.COL_SEX).data()
    assert sex == "女性"
    window.sign_out()
    qtbot.waitUntil(lambda: window.database_status.text().startswith("Embedded database: "))
    assert window.locale().language() != QLocale.Language.Japanese or (
        QLocale.system().language() == QLocale.Language.Japanese
    )
