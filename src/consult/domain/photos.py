"""The words of a treatment photo: which area it shows and what it is (issue 20).

A short fixed vocabulary rather than free text, so that a comparison can put the same
area side by side across visits and a timeline can group by it. The store keeps the
values; the interface keeps its own words for them (``consult.ui.photos.words``).
"""

from __future__ import annotations

import enum


class PhotoArea(enum.StrEnum):
    """The treated area a photo shows, in the order a face is read (then the body)."""

    FULL_FACE = "full_face"
    FOREHEAD = "forehead"
    GLABELLA = "glabella"
    PERIORBITAL = "periorbital"
    CHEEKS = "cheeks"
    NASOLABIAL = "nasolabial"
    LIPS = "lips"
    CHIN = "chin"
    JAWLINE = "jawline"
    NECK = "neck"
    DECOLLETAGE = "decolletage"
    HANDS = "hands"
    SCALP = "scalp"
    OTHER = "other"


class PhotoKind(enum.StrEnum):
    """When in the treatment the photo was taken."""

    BEFORE = "before"
    AFTER = "after"
    PROGRESS = "progress"
