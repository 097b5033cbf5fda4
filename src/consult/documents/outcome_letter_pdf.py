"""The letter for a patient who was not treated (issue 21), as a PDF.

One page in the patient's language: the clinic, the patient, the treatments not given,
what was found (each finding's ``patient_risk`` sentence), what to do next (each rule's
``next_step``, else a line to contact the clinic), the practitioner's note, the clinic's
telephone and the practitioner. It is printed from what
:mod:`consult.store.services.outcomes` recorded (a plain mapping), so the same outcome
prints the same bytes. Its own words come from the consent form's catalog
(:mod:`consult.documents.form_words`, ``letter.*``); a passage shown in English for want
of a translation is marked, as on the consent form. The consent form's fonts, colours
and paper; dates as the patient's language writes them; no Qt.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from consult.documents import paper as papers
from consult.documents.consent_pdf import (
    CJK_WRAPPED,
    FONT_BOLD,
    FONT_REGULAR,
    INK,
    MUTED,
    RENDER_LOCK,
    RULE,
    font_chain,
    markup,
)
from consult.documents.form_words import FormWords, form_words
from consult.domain.knowledge_texts import SOURCE_LANGUAGE
from consult.domain.local_dates import format_date_text, format_moment

__all__ = ["UNTRANSLATED_MARK", "render_outcome_letter"]

UNTRANSLATED_INK: Final = HexColor("#7a4a00")
UNTRANSLATED_MARK: Final = "* "
"""Put before a passage printed in English in a letter of another language."""


def _styles(cjk: bool) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=FONT_REGULAR,
        bulletFontName=FONT_REGULAR,
        fontSize=10.5,
        leading=14.5,
        textColor=INK,
        spaceAfter=4,
        wordWrap="CJK" if cjk else None,
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.6, leading=11, textColor=MUTED)
    return {
        "body": body,
        "small": small,
        "clinic": ParagraphStyle("clinic", parent=body, fontName=FONT_BOLD, fontSize=13),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=21, spaceBefore=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=9
        ),
        "note": ParagraphStyle("note", parent=small, textColor=UNTRANSLATED_INK),
    }


def _zone(name: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(name)) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


class _Letter:
    """Builds the story, remembering whether any passage was left in English."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.language = str(data.get("language") or SOURCE_LANGUAGE)
        self.words: FormWords = form_words(self.language)
        self.st = _styles(self.language in CJK_WRAPPED)
        self.untranslated = False

    def p(self, text: object, style: str = "body", *, translated: bool = True) -> Paragraph:
        words = "" if text is None else str(text)
        if not translated and self.language != SOURCE_LANGUAGE:
            self.untranslated = True
            words = UNTRANSLATED_MARK + words
        return Paragraph(markup(words), self.st[style])

    def bullet(self, text: str, *, translated: bool) -> Paragraph:
        paragraph = self.p(text, translated=translated)
        paragraph.bulletText = "•"
        return paragraph

    def label(self, key: str, **values: object) -> Paragraph:
        return self.p(self.words.text(key, **values), translated=self.words.translated(key))

    def story(self) -> list[Any]:
        data, words = self.data, self.words
        clinic, patient = data["clinic"], data["patient"]
        treatments: Sequence[Mapping[str, Any]] = data.get("treatments") or ()
        day = format_date_text(data.get("consultation_date"), self.language)
        story: list[Any] = [self.p(clinic.get("name"), "clinic")]
        if clinic.get("address"):
            story.append(self.p(clinic["address"], "small"))
        story += [
            Spacer(1, 2 * mm),
            HRFlowable(width="100%", thickness=0.8, color=INK, spaceAfter=4 * mm),
            self.p(
                words.text("letter.title"), "title", translated=words.translated("letter.title")
            ),
            self.p(patient.get("name"), "body"),
            self.p(
                words.text(
                    "letter.date_of_birth",
                    date=format_date_text(patient.get("date_of_birth"), self.language),
                ),
                "small",
                translated=words.translated("letter.date_of_birth"),
            ),
            Spacer(1, 3 * mm),
            self.label("letter.intro", name=patient.get("name"), date=day),
            self.p(
                words.text("letter.not_treated"),
                "h2",
                translated=words.translated("letter.not_treated"),
            ),
        ]
        for treatment in treatments:
            story.append(
                self.bullet(str(treatment["name"]), translated=bool(treatment["name_translated"]))
            )
        risks = [
            (str(f["risk"]), bool(f["risk_translated"]))
            for t in treatments
            for f in t.get("findings") or ()
            if f.get("risk")
        ]
        if risks:
            story.append(
                self.p(
                    words.text("letter.found"), "h2", translated=words.translated("letter.found")
                )
            )
            for text, translated in dict.fromkeys(risks):
                story.append(self.bullet(text, translated=translated))
        steps = [
            (str(f["next_step"]), bool(f["next_step_translated"]))
            for t in treatments
            for f in t.get("findings") or ()
            if f.get("next_step")
        ]
        story.append(
            self.p(words.text("letter.next"), "h2", translated=words.translated("letter.next"))
        )
        for text, translated in dict.fromkeys(steps):
            story.append(self.bullet(text, translated=translated))
        if not steps:
            story.append(self.label("letter.next_default"))
        if data.get("reason"):
            story.append(
                self.p(
                    words.text("letter.reason"), "h2", translated=words.translated("letter.reason")
                )
            )
            story.append(self.p(data["reason"]))
        story.append(
            self.p(
                words.text("letter.contact"), "h2", translated=words.translated("letter.contact")
            )
        )
        phone = str(clinic.get("phone") or "").strip()
        story.append(
            self.label("letter.phone", phone=phone) if phone else self.label("letter.next_default")
        )
        practitioner = data.get("practitioner") or {}
        name = str(practitioner.get("name") or "")
        if practitioner.get("qualification"):
            name = f"{name} ({practitioner['qualification']})"
        story.append(self.label("letter.practitioner", name=name))
        written = datetime.fromisoformat(str(data["decided_at"]))
        story.append(
            self.p(
                words.text(
                    "letter.written",
                    when=format_moment(written, _zone(clinic.get("time_zone")), self.language),
                ),
                "small",
                translated=words.translated("letter.written"),
            )
        )
        if self.untranslated:
            story += [
                Spacer(1, 3 * mm),
                HRFlowable(width="100%", thickness=0.3, color=RULE, spaceAfter=2 * mm),
                Paragraph(markup(words.text("letter.untranslated")), self.st["note"]),
            ]
        return story


def render_outcome_letter(data: Mapping[str, Any]) -> bytes:
    """The letter for the recorded outcome ``data`` (what
    :func:`consult.store.services.outcomes.record_not_treated` stored) as PDF bytes:
    the same data always gives the same bytes."""
    letter = _Letter(data)
    clinic = data["clinic"]
    sheet = papers.CHOICES.get(str(clinic.get("paper") or "").lower(), papers.A4)
    out = io.BytesIO()
    with RENDER_LOCK:
        font_chain()
        story = letter.story()
        document = SimpleDocTemplate(
            out,
            pagesize=(sheet.width, sheet.height),
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=letter.words.text("letter.title"),
            author=str(clinic.get("name") or ""),
            subject=str(data["patient"].get("name") or ""),
            creator="Consult",
            lang=letter.language,
            invariant=1,
            pageCompression=1,
            initialFontName=FONT_REGULAR,
        )
        document.build(story)
    return out.getvalue()
