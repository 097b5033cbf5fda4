"""Read-only view of a consent text that notices when every section has been shown.

Reading is counted, not assumed: while the view is visible, every line of text that
appears in it is marked as shown. A section counts as read once each of its lines has
been on screen; jumping to the end (Ctrl+End, dragging the scroll bar to the bottom)
scrolls, but the sections jumped over stay unread. The view then says, in a bar at its
bottom, which sections were skipped, and offers to go to the first of them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent, QTextBlock, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from consult.ui.widgets.tones import style_with_tones, tone

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


def _mark_html(mark: str) -> str:
    """A passage's untranslated mark: its own paragraph, in the warning tone, italic."""
    colour = tone("warning")
    return f'<p style="color: {colour};"><i>{html.escape(mark)}</i></p>'


def consent_html(
    sections: Sequence[tuple[str, str]],
    title: str = "",
    marks: Mapping[int, str] | None = None,
) -> str:
    """HTML for a consent text: an optional title, then (heading, body) sections.

    Bodies are plain text (escaped here): paragraphs separated by a blank line,
    and a paragraph whose every line starts with "- " becomes a bulleted list.
    ``marks`` notes, by position (0 for the title, 1 for the first section), the passages
    shown in English for want of a translation: each note goes under its heading, so it
    is read (and counted as read) with the passage.
    """
    marks = marks or {}
    parts: list[str] = []
    if title:
        parts.append(f"<h1>{html.escape(title)}</h1>")
        if 0 in marks:
            parts.append(_mark_html(marks[0]))
    for number, (heading, body) in enumerate(sections, 1):
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if number in marks:
            parts.append(_mark_html(marks[number]))
        parts.append(_body_html(body))
    return "\n".join(parts)


@dataclass
class Section:
    """A part of the text that begins with a heading: its blocks, and what has been shown.

    ``shown`` holds, for each block of the section that has text, one flag per
    character position (UTF-16 units, as Qt counts them): set once the line holding
    that character has been on screen.
    """

    name: str
    blocks: list[int] = field(default_factory=list)  # block numbers
    shown: dict[int, bytearray] = field(default_factory=dict)
    read: bool = False

    def check(self) -> bool:
        """Whether every character of the section has been shown (remembered once true)."""
        if not self.read:
            self.read = all(0 not in flags for flags in self.shown.values())
        return self.read


def _sections_of(document: QTextDocument, untitled: str) -> list[Section]:
    """The sections of ``document``: each heading starts one, and a heading followed
    directly by another (a title above the first section) belongs to the next one."""
    sections: list[Section] = []
    pending: list[int] = []  # heading blocks waiting for the section they introduce
    block = document.begin()
    while block.isValid():
        text = block.text()
        size = block.length() - 1
        if block.blockFormat().headingLevel() > 0 and text.strip():
            pending.append(block.blockNumber())
        elif size > 0 and text.strip():
            if pending:
                heading = document.findBlockByNumber(pending[-1]).text().strip()
                sections.append(Section(heading))
            elif not sections:
                sections.append(Section(untitled))
            for number in [*pending, block.blockNumber()]:
                sections[-1].blocks.append(number)
                owner = document.findBlockByNumber(number)
                sections[-1].shown[number] = bytearray(owner.length() - 1)
            pending = []
        block = block.next()
    if pending:  # headings at the very end, with nothing under them
        heading = document.findBlockByNumber(pending[-1]).text().strip()
        section = Section(heading)
        for number in pending:
            section.blocks.append(number)
            section.shown[number] = bytearray(document.findBlockByNumber(number).length() - 1)
        sections.append(section)
    return sections


class ReadingBar(QFrame):
    """The bar at the bottom of the view: which sections were skipped, and a way to them."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("readingBar")
        style_with_tones(
            self,
            "#readingBar { background: $note_bg; border-top: 1px solid $note_border; }"
            " #readingBar QLabel { color: $note; }",
        )
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setAccessibleName(self.tr("Sections not read yet"))
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self.tr("&Go to the first unread section"), self)
        self.button.setAccessibleName(self.tr("Go to the first unread section"))
        self.button.setAutoDefault(False)
        layout.addWidget(self.button)
        self.hide()


class ConsentTextView(QTextBrowser):
    """Shows the consent text and emits :attr:`reachedEnd` once all of it has been shown.

    "Shown" means that, while the view was visible, every line of every section was in
    its viewport at some moment: scrolling through with the mouse wheel, the scroll bar,
    PageDown or Space counts; a text that fits counts once the view is on screen, and so
    does a window made large enough to show everything at once. Jumping (Ctrl+End,
    End, a click low in the scroll bar's groove) scrolls too, but what is jumped over
    is not counted: the view then lists the sections still unread and offers to go to
    the first of them. The signal is emitted once per text; setting a new text starts
    over. Links never navigate away from the consent text (they are only reported by
    ``anchorClicked``).

    Signals:
        reachedEnd: every section of the current text has now been shown.
        unreadChanged: the names of the sections still unread changed (a list of str).
    """

    reachedEnd = Signal()
    unreadChanged = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reached = False
        self._loading = False
        self._sections: list[Section] = []
        self._unread: list[str] = []
        self._stale = True  # the sections must be found again (the text changed)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Keyboard users tab past the text instead of through its links.
        self.setTabChangesFocus(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.document().setDefaultStyleSheet(_STYLE_SHEET)
        self.document().setDocumentMargin(12)
        self.setAccessibleName(self.tr("Consent text"))
        self._description = self.tr(
            "Read the consent text to the end; signing becomes possible once every "
            "section has been shown."
        )
        self.setAccessibleDescription(self._description)
        self.reading_bar = ReadingBar(self)
        self.reading_bar.button.clicked.connect(self.go_to_first_unread)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._update)
        bar.rangeChanged.connect(self._update)
        self.textChanged.connect(self._on_text_changed)

    # ----------------------------------------------------------------- public API
    def has_reached_end(self) -> bool:
        """Whether every section of the current text has been shown."""
        return self._reached

    def section_names(self) -> list[str]:
        """The sections of the current text, in order (named by their headings)."""
        self._refresh_sections()
        return [section.name for section in self._sections]

    def unread_sections(self) -> list[str]:
        """The sections not entirely shown yet, in order."""
        self._refresh_sections()
        return [section.name for section in self._sections if not section.check()]

    def skipped_sections(self) -> list[str]:
        """The unread sections that begin above what is shown now: jumped over."""
        self._refresh_sections()
        self.document().size()  # complete the layout: line positions are final
        top = self.verticalScrollBar().value()
        return [
            section.name
            for section in self._sections
            if not section.check() and self._first_unshown_y(section) < top
        ]

    def go_to_first_unread(self) -> None:
        """Scroll to the first line not shown yet of the first unread section."""
        self._refresh_sections()
        self.document().size()
        for section in self._sections:
            if not section.check():
                y = self._first_unshown_y(section)
                line = self.fontMetrics().lineSpacing()
                self.verticalScrollBar().setValue(max(0, int(y) - line))
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def set_sections(
        self,
        sections: Sequence[tuple[str, str]],
        title: str = "",
        marks: Mapping[int, str] | None = None,
    ) -> None:
        """Show a consent text made of (heading, plain-text body) sections, each passage
        shown in English for want of a translation marked (see :func:`consent_html`)."""
        self.setHtml(consent_html(sections, title, marks))

    def setHtml(self, text: str) -> None:
        """Replace the text with HTML; it has to be read again."""
        self._replace(lambda: super(ConsentTextView, self).setHtml(text))

    def setPlainText(self, text: str) -> None:
        """Replace the text with plain text; it has to be read again."""
        self._replace(lambda: super(ConsentTextView, self).setPlainText(text))

    def setMarkdown(self, markdown: str) -> None:
        """Replace the text with Markdown; it has to be read again."""
        self._replace(lambda: super(ConsentTextView, self).setMarkdown(markdown))

    def setText(self, text: str) -> None:
        """Replace the text (HTML or plain, guessed by Qt); it has to be read again."""
        self._replace(lambda: super(ConsentTextView, self).setText(text))

    def setSource(
        self,
        name: QUrl | str,
        resource_type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        """Load the text from a local source; it has to be read again."""
        self._replace(lambda: super(ConsentTextView, self).setSource(QUrl(name), resource_type))

    def clear(self) -> None:
        """Remove the text; the next one has to be read."""
        self._replace(lambda: super(ConsentTextView, self).clear())

    # ------------------------------------------------------------------ internals
    def _replace(self, setter: Callable[[], None]) -> None:
        self._loading = True
        try:
            setter()
        finally:
            self._loading = False
        self._forget()
        self.verticalScrollBar().setValue(0)
        self._update()

    def _forget(self) -> None:
        self._reached = False
        self._sections = []
        self._stale = True

    def _on_text_changed(self) -> None:
        # Also catches changes made from C++ (e.g. a reload) or through the document.
        self._forget()
        if not self._loading:
            QTimer.singleShot(0, self, self._update)

    def _refresh_sections(self) -> None:
        if self._stale:
            self._sections = _sections_of(self.document(), self.tr("The text"))
            self._stale = False

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
        """What is on screen can only be judged once the view has its real size."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._update)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A larger view shows more at once; the bar stays at the bottom."""
        super().resizeEvent(event)
        self._place_bar()
        QTimer.singleShot(0, self, self._update)

    def _place_bar(self) -> None:
        bar = self.reading_bar
        if not bar.isVisibleTo(self):
            return
        viewport = self.viewport().geometry()
        height = bar.sizeHint().height()
        bar.setGeometry(viewport.left(), viewport.bottom() + 1, viewport.width(), height)

    def _first_unshown_y(self, section: Section) -> float:
        """Where (in document coordinates) the first line not shown of ``section`` is."""
        document = self.document()
        layout = document.documentLayout()
        for number in section.blocks:
            flags = section.shown[number]
            if 0 not in flags:
                continue
            block = document.findBlockByNumber(number)
            top = layout.blockBoundingRect(block).top()
            text_layout = block.layout()
            for index in range(text_layout.lineCount()):
                line = text_layout.lineAt(index)
                start, length = line.textStart(), line.textLength()
                if 0 in flags[start : start + length]:
                    return top + line.y()
            return top
        return 0.0

    def _on_screen(self, offset: int) -> tuple[float, float] | None:
        """The part of the document in view (top, bottom) when scrolled to ``offset``,
        or None if the view is not on screen."""
        if not self.isVisible() or self.window().isMinimized():
            return None
        visible = self.viewport().visibleRegion().boundingRect()
        if visible.isEmpty():
            return None
        return offset + visible.top(), offset + visible.bottom() + 1

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """What was in view until this scroll was on screen: count it before it goes."""
        if not self._loading and not self._reached and self._sections:
            self._record_shown(self.verticalScrollBar().value() + dy)
        super().scrollContentsBy(dx, dy)

    def _record_shown(self, offset: int | None = None) -> None:
        """Mark every line in the viewport (scrolled to ``offset``, or as it is now) as shown."""
        shown = self._on_screen(self.verticalScrollBar().value() if offset is None else offset)
        if shown is None:
            return
        top, bottom = shown
        document = self.document()
        layout = document.documentLayout()
        for section in self._sections:
            if section.read:
                continue
            for number in section.blocks:
                flags = section.shown[number]
                if 0 not in flags:
                    continue
                block = document.findBlockByNumber(number)
                self._mark_lines(block, layout.blockBoundingRect(block).top(), flags, top, bottom)

    @staticmethod
    def _mark_lines(
        block: QTextBlock, block_top: float, flags: bytearray, top: float, bottom: float
    ) -> None:
        text_layout = block.layout()
        for index in range(text_layout.lineCount()):
            line = text_layout.lineAt(index)
            line_top = block_top + line.y()
            if line_top + line.height() > top and line_top < bottom:
                start, length = line.textStart(), line.textLength()
                flags[start : start + length] = b"\x01" * len(flags[start : start + length])

    def _update(self) -> None:
        if self._loading:
            return
        document = self.document()
        if document.isEmpty():
            self._forget()
            self._show_unread([])
            return
        self._refresh_sections()
        # Layout of long documents is lazy; asking for the size completes it, so the
        # line positions below are the final ones and not those of the first page.
        document.size()
        if not self._reached:
            self._record_shown()
        unread = [section.name for section in self._sections if not section.check()]
        self._show_unread(unread)
        if not unread and not self._reached and self._sections:
            self._reached = True
            self.reachedEnd.emit()

    def _show_unread(self, unread: list[str]) -> None:
        if unread != self._unread:
            self._unread = unread
            self.unreadChanged.emit(list(unread))
        skipped = self.skipped_sections() if unread else []
        bar = self.reading_bar
        if skipped:
            listed = ", ".join(skipped[:3])
            if len(skipped) > 3:
                listed += self.tr(" and %n more", "", len(skipped) - 3)
            text = self.tr("Not shown yet: %1. Every section must be read before signing.")
            bar.label.setText(text.replace("%1", listed))
            self.setAccessibleDescription(bar.label.text())
        else:
            self.setAccessibleDescription(self._description)
        if bool(skipped) != bar.isVisibleTo(self):
            bar.setVisible(bool(skipped))
            height = bar.sizeHint().height() if skipped else 0
            self.setViewportMargins(0, 0, 0, height)
            self._place_bar()
