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
(the same record gives the same bytes). Written in English for now.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from consult.documents import pdfa
from consult.documents.consent_pdf import (
    BAND,
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
    markup,
)
from consult.documents.paper import A4, Paper

_BODY = ParagraphStyle(
    "body", fontName=FONT_REGULAR, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=3
)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.6, leading=9.6, textColor=MUTED)
_LABEL = ParagraphStyle("label", parent=_SMALL, fontName=FONT_BOLD)
_CLINIC = ParagraphStyle("clinic", parent=_BODY, fontName=FONT_BOLD, fontSize=12, leading=15)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=FONT_BOLD, fontSize=15, leading=19)
_H2 = ParagraphStyle(
    "h2", parent=_BODY, fontName=FONT_BOLD, fontSize=10.5, leading=13, spaceBefore=8
)

TITLE = "Re-confirmation of consent"


def _p(text: object, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(markup("" if text is None else str(text)), style)


def _get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


def _when(value: Any, zone: tzinfo | None) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "—")
    local = moment.astimezone(zone) if zone is not None else moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


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
        footer: str,
        archive: tuple[pdfa.ArchivalInfo, pdfa.AssociatedFile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, pdf_date=pdfa.pdf_date(archive[0].created), **kwargs)
        self._footer = footer
        self._archive = archive

    def _draw_furniture(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT_REGULAR, 7)
        self.setFillColor(MUTED)
        self.drawString(
            16 * mm, MARGIN_BOTTOM - 9 * mm, f"{self._footer} · page {number} of {total}"
        )
        self.restoreState()

    def _before_writing(self) -> None:
        info, record = self._archive
        pdfa.write_archival_parts(self._doc, info, record)


def _table(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(
        [[_p(label, _LABEL), _p(value)] for label, value in rows],
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


def _story(doc: Mapping[str, Any], sha256: str, zone: tzinfo | None) -> list[Any]:
    clinic, patient, treatment = doc["clinic"], doc["patient"], doc["treatment"]
    original, screened = doc["original"], doc["rescreened"]
    product = _get(treatment, "product")
    course = _get(doc, "course")
    story: list[Any] = [
        _p(_get(clinic, "name"), _CLINIC),
        _p(_get(clinic, "address"), _SMALL),
        Spacer(1, 4 * mm),
        _p(TITLE, _TITLE),
        _p(f"Document {doc['document_number']} · SHA-256 {sha256}", _SMALL),
        Spacer(1, 3 * mm),
        _table(
            [
                ("Patient", f"{patient['full_name']} (born {patient['date_of_birth']})"),
                ("Treatment", f"{treatment['name']} · {treatment['route_label']}"),
                (
                    "Product",
                    "—"
                    if not isinstance(product, Mapping)
                    else f"{product['name']} ({product['manufacturer']}) · lot {product['lot']}, "
                    f"expires {product['expiry']}",
                ),
                ("Visit", f"{doc['consultation']['date']}"),
                (
                    "Session",
                    f"{doc['session']} of {course['sessions']} "
                    f"(a course over {course['weeks']} weeks)"
                    if isinstance(course, Mapping)
                    else str(doc["session"]),
                ),
            ]
        ),
        _p("The consent this confirms", _H2),
        _table(
            [
                ("Consent form", str(original["document_number"])),
                ("Signed", _when(original["signed_at"], zone)),
                ("Its SHA-256", str(original["document_sha256"])),
                ("Consent text", f"version {original['template_version']}"),
                ("Valid until", str(doc.get("valid_until") or "—")),
            ]
        ),
        _p("Screened again today", _H2),
        _p(
            f"Every section of the health questionnaire was confirmed as unchanged or updated "
            f"({screened['sections']} sections); the screening ran again on today's answers "
            f"with the rules in force (rule set {screened['rule_set_version'][:12]}): "
            f"outcome {screened['outcome']}. Nothing the rules read has changed since the "
            f"consent, the findings are the same, and the consent text and the product are "
            f"those the consent was given for."
        ),
    ]
    risks = [str(f.get("patient_risk") or "") for f in screened.get("findings", [])]
    for risk in filter(None, risks):
        story.append(_p(f"• {risk}"))
    story += [
        _p("The patient's confirmation", _H2),
        _p(doc["statement"]),
        Spacer(1, 2 * mm),
    ]
    for signature in doc["signatures"]:
        story += [
            _Signature(signature),
            _p(f"{signature['name']} · signed {_when(signature['signed_at'], zone)}", _SMALL),
        ]
    practitioner = doc["practitioner"]
    story += [
        Spacer(1, 3 * mm),
        _p(
            f"Practitioner: {practitioner['name']}"
            + (f" ({practitioner['qualification']})" if practitioner.get("qualification") else ""),
            _BODY,
        ),
        _p(f"Sealed {_when(doc['signed_at'], zone)}", _SMALL),
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
    JSON ``record`` carried inside as an associated file); times in ``zone``."""
    signed = datetime.fromisoformat(str(doc["signed_at"])).astimezone(UTC)
    number = str(doc["document_number"])
    info = pdfa.ArchivalInfo(
        title=f"{TITLE} {number}",
        author=str(_get(doc["clinic"], "name") or ""),
        subject=str(_get(doc["treatment"], "name") or ""),
        keywords=f"re-confirmation {number} of consent {doc['original']['document_number']}",
        creator="Consult",
        created=signed,
        language="en",
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
        footer = f"{number} · re-confirms {doc['original']['document_number']} · {sha256[:12]}"
        template.build(
            _story(doc, sha256, zone),
            canvasmaker=lambda *args, **kwargs: _Canvas(
                *args, footer=footer, archive=(info, attachment), **kwargs
            ),
        )
    return buffer.getvalue()
