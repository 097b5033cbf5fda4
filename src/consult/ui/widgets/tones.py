"""Colours that carry a meaning (an error, a warning, done, a note), each in a light and a
dark variant, chosen by the application's palette, so that text stays readable when the
system is switched to a dark colour scheme.

Every coloured text also says what it means in words (and usually an icon): the colour
is never the only sign. A widget styled with :func:`style_with_tones` is styled again
when the application's palette changes, so switching between light and dark while
Consult runs recolours it too.
"""

from __future__ import annotations

from string import Template

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

# name: (on a light background, on a dark background). Each pair keeps a contrast of
# at least 4.5:1 with the palette's window and base colours.
TONES: dict[str, tuple[str, str]] = {
    "error": ("#a4161a", "#ff8a80"),
    "warning": ("#8a4b00", "#ffb74d"),
    "info": ("#1d4e89", "#8ab4f8"),
    "question": ("#6a3d9a", "#d0b3ff"),
    "ok": ("#1b6e20", "#81c995"),
    "muted": ("#5c636a", "#a8b0b8"),
    # Backgrounds of notices, each with its text colour above.
    "info_bg": ("#e8f0fa", "#1c2b3f"),
    "question_bg": ("#f3edf9", "#2e2540"),
    "note_bg": ("#fff3cd", "#3d3216"),
    "note_border": ("#e0c36b", "#8a7a3a"),
    "note": ("#664d03", "#ffe08a"),
    # Charts: grid lines and the empty part of a bar.
    "grid": ("#dee2e6", "#4a5058"),
    "track": ("#e9ecef", "#3c4148"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's) has a dark window colour."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: str, palette: QPalette | None = None) -> str:
    """The colour (``#rrggbb``) of ``name`` for the light or dark palette in use."""
    light, dark = TONES[name]
    return dark if is_dark(palette) else light


def qtone(name: str, palette: QPalette | None = None) -> QColor:
    """:func:`tone` as a QColor."""
    return QColor(tone(name, palette))


def tones(palette: QPalette | None = None) -> dict[str, str]:
    """Every tone for the palette in use, by name (for style sheet templates)."""
    variant = 1 if is_dark(palette) else 0  # the palette read once, not once per tone
    return {name: pair[variant] for name, pair in TONES.items()}


class _Restyler(QObject):
    """Styles a widget again when the application's palette changes."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.PaletteChange,
        ) and isinstance(watched, QWidget):
            _apply(watched)
        return False


_restyler: _Restyler | None = None
_TEMPLATE = "consult_tone_template"


def _apply(widget: QWidget) -> None:
    template = widget.property(_TEMPLATE)
    if not isinstance(template, str):
        return
    sheet = Template(template).substitute(tones())
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def style_with_tones(widget: QWidget, template: str) -> None:
    """Give ``widget`` the style sheet ``template`` with ``$error``, ``$ok``… replaced by
    the tones in use, now and whenever the application's palette changes; an empty
    template clears the style sheet."""
    global _restyler
    if _restyler is None:
        _restyler = _Restyler()
    widget.setProperty(_TEMPLATE, template)
    if template:
        widget.installEventFilter(_restyler)
    else:
        widget.removeEventFilter(_restyler)
    sheet = Template(template).substitute(tones())
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def tone_span(name: str, text: str) -> str:
    """Rich text: ``text`` (already escaped) in the colour of ``name``."""
    return f"<span style='color:{tone(name)}'>{text}</span>"


__all__ = [
    "TONES",
    "is_dark",
    "qtone",
    "style_with_tones",
    "tone",
    "tone_span",
    "tones",
]
