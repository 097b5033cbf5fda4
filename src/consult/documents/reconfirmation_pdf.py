"""The re-confirmation form as a PDF: one page naming the consent it re-confirms.

A repeat visit within a consent's validity, with nothing changed that the rules read,
is sealed as a short record (``consult.reconfirmation/1``,
:mod:`consult.store.services.reconfirmation`); this renders it for the patient: the
clinic, the patient and the treatment, the original consent's document number, date and
SHA-256 (so that the two papers are read together), what was screened again, the
statement the patient signed, their signature and the practitioner's name. Like the
consent form it is rendered from the sealed record alone, in the consent form's fonts
(:func:`~consult.documents.consent_pdf.font_chain`, with its fallbacks for any script),
as an archival PDF/A-3b with the record's canonical JSON inside it, deterministically
(the same record gives the same bytes).

It is printed in the patient's language, the record's ``language``, as the consent form
is: the form's own labels from its catalog (:mod:`consult.documents.form_words`, the
``reconfirmation.*`` keys), dates and times the language's way in the clinic's zone
(:mod:`consult.domain.local_dates`), a Japanese form's paragraphs wrapped the CJK way.
The names, the findings and the statement are sealed in that language already
(:mod:`consult.store.services.reconfirmation`), so the form prints them as they are.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from consult.documents import pdfa
from consult.documents.consent_pdf import (
    BAND,
    CJK_WRAPPED,
    CONTENT_WIDTH,
    FONT_BOLD,
    FONT_REGULAR,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    RENDER_LOCK,
    RULE,
    PageCountingCanvas,
    font_chain,
    form_language,
    markup,
)
from consult.documents.form_words import FormWords, form_words
from consult.documents.paper import A4, Paper
from consult.domain.local_dates import format_date_text, format_moment


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    clinic: ParagraphStyle
    title: ParagraphStyle
    h2: ParagraphStyle
    footer: ParagraphStyle


@functools.cache
def _styles(cjk: bool) -> _Styles:
    """The form's styles; with ``cjk`` each wraps the CJK way (a Japanese form's labels
    and texts have no spaces to break a line at)."""
    wrap = "CJK" if cjk else "LTR"
    body = ParagraphStyle(
        "body",
        fontName=FONT_REGULAR,
        fontSize=9.5,
        leading=12.5,
        textColor=INK,
        spaceAfter=3,
        wordWrap=wrap,
    )
    small = ParagraphStyle("small", parent=body, fontSize=7.6, leading=9.6, textColor=MUTED)
    return _Styles(
        body=body,
        small=small,
        label=ParagraphStyle("label", parent=small, fontName=FONT_BOLD),
        clinic=ParagraphStyle("clinic", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15),
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=8
        ),
        footer=ParagraphStyle("footer", parent=small, fontSize=7, leading=8.5),
    )


@dataclass(frozen=True)
class _Form:
    """What one form is printed with: its language's labels and styles, and the zone."""

    words: FormWords
    st: _Styles
    zone: tzinfo | None

    def text(self, key: str, **values: object) -> str:
        return self.words.text(f"reconfirmation.{key}", **values)

    def day(self, value: Any) -> str:
        """A stored ISO date as the language writes it ("—" for none)."""
        return format_date_text(value, self.words.language) or "—"

    def when(self, value: Any) -> str:
        """A stored time in the clinic's zone (None: this computer's), with its name."""
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value or "—")
        return format_moment(moment, self.zone, self.words.language)

    def outcome(self, value: Any) -> str:
        key = f"reconfirmation.outcome.{value}"
        return self.words.text(key) if self.words.has(key) else str(value)


def statement(language: str) -> str:
    """What the patient's one signature confirms, in ``language`` (English standing in):
    shown above the signature pad and sealed with the record as the patient read it."""
    return form_words(language).text("reconfirmation.statement")


def _form(doc: Mapping[str, Any], zone: tzinfo | None) -> _Form:
    language = form_language(doc)
    return _Form(form_words(language), _styles(language in CJK_WRAPPED), zone)


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup("" if text is None else str(text)), style)


def _get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


class _Signature(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The patient's strokes, scaled into a box the width of the column."""

    def __init__(self, signature: Mapping[str, Any], height: float = 28 * mm) -> None:
        super().__init__()
        self.signature = signature
        self.box_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.box_width = min(available_width, 90 * mm)
        return self.box_width, self.box_height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.box_width, 0)
        width = float(self.signature.get("width") or 1)
        height = float(self.signature.get("height") or 1)
        scale = min(self.box_width / width, self.box_height / height)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1)
        strokes: Sequence[Sequence[Mapping[str, Any]]] = self.signature.get("strokes") or ()
        for stroke in strokes:
            points = [
                (float(p["x"]) * scale, self.box_height - float(p["y"]) * scale) for p in stroke
            ]
            if len(points) < 2:
                continue
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            canvas.drawPath(path, stroke=1, fill=0)


class _Canvas(PageCountingCanvas):
    """The form's footer (document number, page, short hash) and its PDF/A parts."""

    def __init__(
        self,
        *args: Any,
        footer: tuple[_Form, Mapping[str, str]],
        archive: tuple[pdfa.ArchivalInfo, pdfa.AssociatedFile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, pdf_date=pdfa.pdf_date(archive[0].created), **kwargs)
        self._footer = footer
        self._archive = archive

    def _draw_furniture(self, number: int, total: int) -> None:
        form, values = self._footer
        # A paragraph, not drawString: a Japanese footer needs the CJK font for its words.
        line = _p(form.text("footer", page=number, total=total, **values), form.st.footer)
        _, height = line.wrap(CONTENT_WIDTH, MARGIN_BOTTOM)
        self.saveState()
        line.drawOn(self, 16 * mm, MARGIN_BOTTOM - 9 * mm - height + 7)
        self.restoreState()

    def _before_writing(self) -> None:
        info, record = self._archive
        pdfa.write_archival_parts(self._doc, info, record)


def _table(form: _Form, rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(
        [[_p(label, form.st.label), _p(value, form.st.body)] for label, value in rows],
        colWidths=[42 * mm, CONTENT_WIDTH - 42 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("BACKGROUND", (0, 0), (0, -1), BAND),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _product(form: _Form, product: Any) -> str:
    if not isinstance(product, Mapping):
        return "—"
    return form.text(
        "product_value",
        name=product["name"],
        manufacturer=product["manufacturer"],
        lot=product["lot"],
        expiry=form.day(product["expiry"]),
    )


def _session(form: _Form, doc: Mapping[str, Any]) -> str:
    course = _get(doc, "course")
    if not isinstance(course, Mapping):
        return str(doc["session"])
    return form.text(
        "session_of_course",
        session=doc["session"],
        sessions=course["sessions"],
        weeks=course["weeks"],
    )


def _story(form: _Form, doc: Mapping[str, Any], sha256: str) -> list[Any]:
    st = form.st
    clinic, patient, treatment = doc["clinic"], doc["patient"], doc["treatment"]
    original, screened = doc["original"], doc["rescreened"]
    story: list[Any] = [
        _p(_get(clinic, "name"), st.clinic),
        _p(_get(clinic, "address"), st.small),
        Spacer(1, 4 * mm),
        _p(form.text("title"), st.title),
        _p(form.text("document_line", number=doc["document_number"], sha256=sha256), st.small),
        Spacer(1, 3 * mm),
        _table(
            form,
            [
                (
                    form.text("patient"),
                    form.text(
                        "patient_value",
                        name=patient["full_name"],
                        born=form.day(patient["date_of_birth"]),
                    ),
                ),
                (form.text("treatment"), f"{treatment['name']} · {treatment['route_label']}"),
                (form.text("product"), _product(form, _get(treatment, "product"))),
                (form.text("visit"), form.day(doc["consultation"]["date"])),
                (form.text("session"), _session(form, doc)),
            ],
        ),
        _p(form.text("original_heading"), st.h2),
        _table(
            form,
            [
                (form.text("consent_form"), str(original["document_number"])),
                (form.text("signed"), form.when(original["signed_at"])),
                (form.text("its_sha256"), str(original["document_sha256"])),
                (
                    form.text("consent_text"),
                    form.text("consent_version", version=original["template_version"]),
                ),
                (form.text("valid_until"), form.day(doc.get("valid_until"))),
            ],
        ),
        _p(form.text("rescreened_heading"), st.h2),
        _p(
            form.text(
                "rescreened",
                sections=screened["sections"],
                rule_set=screened["rule_set_version"][:12],
                outcome=form.outcome(screened["outcome"]),
            ),
            st.body,
        ),
    ]
    risks = [str(f.get("patient_risk") or "") for f in screened.get("findings", [])]
    for risk in filter(None, risks):
        story.append(_p(f"• {risk}", st.body))
    story += [
        _p(form.text("confirmation_heading"), st.h2),
        _p(doc["statement"], st.body),
        Spacer(1, 2 * mm),
    ]
    for signature in doc["signatures"]:
        story += [
            _Signature(signature),
            _p(
                form.text(
                    "signed_by", name=signature["name"], when=form.when(signature["signed_at"])
                ),
                st.small,
            ),
        ]
    practitioner = doc["practitioner"]
    qualification = practitioner.get("qualification")
    story += [
        Spacer(1, 3 * mm),
        _p(
            form.text(
                "practitioner_qualified", name=practitioner["name"], qualification=qualification
            )
            if qualification
            else form.text("practitioner", name=practitioner["name"]),
            st.body,
        ),
        _p(form.text("sealed", when=form.when(doc["signed_at"])), st.small),
    ]
    return story


def render_reconfirmation_pdf(
    doc: Mapping[str, Any],
    sha256: str,
    *,
    record: bytes,
    zone: tzinfo | None = None,
    paper: Paper = A4,
) -> bytes:
    """The re-confirmation form for the sealed ``doc`` (its hash ``sha256``, its canonical
    JSON ``record`` carried inside as an associated file), in the record's language;
    times in ``zone`` (None: this computer's)."""
    form = _form(doc, zone)
    signed = datetime.fromisoformat(str(doc["signed_at"])).astimezone(UTC)
    number = str(doc["document_number"])
    original = str(doc["original"]["document_number"])
    info = pdfa.ArchivalInfo(
        title=f"{form.text('title')} {number}",
        author=str(_get(doc["clinic"], "name") or ""),
        subject=str(_get(doc["treatment"], "name") or ""),
        keywords=form.text("keywords", number=number, original=original),
        creator="Consult",
        created=signed,
        language=form.words.language,
    )
    attachment = pdfa.AssociatedFile(
        name=f"reconfirmation-{number}.json",
        data=record,
        description=(
            f"The sealed re-confirmation record {number}: canonical JSON (RFC 8785) whose "
            f"SHA-256, {sha256}, the form prints"
        ),
        modified=signed,
    )
    buffer = io.BytesIO()
    margin_x = (paper.width - CONTENT_WIDTH) / 2
    footer = {"number": number, "original": original, "hash": sha256[:12]}
    with RENDER_LOCK:
        font_chain()
        template = SimpleDocTemplate(
            buffer,
            pagesize=(paper.width, paper.height),
            leftMargin=margin_x,
            rightMargin=margin_x,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            author=info.author,
            subject=info.subject,
            creator=info.creator,
            invariant=1,
            pageCompression=1,
            initialFontName=FONT_REGULAR,
        )
        template.build(
            _story(form, doc, sha256),
            canvasmaker=lambda *args, **kwargs: _Canvas(
                *args, footer=(form, footer), archive=(info, attachment), **kwargs
            ),
        )
    return buffer.getvalue()
