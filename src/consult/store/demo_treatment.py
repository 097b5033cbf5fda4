"""The demo clinic's treated patient (issue 20): a toxin treatment from consent to review.

Chloé Dubois was treated for frown and forehead lines ten days ago, with everything the
treatment record holds, written through the services the app uses so that it verifies
and exports like a real one: her consent (photographs allowed), a signed-off injection
chart (five points of botulinum toxin on the glabella and the forehead, the totals in
units), before and after photos of the glabella taken for that treatment (so that each
photo's FHIR Media is ``partOf`` its Procedure), her aftercare sheet (the clinic's
out-of-hours telephone set so that it prints one), a mild bruise recorded as a
complication with a follow-up date, and her two-week review due within the week (on
reception's list).

The photos are drawn here with Pillow: a neutral face-like shape in line and flat
colour, not a person, with frown lines before and fewer after.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from PIL import Image, ImageDraw
from sqlalchemy import select

from consult.domain.intake import asked_questions
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.states import ConsultationStep
from consult.domain.treatment_chart import ChartPoint
from consult.knowledge.consent_templates import load_templates
from consult.knowledge.loader import load_knowledge
from consult.store.models import TreatmentChart
from consult.store.photo_images import prepare_photo
from consult.store.services import clinic as clinic_service
from consult.store.services import complications, consents, consultations, photos, treatment_records
from consult.store.services import patients as patient_service
from consult.store.services import products as product_service
from consult.store.services.complications import ComplicationDraft
from consult.store.services.consents import SignatureInput
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

TREATED_PATIENT: Final = "Chloé Dubois"
TREATMENT: Final = "botulinum_toxin"
DAYS_AGO: Final = 10
"""When she was treated: her two-week review falls due within reception's week."""
OUT_OF_HOURS_PHONE: Final = "+44 20 7946 0321"

Strokes = list[list[dict[str, float]]]


@dataclass(frozen=True)
class DemoTreatment:
    """What the demo's treatment made (the ids a test or a tour looks for)."""

    patient_id: int
    consultation_id: int
    consent_id: int
    chart_id: int
    photo_ids: tuple[int, ...]
    complication_id: int


# (area, view, x, y, units): the glabella's five-point pattern shortened to three, and
# two points on the frontalis.
_POINTS: Final = (
    ("glabella", "front", 0.5, 0.36, "8"),
    ("glabella", "front", 0.44, 0.35, "6"),
    ("glabella", "front", 0.56, 0.35, "6"),
    ("forehead", "front", 0.42, 0.24, "3"),
    ("forehead", "front", 0.58, 0.24, "3"),
)


def face_photo(*, lines: int, taken: dt.datetime | None = None) -> bytes:
    """A neutral, face-like drawing as a JPEG (640 x 800), ``lines`` frown lines between
    the brows; ``taken`` written as the camera's DateTimeOriginal."""
    picture = Image.new("RGB", (640, 800), (214, 220, 226))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((270, 560, 370, 800), fill=(226, 196, 170), outline=(150, 120, 100), width=4)
    draw.ellipse((150, 130, 490, 620), fill=(226, 196, 170), outline=(150, 120, 100), width=4)
    draw.chord((150, 110, 490, 310), 180, 360, fill=(92, 72, 60))  # hair
    for x in (250, 390):
        draw.ellipse((x - 30, 330, x + 30, 360), fill=(250, 250, 248), outline=(90, 80, 70))
        draw.ellipse((x - 10, 335, x + 10, 355), fill=(70, 80, 90))
        draw.arc((x - 45, 285, x + 45, 335), 200, 340, fill=(80, 60, 50), width=6)  # brow
    draw.line((320, 360, 310, 450, 330, 455), fill=(160, 125, 105), width=4)  # nose
    draw.arc((265, 470, 375, 540), 20, 160, fill=(160, 80, 80), width=5)  # mouth
    for i in range(lines):  # frown lines between the brows, forehead lines above
        draw.line((308 + i * 10, 296, 304 + i * 10, 334), fill=(170, 130, 110), width=3)
        draw.arc((230, 222 + i * 14, 410, 262 + i * 14), 200, 340, fill=(180, 145, 125), width=2)
    exif = Image.Exif()
    if taken is not None:
        exif[0x8769] = {36867: taken.strftime("%Y:%m:%d %H:%M:%S")}
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def _treatment_record_of(ctx: ServiceContext, chart_id: int) -> int:
    """The treatment record a chart belongs to: what a photo of that treatment names
    (``photos.add_photo(treatment_record_id=...)``), so that its FHIR Media is ``partOf``
    the treatment's Procedure. A chart's view (``ChartInfo``) does not carry it."""
    with ctx.unit_of_work() as session:
        record_id = session.execute(
            select(TreatmentChart.treatment_record_id).where(TreatmentChart.id == chart_id)
        ).scalar_one()
    return int(record_id)


def _answers(kb: KnowledgeBase, sex_at_birth: str) -> dict[str, object]:
    """A healthy patient's intake: every question asked of a toxin answered no."""
    answers: dict[str, object] = {}
    for _ in range(3):  # an answer may ask further questions
        for question in asked_questions(answers, sex_at_birth, kb, [TREATMENT]):
            if question.id not in answers:
                answers[question.id] = {
                    "yn": "no",
                    "ynu": "no",
                    "multi": [],
                    "date": None,
                    "text": "",
                }.get(question.type, question.values[0].id if question.values else "")
    answers.setdefault("fitzpatrick_type", "II")
    return answers


def add_demo_treatment(
    doctor: ServiceContext,
    manager: ServiceContext,
    *,
    signature: Callable[[int], Strokes],
    today: dt.date | None = None,
) -> DemoTreatment | None:
    """Treat the demo's patient (see the module); None if the clinic has no such patient
    or no toxin. ``doctor`` and ``manager`` are signed-in contexts; ``signature`` draws a
    handwritten signature for a seed (the demo's own)."""
    kb, templates = load_knowledge(), load_templates()
    today = today or dt.date.today()
    treated_on = today - dt.timedelta(days=DAYS_AGO)
    patient = next(
        (p for p in patient_service.recent(doctor, limit=200) if p.full_name == TREATED_PATIENT),
        None,
    )
    product = next(
        (p for p in product_service.list_products(doctor) if p.treatment_id == TREATMENT), None
    )
    if patient is None or product is None:
        _log.info("demo: no %s or no toxin; the treated patient is left out", TREATED_PATIENT)
        return None
    lot = product_service.usable_lots(product, treated_on)[0]
    info = consultations.start(doctor, patient.id, treated_on)
    info = consultations.save(
        doctor,
        info.id,
        info.version,
        kb,
        step=ConsultationStep.SCREENING,
        treatments=[
            {
                "id": TREATMENT,
                "route": kb.treatment(TREATMENT).routes[0],
                "product_id": product.id,
                "lot_id": lot.id,
            }
        ],
        answers=_answers(kb, patient.sex_at_birth),
    )
    info = consultations.run_screening(doctor, info.id, info.version, kb)
    for review in consultations.reviews(info):
        for rule in review.unacknowledged:
            info = consultations.decide(
                doctor, info.id, info.version, treatment=TREATMENT, rule=rule
            )
    text = consents.consent_text(doctor, info.id, TREATMENT, templates)
    signed_at = dt.datetime.combine(treated_on, dt.time(10, 5), dt.UTC)
    assert doctor.user is not None
    consent = consents.sign(
        doctor,
        info.id,
        TREATMENT,
        template_version=text.template_version,
        initials={section.id: "CD" for section in text.sections},
        choices={"photographs": True, "data_processing": True},
        patient_signature=SignatureInput(patient.full_name, signature(40), 480, 160, signed_at),
        practitioner_signature=SignatureInput(
            doctor.user.display_name, signature(140), 480, 160, signed_at
        ),
        templates=templates,
        kb=kb,
    )
    [chart] = treatment_records.open_charts(doctor, info.id)
    treated = _treatment_record_of(doctor, chart.id)
    before = photos.add_photo(
        doctor,
        info.id,
        prepare_photo(face_photo(lines=3, taken=signed_at.replace(tzinfo=None)), "before.jpg"),
        area="glabella",
        kind="before",
        treatment_record_id=treated,
    )
    chart = treatment_records.save_draft(
        doctor,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        areas=["glabella", "forehead"],
        notes="Dynamic glabellar and forehead lines. Reconstituted 50 U in 1.25 mL saline.",
        points=[
            ChartPoint(
                view=view,
                x=x,
                y=y,
                amount=Decimal(units),
                unit="units",
                depth="intramuscular",
                technique="bolus",
                area=area,
            )
            for area, view, x, y, units in _POINTS
        ],
    )
    chart = treatment_records.sign_off(doctor, chart.id, chart.version)
    after = photos.add_photo(
        doctor,
        info.id,
        prepare_photo(face_photo(lines=1), "after.jpg"),
        area="glabella",
        kind="after",
        treatment_record_id=treated,
    )
    settings = clinic_service.get_clinic(manager)
    if settings is not None:
        clinic_service.update_settings(
            manager, settings.version, {"out_of_hours_phone": OUT_OF_HOURS_PHONE}
        )
    event = complications.record(
        doctor,
        info.id,
        TREATMENT,
        ComplicationDraft(
            category="bruising",
            description="Small bruise at the left corrugator injection point.",
            noticed_on=treated_on + dt.timedelta(days=1),
            severity="mild",
            action_taken="Cold compress; arnica gel advised. Photo requested at review.",
            outcome="ongoing",
            follow_up_on=treated_on + dt.timedelta(days=14),
        ),
    )
    return DemoTreatment(
        patient_id=patient.id,
        consultation_id=info.id,
        consent_id=consent.id,
        chart_id=chart.id,
        photo_ids=(before.id, after.id),
        complication_id=event.id,
    )
