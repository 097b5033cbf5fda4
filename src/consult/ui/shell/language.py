"""The interface language: Qt's translators for Consult's words and for Qt's own.

The interface speaks the workstation's language (:func:`system_language`, from
``QLocale.system()``) until someone signs in, then the language the user chose
(File > Language…, kept on their account), and the workstation's again after they sign
out. Only the desk user's interface is translated here; what the patient reads follows
the patient's language, elsewhere.

Consult's words are ``consult_<lang>.qm`` and Qt's own (standard buttons, the colour and
file dialogs) ``qtbase_<lang>.qm``, both in ``resources/translations`` where
``tools/translations.py build`` puts them (CI before the tests, ``packaging/build.py``
before the bundle). A language whose files are missing falls back to English, logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase

from consult import resources

_log = logging.getLogger(__name__)

ENGLISH: Final = "en"
"""The language the interface is written in: no translator."""

LANGUAGES: Final[Mapping[str, str]] = MappingProxyType({"en": "English", "ja": "日本語"})
"""The interface languages offered, each named in itself (as a language menu lists them)."""

_CATALOGS: Final = ("consult", "qtbase")
_SHIPPED_FONTS: Final[tuple[tuple[QFontDatabase.WritingSystem, str], ...]] = (
    (QFontDatabase.WritingSystem.Japanese, "DroidSansFallbackFull.ttf"),
    (QFontDatabase.WritingSystem.SimplifiedChinese, "DroidSansFallbackFull.ttf"),
    (QFontDatabase.WritingSystem.Korean, "NanumSquareR.ttf"),
)
"""The fonts shipped for the consent form that also draw these scripts on screen (the
Japanese interface, and patients' names in any of them), registered when the system has
no font for the script (a bare Linux or a container)."""


class _Installed:
    """The translators in force, and the language they are for."""

    def __init__(self) -> None:
        self.language: str | None = None  # None: nothing installed, the source English
        self.translators: list[QTranslator] = []
        self.directory: Path | None = None
        self.fonts_checked = False
        self.workstation_locale: QLocale | None = None  # the default before ours


_installed = _Installed()


def use_translations_dir(directory: Path | None) -> None:
    """Load the .qm files from ``directory`` (None: the shipped resources/translations).
    Tests point it at the files they built; the next :func:`apply_language` uses it."""
    _installed.directory = directory


def translations_dir() -> Path:
    """Where the .qm files are read from."""
    return _installed.directory or resources.path("translations")


def system_language() -> str:
    """The workstation's language among those offered: the first of the system's
    preferred interface languages that Consult speaks, English otherwise."""
    for name in QLocale.system().uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return ENGLISH


def current_language() -> str:
    """The language the interface speaks now."""
    return _installed.language or ENGLISH


def interface_locale() -> QLocale:
    """The locale of the interface language: a list or a number said in a sentence of
    the interface follows its words ("Japan and South Korea", 「日本、韓国」)."""
    return QLocale(current_language())


def apply_language(language: str | None) -> str:
    """Speak ``language`` (None, or one not offered: the workstation's) from now on;
    return the language in force.

    Installing a translator sends every widget a ``LanguageChange`` event: a widget that
    keeps its texts (the main window's menus) sets them again then; pages are built anew.
    """
    wanted = language if language is not None and language in LANGUAGES else system_language()
    if wanted == _installed.language:
        return wanted
    loaded = _load(wanted)
    if loaded is None:
        _log.warning(
            "the %s interface is not available (no %s in %s): English is used",
            wanted,
            f"consult_{wanted}.qm",
            translations_dir(),
        )
        wanted, loaded = ENGLISH, _load(ENGLISH) or []
    _remove_translators()
    _use_locale(wanted)
    for translator in loaded:
        QCoreApplication.installTranslator(translator)
    _installed.translators = loaded
    _installed.language = wanted
    ensure_script_fonts()
    return wanted


def reset_language() -> None:
    """Remove every translator (back to the source English; the app's end, and tests)."""
    _remove_translators()
    _use_locale(ENGLISH)
    _installed.language = None


def _use_locale(language: str) -> None:
    """Dates, numbers and lists written the interface language's way: a translated
    interface sets the default locale to its language (pages built from now on follow
    it: 「2026年12月1日」, dates typed as 2026/12/01); English keeps the workstation's."""
    if language == ENGLISH:
        if _installed.workstation_locale is not None:
            QLocale.setDefault(_installed.workstation_locale)
            _installed.workstation_locale = None
        return
    if _installed.workstation_locale is None:
        _installed.workstation_locale = QLocale()
    QLocale.setDefault(QLocale(language))


def _remove_translators() -> None:
    for translator in _installed.translators:
        QCoreApplication.removeTranslator(translator)
    _installed.translators = []


def _load(language: str) -> list[QTranslator] | None:
    """The translators of ``language`` (None if Consult's own is missing): Consult's and
    Qt's; none for English, the language the strings are written in."""
    if language == ENGLISH:
        return []
    directory = translations_dir()
    translators = []
    for catalog in _CATALOGS:
        translator = QTranslator()
        if translator.load(str(directory / f"{catalog}_{language}.qm")):
            translators.append(translator)
        elif catalog == "consult":
            return None
        else:
            _log.warning("Qt's own %s words are missing from %s", language, directory)
    return translators


def ensure_script_fonts() -> None:
    """Register the shipped fonts for the scripts the system has no font for (once): the
    Japanese interface, and the names of patients written in Japanese, Chinese or Korean,
    must never show as empty boxes."""
    if not _installed.fonts_checked:
        _installed.fonts_checked = True
        register_missing_fonts()


def register_missing_fonts() -> list[Path]:
    """Register each shipped font whose script no installed font draws; the fonts
    registered (a failure is logged: that script may show as boxes)."""
    added: list[Path] = []
    for writing_system, font_file in _SHIPPED_FONTS:
        path = resources.path("fonts", font_file)
        if path in added or QFontDatabase.families(writing_system):
            continue
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            _log.warning(
                "the font %s could not be registered: %s may not show", path, writing_system
            )
            continue
        added.append(path)
    return added
