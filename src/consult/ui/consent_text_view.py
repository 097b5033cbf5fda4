"""Read-only view of a consent text that notices when it has been read to the end."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

_STYLE_SHEET = """
h1 { font-size: x-large; font-weight: 600; margin-top: 0px; margin-bottom: 10px; }
h2 { font-size: large; font-weight: 600; margin-top: 16px; margin-bottom: 6px; }
p { margin-top: 0px; margin-bottom: 8px; }
ul { margin-top: 0px; margin-bottom: 8px; }
li { margin-bottom: 3px; }
"""


def _body_html(text: str) -> str:
    """Plain text to HTML: blank lines separate paragraphs, "- " lines make a list."""
    parts: list[str] = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        bullets = [line for line in lines if line[:2] in ("- ", "• ", "* ")]
        if len(bullets) == len(lines):
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{'<br/>'.join(html.escape(line) for line in lines)}</p>")
    return "\n".join(parts)


def consent_html(sections: Sequence[tuple[str, str]], title: str = "") -> str:
    """HTML for a consent text: an optional title, then (heading, body) sections.

    Bodies are plain text (escaped here): paragraphs separated by a blank line,
    and a paragraph whose every line starts with "- " becomes a bulleted list.
    """
    parts: list[str] = []
    if title:
        parts.append(f"<h1>{html.escape(title)}</h1>")
    for heading, body in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(_body_html(body))
    return "\n".join(parts)


class ConsentTextView(QTextBrowser):
    """Shows the consent text and emits :attr:`reachedEnd` once it has been read.

    "Read" means the view has been scrolled to the bottom (with the mouse wheel,
    the scroll bar or the keyboard: PageDown, End, Space), or that the whole text
    fits without scrolling once the view is on screen.  The signal is emitted
    once per text; setting a new text starts over.  Links never navigate away
    from the consent text (they are only reported by ``anchorClicked``).

    Signals:
        reachedEnd: the end of the current text has been reached for the first time.
    """

    reachedEnd = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reached = False
        self._loading = False
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Keyboard users tab past the text instead of through its links.
        self.setTabChangesFocus(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document().setDefaultStyleSheet(_STYLE_SHEET)
        self.document().setDocumentMargin(12)
        self.setAccessibleName(self.tr("Consent text"))
        self.setAccessibleDescription(
            self.tr("Read the consent text to the end; signing becomes possible after that.")
        )
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._check_end)
        bar.rangeChanged.connect(self._check_end)
        self.textChanged.connect(self._on_text_changed)

    # ----------------------------------------------------------------- public API
    def has_reached_end(self) -> bool:
        """Whether the end of the current text has been reached."""
        return self._reached

    def set_sections(self, sections: Sequence[tuple[str, str]], title: str = "") -> None:
        """Show a consent text made of (heading, plain-text body) sections."""
        self.setHtml(consent_html(sections, title))

    def setHtml(self, text: str) -> None:
        """Replace the text with HTML; the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).setHtml(text))

    def setPlainText(self, text: str) -> None:
        """Replace the text with plain text; the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).setPlainText(text))

    def setMarkdown(self, markdown: str) -> None:
        """Replace the text with Markdown; the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).setMarkdown(markdown))

    def setText(self, text: str) -> None:
        """Replace the text (HTML or plain, guessed by Qt); the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).setText(text))

    def setSource(
        self,
        name: QUrl | str,
        resource_type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        """Load the text from a local source; the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).setSource(QUrl(name), resource_type))

    def clear(self) -> None:
        """Remove the text; the end has to be reached again."""
        self._replace(lambda: super(ConsentTextView, self).clear())

    # ------------------------------------------------------------------ internals
    def _replace(self, setter: Callable[[], None]) -> None:
        self._loading = True
        try:
            setter()
        finally:
            self._loading = False
        self._reached = False
        self.verticalScrollBar().setValue(0)
        self._check_end()

    def _on_text_changed(self) -> None:
        # Also catches changes made from C++ (e.g. a reload) or through the document.
        self._reached = False
        if not self._loading:
            QTimer.singleShot(0, self, self._check_end)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Home and End (with or without Ctrl) scroll to the start and the end."""
        # A read-only browser has no keyboard cursor, so Qt ignores these keys.
        key = event.key()
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not (
            event.modifiers()
            & ~(Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier)
        ):
            bar = self.verticalScrollBar()
            bar.setValue(bar.minimum() if key == Qt.Key.Key_Home else bar.maximum())
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """A text that fits can only be judged once the view has its real size."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._check_end)

    def _check_end(self) -> None:
        if self._reached or self._loading or not self.isVisible():
            return
        document = self.document()
        if document.isEmpty():
            return
        # Layout of long documents is lazy; asking for the size completes it, so
        # the scroll range below is the final one and not that of the first page.
        document.size()
        if self._reached:
            return
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum():
            self._reached = True
            self.reachedEnd.emit()
