"""The signed consent form as a PDF (ReportLab platypus), and its printed copies.

The PDF is a rendering of the sealed consent record's canonical document: it adds
labels and layout, never words the patient did not see. The names of the ids the
document holds (route, product source, qualification, jurisdiction, sex at birth) are
the knowledge base's (:class:`Labels`), the one home of that vocabulary. It is written
for the patient: no rule ids, no practitioner's messages (each finding prints its
``patient_risk`` sentence), no internal ids and no hashes but the short one in the
footer and the QR code; times are printed in the clinic's time zone (given by the
caller; by default the workstation's), with its name, though the record keeps them in
UTC. Rendering is deterministic (the same document, names and time zone always give
the same bytes). Only new signatures are rendered: a stored PDF is never rendered again,
so a form keeps the names it was signed with.

The form is printed in the patient's language, the record's ``language`` (absent: English,
as every form sealed before issue 18): the texts the patient read are the record's, in
that language, and the form's own labels come from a catalog of translations
(:mod:`consult.documents.form_words`), dates are written the language's way
(:mod:`consult.domain.local_dates`), and a consent section the record flags
``untranslated`` (English standing in for a missing translation) carries a mark saying
so, in the patient's language. A Japanese form wraps its paragraphs the CJK way (a line
may break between any two characters, with ReportLab's kinsoku rules keeping closing
punctuation off a line's start) and names its language (``/Lang``) for screen readers.

The form is an archival record (PDF/A-3b, :mod:`consult.documents.pdfa`): its metadata
says so, its colours are sRGB, and the sealed record's canonical JSON travels inside it
as an associated file, whose SHA-256 is the one printed. It is a tagged PDF
(:mod:`consult.documents.pdf_tags`): headings, paragraphs, tables with their header
cells and the signatures as figures with alternate text, in reading order, so that a
screen reader reads it. It is printed on A4, or US Letter (:mod:`consult.documents.paper`),
with the same measure of text on both.

A printed copy is the stored PDF with a mark drawn over every page (:func:`stamp_copy`):
"Copy" and the date, or a VOID or WITHDRAWN watermark with the date and the reason. The
stored bytes are only read. :func:`render_reception_view` is what reception may see on
screen: who signed what, without the health answers, findings or consent text.

Fonts: DejaVu Sans for Latin, Greek and Cyrillic; Droid Sans Fallback for CJK and Nanum
Square for Hangul. ReportLab has no font fallback of its own, so every text run is split
by which font has its glyphs and wrapped in ``<font name=...>`` (see :func:`markup`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Final, Protocol, cast
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from consult import resources
from consult.documents import pdf_tags, pdfa
from consult.documents.form_words import FormWords, form_words
from consult.documents.paper import A4, Paper
from consult.documents.qr_code import qr_modules
from consult.domain import phones
from consult.domain.consent_signers import signers_of
from consult.domain.knowledge_model import LabelKind
from consult.domain.knowledge_texts import SOURCE_LANGUAGE, KnowledgeTexts
from consult.domain.local_dates import format_date, format_date_text, format_moment
from consult.domain.states import ConsentState

__all__ = [
    "CopyMark",
    "Labels",
    "markup",
    "prepare_fonts",
    "render_consent_pdf",
    "render_reception_view",
    "stamp_copy",
]

FONT_REGULAR: Final = "ConsultSans"
FONT_BOLD: Final = "ConsultSans-Bold"
FONT_CJK: Final = "ConsultCJK"
FONT_HANGUL: Final = "ConsultHangul"

_FONT_FILES: Final = {
    FONT_REGULAR: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_CJK: "DroidSansFallbackFull.ttf",
    FONT_HANGUL: "NanumSquareR.ttf",
}

PAGE_WIDTH, PAGE_HEIGHT = A4.width, A4.height
MARGIN_X: Final = 16 * mm
MARGIN_TOP: Final = 16 * mm
MARGIN_BOTTOM: Final = 20 * mm  # room for the footer
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN_X
"""The measure of the text, A4's less its margins, on any paper (Letter's wider sheet
has wider margins), so that a form's lines break the same on both."""
CJK_WRAPPED: Final = frozenset({"ja", "zh"})
"""The languages written without spaces between words: their paragraphs may break a
line between any two characters (ReportLab's CJK wrapping, with its kinsoku rules)."""
_HEADINGS: Final = {"title": "H1", "h2": "H2", "h3": "H3"}
"""The structure element of a paragraph in each heading style; the rest are P."""

INK: Final = colors.HexColor("#1a1a1a")
MUTED: Final = colors.HexColor("#555555")
RULE: Final = colors.HexColor("#9a9a9a")
BAND: Final = colors.HexColor("#ececec")
_UNTRANSLATED_INK: Final = colors.HexColor("#7a4a00")
_UNTRANSLATED_MARK: Final = "* "
"""The mark of a passage printed in English for want of a translation: set apart from
the text it stands before, not alarming."""

# Severity is always printed as a word (the catalog's ``severity.<level>``); the tint
# only helps a reader scanning the page.
_SEVERITY_TINTS: Final = {
    "absolute": colors.HexColor("#f4d6d6"),
    "relative": colors.HexColor("#f7e6c8"),
    "caution": colors.HexColor("#e6ecf5"),
}
# Japan's label is the one printed before KR existed: a reprint must give the same bytes.
_PLAN_LABELS: Final = {"KR": "header.plan_number_kr"}
_PLAN_LABEL: Final = "header.plan_number"

# ReportLab's global state (font registry, rl_config) is not thread-safe, and the app
# renders off the GUI thread.
RENDER_LOCK = threading.Lock()


# --------------------------------------------------------------------------- fonts


class _TTFont(TTFont):  # type: ignore[misc]  # reportlab is untyped
    """A TrueType font that remembers the widths it has measured.

    Laying a form out measures the same words many times over (every paragraph is
    wrapped at least twice: to find where it fits, then to draw it), and ReportLab
    without its C accelerator adds each one up glyph by glyph in Python.
    """

    _MAX_WIDTHS = 50_000

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[tuple[str, float, str], float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            width = super().stringWidth(text, size, encoding)
            if len(self._widths) >= self._MAX_WIDTHS:
                self._widths.clear()
            self._widths[key] = width
        return float(width)


@dataclass(frozen=True)
class FontChain:
    """The base font's coverage and the fallbacks, in the order they are tried."""

    base: frozenset[int]
    fallbacks: tuple[tuple[str, frozenset[int]], ...]
    base_chars: frozenset[str]
    """The base font's characters, and every space: text made of these alone is one run
    in the base font."""


@functools.cache
def font_chain() -> FontChain:
    """Register the embedded fonts once per process; parsing the CJK font is the slow part."""
    coverage: dict[str, frozenset[int]] = {}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in _FONT_FILES.items():
        if name in registered:
            font = pdfmetrics.getFont(name)
        else:
            font = _TTFont(name, str(resources.path("fonts", filename)))
            pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    # Map <b> inside each family to the right face; the fallbacks have no bold face, so
    # bold CJK prints in the regular weight rather than as missing glyphs.
    pdfmetrics.registerFontFamily(
        FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD, italic=FONT_REGULAR, boldItalic=FONT_BOLD
    )
    for name in (FONT_CJK, FONT_HANGUL):
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    base = coverage[FONT_REGULAR] & coverage[FONT_BOLD]
    spaces = (chr(code) for code in range(0x3001) if chr(code).isspace())
    return FontChain(
        base=base,
        fallbacks=((FONT_CJK, coverage[FONT_CJK]), (FONT_HANGUL, coverage[FONT_HANGUL])),
        base_chars=frozenset(itertools.chain(map(chr, base), spaces)),
    )


def prepare_fonts() -> None:
    """Parse and register the fonts now (about 0.2 s, the CJK font most of it), so that
    the first form signed in a session does not wait for them: the app calls this off
    the GUI thread once its window is up. Safe from any thread."""
    with RENDER_LOCK:
        font_chain()


def _font_for(char: str, chain: FontChain) -> str | None:
    code = ord(char)
    if code in chain.base or char.isspace():
        return None
    for name, cover in chain.fallbacks:
        if code in cover:
            return name
    return None  # no font has it: leave it to the base font (prints a .notdef box)


def _runs(text: str) -> Iterator[tuple[str | None, str]]:
    """Split text into (fallback font or None for the base font, run) pairs."""
    chain = font_chain()
    if chain.base_chars.issuperset(text):  # most text: no fallback font at all
        if text:
            yield None, text
        return
    current: str | None = None
    start = 0
    for i, char in enumerate(text):
        font = _font_for(char, chain)
        # Spaces belong to whichever run they are in, so "山田 花子" stays one run.
        if char.isspace() or font == current:
            continue
        if i > start:
            yield current, text[start:i]
        current, start = font, i
    if start < len(text):
        yield current, text[start:]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def markup(text: object) -> str:
    """Paragraph markup for user text: escaped, newlines kept, fallback fonts per run.

    ``O'Brien <b>&`` prints literally; CJK and Hangul runs are wrapped in the font that
    has their glyphs.
    """
    plain = _CONTROL.sub(" ", "" if text is None else str(text).replace("\r\n", "\n"))
    parts: list[str] = []
    for font, run in _runs(plain):
        escaped = escape(run).replace("\n", "<br/>")
        parts.append(escaped if font is None else f'<font name="{font}">{escaped}</font>')
    return "".join(parts)


def needs_cjk_wrap(text: str) -> bool:
    # CJK text has no spaces to break at; without CJK wrapping a long address overflows.
    chain = font_chain()
    others = set(text).difference(chain.base_chars)
    return any(_font_for(c, chain) is not None for c in others)


_MAX_PARSED = 4096
_parsed: dict[tuple[str, int, str | None], tuple[ParagraphStyle, ParagraphStyle, list[Any]]] = {}
"""Paragraph markup already parsed, by (text, style, bullet): the style, the style as
parsed, and the fragments, copied for each new paragraph."""


def _copy(frag: Any) -> Any:
    """A paragraph fragment's own copy (its lists too: links, underlines).

    What ReportLab's ``clone`` makes (an object of the fragment's class holding the same
    attributes), made without calling the class's constructor again.
    """
    copy = object.__new__(type(frag))
    copy.__dict__.update(
        {
            name: list(value) if isinstance(value, list) else value
            for name, value in frag.__dict__.items()
        }
    )
    return copy


class _Para(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose markup is parsed once, laid out once per width.

    Most of a form's paragraphs are the same on every form (labels, the consent text of
    a treatment) or on one form (yes, no): the markup parser, ReportLab's slowest step
    before layout, runs once for each text and style, and each paragraph gets its own
    copies of the fragments. Platypus then wraps a paragraph several times at the same
    width: a table measures its cells and wraps them again to draw them, KeepTogether
    measures what it keeps before the frame places each part. The lines depend on the
    width alone (the text and style do not change), so a wrap at the width of the last
    one keeps its lines.
    """

    _wrapped: tuple[float, Any] | None = None
    lang: str | None = None
    """The paragraph's language where it is not the form's (English standing in)."""

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,
        frags: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if frags is not None or kwargs or text is None:  # a split: fragments given
            super().__init__(text, style, bulletText, frags, **kwargs)
            return
        key = (text, id(style), bulletText)
        found = _parsed.get(key)
        if found is None or found[0] is not style:
            super().__init__(text, style, bulletText)
            if self.bulletText != (bulletText or getattr(style, "bulletText", None)):
                return  # the markup had a bullet of its own: not kept
            if len(_parsed) >= _MAX_PARSED:
                _parsed.clear()
            _parsed[key] = (style, self.style, [_copy(frag) for frag in self.frags])
            return
        _, parsed_style, fragments = found
        super().__init__(text, parsed_style, bulletText, [_copy(frag) for frag in fragments])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self.__dict__.get("blPara")
        wrapped = self._wrapped
        if (
            lines is not None
            and wrapped is not None
            and wrapped[1] is lines
            and wrapped[0] == availWidth
        ):
            # What a wrap at this width gives again: the same lines, width and height.
            self.width, self.height = self._size
            return self._size
        # ReportLab is untyped: its wrap gives (width, height).
        self._size: tuple[float, float] = cast(
            tuple[float, float], super().wrap(availWidth, availHeight)
        )
        # A split may drop the lines (no room here) or give a part lines of its own.
        self._wrapped = (availWidth, self.__dict__.get("blPara"))
        return self._size

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Draw the paragraph, tagged as a heading or a paragraph on a tagged canvas."""
        with pdf_tags.tagged(canvas, _HEADINGS.get(self.style.name, "P"), lang=self.lang):
            super().drawOn(canvas, x, y, _sW)


class _Table(Table):  # type: ignore[misc]  # reportlab is untyped
    """A table that is not measured again to give the same size.

    Platypus wraps a table more than once at the same width: KeepTogether measures what
    it keeps, then the frame measures each part to place it (a consent section's
    heading, a signature's details: seventeen of a form's forty measurings). ReportLab
    measures every row again each time. Its measure depends on the width, and on the
    height available only where the table does not fit (it stops at the row that
    overflows): a table measured whole at this width, with at least its height
    available, measures the same again.
    """

    _measured_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if (
            self._measured_width == availWidth
            and self._hmax == self._nrows
            and availHeight > self._height + 0.01
        ):
            self.availWidth = availWidth
            return self._width, self._height
        # ReportLab is untyped: its wrap gives (width, height).
        size = cast(tuple[float, float], super().wrap(availWidth, availHeight))
        self._measured_width = availWidth
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._measured_width = None  # measured again for the split, at that height
        return cast(list[Flowable], super().split(availWidth, availHeight))


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    body_cjk: ParagraphStyle
    small: ParagraphStyle
    small_cjk: ParagraphStyle
    label: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    clinic: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    initials: ParagraphStyle
    footer: ParagraphStyle
    footer_center: ParagraphStyle
    footer_right: ParagraphStyle


@functools.cache
def _styles(cjk: bool = False) -> _Styles:
    """The form's paragraph styles; with ``cjk``, every one wraps the CJK way (the
    Japanese form: labels and headings as well as the texts are in Japanese)."""
    if cjk:
        latin = _styles()
        # The same names (a heading's name is its structure tag), wrapped differently.
        return _Styles(
            **{
                name: ParagraphStyle(style.name, parent=style, wordWrap="CJK")
                for name, style in vars(latin).items()
            }
        )
    body = ParagraphStyle(
        "body",
        fontName=FONT_REGULAR,
        bulletFontName=FONT_REGULAR,  # the default, Helvetica, is not embedded
        fontSize=8.8,
        leading=11.6,
        textColor=INK,
        spaceAfter=3,
    )
    small = ParagraphStyle("small", parent=body, fontSize=7.6, leading=9.6, spaceAfter=0)
    footer = ParagraphStyle("footer", parent=small, fontSize=7, leading=8.5, textColor=MUTED)
    return _Styles(
        body=body,
        body_cjk=ParagraphStyle("body_cjk", parent=body, wordWrap="CJK"),
        small=small,
        small_cjk=ParagraphStyle("small_cjk", parent=small, wordWrap="CJK"),
        label=ParagraphStyle("label", parent=small, fontName=FONT_BOLD, textColor=MUTED),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=3),
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=2
        ),
        clinic=ParagraphStyle(
            "clinic", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=1
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=9,
            spaceAfter=4,
        ),
        h3=ParagraphStyle("h3", parent=body, fontName=FONT_BOLD, fontSize=9, spaceAfter=0),
        initials=ParagraphStyle(
            "initials", parent=small, alignment=TA_RIGHT, fontSize=8, leading=10
        ),
        footer=footer,
        footer_center=ParagraphStyle("footer_center", parent=footer, alignment=TA_CENTER),
        footer_right=ParagraphStyle("footer_right", parent=footer, alignment=TA_RIGHT),
    )


def _p(text: object, style: ParagraphStyle | None = None, *, raw: str | None = None) -> Paragraph:
    """A paragraph of user text (escaped, with font fallback); ``raw`` is trusted markup."""
    st = style or _styles().body
    if raw is not None:
        return _Para(raw, st)
    s = "" if text is None else str(text)
    if needs_cjk_wrap(s):
        styles = _styles()
        st = {id(styles.body): styles.body_cjk, id(styles.small): styles.small_cjk}.get(id(st), st)
    return _Para(markup(s), st)


def _plain_font(text: str, bold: bool = False) -> str:
    """The font to draw ``text`` with straight on the canvas (not in a paragraph): the
    CJK font for text that needs it (a Japanese mark), else the base font."""
    if needs_cjk_wrap(text):
        return FONT_CJK
    return FONT_BOLD if bold else FONT_REGULAR


_LANGUAGE_CODE: Final = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def form_language(doc: Mapping[str, Any]) -> str:
    """The language a sealed document is printed in: its ``language`` (the patient's),
    or English for a record without one (sealed before records named their language)."""
    language = doc.get("language")
    if isinstance(language, str) and _LANGUAGE_CODE.fullmatch(language):
        return language
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class _Form:
    """What every part of one form is printed with: its language's labels and styles,
    the knowledge base's names of things, and the clinic's time zone."""

    words: FormWords
    st: _Styles
    labels: Labels | _LocalLabels
    zone: tzinfo | None

    @property
    def language(self) -> str:
        return self.words.language

    def when(self, value: Any) -> str:
        """A stored time, in the clinic's zone with its name, as the language writes it."""
        return _timestamp(value, self.zone, self.language)

    def day(self, value: Any) -> str:
        """A stored date ("1990-04-02") as the language writes it."""
        return format_date_text(value, self.language)

    def answer(self, value: Any) -> str:
        """A yes/no choice as the patient's answer."""
        key = "answer.yes" if value is True else "answer.no" if value is False else "answer.none"
        return self.words.text(key)

    def flagged(self, item: Any) -> bool:
        """Whether ``item`` of the record (a finding, an intake line, the treatment) is
        flagged as English standing in for a missing translation, on a form that is
        not in English: printed with a mark (:meth:`mark`), never silently mixed in."""
        return self.language != SOURCE_LANGUAGE and _get(item, "untranslated") is True

    def mark(self, text: Any) -> str:
        """A flagged passage's text, marked by the asterisk :meth:`note` explains."""
        return f"{_UNTRANSLATED_MARK}{_or_dash(text)}"

    def note(self) -> Paragraph:
        """The note under a table with marked passages, in the patient's language."""
        said = f"{_UNTRANSLATED_MARK}{self.words.text('consent.untranslated')}"
        return _p(said, _untranslated_style(self.st))

    def role(self, role: str) -> str:
        """A signer's role ("Patient", "Practitioner"), humanised if unknown."""
        key = f"role.{role}"
        return self.words.text(key) if role and self.words.has(key) else _humanise(role)


def _form(doc: Mapping[str, Any], labels: Labels, zone: tzinfo | None) -> _Form:
    language = form_language(doc)
    names = labels if language == SOURCE_LANGUAGE else _LocalLabels(labels.texts(language))
    return _Form(form_words(language), _styles(language in CJK_WRAPPED), names, zone)


# --------------------------------------------------------------------------- flowables


@functools.lru_cache(maxsize=8192)
def _number(value: float) -> str:
    """A coordinate as ReportLab writes it (``fp_str``), remembered: the QR code's
    modules fall on a few hundred coordinates, written again for every form."""
    return str(fp_str(value))


class _Path(PDFPathObject):  # type: ignore[misc]  # reportlab is untyped
    """A path whose lines and rectangles are written as ReportLab writes them, one
    coordinate at a time through :func:`_number` (``fp_str`` of several numbers is
    theirs joined by spaces)."""

    def moveTo(self, x: float, y: float) -> None:
        self._code_append(f"{_number(x)} {_number(y)} m")

    def lineTo(self, x: float, y: float) -> None:
        self._code_append(f"{_number(x)} {_number(y)} l")

    def rect(self, x: float, y: float, width: float, height: float) -> None:
        self._code_append(f"{_number(x)} {_number(y)} {_number(width)} {_number(height)} re")


class _Signature(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A handwritten signature, drawn as vector paths scaled into a box."""

    def __init__(
        self, signature: Mapping[str, Any], width: float, height: float, form: _Form
    ) -> None:
        super().__init__()
        self.sig = signature
        self.form = form
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        with pdf_tags.tagged(self.canv, "Figure", alt=self._alternate_text()):
            self._draw()

    def _alternate_text(self) -> str:
        """What a screen reader says for the signature: whose it is, or that there is none."""
        words = self.form.words
        whose = words.text(
            "signature.whose",
            name=_text(self.sig.get("name")) or words.text("signature.unnamed"),
            role=self.form.role(_text(self.sig.get("role"))),
        )
        if not [s for s in (self.sig.get("strokes") or []) if s]:
            return words.text("signature.alt_none", whose=whose)
        return words.text("signature.alt", whose=whose)

    def _draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        strokes = [s for s in (self.sig.get("strokes") or []) if s]
        if not strokes:
            c.setFillColor(MUTED)
            none = self.form.words.text("signature.no_strokes")
            c.setFont(_plain_font(none), 7.5)
            c.drawCentredString(self.width / 2, self.height / 2 - 3, none)
            c.restoreState()
            return
        src_w, src_h = self._source_size(strokes)
        pad = 4.0
        scale = min((self.width - 2 * pad) / src_w, (self.height - 2 * pad) / src_h)
        ox = (self.width - src_w * scale) / 2
        oy = (self.height - src_h * scale) / 2
        clip = c.beginPath()
        clip.rect(0, 0, self.width, self.height)
        c.clipPath(clip, stroke=0, fill=0)
        c.setStrokeColor(colors.HexColor("#10205a"))
        c.setFillColor(colors.HexColor("#10205a"))
        c.setLineCap(1)
        c.setLineJoin(1)
        for stroke in strokes:
            # Screen y grows downwards; PDF y grows upwards.
            pts = [
                (ox + float(p["x"]) * scale, oy + (src_h - float(p["y"])) * scale) for p in stroke
            ]
            pressures = [float(p.get("p", 0.5)) for p in stroke]
            width = 0.5 + 1.1 * max(0.0, min(1.0, sum(pressures) / len(pressures)))
            if len(pts) == 1:
                c.circle(pts[0][0], pts[0][1], width / 2, stroke=0, fill=1)
                continue
            c.setLineWidth(width)
            path = _Path()
            path.moveTo(*pts[0])
            for x, y in pts[1:]:
                path.lineTo(x, y)
            c.drawPath(path, stroke=1, fill=0)
        c.restoreState()

    def _source_size(self, strokes: Sequence[Sequence[Mapping[str, Any]]]) -> tuple[float, float]:
        width = float(self.sig.get("width") or 0)
        height = float(self.sig.get("height") or 0)
        if width <= 0 or height <= 0:
            # No pad size recorded: fall back to the strokes' own extent.
            width = max(float(p["x"]) for s in strokes for p in s) or 1.0
            height = max(float(p["y"]) for s in strokes for p in s) or 1.0
        return width, height


class _QrCode(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A QR code drawn straight onto the canvas as one filled path.

    ReportLab's QrCodeWidget encodes the data twice and builds a shape object per
    module; encoding once (:mod:`consult.documents.qr_code`) and drawing runs of dark
    modules is several times faster.
    """

    def __init__(self, value: str, size: float, *, alt: str = "QR code", border: int = 2) -> None:
        super().__init__()
        self.alt = alt
        self.modules: list[list[bool]] = qr_modules(value)
        self.size = size
        self.border = border

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        with pdf_tags.tagged(self.canv, "Figure", alt=self.alt):
            self._draw()

    def _draw(self) -> None:
        count = len(self.modules)
        box = self.size / (count + 2 * self.border)
        c = self.canv
        path = _Path()
        for r, row in enumerate(self.modules):
            y = self.size - (r + self.border + 1) * box
            col = 0
            for dark, run in itertools.groupby(row):
                length = sum(1 for _ in run)
                if dark:
                    path.rect((col + self.border) * box, y, length * box, box)
                col += length
        c.saveState()
        c.setFillColor(colors.black)
        c.drawPath(path, stroke=0, fill=1)
        c.restoreState()


# --------------------------------------------------------------------------- page furniture


@dataclass(frozen=True)
class _Furniture:
    patient: str
    document_number: str
    short_hash: str
    running_head: str
    pdf_date: str
    paper: Paper
    words: FormWords
    st: _Styles

    @property
    def margin_x(self) -> float:
        """The left and right margins on this paper, the measure being the same on all."""
        return float(self.paper.width - CONTENT_WIDTH) / 2


@dataclass(frozen=True)
class _Archive:
    """What makes a form an archival, tagged record (:func:`_render`'s canvas writes it)."""

    info: pdfa.ArchivalInfo
    record: pdfa.AssociatedFile | None


class PageCountingCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Holds pages back until the end so each footer can say "Page X of Y" in one pass.

    Subclasses draw the header and footer in ``_draw_furniture(number, total)``; the
    document's date is fixed (``pdf_date``) so that the same input gives the same bytes.
    """

    def __init__(self, *args: Any, pdf_date: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.setDateFormatter(lambda *_: pdf_date)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            super().showPage()
            self._page_written(number)
        self._before_writing()
        super().save()

    def _draw_furniture(self, number: int, total: int) -> None:
        raise NotImplementedError

    def _page_written(self, number: int) -> None:
        """Called once page ``number`` is added to the document (nothing by default)."""

    def _before_writing(self) -> None:
        """Called once every page is added, before the document is written (nothing by
        default)."""


class _NumberedCanvas(PageCountingCanvas):
    """The consent form's pages: patient, document number, page X of Y, short hash.

    It records the form's structure as it is drawn (``structure``, read by the tagged
    flowables through :func:`consult.documents.pdf_tags.tree_of`) and, with ``archive``,
    writes the structure tree and the PDF/A parts into the document before it is saved.
    """

    def __init__(
        self, *args: Any, furniture: _Furniture, archive: _Archive | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, pdf_date=furniture.pdf_date, **kwargs)
        self._furniture = furniture
        self._archive = archive
        self.structure = pdf_tags.StructureTree() if archive is not None else None
        self._patient: Paragraph | None = None
        self._head: Paragraph | None = None

    def _page_written(self, number: int) -> None:
        if self.structure is not None:
            # ReportLab's document (the canvas's _doc) holds the page objects it will write.
            self.structure.tag_page(self._doc.Pages.pages[number - 1], number)

    def _before_writing(self) -> None:
        if self._archive is None or self.structure is None:
            return
        document = self._doc
        self.structure.write(document.Catalog)
        pdfa.write_archival_parts(document, self._archive.info, self._archive.record)

    def _draw_furniture(self, number: int, total: int) -> None:
        # The running head and the footer repeat on every page: artifacts, which a
        # screen reader skips.
        if self.structure is None:
            self._draw_page_furniture(number, total)
            return
        with self.structure.artifact(self, "Pagination"):
            self._draw_page_furniture(number, total)

    def _draw_page_furniture(self, number: int, total: int) -> None:
        f = self._furniture
        st = f.st
        third = CONTENT_WIDTH / 3
        left = f.margin_x
        if self._patient is None:
            # Built once, on the first page drawn; the footer has room for one line only.
            self._patient = _one_line(
                f.words.text("footer.patient", name=f.patient), st.footer, third - 4
            )
            self._head = _one_line(f.running_head, st.footer, CONTENT_WIDTH)
        y = MARGIN_BOTTOM - 9 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(left, y + 10, left + CONTENT_WIDTH, y + 10)
        cells = (
            (self._patient, 0.0),
            (
                _Para(
                    markup(
                        f.words.text(
                            "footer.page", number=f.document_number, page=number, total=total
                        )
                    ),
                    st.footer_center,
                ),
                third,
            ),
            (
                _Para(markup(f.words.text("footer.hash", hash=f.short_hash)), st.footer_right),
                2 * third,
            ),
        )
        for para, dx in cells:
            para.wrap(third, 20)
            para.drawOn(self, left + dx, y)
        if number > 1 and self._head is not None:
            self._head.wrap(CONTENT_WIDTH, 20)
            self._head.drawOn(self, left, f.paper.height - MARGIN_TOP + 3 * mm)
        self.restoreState()


def _one_line(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """``text`` as a one-line paragraph, shortened with an ellipsis if it does not fit."""
    cut = len(text)
    candidate = text
    while True:
        para = _Para(markup(candidate), style)
        _, height = para.wrap(width, 1000)
        if height <= style.leading * 1.01 or cut <= 1:
            return para
        cut = int(cut * 0.9)
        candidate = text[:cut].rstrip() + "…"


# --------------------------------------------------------------------------- helpers


def _get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _humanise(value: Any) -> str:
    s = _text(value)
    return s.replace("_", " ").capitalize() if s.islower() or "_" in s else s


class Labels(Protocol):
    """Where the form's names of things come from: the knowledge base
    (:meth:`consult.domain.knowledge_model.KnowledgeBase.label`, and its
    :meth:`~consult.domain.knowledge_model.KnowledgeBase.texts` in other languages),
    their one home."""

    def label(self, kind: LabelKind, value_id: str) -> str:
        """The name of ``value_id``; the id itself if it is unknown."""
        ...

    def texts(self, language: str) -> KnowledgeTexts:
        """The knowledge base's names and texts in ``language`` (English standing in)."""
        ...


class _LocalLabels:
    """The knowledge base's names in a language other than English (the English name
    where there is no translation: a name, unlike a passage, is not marked)."""

    def __init__(self, texts: KnowledgeTexts) -> None:
        self._texts = texts

    def label(self, kind: LabelKind, value_id: str) -> str:
        return self._texts.label(kind, value_id).text


def _name(labels: Labels | _LocalLabels, kind: LabelKind, value: Any) -> str:
    """The knowledge base's name of an id in the sealed document ("" for none).

    An id the knowledge base no longer knows (a form sealed under an older one, shown
    again in the reception view) is printed readably rather than as a bare id. A signed
    form's own PDF is rendered once, at signing, and stored: it keeps the names it was
    printed with, whatever the knowledge base calls them later.
    """
    text = _text(value)
    if not text:
        return ""
    named = labels.label(kind, text)
    return _humanise(text) if named == text else named


def _timestamp(value: Any, zone: tzinfo | None, language: str = SOURCE_LANGUAGE) -> str:
    """ISO timestamps in ``zone`` (None: this computer's zone) with the zone's name, as
    "2026-11-21 10:31 GMT" (or "2026年11月21日 19:31 JST"); anything else as given."""
    s = _text(value)
    try:
        moment = datetime.fromisoformat(s) if isinstance(value, str) else value
    except ValueError:
        return s
    if not isinstance(moment, datetime):
        return s
    return format_moment(moment, zone, language)


def _signed_moment(value: Any) -> datetime:
    """The signing time, the PDF's creation date (so the bytes depend only on the doc)."""
    try:
        dt = datetime.fromisoformat(_text(value))
    except ValueError:
        dt = datetime(2000, 1, 1, tzinfo=UTC)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _or_dash(value: Any) -> str:
    s = _text(value).strip()
    return s if s else "—"


def _kv_table(
    st: _Styles,
    rows: Sequence[tuple[str, Any]],
    columns: int = 2,
    width: float = CONTENT_WIDTH,
) -> Table:
    """Label/value pairs laid out ``columns`` pairs to a row, ``width`` wide."""
    pair_width = width / columns
    label_w = 27 * mm if columns == 2 else 32 * mm
    cells: list[list[Any]] = []
    row: list[Any] = []
    for label, value in rows:
        row.extend([_p(None, st.label, raw=markup(label)), _p(_or_dash(value), st.body)])
        if len(row) == 2 * columns:
            cells.append(row)
            row = []
    if row:
        row.extend([""] * (2 * columns - len(row)))
        cells.append(row)
    widths = [label_w, pair_width - label_w] * columns
    # Each label is the header of the value beside it.
    tags = pdf_tags.TableTags(header_columns=frozenset(range(0, 2 * columns, 2)))
    table = _Table(cells, colWidths=widths, hAlign="LEFT", splitInRow=1, renderCB=tags)
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, BAND),
            ]
        )
    )
    return table


def _grid(
    st: _Styles, header: Sequence[str], rows: list[list[Any]], widths: Sequence[float]
) -> Table:
    head = [_p(None, st.label, raw=markup(h)) for h in header]
    # splitInRow: one very long justification must break across pages, not fail layout.
    table = _Table(
        [head, *rows],
        colWidths=list(widths),
        repeatRows=1,
        hAlign="LEFT",
        splitInRow=1,
        renderCB=pdf_tags.TableTags(header_rows=1),
    )
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, BAND),
            ]
        )
    )
    return table


# Tables draw plain-string cells (even empty ones) in Helvetica unless told otherwise,
# and Helvetica is not embedded.
_TABLE_FONT: Final = ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)


def _h2(st: _Styles, text: str) -> list[Any]:
    # Start a new page rather than leave a heading alone at the foot of one; unlike
    # keepWithNext this never pushes a whole long table over and leaves a gap.
    return [CondPageBreak(28 * mm), _p(None, st.h2, raw=markup(text))]


def _h3(st: _Styles, text: str) -> list[Any]:
    # A table's heading starts a new page rather than end one (on Letter's shorter
    # page as on A4): room for it and the table's header and first row.
    return [CondPageBreak(18 * mm), _p(text, st.h3)]


def _none(st: _Styles, text: str) -> Paragraph:
    return _p(text, st.small)


# --------------------------------------------------------------------------- sections


def _header(doc: Mapping[str, Any], doc_sha256: str, form: _Form) -> list[Any]:
    st, words = form.st, form.words
    clinic = _get(doc, "clinic") or {}
    template = _get(doc, "template") or {}
    number = _text(_get(doc, "document_number"))
    left: list[Any] = [_p(_get(clinic, "name") or words.text("header.clinic"), st.clinic)]
    if _get(clinic, "address"):
        left.append(_p(_get(clinic, "address"), st.small))
    jurisdiction = _text(_get(clinic, "jurisdiction"))
    named = _name(form.labels, "jurisdiction", jurisdiction) or "—"
    left.append(_p(words.text("header.jurisdiction", name=named), st.small))
    if _get(clinic, "regenerative_medicine_plan"):
        label = words.text(_PLAN_LABELS.get(jurisdiction, _PLAN_LABEL))
        plan = _text(_get(clinic, "regenerative_medicine_plan"))
        left.append(_p(words.text("header.plan", label=label, value=plan), st.body))
    left.append(Spacer(1, 5))
    left.append(_p(_get(template, "title") or words.text("form.title"), st.title))
    if form.language != SOURCE_LANGUAGE and _get(template, "title_untranslated") is True:
        left.append(_p(words.text("consent.untranslated"), _untranslated_style(st)))
    parts = [
        words.text("header.document_line", number=number, when=form.when(_get(doc, "signed_at")))
    ]
    edition = _edition(_get(template, "version"))
    if edition:
        parts.append(words.text("header.edition", edition=edition))
    left.append(_p(words.text("header.separator").join(parts), st.small))
    # The document's SHA-256 is in the QR code (and, shortened, in every footer): a
    # 64-digit number in print helps nobody reading the form.
    qr_size = 27 * mm
    right = [
        _QrCode(
            f"{number}\nsha256:{doc_sha256}",
            qr_size,
            alt=words.text("header.qr_alt", number=number, sha256=doc_sha256),
        ),
        _p(words.text("header.qr_caption"), _qr_caption(st)),
    ]
    table = _Table(
        [[left, right]],
        colWidths=[CONTENT_WIDTH - qr_size - 4, qr_size + 4],
        renderCB=pdf_tags.TableTags(layout=True),
    )
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.8, INK),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [table]


def _edition(version: Any) -> str:
    """The template's edition: "2" of the version "2.53ae08295240" (whose second part is
    a hash of the text, for the record, not for the reader)."""
    text = _text(version)
    head, dot, _tail = text.partition(".")
    return head if dot and head.isdigit() else text


def _phone(doc: Mapping[str, Any], stored: Any) -> str:
    # As the app shows it: national form for the clinic's own country, else international.
    if not stored:
        return ""
    region = phones.region_for_jurisdiction(_text(_get(_get(doc, "clinic") or {}, "jurisdiction")))
    return phones.display(str(stored), region)


@functools.cache
def _qr_caption(st: _Styles) -> ParagraphStyle:
    # One style per process, like the rest: a paragraph's parsed markup is remembered by
    # its style (see _Para), and a new style for every form would miss it every time.
    return ParagraphStyle("qrcap", parent=st.small, fontSize=6)


def _patient(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    patient = _get(doc, "patient") or {}
    text = form.words.text
    return [
        *_h2(form.st, text("patient.heading")),
        _kv_table(
            form.st,
            [
                (text("patient.name"), _get(patient, "full_name")),
                (text("patient.date_of_birth"), form.day(_get(patient, "date_of_birth"))),
                (
                    text("patient.sex_at_birth"),
                    _name(form.labels, "sex", _get(patient, "sex_at_birth")),
                ),
                (text("patient.phone"), _phone(doc, _get(patient, "phone"))),
                (text("patient.email"), _get(patient, "email")),
            ],
        ),
    ]


def _treatment(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    treatment = _get(doc, "treatment") or {}
    consultation = _get(doc, "consultation") or {}
    product = _get(treatment, "product")
    # The treatment's name is sealed in the document (as the patient read it); so are
    # the names of the route and the product's source in records since issue 18, and
    # the knowledge base names the ids of older ones.
    text, labels = form.words.text, form.labels
    name = _get(treatment, "name") or _humanise(_get(treatment, "id"))
    rows: list[tuple[str, Any]] = [
        (text("treatment.treatment"), form.mark(name) if form.flagged(treatment) else name),
        (
            text("treatment.route"),
            _get(treatment, "route_label") or _name(labels, "route", _get(treatment, "route")),
        ),
    ]
    if isinstance(product, Mapping):
        rows += [
            (text("treatment.product"), _get(product, "name")),
            (text("treatment.manufacturer"), _get(product, "manufacturer")),
            (
                text("treatment.source"),
                _get(product, "source_label")
                or _name(labels, "product_source", _get(product, "source")),
            ),
            (text("treatment.supplier_accreditation"), _get(product, "supplier_accreditation")),
            (text("treatment.lot"), _get(product, "lot")),
            (text("treatment.expiry"), form.day(_get(product, "expiry"))),
        ]
    else:
        rows.append((text("treatment.product"), text("treatment.no_product")))
    # The consultation's number and the rule set's version (a hash) stay in the sealed
    # record: they mean nothing to the patient.
    rows.append((text("treatment.consulted_on"), form.day(_get(consultation, "date"))))
    # The planned course the consent covers (issue 21); a record without one is printed
    # as before.
    course = _get(doc, "course")
    if isinstance(course, Mapping):
        rows.append(
            (
                text("treatment.course"),
                text(
                    "treatment.course_value",
                    sessions=_get(course, "sessions"),
                    weeks=_get(course, "weeks"),
                ),
            )
        )
    out = [*_h2(form.st, text("treatment.heading")), _kv_table(form.st, rows)]
    return [*out, form.note()] if form.flagged(treatment) else out


def _intake(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    items = _get(doc, "intake_summary") or []
    st, text = form.st, form.words.text
    out: list[Any] = [*_h2(st, text("intake.heading"))]
    if not items:
        return [*out, _none(st, text("intake.none"))]
    half = CONTENT_WIDTH / 2
    # Two question/answer pairs per row: the summary can run to forty questions.
    rows: list[list[Any]] = []
    cells: list[Any] = []
    marked = False
    for item in items:
        answer = _get(item, "answer")
        own = _get(item, "patient_answers")  # the patient's own, changed after discussion
        if own:
            answer = f"{answer} ({text('intake.patient_answered', answer=own)})"
        if form.flagged(item):
            marked = True
            cells += [_p(form.mark(_get(item, "label")), st.small), _p(answer, st.small)]
        else:
            cells += [_p(_get(item, "label"), st.small), _p(answer, st.small)]
        if len(cells) == 4:
            rows.append(cells)
            cells = []
    if cells:
        rows.append([*cells, "", ""])
    q = half * 0.66
    header = [text("intake.question"), text("intake.answer")] * 2
    out.append(_grid(st, header, rows, [q, half - q] * 2))
    return [*out, form.note()] if marked else out


def _risk(finding: Mapping[str, Any] | None, form: _Form) -> str:
    """A finding in the patient's words: its ``patient_risk`` sentence, never the
    practitioner's message or the rule's id (marked if English stands in for it)."""
    risk = _or_dash(_get(finding, "patient_risk"))
    return form.mark(risk) if form.flagged(finding) else risk


def _sorted_findings(
    doc: Mapping[str, Any],
) -> tuple[
    list[tuple[Mapping[str, Any], Mapping[str, Any]]],
    list[tuple[Mapping[str, Any], Mapping[str, Any]]],
    list[Mapping[str, Any]],
]:
    """The findings, each once (one ``same_as`` another is the same finding), sorted by
    what the practitioner decided: overridden with a written justification, caution
    acknowledged, or no decision recorded."""
    decisions: dict[str, Mapping[str, Any]] = {}
    for decision in _get(doc, "overrides") or []:
        if isinstance(decision, Mapping):
            decisions[_text(_get(decision, "rule"))] = decision  # the latest one counts
    overridden: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    acknowledged: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    other: list[Mapping[str, Any]] = []
    seen: set[str] = set()
    for finding in _get(doc, "findings") or []:
        if not isinstance(finding, Mapping) or _get(finding, "same_as"):
            continue
        risk = _text(_get(finding, "patient_risk")).strip()
        decision = decisions.get(_text(_get(finding, "rule")))
        key = f"{_text(_get(finding, 'severity'))}\n{risk}"
        if risk and key in seen:
            continue  # two rules, one sentence for the patient: printed once
        seen.add(key)
        if decision is None:
            other.append(finding)
        elif (
            _get(decision, "kind") == "acknowledged"
            or not _text(_get(decision, "justification")).strip()
        ):
            acknowledged.append((finding, decision))
        else:
            overridden.append((finding, decision))
    return overridden, acknowledged, other


def _decided(decision: Mapping[str, Any], form: _Form) -> list[Paragraph]:
    return [
        _p(_get(decision, "by") or "—", form.st.small),
        _p(form.when(_get(decision, "at")), form.st.small),
    ]


def _findings(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    """What the screening found, in the patient's words: the risks the practitioner went
    ahead with (and the reasons written for them), the cautions acknowledged, and any
    other finding."""
    st, text = form.st, form.words.text
    out: list[Any] = [*_h2(st, text("findings.heading"))]
    overridden, acknowledged, other = _sorted_findings(doc)
    if not (overridden or acknowledged or other):
        return [*out, _none(st, text("findings.none"))]
    by_w = 38 * mm
    if overridden:
        risk_w = (CONTENT_WIDTH - by_w) * 0.5
        rows = [
            [
                _p(_risk(f, form), st.small),
                _p(_get(d, "justification"), st.small),
                _decided(d, form),
            ]
            for f, d in overridden
        ]
        out += [
            *_h3(st, text("findings.overridden")),
            Spacer(1, 2),
            _grid(
                st,
                [text("findings.risk"), text("findings.why"), text("findings.decided_by")],
                rows,
                [risk_w, CONTENT_WIDTH - by_w - risk_w, by_w],
            ),
            Spacer(1, 6),
        ]
    if acknowledged:
        rows = [[_p(_risk(f, form), st.small), _decided(d, form)] for f, d in acknowledged]
        out += [
            *_h3(st, text("findings.acknowledged")),
            Spacer(1, 2),
            _grid(
                st,
                [text("findings.caution"), text("findings.noted_by")],
                rows,
                [CONTENT_WIDTH - by_w, by_w],
            ),
            Spacer(1, 6),
        ]
    if other:
        rows = []
        tints: list[tuple[int, Any]] = []
        for i, finding in enumerate(other, start=1):
            severity = _text(_get(finding, "severity")).lower()
            tint = _SEVERITY_TINTS.get(severity, colors.white)
            known = f"severity.{severity}"
            word = text(known) if severity in _SEVERITY_TINTS else severity.upper() or "—"
            tints.append((i, tint))
            rows.append(
                [
                    _p(None, st.label, raw=f"<font color='#1a1a1a'>{markup(word)}</font>"),
                    _p(_risk(finding, form), st.small),
                ]
            )
        header = [text("findings.level"), text("findings.finding")]
        table = _grid(st, header, rows, [22 * mm, CONTENT_WIDTH - 22 * mm])
        table.setStyle(TableStyle([("BACKGROUND", (0, i), (0, i), tint) for i, tint in tints]))
        heading = text("findings.other" if overridden or acknowledged else "findings.all")
        out += [*_h3(st, heading), Spacer(1, 2), table]
    shown = [f for f, _ in overridden] + [f for f, _ in acknowledged] + other
    return [*out, form.note()] if any(form.flagged(f) for f in shown) else out


_LEAD_LABEL = re.compile(r"^([A-Z][A-Za-z]*(?: [a-z]+)?):\s")


def _section_body(text: str, st: _Styles) -> list[Paragraph]:
    paras: list[Paragraph] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.startswith("• "):
            paras.append(_Para(markup(line[2:]), st.bullet, bulletText="•"))
            continue
        m = _LEAD_LABEL.match(line)
        if m:
            # "Common:", "Rare:" ... set in bold to help scanning; the words are unchanged.
            head, rest = line[: m.end()], line[m.end() :]
            paras.append(_Para(f"<b>{markup(head)}</b>{markup(rest)}", st.body))
        else:
            paras.append(_p(line, st.body))
    return paras


def _consent_text(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    st, words = form.st, form.words
    template = _get(doc, "template") or {}
    choices = _get(doc, "choices") or {}
    out: list[Any] = [*_h2(st, words.text("consent.heading"))]
    before, after = words.around("consent.initials", "initials")
    for number, section in enumerate(_get(template, "sections") or [], start=1):
        initials = _text(_get(section, "initials")).strip()
        initialled = initials or words.text("consent.not_initialled")
        initials_markup = f"{markup(before)}<b>{markup(initialled)}</b>{markup(after)}"
        english = _get(section, "untranslated") is True and form.language != SOURCE_LANGUAGE
        heading = _p(f"{number}. {_text(_get(section, 'heading'))}", st.h3)
        head = _Table(
            [[heading, _p(None, st.initials, raw=initials_markup)]],
            colWidths=[CONTENT_WIDTH - 38 * mm, 38 * mm],
            renderCB=pdf_tags.TableTags(layout=True),
        )
        head.setStyle(
            TableStyle(
                [
                    _TABLE_FONT,
                    ("BACKGROUND", (0, 0), (-1, -1), BAND),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        body = _section_body(_text(_get(section, "text")), st)
        if english:
            # English standing in for a missing translation: said in the patient's
            # language, before the English, never silently mixed in; and tagged as
            # English, so that a screen reader reads it as such.
            for paragraph in (heading, *body):
                paragraph.lang = SOURCE_LANGUAGE
            body.insert(0, _p(words.text("consent.untranslated"), _untranslated_style(st)))
        section_id = _text(_get(section, "id"))
        if section_id in choices or _get(section, "kind") == "choice":
            answer = choices.get(section_id) if isinstance(choices, Mapping) else None
            said = markup(words.text("consent.answer", answer=form.answer(answer)))
            body.append(_p(None, st.body, raw=f"<b>{said}</b>"))
        # Keep a heading with its first paragraph, and every paragraph that introduces a
        # list with the list's first item; long sections may then break between them.
        chunks = _chunks(body)
        out.append(Spacer(1, 4))
        out.append(KeepTogether([head, Spacer(1, 2), *(chunks[0] if chunks else [])]))
        out.extend(chunk[0] if len(chunk) == 1 else KeepTogether(chunk) for chunk in chunks[1:])
    if not (_get(template, "sections") or []):
        out.append(_none(st, words.text("consent.none")))
    return out


@functools.cache
def _untranslated_style(st: _Styles) -> ParagraphStyle:
    return ParagraphStyle("untranslated", parent=st.small, textColor=_UNTRANSLATED_INK)


@functools.cache
def _signer_style(st: _Styles) -> ParagraphStyle:
    """A signer's name above the signature's details."""
    return ParagraphStyle("signame", parent=st.h3, fontSize=10)


def _chunks(body: list[Paragraph]) -> list[list[Paragraph]]:
    """The paragraphs in groups that must not be parted: a paragraph followed by a list
    ("… has written down why:") goes with the list's first item."""
    chunks: list[list[Paragraph]] = []
    for para in body:
        if chunks and para.bulletText and len(chunks[-1]) == 1 and not chunks[-1][0].bulletText:
            chunks[-1].append(para)
        else:
            chunks.append([para])
    return chunks


def _choices(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    """Choices that no consent section shows (each section shows its own answer)."""
    choices = _get(doc, "choices") or {}
    shown = {_get(s, "id") for s in (_get(_get(doc, "template") or {}, "sections") or [])}
    rows: list[tuple[str, Any]] = []
    for key, value in choices.items() if isinstance(choices, Mapping) else []:
        if key in shown:
            continue
        rows.append((_humanise(key), form.answer(value)))
    if not rows:
        return []
    return [*_h2(form.st, form.words.text("choices.heading")), _kv_table(form.st, rows, columns=1)]


def _meaning(value: Any, words: FormWords) -> str:
    """A signature's recorded meaning ("consent given") in the form's language."""
    meaning = _text(value)
    key = "meaning." + meaning.replace(" ", "_")
    return words.text(key) if meaning and words.has(key) else meaning


def _signer_rows(sig: Mapping[str, Any], form: _Form, signer: bool) -> list[tuple[str, Any]]:
    """The facts printed beside a signature: the patient's and the practitioner's role
    and qualification; an extra signer's (issue 21) role and, for a guardian, their
    relationship to the patient, for an interpreter, the language interpreted into."""
    text = form.words.text
    rows: list[tuple[str, Any]] = [(text("signatures.role"), form.role(_text(_get(sig, "role"))))]
    if not signer:
        qualification = _name(form.labels, "qualification", _get(sig, "qualification"))
        rows.append((text("signatures.qualification"), qualification or "—"))
    elif _get(sig, "relationship"):
        rows.append((text("signers.relationship"), _get(sig, "relationship")))
    elif _get(sig, "language"):
        language = _text(_get(sig, "language"))
        key = f"language.{language}"
        rows.append((text("signers.language"), text(key) if form.words.has(key) else language))
    rows.append((text("signatures.signed_at"), form.when(_get(sig, "signed_at"))))
    rows.append((text("signatures.meaning"), _meaning(_get(sig, "meaning"), form.words)))
    return rows


def _statements(sig: Mapping[str, Any], form: _Form) -> list[Paragraph]:
    """An interpreter's statement, as sealed, in each language it was given in."""
    said = _get(sig, "statement")
    if not isinstance(said, list):
        return []
    return [
        _p(f"“{_text(_get(item, 'text'))}”", form.st.body if n == 0 else form.st.small)
        for n, item in enumerate(said)
        if isinstance(item, Mapping) and _get(item, "text")
    ]


def _signatures(doc: Mapping[str, Any], form: _Form) -> list[Any]:
    """The signatures, the patient's and practitioner's and then any parent or guardian,
    witness and interpreter (issue 21), kept on one page with their heading."""
    st, text = form.st, form.words.text
    signatures = [(sig, False) for sig in _get(doc, "signatures") or []]
    signatures += [(sig, True) for sig in signers_of(doc)]
    heading = _p(None, st.h2, raw=markup(text("signatures.heading")))
    if not signatures:
        return [CondPageBreak(28 * mm), heading, _none(st, text("signatures.none"))]
    box_w, box_h = 78 * mm, 29 * mm
    if len(signatures) > 3:
        box_h = 24 * mm  # five signers still fit on one page with the heading
    blocks: list[Any] = []
    for sig, signer in signatures:
        details = [
            _p(_get(sig, "name") or "—", _signer_style(st)),
            _kv_table(
                st,
                _signer_rows(sig, form, signer),
                columns=1,
                width=CONTENT_WIDTH - box_w - 6 * mm,
            ),
            *_statements(sig, form),
        ]
        table = _Table(
            [[_Signature(sig, box_w, box_h, form), details]],
            colWidths=[box_w + 6 * mm, CONTENT_WIDTH - box_w - 6 * mm],
            renderCB=pdf_tags.TableTags(layout=True),
        )
        table.setStyle(
            TableStyle(
                [
                    _TABLE_FONT,
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        blocks.append(table)
    # The heading and every signature on one page: never a heading stranded at a page's
    # foot, nor the practitioner (or a guardian, a witness) alone on a page of their own.
    return [KeepTogether([heading, *blocks])]


def _reception_note(form: _Form) -> list[Any]:
    return [Spacer(1, 8), _p(form.words.text("reception.note"), form.st.small)]


# --------------------------------------------------------------------------- entry points


def render_consent_pdf(
    doc: Mapping[str, Any],
    doc_sha256: str,
    *,
    labels: Labels,
    zone: tzinfo | None = None,
    record: bytes | None = None,
    paper: Paper = A4,
) -> bytes:
    """Render a sealed consent document as a PDF/A-3b, tagged PDF on ``paper``.

    ``doc_sha256`` is the SHA-256 (hex) of the record's canonical JSON; it is in the QR
    code and, shortened, in every footer. ``record`` is that canonical JSON (the bytes
    sealed): it is embedded as the associated file ``consent-<document number>.json``;
    ValueError if its SHA-256 is not ``doc_sha256``. Routes, product sources,
    qualifications, the jurisdiction and the sex at birth are named by ``labels`` (the
    knowledge base). Times print in ``zone`` (the clinic's; None: this computer's time
    zone) with the zone's name. The form is in the document's ``language``
    (:func:`form_language`). The output depends only on the arguments: the same
    document, record, names, zone and paper always give the same bytes. Safe to call
    from a worker thread (renders are serialised).
    """
    form = _form(doc, labels, zone)
    story = [
        *_header(doc, doc_sha256, form),
        *_patient(doc, form),
        *_treatment(doc, form),
        *_intake(doc, form),
        *_findings(doc, form),
        *_consent_text(doc, form),
        *_choices(doc, form),
        *_signatures(doc, form),
    ]
    if record is not None and hashlib.sha256(record).hexdigest() != doc_sha256:
        raise ValueError("the record embedded in a form must be the one whose hash it prints")
    title = form.words.text("form.title")
    return _build(doc, doc_sha256, story, title, form, record=record, paper=paper)


def render_reception_view(
    doc: Mapping[str, Any],
    doc_sha256: str,
    *,
    labels: Labels,
    zone: tzinfo | None = None,
    paper: Paper = A4,
) -> bytes:
    """What reception may see of a signed form on screen: the title block, the patient,
    the treatment and the signatures; no health answers, findings or consent text (and
    so no embedded record)."""
    form = _form(doc, labels, zone)
    story = [
        *_header(doc, doc_sha256, form),
        *_patient(doc, form),
        *_treatment(doc, form),
        *_reception_note(form),
        *_signatures(doc, form),
    ]
    title = form.words.text("form.title_reception")
    return _build(doc, doc_sha256, story, title, form, paper=paper)


def _check_hash(doc_sha256: str) -> None:
    if not re.fullmatch(r"[0-9a-f]{64}", doc_sha256):
        raise ValueError("doc_sha256 must be 64 lowercase hex digits (a SHA-256)")


def _build(
    doc: Mapping[str, Any],
    doc_sha256: str,
    story: list[Any],
    title: str,
    form: _Form,
    *,
    paper: Paper,
    record: bytes | None = None,
) -> bytes:
    _check_hash(doc_sha256)
    with RENDER_LOCK:
        saved = rl_config.invariant, rl_config.useA85
        # Invariant mode fixes the document ID and drops the wall-clock time; the date
        # formatter then stamps the signing time instead. The pages are compressed but
        # not also written as ASCII85 text, which only made them a quarter larger and
        # cost more time (in pure Python) than laying them out and tagging them.
        rl_config.invariant, rl_config.useA85 = 1, 0
        try:
            return _render(doc, doc_sha256, story, title, form, paper, record)
        finally:
            rl_config.invariant, rl_config.useA85 = saved


def _render(
    doc: Mapping[str, Any],
    doc_sha256: str,
    story: list[Any],
    title: str,
    form: _Form,
    paper: Paper,
    record: bytes | None,
) -> bytes:
    font_chain()
    patient = _get(doc, "patient") or {}
    clinic = _get(doc, "clinic") or {}
    template = _get(doc, "template") or {}
    treatment = _get(doc, "treatment") or {}
    number = _text(_get(doc, "document_number"))
    signed = _signed_moment(_get(doc, "signed_at"))
    furniture = _Furniture(
        patient=_text(_get(patient, "full_name")),
        document_number=number,
        short_hash=doc_sha256[:12],
        running_head=" · ".join(
            s for s in (_text(_get(clinic, "name")), _text(_get(template, "title")), number) if s
        ),
        pdf_date=pdfa.pdf_date(signed),
        paper=paper,
        words=form.words,
        st=form.st,
    )
    info = pdfa.ArchivalInfo(
        title=f"{title} {number}",
        author=_text(_get(clinic, "name")),
        subject=_text(_get(treatment, "name")),
        keywords=form.words.text("form.keywords", number=number),
        creator="Consult",
        created=signed,
        language=form.language,
    )
    attachment = (
        pdfa.AssociatedFile(
            name=f"consent-{number}.json",
            data=record,
            description=(
                f"The sealed consent record {number}: canonical JSON (RFC 8785) whose "
                f"SHA-256, {doc_sha256}, the form prints"
            ),
            modified=signed,
        )
        if record is not None
        else None
    )
    buffer = io.BytesIO()
    template_doc = BaseDocTemplate(
        buffer,
        pagesize=(paper.width, paper.height),
        leftMargin=furniture.margin_x,
        rightMargin=furniture.margin_x,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator=info.creator,
        invariant=1,
        pageCompression=1,
        displayDocTitle=1,
        # Otherwise every page names Helvetica, a font that is not embedded.
        initialFontName=FONT_REGULAR,
    )
    frame = Frame(
        furniture.margin_x,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        paper.height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template_doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas = functools.partial(
        _NumberedCanvas,
        furniture=furniture,
        archive=_Archive(info, attachment),
        pdfVersion=(1, 7),  # PDF/A-3 is PDF 1.7
    )
    template_doc.build(story, canvasmaker=canvas)
    return buffer.getvalue()


# --------------------------------------------------------------------------- printed copies

# The states whose copies are marked across every page; each has its word (VOID) and its
# verb ("this consent was voided", "Withdrawn <date>") in the catalog, by the state.
_MARKED_STATES: Final = frozenset({ConsentState.VOIDED, ConsentState.WITHDRAWN})
_MARK_RED: Final = colors.HexColor("#b71c1c")


@dataclass(frozen=True)
class CopyMark:
    """What a printed copy says on every page.

    ``state`` is the record's state; for a voided or withdrawn one, ``state_at`` and
    ``reason`` are the event's time and reason, printed with a watermark on every page.
    ``printed_on`` is the day the copy is printed: every copy says "Copy" and the date.
    ``language`` is the form's (:func:`form_language` of its record): the mark is
    written in the language of the pages it is drawn over.
    """

    printed_on: date
    state: str = ConsentState.SIGNED
    state_at: datetime | None = None
    reason: str = ""
    language: str = SOURCE_LANGUAGE

    @property
    def marked(self) -> bool:
        """Whether the copy is of a voided or withdrawn consent (a watermark too)."""
        return self.state in _MARKED_STATES

    @property
    def word(self) -> str:
        """The word across the page: VOID or WITHDRAWN, or COPY."""
        words = form_words(self.language)
        return words.text(f"copy.word.{self.state}" if self.marked else "copy.word.copy")

    def band(self, zone: tzinfo | None = None) -> str:
        """The line at the top of every page."""
        words = form_words(self.language)
        printed = format_date(self.printed_on, self.language)
        if not self.marked:
            return words.text("copy.band", printed=printed)
        when = (
            _timestamp(self.state_at, zone, self.language)
            if self.state_at
            else words.text("copy.no_date")
        )
        reason = " ".join(self.reason.split()) or words.text("copy.no_reason")
        # The reason last: a very long one is shortened, never the dates.
        return words.text(
            "copy.band_marked",
            word=self.word,
            state=words.text(f"copy.state.{self.state}"),
            when=when,
            printed=printed,
            reason=reason,
        )

    def line(self, zone: tzinfo | None = None) -> str:
        """The line under the watermark: the state and when ("Voided 2026-11-30 09:00
        GMT"); empty for an unmarked copy."""
        if not self.marked:
            return ""
        when = _timestamp(self.state_at, zone, self.language) if self.state_at else ""
        return form_words(self.language).text(f"copy.line.{self.state}", when=when).strip()


def stamp_copy(pdf: bytes, mark: CopyMark, *, zone: tzinfo | None = None) -> bytes:
    """A copy of ``pdf`` with ``mark`` on every page; ``pdf`` itself is only read.

    Every page gets a line in its top margin ("COPY … printed <date>", or "VOID: this
    consent was voided on <date>. Reason: …"); a voided or withdrawn form also gets its
    state written large across each page, in a light tint that leaves the text readable.
    Raises ValueError if ``pdf`` is not a readable PDF.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        # A clone: the pages drawn on belong to the writer, never to the stored bytes.
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        pages = list(writer.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"the stored form cannot be read as a PDF: {exc}") from exc
    if not pages:
        raise ValueError("the stored form has no pages")
    overlays: dict[tuple[float, float], Any] = {}
    for page in pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in overlays:
            overlays[size] = PdfReader(io.BytesIO(_overlay(mark, size, zone))).pages[0]
        page.merge_page(overlays[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(mark: CopyMark, size: tuple[float, float], zone: tzinfo | None) -> bytes:
    """One page of ``size`` with the mark alone on it, to draw over each page."""
    with RENDER_LOCK:
        saved = rl_config.invariant
        rl_config.invariant = 1
        try:
            font_chain()
            buffer = io.BytesIO()
            canvas = Canvas(buffer, pagesize=size, invariant=1, initialFontName=FONT_REGULAR)
            _draw_mark(canvas, mark, size, zone)
            canvas.showPage()
            canvas.save()
            return buffer.getvalue()
        finally:
            rl_config.invariant = saved


def _draw_mark(
    canvas: Canvas, mark: CopyMark, size: tuple[float, float], zone: tzinfo | None
) -> None:
    width, height = size
    marked = mark.marked
    st = _styles(mark.language in CJK_WRAPPED)
    style = ParagraphStyle(
        "mark",
        parent=st.small,
        fontSize=7.6,
        leading=9.2,
        textColor=_MARK_RED if marked else MUTED,
    )
    band_width = width - 2 * MARGIN_X
    # In the top margin, above the running head: at most two lines, shortened if the
    # reason is very long (the whole reason is in the record).
    text_of_band = mark.band(zone)
    bold = len(mark.word) if text_of_band.startswith(mark.word) else 0
    band = _lines(text_of_band, style, band_width, 2, bold=bold)
    _, band_height = band.wrap(band_width, 100)
    band.drawOn(canvas, MARGIN_X, height - 3 * mm - band_height)
    if not marked:
        return
    canvas.saveState()
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    word_font = _plain_font(mark.word, bold=True)
    word_size = min(150.0, 0.62 * math.hypot(width, height) / _width_em(mark.word, word_font))
    canvas.setFillColor(_MARK_RED, alpha=0.13)
    canvas.setStrokeColor(_MARK_RED, alpha=0.35)
    canvas.setLineWidth(1.2)
    text = canvas.beginText()
    text.setTextRenderMode(2)  # fill and stroke: an outlined word, readable in grey too
    text.setFont(word_font, word_size)
    text.setTextOrigin(-_width_em(mark.word, word_font) * word_size / 2, -word_size * 0.35)
    text.textOut(mark.word)
    canvas.drawText(text)
    line = mark.line(zone)
    canvas.setFillColor(_MARK_RED, alpha=0.35)
    canvas.setFont(_plain_font(line), 15)
    canvas.drawCentredString(0, -word_size * 0.35 - 24, line)
    canvas.restoreState()


def _width_em(text: str, font: str) -> float:
    return float(pdfmetrics.stringWidth(text, font, 1.0))


def _lines(
    text: str, style: ParagraphStyle, width: float, most: int, *, bold: int = 0
) -> Paragraph:
    """``text`` as a paragraph of at most ``most`` lines, shortened with an ellipsis;
    its first ``bold`` characters in bold."""

    def para(candidate: str) -> Paragraph:
        head, rest = candidate[:bold], candidate[bold:]
        return _Para(f"<b>{markup(head)}</b>{markup(rest)}" if bold else markup(rest), style)

    cut = len(text)
    candidate = text
    while True:
        paragraph = para(candidate)
        _, height = paragraph.wrap(width, 1000)
        if height <= style.leading * most * 1.01 or cut <= bold + 1:
            return paragraph
        cut = int(cut * 0.95)
        candidate = text[:cut].rstrip() + "…"
