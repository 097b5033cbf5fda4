"""The aftercare sheet handed to the patient at the end of a treatment (issue 20).

One page in the patient's language: the treatment's aftercare section from its consent
template (English marked where no current translation exists, as on the consent form),
what was done (treatment, product, lot, areas, date), the review date when one is set,
and the clinic's out-of-hours telephone. The consent form's fonts and style; no Qt.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from consult.documents.consent_pdf import (
    CJK_WRAPPED,
    FONT_BOLD,
    FONT_REGULAR,
    INK,
    MUTED,
    markup,
    prepare_fonts,
)
from consult.documents.paper import A4, Paper
from consult.domain.knowledge_texts import SOURCE_LANGUAGE
from consult.domain.local_dates import format_date_text

SETTING: Final = "out_of_hours_phone"
"""The clinic setting: the telephone a patient calls out of hours, printed on the sheet."""

UNTRANSLATED_INK: Final = HexColor("#7a4a00")
UNTRANSLATED_MARK: Final = "* "

WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        "en": {
            "title": "Aftercare",
            "patient": "Patient",
            "born": "born",
            "done": "What was done",
            "treatment": "Treatment",
            "date": "Date",
            "product": "Product",
            "lot": "Lot",
            "expiry": "expiry",
            "areas": "Areas treated",
            "amount": "Amount given",
            "practitioner": "Practitioner",
            "review": "Your review appointment",
            "contact": "If you are worried",
            "out_of_hours": "Out of hours, telephone",
            "no_number": "Telephone the clinic.",
            "untranslated": "Not yet translated: shown in English.",
        },
        "ja": {
            "title": "施術後のケア",
            "patient": "患者",
            "born": "生年月日",
            "done": "実施した施術",
            "treatment": "施術",
            "date": "施術日",
            "product": "製品",
            "lot": "ロット",
            "expiry": "使用期限",
            "areas": "施術部位",
            "amount": "使用量",
            "practitioner": "施術者",
            "review": "経過確認の予約",
            "contact": "ご心配なときは",
            "out_of_hours": "診療時間外の連絡先",
            "no_number": "クリニックにお電話ください。",
            "untranslated": "未翻訳のため英語で表示しています。",
        },
    }
)
"""The sheet's own words; a language without them gets the English, marked."""


def check_out_of_hours_setting(value: object) -> str:
    """The out-of-hours telephone as stored ("" for none); ValueError if it is not one.

    Written as the clinic gives it to patients (spaces, a leading +, brackets and dashes
    kept): at least six digits, at most 40 characters.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("write the out-of-hours telephone number")
    text = " ".join(value.split())
    if not text:
        return ""
    if len(text) > 40 or any(not (c.isdigit() or c in " +-()./") for c in text):
        raise ValueError("write the out-of-hours telephone number as digits (+, spaces, dashes)")
    if sum(c.isdigit() for c in text) < 6:
        raise ValueError("the out-of-hours telephone number needs at least six digits")
    return text


@dataclass(frozen=True)
class AftercareSheet:
    """Everything the sheet prints, already in the patient's language where it can be."""

    language: str
    clinic_name: str
    clinic_address: str
    out_of_hours_phone: str
    patient_name: str
    date_of_birth: dt.date
    treatment: str
    treated_on: dt.date
    product: str
    lot: str
    lot_expiry: dt.date | None
    areas: Sequence[str]
    amounts: Sequence[str]
    practitioner: str
    aftercare_heading: str
    aftercare_text: str
    aftercare_untranslated: bool
    review_on: dt.date | None = None


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    clinic: ParagraphStyle
    h2: ParagraphStyle
    note: ParagraphStyle


def _styles(cjk: bool) -> _Styles:
    wrap = "CJK" if cjk else None
    body = ParagraphStyle(
        "body",
        fontName=FONT_REGULAR,
        bulletFontName=FONT_REGULAR,
        fontSize=10,
        leading=13.5,
        textColor=INK,
        spaceAfter=4,
        wordWrap=wrap,
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.4, leading=10.5, spaceAfter=0)
    return _Styles(
        body=body,
        small=small,
        label=ParagraphStyle("label", parent=small, fontName=FONT_BOLD, textColor=MUTED),
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=2
        ),
        clinic=ParagraphStyle("clinic", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=14, spaceBefore=10
        ),
        note=ParagraphStyle("note", parent=small, textColor=UNTRANSLATED_INK),
    )


class _Words:
    """The sheet's words in one language, noting when English stood in."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.own = WORDS.get(language)
        self.untranslated = False

    def __call__(self, key: str) -> str:
        if self.own is not None:
            return self.own[key]
        self.untranslated = self.language != SOURCE_LANGUAGE
        return WORDS["en"][key]


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def _section(text: str, st: _Styles) -> list[Paragraph]:
    """A template section's plain text: paragraphs by line, "• " items as bullets."""
    out: list[Paragraph] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.startswith("• "):
            out.append(Paragraph(markup(line[2:]), st.body, bulletText="•"))
        else:
            out.append(_p(line, st.body))
    return out


def render_aftercare_pdf(sheet: AftercareSheet, paper: Paper = A4) -> bytes:
    """The aftercare sheet as PDF bytes."""
    prepare_fonts()
    words = _Words(sheet.language)
    st = _styles(sheet.language in CJK_WRAPPED)

    def day(value: dt.date) -> str:
        return format_date_text(value.isoformat(), sheet.language)

    story: list[object] = [
        _p(sheet.clinic_name, st.clinic),
        _p(sheet.clinic_address, st.small),
        Spacer(1, 4 * mm),
        _p(words("title") + " — " + sheet.treatment, st.title),
        _p(
            f"{words('patient')}: {sheet.patient_name} "
            f"({words('born')} {day(sheet.date_of_birth)})",
            st.small,
        ),
        _p(words("done"), st.h2),
    ]
    lot = sheet.lot
    if lot and sheet.lot_expiry is not None:
        lot = f"{lot} ({words('expiry')} {day(sheet.lot_expiry)})"
    rows = [
        (words("treatment"), sheet.treatment),
        (words("date"), day(sheet.treated_on)),
        (words("product"), sheet.product),
        (words("lot"), lot),
        (words("areas"), ", ".join(sheet.areas)),
        (words("amount"), ", ".join(sheet.amounts)),
        (words("practitioner"), sheet.practitioner),
    ]
    table = Table(
        [[_p(label, st.label), _p(value or "—", st.body)] for label, value in rows],
        colWidths=[42 * mm, None],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, MUTED),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)
    heading = sheet.aftercare_heading
    if sheet.aftercare_untranslated and sheet.language != SOURCE_LANGUAGE:
        heading = UNTRANSLATED_MARK + heading
    story.append(_p(heading, st.h2))
    story.extend(_section(sheet.aftercare_text, st))
    if sheet.review_on is not None:
        story.append(_p(words("review"), st.h2))
        story.append(_p(day(sheet.review_on), st.body))
    story.append(_p(words("contact"), st.h2))
    phone = sheet.out_of_hours_phone.strip()
    story.append(_p(f"{words('out_of_hours')}: {phone}" if phone else words("no_number"), st.body))
    if (sheet.aftercare_untranslated and sheet.language != SOURCE_LANGUAGE) or words.untranslated:
        story.append(Spacer(1, 3 * mm))
        story.append(_p(UNTRANSLATED_MARK + words("untranslated"), st.note))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=(paper.width, paper.height),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{words('title')} — {sheet.treatment}",
        author=sheet.clinic_name,
        lang=sheet.language,
    )
    document.build(story)
    return out.getvalue()
