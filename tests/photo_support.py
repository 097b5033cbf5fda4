"""Photos and photograph consents for the photo tests: pictures made with Pillow (one with
a GPS position in its EXIF, as a phone writes it), consents signed yes or no."""

from __future__ import annotations

import io

from PIL import Image

from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import consents
from consult.store.services.consents import ConsentInfo
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import security_support

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
TAKEN = "2026:11:20 10:15:00"


def jpeg_with_gps(
    size: tuple[int, int] = (64, 48),
    colour: tuple[int, int, int] = (200, 120, 100),
    *,
    taken: str | None = TAKEN,
    orientation: int = 1,
) -> bytes:
    """A JPEG whose EXIF holds a GPS position (Tokyo), a camera maker and, unless None,
    DateTimeOriginal ``taken``; ``orientation`` 6 means "turn 90° to stand upright"."""
    picture = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "CameraMaker"
    exif[GPS_IFD] = {1: "N", 2: (35.0, 39.0, 29.1), 3: "E", 4: (139.0, 41.0, 30.0)}
    if taken is not None:
        exif[EXIF_IFD] = {36867: taken}
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def png(size: tuple[int, int] = (80, 60), colour: tuple[int, int, int] = (90, 140, 200)) -> bytes:
    """A plain PNG without metadata."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def sign(
    clinic: dict[str, ServiceContext], info: ConsultationInfo, *, photographs: bool
) -> ConsentInfo:
    """Sign the consent of a screened consultation, saying ``photographs`` yes or no."""
    doc = clinic["practitioner"]
    treatment = security_support.TREATMENT
    text = consents.consent_text(doc, info.id, treatment, security_support.TEMPLATES)
    return consents.sign(
        doc,
        info.id,
        treatment,
        template_version=text.template_version,
        initials={section.id: "ZL" for section in text.sections},
        choices={"photographs": photographs, "data_processing": True},
        patient_signature=security_support.signature("Zoë Lefèvre"),
        practitioner_signature=security_support.signature("Dr Dana Doe"),
        templates=security_support.TEMPLATES,
        kb=knowledge(),
    )


def consented(
    clinic: dict[str, ServiceContext], *, photographs: bool = True, family: str = "Lefèvre"
) -> tuple[PatientInfo, ConsultationInfo, ConsentInfo]:
    """A patient with a consultation whose consent says ``photographs`` yes or no."""
    patient, info = security_support.screened(clinic, family=family)
    return patient, info, sign(clinic, info, photographs=photographs)
