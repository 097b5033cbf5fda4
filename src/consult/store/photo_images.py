"""A photo file checked and stripped before it is stored (Pillow; no database, no Qt).

A camera's JPEG carries far more than the picture: the GPS position where it was taken,
the camera's serial number, the owner's name, XMP and IPTC blocks, a full-size preview.
None of it belongs in a patient's record, and the position is personal data. So every
photo is decoded and encoded again from its pixels alone: the EXIF orientation is applied
to the pixels first (the stored photo needs no tag to stand upright), and the only thing
read from the metadata and kept, as a column beside the bytes, is when it was taken
(EXIF DateTimeOriginal). Whatever cannot be decoded is refused with a message the user
can act on; so is a file too large to be a photo or a picture of absurd dimensions (a
decompression bomb).

:func:`prepare_photo` is slow (a 12-megapixel JPEG takes a few hundred milliseconds):
run it on a pool thread, never the GUI's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import warnings
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from consult.store.errors import QT_TRANSLATE_NOOP, ErrorText, ValidationError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "THUMBNAIL_SIDE",
    "PreparedPhoto",
    "prepare_photo",
]

_log = logging.getLogger(__name__)

MAX_FILE_BYTES: Final = 30 * 1024 * 1024
"""The largest file taken (30 MB: a camera's JPEG is 3 to 15 MB)."""
MAX_PIXELS: Final = 80_000_000
"""The most pixels a picture may have (80 megapixels) before it is refused unread."""
MAX_SIDE: Final = 4096
"""The longest side kept: larger pictures are scaled down (enough to see skin texture)."""
THUMBNAIL_SIDE: Final = 320
"""The longest side of the thumbnail stored beside the photo, for the timeline."""
JPEG_QUALITY: Final = 92
THUMBNAIL_QUALITY: Final = 85
MIME: Final = "image/jpeg"

_EXIF_IFD: Final = 0x8769
_DATE_TIME_ORIGINAL: Final = 36867
_OFFSET_TIME_ORIGINAL: Final = 36881


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: the re-encoded bytes (no metadata) and what is known of it.

    ``taken_at`` is the camera's DateTimeOriginal: naive (the camera's clock, whose zone
    the file rarely says) unless the camera wrote its offset; None when there is none.
    """

    data: bytes
    sha256: str
    mime: str
    width: int
    height: int
    thumbnail: bytes
    taken_at: dt.datetime | None
    original_name: str = ""


def _taken_at(image: Image.Image) -> dt.datetime | None:
    """DateTimeOriginal (and its offset, if written) from the EXIF, or None."""
    try:
        exif = image.getexif().get_ifd(_EXIF_IFD)
    except Exception:  # a broken EXIF block is common and never a reason to refuse
        _log.info("a photo's EXIF block could not be read", exc_info=True)
        return None
    raw = exif.get(_DATE_TIME_ORIGINAL)
    if not isinstance(raw, str):
        return None
    try:
        taken = dt.datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = exif.get(_OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str):
        try:
            zone = dt.datetime.strptime(offset.strip().rstrip("\x00"), "%z").tzinfo
        except ValueError:
            zone = None
        if zone is not None:
            taken = taken.replace(tzinfo=zone)
    return taken


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=, no xmp: only the pixels (sRGB assumed, as a browser does).
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _flattened(image: Image.Image) -> Image.Image:
    """``image`` as RGB, any transparency laid on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        ground = Image.new("RGB", rgba.size, (255, 255, 255))
        ground.paste(rgba, mask=rgba.getchannel("A"))
        return ground
    return image.convert("RGB")


def prepare_photo(data: bytes, name: str = "") -> PreparedPhoto:
    """Check ``data`` is a picture and make the copy to store (see the module's text).

    Raises :class:`ValidationError` (field ``photo``) for an empty or too large file, one
    that is not a picture Pillow reads, or one with too many pixels.
    """
    label = f"{name}: " if name else ""
    if not data:
        raise ValidationError(
            "photo", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1the file is empty."), label)
        )
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            "photo",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "%1the file is %2 MB; photos of up to %3 MB are taken."
                ),
                label,
                f"{len(data) / 1_048_576:.0f}",
                MAX_FILE_BYTES // 1_048_576,
            ),
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.width * opened.height > MAX_PIXELS:
                raise ValidationError(
                    "photo",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "%1the picture is %2×%3 pixels, more than a photo has."
                        ),
                        label,
                        opened.width,
                        opened.height,
                    ),
                )
            opened.load()
            taken = _taken_at(opened)
            upright = ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "photo",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "%1the picture has more pixels than a photo has."),
                label,
            ),
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "photo",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "%1this is not a picture Consult can read (JPEG, PNG, TIFF, WebP).",
                ),
                label,
            ),
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or damaged files
        _log.info("a photo could not be decoded: %s", exc)
        raise ValidationError(
            "photo",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "%1the picture is damaged or incomplete and cannot be read."
                ),
                label,
            ),
        ) from None
    picture = _flattened(upright)
    if max(picture.size) > MAX_SIDE:
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    stored = _encode(picture, JPEG_QUALITY)
    small = picture.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return PreparedPhoto(
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
        mime=MIME,
        width=picture.width,
        height=picture.height,
        thumbnail=_encode(small, THUMBNAIL_QUALITY),
        taken_at=taken,
        original_name=name,
    )
