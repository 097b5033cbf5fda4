"""A photo of a treated area as a FHIR R4 Media: the picture itself, where and when.

The store hands over only photos that may be shown (their photograph consent stands,
none hidden by a withdrawal, none deleted: ``consult.store.services.photos.
visible_photo_rows``). Each is a Media, ``status`` ``completed``, ``type`` image, for the
patient, ``bodySite`` its area (:mod:`.fhir_body_site`), ``createdDateTime`` when it was
taken, ``partOf`` the treatment's Procedure when the photo names one, and the picture as
it is stored (location and every other metadata block stripped at import) in
``content``: ``contentType``, ``data`` (base64), ``size`` and ``hash``.

R4 defines ``Attachment.hash`` as the base64 of the data's **SHA-1**, so that is what
``hash`` holds; the SHA-256 Consult keeps and ``consult verify`` rechecks (hex, as the
audit log logged it when the photo was added) is an ``identifier`` (system
:data:`PHOTO_SHA256_SYSTEM`). Whether the photo was taken before, after or during a
course of treatment is the extension :data:`PHOTO_KIND_EXTENSION` and the content's
title.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from consult.documents.fhir_base import Ids, Resource, coding, ref, resource, utc
from consult.documents.fhir_body_site import body_site

PHOTO_ID_SYSTEM: Final = "urn:consult:photo-id"
PHOTO_SHA256_SYSTEM: Final = "urn:consult:photo-sha256"
PHOTO_KIND_EXTENSION: Final = "urn:consult:fhir:extension:photo-kind"
MEDIA_TYPE: Final = "http://terminology.hl7.org/CodeSystem/media-type"


@dataclass(frozen=True)
class PhotoExport:
    """A photo as the store hands it to the FHIR writer (bytes included)."""

    photo_id: int
    area: str
    kind: str
    taken_at: dt.datetime
    mime: str
    width: int
    height: int
    data: bytes
    sha256: str
    of_treatment: bool = False
    """True when the photo names the treatment of the record it comes with."""


def sha1_base64(data: bytes) -> str:
    """``Attachment.hash`` as FHIR R4 defines it: the base64 of the SHA-1 of the data."""
    return base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii")


def media(photo: PhotoExport, *, urls: Mapping[str, str], ids: Ids) -> tuple[str, Resource]:
    """The photo as a Media; ``urls`` names the patient and, for a photo of the
    treatment, its procedure."""
    area = photo.area.replace("_", " ")
    body = resource(
        "Media",
        extension=[{"url": PHOTO_KIND_EXTENSION, "valueCode": photo.kind}],
        identifier=[
            {
                "system": PHOTO_ID_SYSTEM,
                "value": str(photo.photo_id),
                "assigner": ref(ids.organization),
            },
            {"system": PHOTO_SHA256_SYSTEM, "value": photo.sha256},
        ],
        partOf=[ref(urls["procedure"])] if photo.of_treatment else None,
        status="completed",
        type={"coding": [coding(MEDIA_TYPE, "image", "Image")]},
        subject=ref(urls["patient"]),
        createdDateTime=utc(photo.taken_at),
        bodySite=body_site(photo.area),
        height=photo.height,
        width=photo.width,
        content={
            "contentType": photo.mime,
            "data": base64.b64encode(photo.data).decode("ascii"),
            "size": len(photo.data),
            "hash": sha1_base64(photo.data),
            "title": f"{photo.kind.capitalize()}: {area}",
            "creation": utc(photo.taken_at),
        },
    )
    return ids.url("media", photo.photo_id), body
