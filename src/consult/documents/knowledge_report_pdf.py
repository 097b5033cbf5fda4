"""The knowledge report as a PDF for the clinical lead to sign (ReportLab platypus, A4).

A rendering of :class:`consult.knowledge.report.KnowledgeReport`, with the same contents
as the Markdown and HTML reports: the title page alone on page 1, then the changes since
the previous edition, every rule by treatment, the coverage of the questionnaire, the
outcomes and route classes, and the sign-off block. Every page's footer says "page X of
Y" and the rule-set version (shortened); tables that run over a page repeat their header.

The fonts are the consent form's (DejaVu Sans, with the CJK and Hangul fallbacks), from
:mod:`consult.documents.consent_pdf`. :func:`write_report_file` writes the file (or
the Markdown or HTML report) atomically, readable by its owner only.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    LayoutError,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from consult.documents.consent_pdf import (
    BAND,
    FONT_BOLD,
    FONT_REGULAR,
    INK,
    MUTED,
    RENDER_LOCK,
    RULE,
    PageCountingCanvas,
    font_chain,
    markup,
    needs_cjk_wrap,
)
from consult.knowledge.report import (
    PRECEDENCE,
    REPORT_HEADING,
    SECTION_TITLES,
    SIGN_OFF_FIELDS,
    ChangeGroup,
    KnowledgeReport,
)

__all__ = ["ReportExistsError", "render_report_pdf", "write_report_file"]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X: Final = 16 * mm
MARGIN_TOP: Final = 18 * mm
MARGIN_BOTTOM: Final = 20 * mm  # room for the footer
CONTENT_WIDTH: Final = PAGE_WIDTH - 2 * MARGIN_X

# The severity is always printed as a word; the tint only helps a reader scanning.
_TINTS: Final = {
    "absolute": colors.HexColor("#f4d6d6"),
    "clarify": colors.HexColor("#e8e0f2"),
    "relative": colors.HexColor("#f7e6c8"),
    "caution": colors.HexColor("#e6ecf5"),
}
_RANK: Final = ("absolute", "clarify", "relative", "caution")

# Column widths of the long tables.
_CHANGE_COLUMNS: Final = (17 * mm, 50 * mm, CONTENT_WIDTH - 67 * mm)
_RULE_COLUMNS: Final = (38 * mm, 44 * mm, 60 * mm, CONTENT_WIDTH - 142 * mm)
_COVERAGE_COLUMNS: Final = (46 * mm, 38 * mm, 50 * mm, CONTENT_WIDTH - 134 * mm)


class ReportExistsError(FileExistsError):
    """The output file exists and overwriting was not asked for."""


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    ident: ParagraphStyle
    ident_bold: ParagraphStyle
    label: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    footer: ParagraphStyle
    footer_center: ParagraphStyle
    footer_right: ParagraphStyle


@functools.cache
def _styles() -> _Styles:
    body = ParagraphStyle(
        "kr-body",
        fontName=FONT_REGULAR,
        bulletFontName=FONT_REGULAR,
        fontSize=9,
        leading=12,
        textColor=INK,
        spaceAfter=4,
    )
    small = ParagraphStyle("kr-small", parent=body, fontSize=7.8, leading=10, spaceAfter=0)
    cell = ParagraphStyle("kr-cell", parent=small, fontSize=7.4, leading=9.2)
    footer = ParagraphStyle("kr-footer", parent=small, fontSize=7, leading=8.5, textColor=MUTED)
    return _Styles(
        body=body,
        small=small,
        cell=cell,
        cell_bold=ParagraphStyle("kr-cell-bold", parent=cell, fontName=FONT_BOLD),
        ident=cell,
        ident_bold=ParagraphStyle("kr-ident-bold", parent=cell, fontName=FONT_BOLD),
        label=ParagraphStyle("kr-label", parent=cell, fontName=FONT_BOLD, textColor=MUTED),
        bullet=ParagraphStyle("kr-bullet", parent=body, leftIndent=12, bulletIndent=3),
        title=ParagraphStyle(
            "kr-title", parent=body, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=8
        ),
        subtitle=ParagraphStyle(
            "kr-subtitle", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=14
        ),
        h1=ParagraphStyle(
            "kr-h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=4,
            spaceAfter=6,
        ),
        h2=ParagraphStyle(
            "kr-h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
        ),
        footer=footer,
        footer_center=ParagraphStyle("kr-footer-center", parent=footer, alignment=TA_CENTER),
        footer_right=ParagraphStyle("kr-footer-right", parent=footer, alignment=TA_RIGHT),
    )


def _p(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of text (escaped, with font fallback and CJK wrapping where needed)."""
    st = style or _styles().body
    s = "" if text is None else str(text)
    if needs_cjk_wrap(s):
        st = ParagraphStyle(f"{st.name}-cjk", parent=st, wordWrap="CJK")
    return Paragraph(markup(s), st)


def _rich(parts: Sequence[tuple[str, str]], style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of (label, text) runs: each label in bold, each text escaped."""
    st = style or _styles().cell
    chunks = []
    for label, text in parts:
        head = f"<b>{escape(label)}</b> " if label else ""
        chunks.append(head + markup(text))
    plain = " ".join(text for _, text in parts)
    if needs_cjk_wrap(plain):
        st = ParagraphStyle(f"{st.name}-cjk", parent=st, wordWrap="CJK")
    return Paragraph("<br/>".join(chunks), st)


def _ids(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """Rule or question ids (one, or a list): lines broken after a hyphen, not mid-word.

    ReportLab breaks lines at spaces only (and its hyphenation skips words with digits),
    so a long id is laid out here: word by word, and a word too long for a line is cut
    after one of its hyphens.
    """
    room = width - 6  # the cell's left and right padding

    def fits(piece: str) -> bool:
        return bool(stringWidth(piece, style.fontName, style.fontSize) <= room)

    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for piece in re.split(r"(?<=-)", word):
            if line and not fits(line + piece):
                lines.append(line)
                line = ""
            line += piece
    if line:
        lines.append(line)
    return Paragraph("<br/>".join(markup(one) for one in lines), style)


# --------------------------------------------------------------------------- furniture


@dataclass(frozen=True)
class _Furniture:
    left: str
    short_version: str
    running_head: str
    pdf_date: str


class _NumberedCanvas(PageCountingCanvas):
    """The report's pages: running head, "page X of Y" and the rule-set version."""

    def __init__(self, *args: Any, furniture: _Furniture, **kwargs: Any) -> None:
        super().__init__(*args, pdf_date=furniture.pdf_date, **kwargs)
        self._furniture = furniture

    def _draw_furniture(self, number: int, total: int) -> None:
        f = self._furniture
        st = _styles()
        third = CONTENT_WIDTH / 3
        y = MARGIN_BOTTOM - 10 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, y + 10, PAGE_WIDTH - MARGIN_X, y + 10)
        cells = (
            (Paragraph(markup(f.left), st.footer), 0.0),
            (Paragraph(f"page {number} of {total}", st.footer_center), third),
            (Paragraph(f"rule set {escape(f.short_version)}", st.footer_right), 2 * third),
        )
        for para, dx in cells:
            para.wrap(third, 20)
            para.drawOn(self, MARGIN_X + dx, y)
        if number > 1:
            head = Paragraph(markup(f.running_head), st.footer)
            head.wrap(CONTENT_WIDTH, 20)
            head.drawOn(self, MARGIN_X, PAGE_HEIGHT - MARGIN_TOP + 5 * mm)
        self.restoreState()


# --------------------------------------------------------------------------- helpers

# Tables draw plain-string cells in Helvetica unless told otherwise, and Helvetica is
# not embedded.
_TABLE_FONT: Final = ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR)


def _grid(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table whose header repeats on every page it runs over; long cells wrap."""
    st = _styles()
    head = [Paragraph(escape(h), st.label) for h in header]
    # Rows are kept whole, so a rule never starts at the foot of one page and ends on the
    # next; only if a row is taller than a page are rows split (see _render).
    table = Table([head, *rows], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, 0), 0.7, RULE),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, BAND),
                *extra,
            ]
        )
    )
    return table


def _strongest(severity: str) -> str | None:
    for name in _RANK:
        if name in severity:
            return name
    return None


def _h1(text: str, *, new_page: bool = True) -> list[Any]:
    flow: list[Any] = [PageBreak()] if new_page else [CondPageBreak(60 * mm)]
    return [*flow, Paragraph(escape(text), _styles().h1)]


def _h2(text: str, keep: float = 45 * mm) -> list[Any]:
    # A heading never stands alone at the foot of a page: start a new page if there is
    # not room for it and the first rows of what follows.
    return [CondPageBreak(keep), _p(text, _styles().h2)]


def _kv(rows: Sequence[tuple[str, str]], widths: Sequence[float]) -> Table:
    st = _styles()
    data = [[Paragraph(escape(k), st.label), _p(v, st.small)] for k, v in rows]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, BAND),
            ]
        )
    )
    return table


# --------------------------------------------------------------------------- sections


def _title_page(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    rows = [
        ("Rule-set version", report.version),
        ("Date of this report", report.today.isoformat()),
        ("Rules", str(report.rules)),
        (
            "of which by clinic policy",
            f"{report.policy_added} added, {report.policy_raised} raised in severity",
        ),
        ("Questions", str(report.questions)),
        ("Treatments", str(report.treatment_count)),
    ]
    changes = report.changes
    if changes is not None:
        rows.append(
            (
                "Compared with",
                f"edition {changes.previous_edition}, rule-set version "
                f"{changes.previous_version}: {changes.removed} rules removed, "
                f"{changes.added} added, {changes.changed} changed",
            )
        )
    contents = [
        _p(f"{number}. {SECTION_TITLES[key]}", st.body)
        for number, key in enumerate(SECTION_TITLES, start=1)
    ]
    return [
        Spacer(1, 45 * mm),
        _p(REPORT_HEADING, st.title),
        _p(f"{report.title}, edition {report.edition}", st.subtitle),
        _kv(rows, (42 * mm, CONTENT_WIDTH - 42 * mm)),
        Spacer(1, 12 * mm),
        _p("Contents", st.h2),
        *contents,
        Spacer(1, 10 * mm),
        _p(
            "For the clinical lead: review the rules of this rule-set version and sign "
            "section 5. Check that the version printed here is the version the app shows "
            "in its About box.",
            st.small,
        ),
    ]


def _change_rows(group: ChangeGroup) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """The rows of one rule file's changes, with a tint for removed and added rules."""
    st = _styles()
    rows: list[list[Any]] = []
    style: list[tuple[Any, ...]] = []

    def add(kind: str, rule_id: str, what: Paragraph, tint: Any = None) -> None:
        rows.append([_p(kind, st.cell_bold), _ids(rule_id, st.ident, _CHANGE_COLUMNS[1]), what])
        if tint is not None:
            style.append(("BACKGROUND", (0, len(rows)), (0, len(rows)), tint))

    for r in group.removed:
        parts = [("Severity:", r.severity), ("Applies to:", r.applies_to)]
        parts += [("Condition:", r.condition), ("Message:", r.message)]
        add("removed", r.id, _rich(parts), _TINTS["absolute"])
    for r in group.added:
        parts = [("Severity:", r.severity), ("Applies to:", r.applies_to)]
        parts.append(("Condition:", r.condition))
        if r.note:
            parts.append(("Clinic policy:", r.note))
        add("added", r.id, _rich(parts), _TINTS["caution"])
    for c in group.changed:
        add("changed", c.id, _rich([("", change.words) for change in c.changes]))
    return rows, style


def _changes(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    story = _h1(f"1. {SECTION_TITLES['changes']}")
    changes = report.changes
    if changes is None:
        return [*story, _p("This is the first edition: there is no previous rule set.")]
    story += [
        _p(
            f"Compared with edition {changes.previous_edition} (rule-set version "
            f"{changes.previous_version}): {changes.removed} rules removed, {changes.added} "
            f"added and {changes.changed} changed; {changes.unchanged} unchanged."
        ),
        _p(
            "A source that named a document by an internal code, and now names it by its "
            "title, is not counted as changed for that alone.",
            st.small,
        ),
        *_h2("Questions", 25 * mm),
    ]
    if not changes.questions_known:
        story.append(_p("The previous edition's snapshot does not list its questions."))
    else:
        added = "; ".join(f"{q.id} ({q.label})" for q in changes.questions_added) or "none"
        removed = ", ".join(q.id for q in changes.questions_removed) or "none"
        story += [
            Paragraph(markup(f"Added: {added}."), st.bullet, bulletText="•"),
            Paragraph(markup(f"Removed: {removed}."), st.bullet, bulletText="•"),
        ]
    widths = _CHANGE_COLUMNS
    for group in changes.groups:
        where = f" ({group.file})" if group.file else ""
        rows, extra = _change_rows(group)
        story += _h2(f"{group.title}{where}", 35 * mm)
        story.append(_grid(("change", "rule", "what"), rows, widths, extra))
    return story


def _rules(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    story = _h1(f"2. {SECTION_TITLES['rules']}")
    story.append(
        _p(
            "Every rule under each treatment it applies to. The severity is given per route "
            "where it depends on the route. The message is for the practitioner; the "
            "patient risk is the sentence printed on the patient's consent form.",
            st.small,
        )
    )
    widths = _RULE_COLUMNS
    for index, treatment in enumerate(report.treatments):
        if index:
            story.append(CondPageBreak(70 * mm))
        story += [
            _p(f"{treatment.name} ({treatment.id})", st.h2),
            _p(
                f"Routes: {', '.join(treatment.routes)}. Rules: {len(treatment.rules)}.",
                st.small,
            ),
            Spacer(1, 2 * mm),
        ]
        rows: list[list[Any]] = []
        extra: list[tuple[Any, ...]] = []
        for number, rule in enumerate(treatment.rules, start=1):
            source = [("", f"{rule.source} ({rule.basis})")]
            if rule.policy:
                source.append(("Clinic policy:", rule.policy))
            rows.append(
                [
                    [_ids(rule.id, st.ident_bold, widths[0]), _p(rule.severity.upper(), st.cell)],
                    _rich([("Applies to:", rule.applies_to), ("When:", rule.condition)]),
                    _rich([("Message:", rule.message), ("Patient risk:", rule.patient_risk)]),
                    _rich(source),
                ]
            )
            tint = _TINTS.get(_strongest(rule.severity) or "")
            if tint is not None:
                extra.append(("BACKGROUND", (0, number), (0, number), tint))
        header = ("rule and severity", "applies to and condition", "messages", "source")
        story.append(_grid(header, rows, widths, extra))
    return story


def _coverage(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    story = _h1(f"3. {SECTION_TITLES['coverage']}")
    story.append(
        _p(
            "Every question, in the order the patient sees them, with the rules that read "
            "its answer. A question that no rule reads says why (information only).",
            st.small,
        )
    )
    rows = []
    extra: list[tuple[Any, ...]] = []
    for number, row in enumerate(report.coverage, start=1):
        read = ", ".join(row.read_by) if row.read_by else row.status.upper()
        rows.append(
            [
                _rich([("", row.id), ("", row.label)]),
                _p(row.asked, st.cell),
                _ids(read, st.ident, _COVERAGE_COLUMNS[2]) if row.read_by else _p(read, st.cell),
                _p(row.information_only, st.cell),
            ]
        )
        if not row.read_by:
            tint = _TINTS["caution"] if row.information_only else _TINTS["absolute"]
            extra.append(("BACKGROUND", (2, number), (3, number), tint))
    widths = _COVERAGE_COLUMNS
    header = ("question", "asked", "read by", "information only: why")
    story.append(_grid(header, rows, widths, extra))
    values = [
        [
            _p(question, st.cell),
            _p(f"{value.label} ({value.id})", st.cell),
            _p(value.reason, st.cell),
        ]
        for question, value in report.information_only_values
    ]
    story += _h2("Answer values that no rule reads", 30 * mm)
    if values:
        value_widths = (46 * mm, 38 * mm, CONTENT_WIDTH - 84 * mm)
        value_header = ("question", "value", "information only: why")
        story.append(_grid(value_header, values, value_widths))
    else:
        story.append(_p("None.", st.small))
    return story


def _outcomes(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    story = _h1(f"4. {SECTION_TITLES['outcomes']}")
    story.append(_p(f"Outcome precedence: {PRECEDENCE}.", st.h2))
    rows = [[_p(o.name.upper(), st.cell_bold), _p(o.meaning, st.cell)] for o in report.outcomes]
    extra = [
        ("BACKGROUND", (0, number), (0, number), _TINTS[o.name])
        for number, o in enumerate(report.outcomes, start=1)
        if o.name in _TINTS
    ]
    story.append(_grid(("outcome", "what it means in the app"), rows, (28 * mm, 150 * mm), extra))
    story.append(Spacer(1, 3 * mm))
    story += [Paragraph(markup(note), st.bullet, bulletText="•") for note in report.outcome_notes]
    story += _h2("Routes", 50 * mm)
    story.append(_p(report.route_note, st.small))
    story.append(Spacer(1, 2 * mm))
    routes = [
        [
            _p(r.id, st.cell),
            _p(r.label, st.cell),
            _p("yes" if r.invasive else "no", st.cell_bold),
            _p(", ".join(r.treatments), st.cell),
        ]
        for r in report.routes
    ]
    widths = (28 * mm, 50 * mm, 18 * mm, CONTENT_WIDTH - 96 * mm)
    story.append(_grid(("route", "label", "invasive", "treatments"), routes, widths))
    story += _h2("Treatment groups", 30 * mm)
    groups = [
        [_p(g.id, st.cell), _p(g.label, st.cell), _p(", ".join(g.treatments), st.cell)]
        for g in report.groups
    ]
    group_widths = (28 * mm, 50 * mm, CONTENT_WIDTH - 78 * mm)
    story.append(_grid(("group", "label", "treatments"), groups, group_widths))
    return story


def _sign_off(report: KnowledgeReport) -> list[Any]:
    st = _styles()
    lines = Table(
        [[Paragraph(escape(field), st.label), ""] for field in SIGN_OFF_FIELDS],
        colWidths=[30 * mm, 110 * mm],
        rowHeights=[13 * mm] * (len(SIGN_OFF_FIELDS) - 1) + [24 * mm],
        hAlign="LEFT",
    )
    lines.setStyle(
        TableStyle(
            [
                _TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (1, 0), (1, -1), 0.7, INK),
            ]
        )
    )
    block = [
        Paragraph(escape(f"5. {SECTION_TITLES['sign_off']}"), st.h1),
        _p(report.sign_off),
        Spacer(1, 4 * mm),
        _p(f"Rule-set version: {report.version}", st.small),
        _p(
            f"{report.title}, edition {report.edition}; report of {report.today.isoformat()}",
            st.small,
        ),
        Spacer(1, 6 * mm),
        _p("Clinical lead", st.h2),
        lines,
    ]
    return [CondPageBreak(150 * mm), KeepTogether(block)]


# --------------------------------------------------------------------------- entry points


def render_report_pdf(report: KnowledgeReport) -> bytes:
    """The report as PDF bytes (the same report always gives the same bytes)."""
    with RENDER_LOCK:
        saved = rl_config.invariant
        rl_config.invariant = 1
        try:
            return _render(report)
        finally:
            rl_config.invariant = saved


def _render(report: KnowledgeReport) -> bytes:
    font_chain()
    furniture = _Furniture(
        left=f"{report.title}, edition {report.edition}",
        short_version=report.short_version,
        running_head=f"{REPORT_HEADING} · {report.title}, edition {report.edition} · "
        f"{report.today.isoformat()}",
        pdf_date=f"D:{report.today.strftime('%Y%m%d')}000000+00'00'",
    )
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{REPORT_HEADING}: {report.title}, edition {report.edition}",
        author="Consult",
        subject=f"Rule-set version {report.version}",
        creator="Consult",
        invariant=1,
        pageCompression=1,
        initialFontName=FONT_REGULAR,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvasmaker = functools.partial(_NumberedCanvas, furniture=furniture)
    try:
        doc.build(_story(report), canvasmaker=canvasmaker)
    except LayoutError:
        # A row taller than a page (a very long clinic policy reason, say): let rows
        # split across pages rather than fail.
        story = _story(report)
        for flowable in story:
            if isinstance(flowable, Table):
                flowable.splitInRow = 1
        buffer.seek(0)
        buffer.truncate()
        doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _story(report: KnowledgeReport) -> list[Any]:
    return [
        *_title_page(report),
        *_changes(report),
        *_rules(report),
        *_coverage(report),
        *_outcomes(report),
        *_sign_off(report),
    ]


def write_report_file(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename), mode 0600.

    Without ``force`` an existing file is never replaced: raises :class:`ReportExistsError`.
    """
    if not force and path.exists():
        raise ReportExistsError(str(path))
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(tmp, 0o600)
        if force:
            os.replace(tmp, path)
        else:
            _link_without_replacing(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _link_without_replacing(tmp: Path, path: Path) -> None:
    """Give the finished file its name, unless another file took the name meanwhile."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise ReportExistsError(str(path)) from None
    except OSError:
        # A file system without hard links: the check above has to do.
        if path.exists():
            raise ReportExistsError(str(path)) from None
        os.replace(tmp, path)
